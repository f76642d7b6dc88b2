"""Administration: earmarks, accounts, the audit log."""
