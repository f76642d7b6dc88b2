"""Rules of the project call: the states of calls and applications and what moves them, what
an application must hold before it is submitted, and what changed between two versions.

Plain Python: no Flask, no database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from app.core.errors import DomainError
from app.core.labels import LabelledEnum, LazyText, _l
from app.core.money import format_amount, parse_amount


class CallState(LabelledEnum):
    DRAFT = "draft", _l("Utkast")
    OPEN = "open", _l("Öppen")
    CLOSED = "closed", _l("Stängd")
    DECIDED = "decided", _l("Beslutad")


CALL_TRANSITIONS: dict[CallState, frozenset[CallState]] = {
    CallState.DRAFT: frozenset({CallState.OPEN}),
    CallState.OPEN: frozenset({CallState.CLOSED}),
    CallState.CLOSED: frozenset({CallState.DECIDED}),
    CallState.DECIDED: frozenset(),
}


class ApplicationState(LabelledEnum):
    DRAFT = "draft", _l("Utkast")
    SUBMITTED = "submitted", _l("Inskickad")
    UNDER_REVIEW = "under_review", _l("Under bedömning")
    RETURNED = "returned", _l("Återsänd för komplettering")
    GRANTED = "granted", _l("Beviljad")
    PARTLY_GRANTED = "partly_granted", _l("Delvis beviljad")
    REJECTED = "rejected", _l("Avslagen")
    WITHDRAWN = "withdrawn", _l("Återtagen")


A = ApplicationState
APPLICATION_TRANSITIONS: dict[ApplicationState, frozenset[ApplicationState]] = {
    A.DRAFT: frozenset({A.SUBMITTED, A.WITHDRAWN}),
    A.SUBMITTED: frozenset({A.UNDER_REVIEW, A.RETURNED, A.WITHDRAWN}),
    A.UNDER_REVIEW: frozenset({A.GRANTED, A.PARTLY_GRANTED, A.REJECTED, A.RETURNED, A.WITHDRAWN}),
    A.RETURNED: frozenset({A.SUBMITTED, A.WITHDRAWN}),
    A.GRANTED: frozenset(),
    A.PARTLY_GRANTED: frozenset(),
    A.REJECTED: frozenset(),
    A.WITHDRAWN: frozenset(),
}

DECIDED_STATES = frozenset({A.GRANTED, A.PARTLY_GRANTED, A.REJECTED})
EDITABLE_STATES = frozenset({A.DRAFT, A.RETURNED})
# What counts as applied for: everything sent in and not taken back.
APPLIED_STATES = (A.SUBMITTED, A.UNDER_REVIEW, A.RETURNED, *DECIDED_STATES)
# Sent in and not yet decided: a proposed amount counts, and may change, only in these.
UNDECIDED_STATES = (A.SUBMITTED, A.UNDER_REVIEW, A.RETURNED)


def was_sent_in(application) -> bool:
    """Whether the application has been sent in (it may since have been returned, decided or
    withdrawn): until then it is a draft, its applicants' own."""
    return application.state is not ApplicationState.DRAFT and application.submitted_at is not None


def may_read_application(user, application) -> bool:
    """Say whether `user` may read `application`: an applicant only their own organisation's,
    the region's staff every one that was sent in (never a draft, nor one withdrawn before it
    was sent)."""
    if user.is_applicant:
        return user.organisation_id == application.organisation_id
    return user.is_staff and was_sent_in(application)


def format_size(size: int) -> str:
    """Format a number of bytes as a person reads it: "10 MB", "1,5 MB", "300 kB"."""
    if size < 1024 * 1024:
        return f"{-(-size // 1024)}\u00a0kB"  # whole kB, rounded up: 1 byte is 1 kB
    text = f"{size / (1024 * 1024):.1f}".replace(".", ",").removesuffix(",0")
    return f"{text}\u00a0MB"


@dataclass(frozen=True)
class AttachmentLimits:
    """An application's attachments against their caps: what is used and what may be."""

    count: int
    total: int  # bytes of the files already attached
    max_count: int
    max_total: int
    max_bytes: int  # per file


