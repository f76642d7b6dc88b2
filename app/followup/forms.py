"""Forms of the coordinators' project pages: asking for a report, its due date, approving or
returning it, and linking a grant to an earlier year. The payment forms are the ledger's."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, RadioField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length

from app.core.forms import BaseForm
from app.followup.rules import Rating, ReportKind
from app.ledger.forms import optional_id, strip


class ScheduleReportForm(BaseForm):
    """Ask the project for an interim or final report by a date."""

    kind = SelectField(
        _l("Rapport"), coerce=ReportKind, default=ReportKind.INTERIM,
        choices=[SelectChoice(v, name) for v, name in ReportKind.choices()],
    )
    due_on = DateField(_l("Senast"), validators=[InputRequired(_l("Ange ett datum (ÅÅÅÅ-MM-DD)."))])


class DueDateForm(BaseForm):
    """Move a report's due date (the project is reminded again before the new date)."""

    due_on = DateField(_l("Ny sista dag"), validators=[InputRequired(_l("Ange ett datum (ÅÅÅÅ-MM-DD)."))])


class LinkForm(BaseForm):
    """Link the grant to the same project's grant of an earlier year."""

    previous = SelectField(_l("Fortsätter projektet"), coerce=optional_id, choices=[])

    def __init__(self, *args, candidates: list[tuple[int, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.previous.choices = [
            SelectChoice("", _l("Inget tidigare projekt")),
            *(SelectChoice(str(i), name) for i, name in candidates),
        ]


class ApproveReportForm(BaseForm):
    """Approve a submitted report with the action plan's rating."""

    rating = RadioField(
        _l("Bedömning"), choices=[SelectChoice(v, name) for v, name in Rating.choices()],
        validators=[InputRequired(_l("Välj en bedömning."))],
    )
    comment = TextAreaField(_l("Kommentar"), filters=[strip], validators=[Length(max=5000)])


class ReturnReportForm(BaseForm):
    """Send a submitted report back to the project for completion."""

    message = TextAreaField(_l("Vad ska kompletteras?"), filters=[strip], validators=[
        DataRequired(_l("Skriv vad projektet ska komplettera.")), Length(max=5000)])
