"""Forms of the coordinators' project pages: payments, reasons, reports, links, the threshold."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length

from app.followup.rules import Rating, ReportKind
from app.ledger.forms import AmountField, amount_required, strip
from app.ledger.models import PaymentKind
from app.ledger.payments import PaymentInput


def optional_id(value) -> int | None:
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class PaymentForm(FlaskForm):
    """Register a payment to the project, or a refund from it."""

    kind = SelectField(
        _l("Slag"), coerce=PaymentKind, default=PaymentKind.PAYMENT,
        choices=[SelectChoice(v, name) for v, name in PaymentKind.choices()],
    )
    amount = AmountField(_l("Belopp"), validators=[amount_required])
    paid_on = DateField(_l("Datum"), default=date.today,
                        validators=[InputRequired(_l("Ange ett datum (ÅÅÅÅ-MM-DD)."))])
    reference = StringField(_l("Referens"), filters=[strip], validators=[Length(max=200)],
                            description=_l("Verifikationsnummer eller fakturanummer."))
    allocation = SelectField(_l("Betalas från"), coerce=optional_id, choices=[])
    requisition = SelectField(_l("Rekvisition"), coerce=optional_id, choices=[])
    note = TextAreaField(_l("Anteckning"), filters=[strip], validators=[Length(max=2000)])

    def __init__(self, *args, allocations: list[tuple[int, str]] = (),
                 requisitions: list[tuple[int, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.allocation.choices = [SelectChoice(str(i), name) for i, name in allocations]
        self.requisition.choices = [
            SelectChoice("", _l("Ingen rekvisition")),
            *(SelectChoice(str(i), name) for i, name in requisitions),
        ]

    def payment_input(self, grant_id: int) -> PaymentInput:
        return PaymentInput(
            grant_id=grant_id, amount=self.amount.data, paid_on=self.paid_on.data,
            reference=self.reference.data or "", allocation_id=self.allocation.data,
            kind=self.kind.data, requisition_id=self.requisition.data, note=self.note.data or "",
        )


class ReasonForm(FlaskForm):
    """Why a payment or a requisition is refused."""

    reason = TextAreaField(_l("Skäl"), filters=[strip], validators=[
        DataRequired(_l("Skriv ett skäl.")), Length(max=2000)])


class ScheduleReportForm(FlaskForm):
    """Ask the project for an interim or final report by a date."""

    kind = SelectField(
        _l("Rapport"), coerce=ReportKind, default=ReportKind.INTERIM,
        choices=[SelectChoice(v, name) for v, name in ReportKind.choices()],
    )
    due_on = DateField(_l("Senast"), validators=[InputRequired(_l("Ange ett datum (ÅÅÅÅ-MM-DD)."))])


class DueDateForm(FlaskForm):
    """Move a report's due date (the project is reminded again before the new date)."""

    due_on = DateField(_l("Ny sista dag"), validators=[InputRequired(_l("Ange ett datum (ÅÅÅÅ-MM-DD)."))])


class LinkForm(FlaskForm):
    """Link the grant to the same project's grant of an earlier year."""

    previous = SelectField(_l("Fortsätter projektet"), coerce=optional_id, choices=[])

    def __init__(self, *args, candidates: list[tuple[int, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.previous.choices = [
            SelectChoice("", _l("Inget tidigare projekt")),
            *(SelectChoice(str(i), name) for i, name in candidates),
        ]


class ApproveReportForm(FlaskForm):
    """Approve a submitted report with the action plan's rating."""

    rating = RadioField(
        _l("Bedömning"), choices=[SelectChoice(v, name) for v, name in Rating.choices()],
        validators=[InputRequired(_l("Välj en bedömning."))],
    )
    comment = TextAreaField(_l("Kommentar"), filters=[strip], validators=[Length(max=5000)])


class ReturnReportForm(FlaskForm):
    """Send a submitted report back to the project for completion."""

    message = TextAreaField(_l("Vad ska kompletteras?"), filters=[strip], validators=[
        DataRequired(_l("Skriv vad projektet ska komplettera.")), Length(max=5000)])


class ThresholdForm(FlaskForm):
    amount = AmountField(_l("Attestgräns"), validators=[amount_required], description=_l(
        "Utbetalningar över detta belopp måste attesteras av en annan samordnare. "
        "0 kr betyder att alla utbetalningar attesteras av någon annan."))