def file_too_large(max_bytes: int) -> str:
    """Say that a file is larger than an attachment may be."""
    return _l("filen är större än %(most)s, den största storlek en bilaga får ha") % {
        "most": format_size(max_bytes)}


def check_attachment(limits: AttachmentLimits, size: int) -> str | None:
    """Return why a file of `size` bytes cannot be attached, or None."""
    if size > limits.max_bytes:
        return file_too_large(limits.max_bytes)
    if limits.count >= limits.max_count:
        return _l("en ansökan får ha högst %(most)s bilagor och den här har redan %(count)s; ta "
                  "bort en bilaga innan du laddar upp en ny") % {"most": limits.max_count,
                                                                 "count": limits.count}
    if limits.total + size > limits.max_total:
        return _l("bilagorna får tillsammans vara högst %(most)s; %(uploaded)s är redan "
                  "uppladdat och filen är %(size)s") % {"most": format_size(limits.max_total),
                                                        "uploaded": format_size(limits.total),
                                                        "size": format_size(size)}
    return None


def check_call_transition(current: CallState, target: CallState) -> None:
    """Raise DomainError unless a call may move from `current` to `target`."""
    if target not in CALL_TRANSITIONS[current]:
        raise DomainError(_l("en utlysning kan inte gå från ”%(current)s” till ”%(target)s”")
                          % {"current": current.label, "target": target.label})


def check_application_transition(current: ApplicationState, target: ApplicationState) -> None:
    """Raise DomainError unless an application may move from `current` to `target`."""
    if target not in APPLICATION_TRANSITIONS[current]:
        raise DomainError(_l("en ansökan kan inte gå från ”%(current)s” till ”%(target)s”")
                          % {"current": current.label, "target": target.label})


def is_open(state: CallState, opens_at: datetime, closes_at: datetime, now: datetime) -> bool:
    """Return whether a call takes submissions at `now` (all three times timezone-aware)."""
    return state is CallState.OPEN and opens_at <= now < closes_at


def check_can_submit(state: CallState, opens_at: datetime, closes_at: datetime,
                     now: datetime) -> None:
    """Raise DomainError unless an application to the call may be submitted at `now`."""
    if state is not CallState.OPEN or now < opens_at:
        raise DomainError(str(_l("utlysningen är inte öppen för ansökningar")))
    if now >= closes_at:
        raise DomainError(str(_l("utlysningen har stängt; ansökan kan inte längre skickas in")))


def check_call_times(opens_at: datetime, closes_at: datetime) -> None:
    """Raise DomainError unless the call closes after it opens."""
    if closes_at <= opens_at:
        raise DomainError(str(_l("utlysningen måste stänga efter att den öppnar")),
                          field="closes_at")


# --- an application's content -------------------------------------------------------------
# Applications are described as plain dicts here (see versions.snapshot).

# Field → the label the applicant sees, translated when shown.
FIELD_LABELS: dict[str, LazyText] = {
    "title": _l("Projektets namn"),
    "summary": _l("Sammanfattning"),
    "background": _l("Bakgrund"),
    "aim": _l("Syfte och förväntade resultat"),
    "target_group": _l("Målgrupp"),
    "goal_areas": _l("Målområden"),
    "owner": _l("Projektägare"),
    "partners": _l("Samverkanspartner"),
    "user_participation": _l("Brukarmedverkan"),
    "long_term_plan": _l("Plan för långsiktigt breddinförande"),
    "period_start": _l("Projektet börjar"),
    "period_end": _l("Projektet slutar"),
    "budget_lines": _l("Budget"),
    "indicators": _l("Indikatorer"),
    "amount_applied": _l("Sökt belopp"),
}
REQUIRED_TEXT = ("title", "summary", "background", "aim", "target_group", "owner",
                 "user_participation", "long_term_plan")
MAX_LENGTHS = {"title": 300, "owner": 300}
MAX_TEXT = 20_000


