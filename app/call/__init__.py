"""The project call: calls, applications, attachments, review and decisions."""
