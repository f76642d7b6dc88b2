"""Forms of the ledger pages: a line of an allocation, a grant from a call line, importing a
file, a confirmation."""

from __future__ import annotations

import re
from datetime import date

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from markupsafe import Markup
from wtforms import (
    BooleanField,
    DateField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    StopValidation,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, html_params

from app.core.errors import AmountError
from app.core.forms import BaseForm
from app.core.money import format_amount, parse_amount
from app.ledger.lines import GrantInput, LineInput
from app.ledger.models import Allocation, Grant, Line, LineKind, PaymentKind, Requisition
from app.ledger.payments import PaymentInput

# The space between groups of thousands, to be kept from breaking a figure over two lines.
_GROUP_SPACE = re.compile(r"(?<=\d) (?=\d{3}\b)")


class AmountField(StringField):
    """A text field for an amount typed the Swedish way; `data` is öre, or None when empty.

    What the person typed is kept (`raw_data`) and shown again when the form has errors.
    """

    def process_formdata(self, valuelist):
        text = valuelist[0].strip() if valuelist else ""
        self.data = None
        if not text:
            return
        try:
            self.data = parse_amount(text)
        except AmountError as exc:
            raise ValueError(_quoted_reason(text, exc.message)) from None

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return format_amount(self.data)


def _quoted_reason(text: str, reason: str) -> str:
    """Return the refusal as a sentence that names what was typed, once."""
    if text not in reason:
        reason = f"”{text}”: {reason}"
    return _GROUP_SPACE.sub("\u00a0", reason[:1].upper() + reason[1:])


def amount_required(form, field):
    """Refuse an empty amount field (a malformed one already has its own message)."""
    if field.data is None and not field.process_errors:
        raise StopValidation(_l("Ange ett belopp."))


class CheckboxGroup:
    """Render a multiple choice as Designsystemet's checkboxes, one `ds-field` per option.

    The field macro gives it the class of a text input; a group of checkboxes has its own.
    """

    def __call__(self, field, **kwargs):
        kwargs.update({"id": field.id, "class": "checkbox-group", "role": "group"})
        options = Markup("").join(
            Markup('<div class="ds-field">{} {}</div>').format(
                option(class_="ds-input"),
                option.label(class_="ds-label", **{"data-weight": "regular"}),
            )
            for option in field
        )
        return Markup("<div {}>{}</div>").format(Markup(html_params(**kwargs)), options)


class CheckboxListField(SelectMultipleField):
    """Several choices shown as checkboxes: easier to use than a multiple select."""

    widget = CheckboxGroup()
    option_widget = CheckboxInput()


def strip(text: str | None) -> str | None:
    """Trim a text, so that one of spaces only counts as empty."""
    return text.strip() if text else text


def split_list(text: str | None) -> list[str]:
    """Return the comma-separated items of a text, trimmed, without empty ones."""
    return [item.strip() for item in (text or "").split(",") if item.strip()]


def _optional_id(value) -> int | None:
    return int(value) if value not in (None, "", "None") else None


class LineForm(BaseForm):
    """A line of an allocation: activity, call or transfer, with its budget and outcome."""

    goal_area = SelectField(_l("Målområde"), choices=[], validate_choice=False)
    activity = TextAreaField(_l("Aktivitet"), filters=[strip], validators=[
        DataRequired(_l("Beskriv aktiviteten.")), Length(max=2000)])
    kind = SelectField(
        _l("Typ av rad"), coerce=LineKind, default=LineKind.ACTIVITY,
        choices=[SelectChoice(value, label) for value, label in LineKind.choices()],
    )
    budget = AmountField(_l("Budget"))
    spent = AmountField(_l("Utfall"))
    covers = SelectField(_l("Täcker underskott i"), coerce=_optional_id, choices=[])
    owner = StringField(_l("Ansvarig eller ägare"), validators=[Length(max=300)])
    partners = StringField(_l("Samverkanspartner"), validators=[Length(max=2000)])

    def __init__(self, *args, covers_choices: list[tuple[int, str]] = (),
                 goal_area_names: list[str] = (), kept_goal_area: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.covers.choices = [
            SelectChoice("", _l("Ingen (inte en överföring)")),
            *(SelectChoice(str(value), label) for value, label in covers_choices),
        ]
        # The year's list, and the line's own area though it has left the list since.
        self.goal_area_names = list(goal_area_names)
        kept = [kept_goal_area] if kept_goal_area and kept_goal_area not in goal_area_names else []
        self.goal_area.choices = [
            SelectChoice("", _l("Inget målområde")),
            *(SelectChoice(name, name) for name in self.goal_area_names),
            *(SelectChoice(name, _("%(name)s (utgått)", name=name)) for name in kept),
        ]
        self._allowed_areas = {"", *self.goal_area_names, *kept}

    @staticmethod
    def data_of(line: Line | None) -> dict:
        """Return the form's initial values for an existing line (or none for a new one)."""
        if line is None:
            return {}
        return {
            "goal_area": line.goal_area.name if line.goal_area else "",
            "activity": line.activity,
            "kind": line.kind,
            "budget": line.budget,
            "spent": line.spent,
            "covers": line.covers_allocation_id,
            "owner": line.owner or "",
            "partners": ", ".join(line.partners or []),
        }

    def validate_goal_area(self, field):
        if (field.data or "") not in self._allowed_areas:
            raise ValidationError(_l("Välj ett av årets målområden i listan."))

    def validate_budget(self, field):
        if field.process_errors or self.spent.process_errors:
            return
        if field.data is None and self.spent.data is None:
            raise ValidationError(_l("Ange budget, utfall eller båda."))

    def validate_covers(self, field):
        if self.kind.data is LineKind.TRANSFER and field.data is None:
            raise ValidationError(_l("Välj den fond vars underskott överföringen täcker."))

    def line_input(self) -> LineInput:
        """Return what was typed as the service's input."""
        return LineInput(
            activity=self.activity.data,
            kind=self.kind.data,
            goal_area=self.goal_area.data,
            budget=self.budget.data,
            spent=self.spent.data,
            covers_allocation_id=self.covers.data,
            owner=self.owner.data,
            partners=split_list(self.partners.data),
        )


class GrantForm(BaseForm):
    """A project granted from a call line's pool. What is paid and returned is not typed
    here: it comes from the payments registered on the project's page."""

    title = TextAreaField(_l("Projekt"), filters=[strip], validators=[
        DataRequired(_l("Ange projektets namn.")), Length(max=2000)])
    owner = StringField(_l("Projektägare"), filters=[strip], validators=[
        DataRequired(_l("Ange projektägaren.")), Length(max=300)])
    partners = StringField(_l("Samverkanspartner"), validators=[Length(max=2000)])
    goal_areas = CheckboxListField(_l("Målområden"), choices=[], validate_choice=False)
    amount = AmountField(_l("Beviljat belopp"), validators=[amount_required])
    status = StringField(_l("Status"), validators=[Length(max=40)])

    def __init__(self, *args, goal_area_names: list[str] = (), kept: list[str] = (),
                 **kwargs):
        super().__init__(*args, **kwargs)
        names = list(goal_area_names)
        # A grant may carry an area no longer in the year's list: keep it choosable.
        retired = [n for n in kept if n not in names]
        self.goal_areas.choices = [(n, n) for n in names] + [
            (n, _("%(name)s (utgått)", name=n)) for n in retired]
        self._allowed_areas = set(names) | set(retired)

    @staticmethod
    def data_of(grant: Grant | None) -> dict:
        """Return the form's initial values for an existing grant (or none for a new one)."""
        if grant is None:
            return {}
        return {
            "title": grant.title,
            "owner": grant.owner,
            "partners": ", ".join(grant.partners or []),
            "goal_areas": [area.name for area in grant.goal_areas],
            "amount": grant.amount,
            "status": grant.status or "",
        }

    def validate_goal_areas(self, field):
        if not field.data:
            raise ValidationError(_l("Välj minst ett målområde."))
        if not set(field.data) <= self._allowed_areas:
            raise ValidationError(_l("Välj målområden ur årets lista."))

    def grant_input(self) -> GrantInput:
        """Return what was typed as the service's input."""
        return GrantInput(
            title=self.title.data,
            owner=self.owner.data,
            amount=self.amount.data,
            goal_areas=list(self.goal_areas.data or []),
            partners=split_list(self.partners.data),
            status=self.status.data,
        )


def within_upload_limit(form, field) -> None:
    """Refuse an upload larger than the setting IMPORT_MAX_BYTES."""
    limit = current_app.config["IMPORT_MAX_BYTES"]
    size = len(field.data.read(limit + 1))
    field.data.seek(0)
    if size > limit:
        raise ValidationError(_("Filen är för stor; den får vara högst %(size)s",
                                size=size_text(limit)))


def size_text(limit: int) -> str:
    """Return a size limit as people read it: "2 MB", "512 kB"."""
    return f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit // 1024} kB"


class ImportForm(BaseForm):
    """A file of allocations to import, and whether it may replace existing ones."""

    file = FileField(
        _l("Fil att importera"),
        description=_l("En fil i formatet stimulansmedel/1: YAML (.yaml, .yml) eller JSON "
                       "(.json)."),
        validators=[
            FileRequired(_l("Välj en fil att importera")),
            FileAllowed(["yaml", "yml", "json"], _l("Filen måste sluta på .yaml, .yml eller .json")),
            within_upload_limit,
        ],
    )
    replace = BooleanField(
        _l("Ersätt befintliga"),
        description=_l("Tilldelningar som redan finns ersätts helt av filens. Utan detta vägras "
                       "filen om någon av dem redan finns."),
    )
    submit = SubmitField(_l("Importera"))


class ConfirmForm(BaseForm):
    """A button that confirms an action; only its CSRF token is checked."""


class GoalAreaForm(BaseForm):
    """The name of a goal area: a new one on a year's list, or an area's new name."""

    name = StringField(_l("Målområde"), filters=[strip], validators=[
        DataRequired(_l("Ange målområdets namn.")),
        Length(max=300, message=_l("Namnet får vara högst 300 tecken."))])


class CloseYearForm(BaseForm):
    """Closing a year; lines with a budget but no outcome must be accepted as 0 kr used."""

    accept_missing_outcomes = BooleanField(
        _l("Jag godtar att raderna ovan räknas som 0 kr använt"))

    def __init__(self, *args, missing: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.missing = missing

    def validate_accept_missing_outcomes(self, field):
        if self.missing and not field.data:
            raise ValidationError(_l(
                "Ange radernas utfall, eller kryssa i att de godtas som 0 kr använt."))


# --- paying projects ------------------------------------------------------------------------

def optional_id(value) -> int | None:
    """Read a select's id; empty, or anything but a number, is none chosen."""
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class PaymentForm(BaseForm):
    """Register a payment to the project, or a refund from it."""

    kind = SelectField(
        _l("Slag"), coerce=PaymentKind, default=PaymentKind.PAYMENT,
        choices=[SelectChoice(value, name) for value, name in PaymentKind.choices()],
    )
    amount = AmountField(_l("Belopp"), validators=[amount_required])
    paid_on = DateField(_l("Datum"), default=date.today,
                        validators=[InputRequired(_l("Ange ett datum (ÅÅÅÅ-MM-DD)."))])
    reference = StringField(_l("Referens"), filters=[strip], validators=[Length(max=200)],
                            description=_l("Verifikationsnummer eller fakturanummer."))
    allocation = SelectField(_l("Betalas från"), coerce=optional_id, choices=[])
    requisition = SelectField(_l("Rekvisition"), coerce=optional_id, choices=[])
    note = TextAreaField(_l("Anteckning"), filters=[strip], validators=[Length(max=2000)])
    window_override = TextAreaField(
        _l("Skäl att betala efter sista förbrukningsdag"), filters=[strip],
        validators=[Length(max=2000)],
        description=_l("Bara för administratörer: en utbetalning daterad efter fondens sista "
                       "dag att använda medlen vägras utan ett skäl."))

    def __init__(self, *args, allocations: list[tuple[int, str]] = (),
                 requisitions: list[tuple[int, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.allocation.choices = [SelectChoice(str(i), name) for i, name in allocations]
        self.requisition.choices = [
            SelectChoice("", _l("Ingen rekvisition")),
            *(SelectChoice(str(i), name) for i, name in requisitions),
        ]

    @classmethod
    def for_grant(cls, grant: Grant, others: list[Allocation],
                  requisitions: list[tuple[Requisition, int]], **kwargs) -> PaymentForm:
        """The form for paying `grant`: from its own allocation (first) or one of `others`,
        on one of its requisitions that is neither declined nor paid in full."""
        own = grant.line.allocation
        allocations = [(own.id, _("%(fund)s (projektets egen)", fund=own.label))] + [
            (a.id, a.label) for a in others
        ]
        still_open = [
            (r.id, _("%(date)s: %(amount)s", date=r.created_at.date().isoformat(),
                     amount=format_amount(r.amount, unit=True)))
            for r, paid in requisitions if r.declined_reason is None and paid < r.amount
        ]
        return cls(prefix="pay", allocations=allocations, requisitions=still_open, **kwargs)

    def payment_input(self, grant_id: int) -> PaymentInput:
        return PaymentInput(
            grant_id=grant_id, amount=self.amount.data, paid_on=self.paid_on.data,
            reference=self.reference.data or "", allocation_id=self.allocation.data,
            kind=self.kind.data, requisition_id=self.requisition.data, note=self.note.data or "",
            window_override=self.window_override.data or "",
        )


class ReasonForm(BaseForm):
    """Why a payment or a requisition is refused."""

    reason = TextAreaField(_l("Skäl"), filters=[strip], validators=[
        DataRequired(_l("Skriv ett skäl.")), Length(max=2000)])


class ThresholdForm(BaseForm):
    amount = AmountField(_l("Attestgräns"), validators=[amount_required], description=_l(
        "Utbetalningar över detta belopp måste attesteras av en annan samordnare. "
        "0 kr betyder att alla utbetalningar attesteras av någon annan."))