@dataclass(frozen=True)
class Missing:
    field: str
    message: str


def missing_for_submission(data: dict, *, eligible_goal_areas: set[str],
                           questions: list[dict], max_per_project: int | None) -> list[Missing]:
    """List what an application still lacks before it can be submitted (empty when complete).

    `data` is the application's snapshot (see versions.snapshot). The messages are in the
    reader's language, like every refusal of the domain.
    """
    missing: list[Missing] = []
    for field in REQUIRED_TEXT:
        if not str(data.get(field) or "").strip():
            missing.append(Missing(field, _l("%(field)s saknas") % {"field": FIELD_LABELS[field]}))
    areas = list(data.get("goal_areas") or [])
    if not areas:
        missing.append(Missing("goal_areas", str(_l("välj minst ett målområde"))))
    elif eligible_goal_areas and not set(areas) <= eligible_goal_areas:
        others = ", ".join(sorted(set(areas) - eligible_goal_areas))
        missing.append(Missing("goal_areas", _l("målområdet %(areas)s ingår inte i utlysningen")
                               % {"areas": others}))
    if not data.get("partners"):
        missing.append(Missing("partners", str(_l("ange minst en samverkanspartner"))))
    start, end = data.get("period_start"), data.get("period_end")
    if not start or not end:
        missing.append(Missing("period_start",
                               str(_l("ange projektets period (början och slut)"))))
    elif end < start:
        missing.append(Missing("period_end", str(_l("projektet kan inte sluta innan det börjar"))))
    lines = data.get("budget_lines") or []
    total = sum(int(line["amount"]) for line in lines)
    if not lines or total <= 0:
        missing.append(Missing("budget_lines", str(_l("fyll i budgeten: minst en kostnadsrad"))))
    elif max_per_project is not None and total > max_per_project:
        missing.append(Missing(
            "budget_lines",
            _l("sökt belopp %(applied)s är mer än utlysningens högsta belopp per projekt, "
               "%(most)s") % {"applied": format_amount(total, unit=True),
                              "most": format_amount(max_per_project, unit=True)},
        ))
    if not data.get("indicators"):
        missing.append(Missing("indicators",
                               str(_l("ange minst en indikator som projektet rapporterar"))))
    answers = data.get("answers") or {}
    for question in questions:
        if question.get("required") and not str(answers.get(question["key"], "")).strip():
            missing.append(Missing(f"answers.{question['key']}", _l("svara på frågan: %(question)s")
                                   % {"question": question["text"]}))
    return missing


ANSWERS_LABEL = _l("Svar på frågor")


@dataclass(frozen=True)
class Change:
    field: str
    label: LazyText
    before: str
    after: str


def indicator_name(value) -> str:
    """An indicator as text: its name (a draft keeps a name, an older one {"name": …})."""
    return str(value.get("name", value)) if isinstance(value, dict) else str(value)


def _show(field: str, value) -> str:
    if value is None or value == "" or value == []:
        return "–"
    if field == "budget_lines":
        return "; ".join(
            f"{line['year']} {line['category']}: {line.get('description') or ''} "
            f"{format_amount(int(line['amount']), unit=True)}".replace("  ", " ")
            for line in value
        )
    if field == "indicators":
        return "; ".join(indicator_name(i) for i in value)
    if field == "amount_applied":
        return format_amount(int(value), unit=True)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in sorted(value.items()))
    return str(value)


def diff_versions(before: dict, after: dict) -> list[Change]:
    """List the fields that differ between two snapshots of an application, in form order."""
    fields = list(FIELD_LABELS) + ["answers"]
    changes = []
    for field in fields:
        old, new = before.get(field), after.get(field)
        if (old or None) != (new or None):
            changes.append(Change(field, FIELD_LABELS.get(field, ANSWERS_LABEL),
                                  _show(field, old), _show(field, new)))
    return changes


# --- reading a draft's budget and dates as typed -------------------------------------------

BUDGET_KEYS = ("year", "category", "description", "amount")


