"""What the audit log records of personal data: the clearings of `flask privacy purge`.

Privacy keeps no tables of its own; anonymising an account is an account's action
(`AccountAction.USER_ANONYMISE`), and `User.anonymised_at` says it was done."""

from __future__ import annotations

from app.core.audit import AuditAction
from app.core.labels import _l


class PrivacyAction(AuditAction):
    """What clearing personal data past its retention records in the audit log."""

    PURGE_APPLICATION = "privacy.purge_application", _l("Gallrade personuppgifter ur ansökan")
    PURGE_GRANT = "privacy.purge_grant", _l("Gallrade personuppgifter ur avslutat projekt")
    PURGE_EMAILS = "privacy.purge_emails", _l("Gallrade skickade e-postmeddelanden")
