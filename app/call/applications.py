"""Operations on applications: start, save a draft, submit (a returned one again), withdraw.

Each flushes and writes the audit log; the request's unit of work commits. `now` is passed in so the closing
time can be tested with a frozen clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from app.accounts.models import User
from app.call.models import Application, ApplicationBudgetLine, BudgetCategory, Call, CallAction
from app.call.queries import continuable_grants
from app.call.rules import (
    DECIDED_STATES,
    EDITABLE_STATES,
    MAX_LENGTHS,
    MAX_TEXT,
    ApplicationState,
    check_application_transition,
    check_can_submit,
    is_open,
    missing_for_submission,
)
from app.call.versions import save_version, snapshot
from app.core import audit, mail
from app.core.audit import Actor
from app.core.errors import DomainError
from app.core.money import parse_amount
from app.core.text import forbidden_message
from app.extensions import db
from app.ledger.queries import is_year_closed

TEXT_FIELDS = ("title", "summary", "background", "aim", "target_group", "owner",
               "user_participation", "long_term_plan")
MAX_DESCRIPTION = 500
MAX_LIST_ITEMS = 50


@dataclass
class DraftInput:
    """What the form sent, as text: parsed and checked by save_draft."""

    texts: dict[str, str] = field(default_factory=dict)
    partners: str = ""
    indicators: str = ""
    goal_areas: list[str] = field(default_factory=list)  # goal area ids as text
    period_start: str = ""
    period_end: str = ""
    # [{"year": "2023", "category": "staff", "description": "…", "amount": "12 000"}]
    budget: list[dict[str, str]] = field(default_factory=list)
    answers: dict[str, str] = field(default_factory=dict)
    # The id (as text) of the organisation's earlier grant this application continues; "" none.
    continues_grant: str = ""


class DraftErrors(DomainError):
    """The draft was refused as a whole: `errors` maps a field name to its message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def start(call: Call, actor: User, now: datetime) -> Application:
    """Start a draft application of the actor's organisation to an open call."""
    if not actor.is_applicant or actor.organisation_id is None:
        raise DomainError("bara sökande kan ansöka")
    ensure_pot_year_open(call)
    if not is_open(call.state, call.opens_at, call.closes_at, now):
        raise DomainError("utlysningen är inte öppen för ansökningar")
    application = Application(call_id=call.id, organisation_id=actor.organisation_id,
                              state=ApplicationState.DRAFT, created_by_id=actor.id,
                              partners=[], indicators=[], answers={})
    db.session.add(application)
    db.session.flush()
    audit.record(Actor.of(actor), CallAction.APPLICATION_CREATE, "application", application.id,
                 summary=f"Nytt utkast till {call.title}")
    return application


def ensure_pot_year_open(call: Call) -> None:
    """Refuse an application to a call whose pot is in a closed year: its money is frozen."""
    year = call.line.allocation.year
    if is_year_closed(year):
        raise DomainError(f"utlysningens pengar hör till {year}, som är stängt; utlysningen tar "
                          "inte emot fler ansökningar")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _date(value: str, name: str, errors: dict[str, str]) -> date | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors[name] = "ange datumet som ÅÅÅÅ-MM-DD"
        return None


def _check_editable(application: Application) -> None:
    if application.state not in EDITABLE_STATES:
        raise DomainError("ansökan är inskickad och kan inte ändras")


def _forbidden(data: DraftInput) -> dict[str, str]:
    """Return the refusal of every field of the draft that holds a character no text may."""
    texts = {**data.texts, "partners": data.partners, "indicators": data.indicators,
             "period_start": data.period_start, "period_end": data.period_end,
             "continues_grant_id": data.continues_grant,
             "goal_areas": "".join(data.goal_areas)}
    texts.update({f"answers.{key}": value for key, value in data.answers.items()})
    for i, row in enumerate(data.budget):
        texts.update({f"budget-{i}-{key}": value for key, value in row.items()})
    found = {name: forbidden_message(value) for name, value in texts.items()}
    return {name: message for name, message in found.items() if message is not None}


