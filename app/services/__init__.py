"""Operations: load and change models, call the domain, write the audit log; flush, never commit."""
