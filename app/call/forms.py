"""Forms of the call: the coordinators' pages (calls, review, decisions, organisations) and the
applicants' (the application's text fields and an attachment)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    DateField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from app.call.calls import (
    CallCorrection,
    CallInput,
    parse_criteria,
    parse_questions,
    questions_text,
    stockholm_to_utc,
    utc_to_stockholm,
)
from app.call.models import Call, DecisionOutcome
from app.core.errors import DomainError
from app.core.forms import BaseForm
from app.core.identifiers import normalise_diary_number
from app.core.money import format_amount
from app.ledger.forms import AmountField, CheckboxListField, amount_required, strip


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _pot_label(line, left: int) -> str:
    """A pot as the new-call form offers it: what it still has to grant, of its size."""
    pot = format_amount(line.amount or 0, unit=True)
    if left <= 0:
        return _("%(fund)s: %(activity)s (inget kvar att bevilja av %(pot)s)",
                 fund=line.allocation.label, activity=line.activity, pot=pot)
    return _("%(fund)s: %(activity)s (%(left)s kvar av %(pot)s)", fund=line.allocation.label,
             activity=line.activity, left=format_amount(left, unit=True), pot=pot)


class CallForm(BaseForm):
    """A call: its pool, texts, times (Swedish time), goal areas, questions and criteria."""

    input_fields = {"line_id": "line", "goal_area_ids": "goal_areas", "opens_at": "opens_on",
                    "closes_at": "closes_on"}

    line = SelectField(_l("Pott (utlysningsrad)"), coerce=_int_or_none, choices=[],
                       validators=[InputRequired(_l("Välj potten."))])
    title = StringField(_l("Rubrik"), filters=[strip], validators=[
        DataRequired(_l("Ange utlysningens rubrik.")),
        Length(max=300, message=_l("Rubriken får vara högst 300 tecken."))])
    description = TextAreaField(_l("Beskrivning"), validators=[Length(max=20_000)])
    opens_on = DateField(_l("Öppnar (datum)"), validators=[
        InputRequired(_l("Ange datum då utlysningen öppnar, t.ex. 2022-03-01."))])
    opens_time = TimeField(_l("Öppnar (klockslag)"), default=None, validators=[
        InputRequired(_l("Ange klockslag då utlysningen öppnar, t.ex. 08:00."))])
    closes_on = DateField(_l("Stänger (datum)"), validators=[
        InputRequired(_l("Ange datum då utlysningen stänger, t.ex. 2022-04-15."))])
    closes_time = TimeField(_l("Stänger (klockslag)"), validators=[
        InputRequired(_l("Ange klockslag då utlysningen stänger, t.ex. 23:59."))])
    # The call's rules judge the areas chosen, so that one retired since the page was shown
    # is refused saying so (app/call/calls.py).
    goal_areas = CheckboxListField(_l("Målområden som kan sökas"), coerce=int, choices=[],
                                   validate_choice=False)
    max_per_project = AmountField(_l("Högsta belopp per projekt"))
    requirements = TextAreaField(_l("Krav"), validators=[Length(max=20_000)])
    questions = TextAreaField(_l("Frågor i ansökan"), validators=[Length(max=20_000)])
    criteria = TextAreaField(_l("Bedömningskriterier"), validators=[Length(max=20_000)])

    def __init__(self, *args, lines=(), goal_areas=(), left: dict[int, int] | None = None,
                 **kwargs):
        super().__init__(*args, **kwargs)
        left = left or {}
        self.line.choices = [SelectChoice("", _l("Välj pott"))] + [
            SelectChoice(str(line.id), _pot_label(line, left.get(line.id, line.amount or 0)))
            for line in lines
        ]
        self.goal_areas.choices = [(area.id, f"{area.name} ({area.year})") for area in goal_areas]

    @staticmethod
    def data_of(call: Call | None) -> dict:
        if call is None:
            return {}
        opens, closes = utc_to_stockholm(call.opens_at), utc_to_stockholm(call.closes_at)
        return {
            "line": call.line_id, "title": call.title, "description": call.description,
            "opens_on": opens.date(), "opens_time": opens.time().replace(tzinfo=None),
            "closes_on": closes.date(), "closes_time": closes.time().replace(tzinfo=None),
            "goal_areas": [a.id for a in call.goal_areas],
            "max_per_project": call.max_per_project, "requirements": call.requirements,
            "questions": questions_text(call.questions), "criteria": "\n".join(call.criteria),
        }

    def validate_goal_areas(self, field):
        if not field.data:
            raise ValidationError(_l("Välj minst ett målområde."))

    def call_input(self) -> CallInput:
        return CallInput(
            line_id=self.line.data, title=self.title.data,
            opens_at=stockholm_to_utc(self.opens_on.data, self.opens_time.data),
            closes_at=stockholm_to_utc(self.closes_on.data, self.closes_time.data),
            description=self.description.data or "", requirements=self.requirements.data or "",
            goal_area_ids=list(self.goal_areas.data or []),
            max_per_project=self.max_per_project.data,
            questions=parse_questions(self.questions.data),
            criteria=parse_criteria(self.criteria.data),
        )


class CallCorrectionForm(BaseForm):
    """What may be corrected while a call is open: its title, texts and closing time."""

    input_fields = {"closes_at": "closes_on"}

    title = StringField(_l("Rubrik"), filters=[strip], validators=[
        DataRequired(_l("Ange utlysningens rubrik.")),
        Length(max=300, message=_l("Rubriken får vara högst 300 tecken."))])
    description = TextAreaField(_l("Beskrivning"), validators=[Length(max=20_000)])
    requirements = TextAreaField(_l("Krav"), validators=[Length(max=20_000)])
    closes_on = DateField(_l("Stänger (datum)"), validators=[
        InputRequired(_l("Ange datum då utlysningen stänger, t.ex. 2022-04-15."))])
    closes_time = TimeField(_l("Stänger (klockslag)"), validators=[
        InputRequired(_l("Ange klockslag då utlysningen stänger, t.ex. 23:59."))])

    @staticmethod
    def data_of(call: Call) -> dict:
        closes = utc_to_stockholm(call.closes_at)
        return {"title": call.title, "description": call.description,
                "requirements": call.requirements, "closes_on": closes.date(),
                "closes_time": closes.time().replace(tzinfo=None)}

    def correction(self) -> CallCorrection:
        return CallCorrection(
            title=self.title.data, description=self.description.data or "",
            requirements=self.requirements.data or "",
            closes_at=stockholm_to_utc(self.closes_on.data, self.closes_time.data))


class ReturnForm(BaseForm):
    message = TextAreaField(_l("Vad ska kompletteras?"), filters=[strip], validators=[
        DataRequired(_l("Skriv vad den sökande ska komplettera.")), Length(max=10_000)])


class ProposalForm(BaseForm):
    amount = AmountField(_l("Föreslaget belopp"))


SCORES = [SelectChoice("", _l("Välj betyg"))] + [SelectChoice(str(n), str(n)) for n in range(1, 6)]


def assessment_form(criteria: list[str], data: dict | None = None) -> BaseForm:
    """Build the assessment form of a call: a score 1–5 per criterion and a comment."""

    class AssessmentForm(BaseForm):
        comment = TextAreaField(_l("Kommentar"), validators=[Length(max=10_000)])

    for index, criterion in enumerate(criteria):
        setattr(AssessmentForm, f"score_{index}", SelectField(
            criterion, choices=SCORES, coerce=_int_or_none,
            validators=[InputRequired(_l("Ge ett betyg 1–5."))]))
    form = AssessmentForm(data=data or {})
    form.score_fields = [form[f"score_{i}"] for i in range(len(criteria))]
    return form


OUTCOME_CHOICES = [
    SelectChoice(DecisionOutcome.GRANTED.value, _l("Beviljas i sin helhet")),
    SelectChoice(DecisionOutcome.PARTLY_GRANTED.value, _l("Beviljas delvis")),
    SelectChoice(DecisionOutcome.REJECTED.value, _l("Avslås")),
]


class DecisionForm(BaseForm):
    outcome = RadioField(_l("Beslut"), choices=OUTCOME_CHOICES,
                         validators=[InputRequired(_l("Välj beslut."))])
    amount = AmountField(_l("Beviljat belopp (vid delvis beviljande)"))
    conditions = TextAreaField(_l("Villkor"), validators=[Length(max=10_000)])
    reason = TextAreaField(_l("Skäl"), validators=[Length(max=10_000)])
    body = StringField(_l("Beslutande organ"), filters=[strip], validators=[
        DataRequired(_l("Ange vilket organ som fattade beslutet.")), Length(max=200)])
    decided_on = DateField(_l("Beslutsdatum"), validators=[
        InputRequired(_l("Ange beslutsdatum, t.ex. 2022-06-10."))])
    paragraph = StringField(_l("Paragraf"), filters=[strip], validators=[Length(max=40)])
    diary_number = StringField(_l("Diarienummer"), filters=[strip], validators=[Length(max=60)])
    # The normalised diary number the page has shown: typed again unchanged, it is saved.
    diary_number_shown = HiddenField()

    def validate_diary_number(self, field):
        """Refuse a diary number whose shape is not understood, beside the form's other
        errors; show one that will be saved in another form before saving it."""
        if not field.data or field.errors:
            return
        try:
            normalised = normalise_diary_number(field.data)
        except DomainError as exc:
            raise ValidationError(exc.message[:1].upper() + exc.message[1:] + ".") from None
        if normalised != field.data and self.diary_number_shown.data != normalised:
            self.diary_number_shown.data = normalised
            raise ValidationError(_(
                "Diarienumret sparas som %(number)s. Stämmer det, registrera beslutet igen; "
                "annars rätta numret.", number=normalised))

    def validate_amount(self, field):
        if self.outcome.data == DecisionOutcome.PARTLY_GRANTED.value:
            amount_required(self, field)

    def validate_conditions(self, field):
        if self.outcome.data == DecisionOutcome.PARTLY_GRANTED.value and not (field.data or "").strip():
            raise ValidationError(_l("Ange villkoren för det delvis beviljade beloppet."))

    def validate_reason(self, field):
        if self.outcome.data == DecisionOutcome.REJECTED.value and not (field.data or "").strip():
            raise ValidationError(_l("Ange skälet till avslaget."))


class MergeForm(BaseForm):
    duplicate = SelectField(_l("Dubblett som ska slås ihop"), coerce=_int_or_none, choices=[],
                            validators=[InputRequired(_l("Välj dubbletten."))])
    keep = SelectField(_l("Organisation som behålls"), coerce=_int_or_none, choices=[],
                       validators=[InputRequired(_l("Välj organisationen som behålls."))])

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [SelectChoice("", _l("Välj organisation"))] + [
            SelectChoice(str(o.id), o.name + (f" ({o.org_number})" if o.org_number else ""))
            for o in organisations
        ]
        self.duplicate.choices = choices
        self.keep.choices = list(choices)

    def validate_keep(self, field):
        if field.data is not None and field.data == self.duplicate.data:
            raise ValidationError(_l("Välj två olika organisationer."))


# --- the applicants' form ------------------------------------------------------------------
# The text fields only: goal areas, budget rows and questions are built from the call and
# read in the view.

class ApplicationForm(BaseForm):
    """The text fields of an application, with the hints the applicant reads."""

    title = StringField(_l("Projektets namn"), description=_l("Högst 300 tecken."))
    summary = TextAreaField(_l("Sammanfattning"),
                            description=_l("Beskriv projektet kort, några meningar."))
    background = TextAreaField(_l("Bakgrund"), description=_l("Varför behövs projektet?"))
    aim = TextAreaField(_l("Syfte och förväntade resultat"))
    target_group = TextAreaField(_l("Målgrupp"))
    owner = StringField(_l("Projektägare"), description=_l("Den organisation som äger projektet."))
    partners = TextAreaField(_l("Samverkanspartner"), description=_l("En per rad."))
    user_participation = TextAreaField(
        _l("Brukarmedverkan"),
        description=_l("Hur brukare eller anhöriga är delaktiga i projektet."))
    long_term_plan = TextAreaField(
        _l("Plan för långsiktigt breddinförande"),
        description=_l("Hur arbetet lever vidare och sprids när projektet är slut."))
    period_start = StringField(_l("Projektet börjar"), description=_l("ÅÅÅÅ-MM-DD"))
    period_end = StringField(_l("Projektet slutar"), description=_l("ÅÅÅÅ-MM-DD"))
    indicators = TextAreaField(_l("Indikatorer"),
                               description=_l(
                                   "Det projektet följer upp och rapporterar, en per rad. "
                                   "Skriv (%) efter en andel och (ja/nej) efter en fråga som "
                                   "besvaras med ja eller nej; övriga rapporteras som antal, "
                                   "som kan delas upp på kvinnor, män, flickor och pojkar."))
    save = SubmitField(_l("Spara utkast"))


class AttachmentForm(BaseForm):
    """One file to attach to an application."""

    file = FileField(_l("Bilaga"),
                     description=_l("PDF, Word, Excel eller bild (.png, .jpg)."))
    upload = SubmitField(_l("Ladda upp"))
