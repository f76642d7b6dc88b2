"""Forms of a fund's year: starting or correcting an allocation, deciding its budget."""

from __future__ import annotations

import datetime as dt
import re

from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from app.core.errors import DomainError
from app.core.forms import BaseForm
from app.core.identifiers import normalise_diary_number
from app.ledger.allocations.editing import AllocationInput
from app.ledger.allocations.versions import DecisionInput
from app.ledger.exchange.schema import MAX_YEAR, MIN_YEAR
from app.ledger.forms import AmountField, amount_required, strip
from app.ledger.models import Allocation
from app.ledger.rules import COUNTY, MUNICIPALITIES, RECIPIENTS, REGION

PRINCIPAL = "principal"  # the recipient field's choice for one named principal
_DAY_OR_MONTH = re.compile(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$")


class DayOrMonthField(StringField):
    """A date typed as a day (2021-06-11) or only a month (2021-06): `data` is the day (the
    first of the month for a month) and `month_only` says which."""

    month_only = False

    def process_formdata(self, valuelist):
        text = valuelist[0].strip() if valuelist else ""
        self.data, self.month_only = None, False
        if not text:
            return
        found = _DAY_OR_MONTH.match(text)
        try:
            if found is None:
                raise ValueError
            year, month, day = int(found[1]), int(found[2]), found[3]
            self.data = dt.date(year, month, int(day) if day else 1)
            self.month_only = day is None
        except ValueError:
            raise ValueError(_l("”%(text)s” är inget datum; skriv ÅÅÅÅ-MM-DD, eller ÅÅÅÅ-MM om "
                                "bara månaden är känd.", text=text)) from None

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        return self.data.strftime("%Y-%m") if self.month_only else self.data.isoformat()


def _diary_number(form, field):
    if field.data:
        try:
            normalise_diary_number(field.data)
        except DomainError as exc:
            text = str(exc)
            raise ValidationError(text[:1].upper() + text[1:] + ".") from None


class DecisionFields:
    """The fields of a decision, shared by the allocation's form and the budget's."""

    decision_body = StringField(_l("Beslutande organ"), filters=[strip],
                                validators=[Length(max=200)], description=_l("Till exempel SVOM."))
    decision_date = DayOrMonthField(
        _l("Beslutsdatum"), description=_l("ÅÅÅÅ-MM-DD, eller ÅÅÅÅ-MM om bara månaden är känd."))
    decision_reference = StringField(_l("Paragraf"), filters=[strip],
                                     validators=[Length(max=200)], description=_l("Till exempel §125."))
    decision_diary_number = StringField(
        _l("Diarienummer"), filters=[strip], validators=[Length(max=60), _diary_number],
        description=_l("Till exempel RUN/290/2022."))
    decision_text = TextAreaField(_l("Beslutstext"), filters=[strip],
                                  validators=[Length(max=2000)])


class AllocationForm(BaseForm, DecisionFields):
    """A fund's year: fund, year, who holds the money, received, spending window, anchoring
    and decision. Fund and year are chosen only when the allocation is new."""

    input_fields = {"earmark_id": "earmark"}

    earmark = SelectField(_l("Fond"), coerce=int, choices=[])
    year = IntegerField(_l("År"), validators=[
        InputRequired(_l("Ange året (överenskommelsens år).")),
        NumberRange(MIN_YEAR, MAX_YEAR, _l("Ange ett år mellan %(min)s och %(max)s."))])
    recipient = SelectField(_l("Vem har medlen"), default=COUNTY, choices=[
        SelectChoice(COUNTY, _l("Länsmedel (regionen och kommunerna tillsammans)")),
        SelectChoice(REGION, _l("Regionen")),
        SelectChoice(MUNICIPALITIES, _l("Kommunerna")),
        SelectChoice(PRINCIPAL, _l("En huvudman")),
    ])
    principal = StringField(_l("Huvudmannens namn"), filters=[strip],
                            validators=[Length(max=200)],
                            description=_l("Bara för en huvudman, t.ex. Östersunds kommun."))
    received = AmountField(_l("Erhållna medel"), validators=[amount_required])
    spend_until = DateField(_l("Förbrukas senast"), validators=[Optional()],
                            description=_l("Lämna tomt för 31 december året efter."))
    anchored = TextAreaField(_l("Förankrad i"), filters=[strip], validators=[Length(max=2000)],
                             description=_l("Till exempel Fredagsgruppen och SamReKo."))

    def __init__(self, *args, earmarks=(), new: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.new = new
        self.earmark.choices = [SelectChoice(e.id, e.name) for e in earmarks]
        if not new:
            del self.earmark
            del self.year

    @staticmethod
    def data_of(allocation: Allocation | None) -> dict:
        """Return the form's initial values for an allocation (or a new one's)."""
        if allocation is None:
            return {"recipient": COUNTY}
        named = allocation.recipient not in RECIPIENTS
        return {
            "recipient": PRINCIPAL if named else allocation.recipient,
            "principal": allocation.recipient if named else "",
            "received": allocation.received,
            "spend_until": allocation.spend_until,
            "anchored": allocation.anchored or "",
            "decision_body": allocation.decision_body or "",
            "decision_date": allocation.decision_date,
            "decision_reference": allocation.decision_reference or "",
            "decision_diary_number": allocation.decision_diary_number or "",
            "decision_text": allocation.decision_text or "",
        }

    def validate_principal(self, field):
        if self.recipient.data == PRINCIPAL and not field.data:
            raise ValidationError(_l("Ange huvudmannens namn."))

    def validate_spend_until(self, field):
        if field.data and self.new and self.year.data and field.data.year < self.year.data:
            raise ValidationError(_l("Medlen kan inte förbrukas senast före det år de gäller."))

    def allocation_input(self, allocation: Allocation | None = None) -> AllocationInput:
        """Return what was typed as the operation's input."""
        recipient = self.principal.data if self.recipient.data == PRINCIPAL else self.recipient.data
        return AllocationInput(
            earmark_id=self.earmark.data if self.new else allocation.earmark_id,
            year=self.year.data if self.new else allocation.year,
            received=self.received.data,
            recipient=recipient,
            spend_until=self.spend_until.data,
            anchored=self.anchored.data,
            decision_body=self.decision_body.data,
            decision_date=self.decision_date.data,
            decision_month_only=self.decision_date.month_only,
            decision_reference=self.decision_reference.data,
            decision_diary_number=self.decision_diary_number.data,
            decision_text=self.decision_text.data,
        )


class BudgetDecisionForm(BaseForm, DecisionFields):
    """Deciding the budget's current version: who decided, when, paragraph, diary number."""

    input_fields = {"body": "decision_body", "date": "decision_date",
                    "paragraph": "decision_reference", "diary_number": "decision_diary_number",
                    "text": "decision_text"}

    def validate_decision_body(self, field):
        if not field.data:
            raise ValidationError(_l("Ange vem som fattade beslutet, t.ex. SVOM."))

    def validate_decision_date(self, field):
        if field.data is None and not field.process_errors:
            raise ValidationError(_l("Ange beslutets datum, eller månad om bara den är känd."))

    def decision_input(self) -> DecisionInput:
        return DecisionInput(
            body=self.decision_body.data, date=self.decision_date.data,
            month_only=self.decision_date.month_only, paragraph=self.decision_reference.data,
            diary_number=self.decision_diary_number.data, text=self.decision_text.data,
        )