@dataclass(frozen=True)
class BudgetRow:
    """One budget row of a draft that could be read: its place among the typed rows, and
    its values."""

    position: int
    year: int
    category: str
    description: str
    amount: int


def row_is_empty(row: dict) -> bool:
    """Tell whether a typed budget row holds nothing (an amount or a description)."""
    return not ((row.get("amount") or "").strip() or (row.get("description") or "").strip())


def read_budget_rows(rows: list[dict], categories: set[str]) -> tuple[list[BudgetRow],
                                                                        dict[str, str]]:
    """Read the budget rows as typed: those that can be read, and for each that cannot, the
    message at its field (`budget-<i>-amount`, `-year` or `-category`) naming its row.

    Empty rows are skipped. A row that cannot be read is left out of the budget, never
    changed: the caller keeps it as typed.
    """
    read: list[BudgetRow] = []
    errors: dict[str, str] = {}
    for i, row in enumerate(rows):
        if row_is_empty(row):
            continue
        # Each message starts with its place, "rad 2, belopp:", which error_places names.
        amount_text = (row.get("amount") or "").strip()
        if not amount_text:
            errors[f"budget-{i}-amount"] = _l("rad %(row)s, belopp: ange ett belopp") % {
                "row": i + 1}
            continue
        try:
            amount = parse_amount(amount_text)
        except DomainError as error:
            errors[f"budget-{i}-amount"] = _l("rad %(row)s, belopp: %(error)s") % {
                "row": i + 1, "error": error}
            continue
        year_text = (row.get("year") or "").strip()
        if not (year_text.isdigit() and 2000 <= int(year_text) <= 2100):
            errors[f"budget-{i}-year"] = _l("rad %(row)s, år: ange året med fyra siffror") % {
                "row": i + 1}
            continue
        category = row.get("category") or ""
        if category not in categories:
            errors[f"budget-{i}-category"] = (
                _l("rad %(row)s, kategori: välj en kostnadskategori") % {"row": i + 1})
            continue
        read.append(BudgetRow(i, int(year_text), category,
                              (row.get("description") or "").strip(), amount))
    return read, errors


def typed_rows(rows: list[dict]) -> list[dict]:
    """The typed budget rows up to the last one that holds something, every value as text
    (empty rows between are kept, so a row keeps its number)."""
    kept = [{key: str(row.get(key) or "") for key in BUDGET_KEYS} for row in rows]
    while kept and row_is_empty(kept[-1]):
        kept.pop()
    return kept


DATE_FORMAT_TEXT = _l("ange datumet som ÅÅÅÅ-MM-DD")


def read_date(text: str) -> tuple[date | None, str | None]:
    """Read a date typed as ÅÅÅÅ-MM-DD: (the date or None when empty, the error or None)."""
    text = (text or "").strip()
    if not text:
        return None, None
    try:
        return date.fromisoformat(text), None
    except ValueError:
        return None, str(DATE_FORMAT_TEXT)


UNREAD_DATES = ("period_start", "period_end")


def unread_errors(unread: dict | None, categories: set[str]) -> dict[str, str]:
    """The messages, by field, of what a draft holds as typed because it could not be read."""
    unread = unread or {}
    errors: dict[str, str] = {}
    for name in UNREAD_DATES:
        if name in unread:
            errors[name] = read_date(unread[name])[1] or str(DATE_FORMAT_TEXT)
    if unread.get("budget"):
        errors.update(read_budget_rows(unread["budget"], categories)[1])
    return errors


CONTINUES_LABEL = _l("Fortsätter ett tidigare projekt")


def error_places(errors: dict[str, str]) -> str:
    """Name where each error of a draft is, for a sentence: "rad 2, belopp; Projektet börjar"."""
    places = []
    for name, message in errors.items():
        if name.startswith("budget-"):
            places.append(message.split(":", 1)[0])
        else:
            label = FIELD_LABELS.get(name) or (CONTINUES_LABEL if name == "continues_grant_id"
                                               else None)
            places.append(str(label) if label is not None else name)
    return "; ".join(places)
