"""Operations on applications: start, save a draft, submit (a returned one again), withdraw.

Each flushes and writes the audit log; the request's unit of work commits. `now` is passed in so the closing
time can be tested with a frozen clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _

from app.accounts.models import User
from app.accounts.tokens import site_url
from app.call.models import Application, ApplicationBudgetLine, BudgetCategory, Call, CallAction
from app.call.queries import continuable_grants
from app.call.rules import (
    DECIDED_STATES,
    EDITABLE_STATES,
    MAX_LENGTHS,
    MAX_TEXT,
    UNREAD_DATES,
    ApplicationState,
    Missing,
    check_application_transition,
    check_can_submit,
    indicator_name,
    is_open,
    missing_for_submission,
    read_budget_rows,
    read_date,
    typed_rows,
    unread_errors,
)
from app.call.versions import save_version, snapshot
from app.core import audit, mail
from app.core.audit import Actor
from app.core.errors import DomainError
from app.core.money import format_amount
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


def draft_input_of(application: Application) -> DraftInput:
    """The draft as its form posts it back unchanged: what it holds, with what it keeps as
    typed (a date, the budget rows) in place of the saved value while that could not be read.

    Saved again as it is, it keeps everything, `unread` too; the web's form shows it and the
    API's PATCH lays what a request gives over it.
    """
    unread = application.unread or {}
    saved_rows = [{"year": str(line.year), "category": line.category.value,
                   "description": line.description, "amount": format_amount(line.amount)}
                  for line in application.budget_lines]
    dates = {name: unread.get(name) or _date_text(getattr(application, name))
             for name in UNREAD_DATES}
    return DraftInput(
        texts={name: getattr(application, name) or "" for name in TEXT_FIELDS},
        partners="\n".join(application.partners or []),
        indicators="\n".join(indicator_name(i) for i in application.indicators or []),
        goal_areas=goal_area_ids(application),
        period_start=dates["period_start"], period_end=dates["period_end"],
        budget=[dict(row) for row in unread.get("budget") or []] or saved_rows,
        answers=dict(application.answers or {}),
        continues_grant=str(application.continues_grant_id or ""))


def _date_text(value: date | None) -> str:
    return value.isoformat() if value else ""


def start(call: Call, actor: User, now: datetime) -> Application:
    """Start a draft application of the actor's organisation to an open call."""
    if not actor.is_applicant or actor.organisation_id is None:
        raise DomainError(_("bara sökande kan ansöka"))
    ensure_pot_year_open(call)
    if not is_open(call.state, call.opens_at, call.closes_at, now):
        raise DomainError(_("utlysningen är inte öppen för ansökningar"))
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
        raise DomainError(_("utlysningens pengar hör till %(year)s, som är stängt; utlysningen tar "
                            "inte emot fler ansökningar", year=year))


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _check_editable(application: Application) -> None:
    if application.state not in EDITABLE_STATES:
        raise DomainError(_("ansökan är inskickad och kan inte ändras"))


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
    changed). A malformed amount or date is left out of what the application holds, kept as
    typed in `unread` and reported, while everything else is saved.
    """
    _check_editable(application)
    too_long: dict[str, str] = {}
    for name in TEXT_FIELDS:
        value = data.texts.get(name, "")
        limit = MAX_LENGTHS.get(name, MAX_TEXT)
        if len(value) > limit:
            too_long[name] = _("texten är för lång: högst %(most)s tecken (nu %(count)s)",
                               most=limit, count=len(value))
    for name in ("partners", "indicators"):
        if len(getattr(data, name)) > MAX_TEXT:
            too_long[name] = _("texten är för lång: högst %(most)s tecken", most=MAX_TEXT)
    for key, value in data.answers.items():
        if len(value) > MAX_TEXT:
            too_long[f"answers.{key}"] = _("svaret är för långt: högst %(most)s tecken",
                                           most=MAX_TEXT)
    for i, row in enumerate(data.budget):
        if len(row.get("description", "")) > MAX_DESCRIPTION:
            too_long[f"budget-{i}-description"] = _(
                "beskrivningen är för lång: högst %(most)s tecken", most=MAX_DESCRIPTION)
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
    unread: dict = {}
    for name in UNREAD_DATES:
        typed = getattr(data, name)
        value, problem = read_date(typed)
        if problem:
            errors[name] = problem
            unread[name] = typed.strip()  # kept as typed; the saved date stays as it was
        else:
            setattr(application, name, value)
    continues = (data.continues_grant or "").strip()
    if not continues:
        application.continues_grant_id = None
    else:
        eligible_grants = {str(g.id) for g in continuable_grants(application)}
        if continues in eligible_grants:
            application.continues_grant_id = int(continues)
        else:
            errors["continues_grant_id"] = _("välj ett av organisationens tidigare beviljade "
                                             "projekt")
    questions = {q["key"] for q in application.call.questions or []}
    application.answers = {k: v.strip() for k, v in data.answers.items() if k in questions}

    rows, budget_errors = read_budget_rows(data.budget, {c.value for c in BudgetCategory})
    if budget_errors:
        # The rows that can be read are saved; every typed row is kept as typed beside them,
        # so a row with a bad amount keeps its description and comes back marked.
        errors.update(budget_errors)
        unread["budget"] = typed_rows(data.budget)
    application.unread = unread or None
    lines = [ApplicationBudgetLine(year=row.year, category=BudgetCategory(row.category),
                                   description=row.description, amount=row.amount)
             for row in rows]
    application.budget_lines = lines
    db.session.flush()
    after = snapshot(application)
    if after != before:
        audit.record(actor, CallAction.APPLICATION_SAVE, "application", application.id,
                     summary=f"Sparade utkast {application.title or application.id}")
    return errors


def missing(application: Application) -> list[Missing]:
    """What the application still lacks before it can be submitted: what the rules ask for,
    then every value kept as typed because it could not be read."""
    call = application.call
    lacking = missing_for_submission(
        snapshot(application),
        eligible_goal_areas={g.name for g in call.goal_areas},
        questions=call.questions or [],
        max_per_project=call.max_per_project,
    )
    return lacking + [Missing(name, message)
                      for name, message in draft_errors(application).items()]


def draft_errors(application: Application) -> dict[str, str]:
    """The messages, by field, of what the draft keeps as typed because it could not be read."""
    return unread_errors(application.unread, {c.value for c in BudgetCategory})


def submit(application: Application, actor: User, now: datetime) -> None:
    """Submit (or resubmit) the application: the call must be open and the form complete."""
    call = application.call
    ensure_pot_year_open(call)
    check_can_submit(call.state, call.opens_at, call.closes_at, now)
    check_application_transition(application.state, ApplicationState.SUBMITTED)
    lacking = missing(application)
    if lacking:
        raise DomainError(_("ansökan är inte komplett: %(missing)s",
                            missing="; ".join(m.message for m in lacking)))
    resubmission = application.state is ApplicationState.RETURNED
    application.state = ApplicationState.SUBMITTED
    application.submitted_at = now
    version = save_version(application)
    db.session.flush()
    action = CallAction.APPLICATION_RESUBMIT if resubmission else CallAction.APPLICATION_SUBMIT
    audit.record(Actor.of(actor), action, "application", application.id,
                 summary=f"Skickade in {application.title} (version {version.version})")
    mail.queue_mail(actor.email, f"Kvitto: {application.title}", "receipt_application",
                    application=application, version=version.version, submitted_at=now,
                    link=site_url("applications.version", app_id=application.id,
                                  version=version.version))


def withdraw(application: Application, actor: Actor) -> None:
    """Withdraw an application that is not yet decided."""
    if application.state in DECIDED_STATES:
        raise DomainError(_("ansökan är redan beslutad och kan inte återtas"))
    check_application_transition(application.state, ApplicationState.WITHDRAWN)
    before = application.state
    application.state = ApplicationState.WITHDRAWN
    db.session.flush()
    audit.record(actor, CallAction.APPLICATION_WITHDRAW, "application", application.id,
                 summary=f"Återtog {application.title or application.id}",
                 before={"state": before}, after={"state": application.state})


def goal_area_ids(application: Application) -> list[str]:
    return [str(g.id) for g in application.goal_areas]

