"""What every area shares and that knows no area: money in öre, errors, identifiers, column types, the audit log and the e-mail outbox."""