def save_draft(application: Application, data: DraftInput, actor: Actor) -> dict[str, str]:
    """Save what the form sent; return the messages of values that were not saved.

    Too long texts and forbidden characters refuse the whole save (DraftErrors, nothing
    changed); a malformed amount or
    date is left out and reported while everything else is saved.
    """
    _check_editable(application)
    too_long: dict[str, str] = {}
    for name in TEXT_FIELDS:
        value = data.texts.get(name, "")
        limit = MAX_LENGTHS.get(name, MAX_TEXT)
        if len(value) > limit:
            too_long[name] = f"texten är för lång: högst {limit} tecken (nu {len(value)})"
    for name in ("partners", "indicators"):
        if len(getattr(data, name)) > MAX_TEXT:
            too_long[name] = f"texten är för lång: högst {MAX_TEXT} tecken"
    for key, value in data.answers.items():
        if len(value) > MAX_TEXT:
            too_long[f"answers.{key}"] = f"svaret är för långt: högst {MAX_TEXT} tecken"
    for i, row in enumerate(data.budget):
        if len(row.get("description", "")) > MAX_DESCRIPTION:
            too_long[f"budget-{i}-description"] = f"beskrivningen är för lång: högst {MAX_DESCRIPTION} tecken"
    too_long.update(_forbidden(data))
    if too_long:
        raise DraftErrors(too_long)

    errors: dict[str, str] = {}
    before = snapshot(application)
    for name in TEXT_FIELDS:
        setattr(application, name, data.texts.get(name, "").strip())
    application.partners = _lines(data.partners)[:MAX_LIST_ITEMS]
    application.indicators = _lines(data.indicators)[:MAX_LIST_ITEMS]
    eligible = {str(g.id): g for g in application.call.goal_areas}
    application.goal_areas = [eligible[i] for i in dict.fromkeys(data.goal_areas) if i in eligible]
    start_date = _date(data.period_start, "period_start", errors)
    end_date = _date(data.period_end, "period_end", errors)
    if "period_start" not in errors:
        application.period_start = start_date
    if "period_end" not in errors:
        application.period_end = end_date
    continues = (data.continues_grant or "").strip()
    if not continues:
        application.continues_grant_id = None
    else:
        eligible_grants = {str(g.id) for g in continuable_grants(application)}
        if continues in eligible_grants:
            application.continues_grant_id = int(continues)
        else:
            errors["continues_grant_id"] = "välj ett av organisationens tidigare beviljade projekt"
    questions = {q["key"] for q in application.call.questions or []}
    application.answers = {k: v.strip() for k, v in data.answers.items() if k in questions}

    lines = []
    for i, row in enumerate(data.budget):
        year_text = (row.get("year") or "").strip()
        amount_text = (row.get("amount") or "").strip()
        description = (row.get("description") or "").strip()
        if not (amount_text or description):
            continue  # an empty row
        try:
            amount = parse_amount(amount_text) if amount_text else None
        except DomainError as error:
            errors[f"budget-{i}-amount"] = str(error)
            continue
        except Exception:  # noqa: BLE001 - any parse failure is a bad amount
            errors[f"budget-{i}-amount"] = "beloppet kunde inte läsas"
            continue
        if amount is None:
            errors[f"budget-{i}-amount"] = "ange ett belopp"
            continue
        if amount < 0:
            errors[f"budget-{i}-amount"] = "beloppet kan inte vara negativt"
            continue
        try:
            year = int(year_text)
            if not 2000 <= year <= 2100:
                raise ValueError
        except ValueError:
            errors[f"budget-{i}-year"] = "ange året med fyra siffror"
            continue
        try:
            category = BudgetCategory(row.get("category") or "")
        except ValueError:
            errors[f"budget-{i}-category"] = "välj en kostnadskategori"
            continue
        lines.append(ApplicationBudgetLine(year=year, category=category,
                                           description=description, amount=amount))
    application.budget_lines = lines
    db.session.flush()
    after = snapshot(application)
    if after != before:
        audit.record(actor, CallAction.APPLICATION_SAVE, "application", application.id,
                     summary=f"Sparade utkast {application.title or application.id}")
    return errors


def missing(application: Application):
    """What the application still lacks before it can be submitted."""
    call = application.call
    return missing_for_submission(
        snapshot(application),
        eligible_goal_areas={g.name for g in call.goal_areas},
        questions=call.questions or [],
        max_per_project=call.max_per_project,
    )


def submit(application: Application, actor: User, now: datetime) -> None:
    """Submit (or resubmit) the application: the call must be open and the form complete."""
    call = application.call
    ensure_pot_year_open(call)
    check_can_submit(call.state, call.opens_at, call.closes_at, now)
    check_application_transition(application.state, ApplicationState.SUBMITTED)
    lacking = missing(application)
    if lacking:
        raise DomainError("ansökan är inte komplett: " + "; ".join(m.message for m in lacking))
    resubmission = application.state is ApplicationState.RETURNED
    application.state = ApplicationState.SUBMITTED
    application.submitted_at = now
    version = save_version(application)
    db.session.flush()
    action = CallAction.APPLICATION_RESUBMIT if resubmission else CallAction.APPLICATION_SUBMIT
    audit.record(Actor.of(actor), action, "application", application.id,
                 summary=f"Skickade in {application.title} (version {version.version})")
    mail.queue_mail(actor.email, f"Kvitto: {application.title}", "receipt_application",
                    application=application, version=version.version, submitted_at=now)


def withdraw(application: Application, actor: Actor) -> None:
    """Withdraw an application that is not yet decided."""
    if application.state in DECIDED_STATES:
        raise DomainError("ansökan är redan beslutad och kan inte återtas")
    check_application_transition(application.state, ApplicationState.WITHDRAWN)
    before = application.state
    application.state = ApplicationState.WITHDRAWN
    db.session.flush()
    audit.record(actor, CallAction.APPLICATION_WITHDRAW, "application", application.id,
                 summary=f"Återtog {application.title or application.id}",
                 before={"state": before}, after={"state": application.state})


def goal_area_ids(application: Application) -> list[str]:
    return [str(g.id) for g in application.goal_areas]

