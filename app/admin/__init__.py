"""Administration: earmarks, accounts, the attestation threshold and the audit log."""
