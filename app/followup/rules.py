"""Rules of project follow-up: the states of reports and projects, what a report's results may
hold, and what flows back when a project closes.

Plain Python: the operations load and save, these rules decide.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from app.core.errors import DomainError
from app.core.labels import LabelledEnum, _l
from app.core.money import format_amount
from app.ledger.rules import GrantMoney


class ReportKind(LabelledEnum):
    INTERIM = "interim", _l("Delrapport")
    FINAL = "final", _l("Slutrapport")

    @property
    def word(self) -> str:
        """The kind as a Swedish word inside a sentence of the audit log or an e-mail."""
        return "slutrapport" if self is ReportKind.FINAL else "delrapport"


class ReportState(LabelledEnum):
    DRAFT = "draft", _l("Ej inlämnad")  # expected or being written by the project
    SUBMITTED = "submitted", _l("Inlämnad")
    RETURNED = "returned", _l("Återsänd för komplettering")  # sent back for completion
    APPROVED = "approved", _l("Godkänd")


R = ReportState
REPORT_TRANSITIONS: dict[ReportState, frozenset[ReportState]] = {
    R.DRAFT: frozenset({R.SUBMITTED}),
    R.SUBMITTED: frozenset({R.RETURNED, R.APPROVED}),
    R.RETURNED: frozenset({R.SUBMITTED}),
    R.APPROVED: frozenset(),
}
#: The states in which the project may still write its report.
EDITABLE_STATES = frozenset({R.DRAFT, R.RETURNED})
#: The states in which a report counts as handed in (a returned one is back with the project).
HANDED_IN_STATES = frozenset({R.SUBMITTED, R.APPROVED})


class Rating(LabelledEnum):
    """The action plan's five-level assessment of a result."""

    POSITIVE = "positive", _l("Positiv utveckling")
    PARTLY_POSITIVE = "partly_positive", _l("Delvis positiv utveckling")
    WORSENED = "worsened", _l("Försämrat resultat")
    REMOVE = "remove", _l("Målet ska tas bort")
    KEEP = "keep", _l("Målet ska kvarstå")


def check_report_editable(state: ReportState, project_closed: bool) -> None:
    """Refuse a change to a report the project may no longer write."""
    if project_closed:
        raise DomainError(str(_l("projektet är avslutat; rapporter kan inte längre ändras")))
    if state not in EDITABLE_STATES:
        raise DomainError(str(_l("rapporten är inlämnad och kan inte ändras; be samordnaren "
                                 "återsända den")))


def may_move(state: ReportState, target: ReportState) -> bool:
    """Whether a report in `state` may move to `target`."""
    return target in REPORT_TRANSITIONS[state]


# --- the state of a project -----------------------------------------------------------------

class ProjectState(LabelledEnum):
    """Where a granted project is in its life, in that order."""

    RUNNING = "running", _l("pågår")
    FINAL_SUBMITTED = "final_submitted", _l("slutrapport inlämnad")
    CLOSED = "closed", _l("avslutat")


#: A project's state from two facts: (is it closed, is its final report handed in).
PROJECT_STATES: dict[tuple[bool, bool], ProjectState] = {
    (True, True): ProjectState.CLOSED,
    (True, False): ProjectState.CLOSED,
    (False, True): ProjectState.FINAL_SUBMITTED,
    (False, False): ProjectState.RUNNING,
}


def project_state(closed: bool, final_report_in: bool) -> ProjectState:
    """The state of a project that is (or is not) closed and has (or has not) handed in its
    final report."""
    return PROJECT_STATES[(bool(closed), bool(final_report_in))]


# --- indicators and results -----------------------------------------------------------------

RESULT_KINDS = ("count", "yes_no", "percent")
SPLIT_KEYS = ("women", "men", "girls", "boys")
SPLIT_LABELS = {"women": _l("Kvinnor"), "men": _l("Män"), "girls": _l("Flickor"), "boys": _l("Pojkar")}
# How the application form marks an indicator that is not a count: by the line's ending.
_INDICATOR_ENDINGS = (("(%)", "percent"), ("(ja/nej)", "yes_no"), ("(ja / nej)", "yes_no"))


def indicator_from_text(text: str) -> dict:
    """Read an indicator as the application form writes it, one per line: "Andel nöjda (%)"
    is a percentage, "Finns en rutin? (ja/nej)" a yes/no question, anything else a count,
    which the project may split by women/men and girls/boys."""
    name = text.strip()
    lowered = name.lower()
    for suffix, kind in _INDICATOR_ENDINGS:
        if lowered.endswith(suffix):
            return {"name": name[: -len(suffix)].strip() or name, "kind": kind, "split": False}
    return {"name": name, "kind": "count", "split": True}


def report_questions(indicators: list) -> list[dict]:
    """The results a new report asks for: one per indicator of the application, empty."""
    read = [ind if isinstance(ind, dict) else indicator_from_text(str(ind))
            for ind in indicators or []]
    return [{"name": ind.get("name", ""), "kind": ind.get("kind", "count"), "value": None,
             "split": bool(ind.get("split"))} for ind in read]


def granted_budget(applied: list[int], granted: int) -> list[int]:
    """Spread the granted amount over the applied budget lines in proportion to what each
    asked for, in whole öre that add up to exactly the grant.

    The remainders of the rounding go, one öre each, to the lines with the largest fractions
    (the first of equal ones), so a line is never off by more than one öre from its share.
    Lines that asked for nothing get nothing; with nothing asked at all the first line holds
    the grant.
    """
    if not applied:
        return []
    asked = sum(applied)
    if asked <= 0:
        return [granted] + [0] * (len(applied) - 1)
    shares = [divmod(amount * granted, asked) for amount in applied]
    spread = [whole for whole, _ in shares]
    left = granted - sum(spread)
    by_fraction = sorted(range(len(applied)), key=lambda i: (-shares[i][1], i))
    for i in by_fraction[:left]:
        spread[i] += 1
    return spread


@dataclass
class ReportLineInput:
    label: str
    used: int
    budgeted: int | None = None


@dataclass
class ResultInput:
    """One result against an indicator. `value` is an int (count), a bool (yes/no) or a
    Decimal (percent); the split counts are optional."""

    name: str
    kind: str
    value: int | bool | Decimal | None
    women: int | None = None
    men: int | None = None
    girls: int | None = None
    boys: int | None = None


@dataclass
class ReportInput:
    lines: list[ReportLineInput] = field(default_factory=list)
    to_return: int = 0
    text: str = ""
    results: list[ResultInput] = field(default_factory=list)


NEGATIVE_RETURN = _l("att återbetala kan inte vara ett negativt belopp")
NEGATIVE_USED = _l("förbrukat kan inte vara ett negativt belopp")
PERCENT_TEXT = _l("%(place)s: ange en procentsats mellan 0 och 100")


def check_report_money(data: ReportInput) -> None:
    """Refuse negative money in what the project has written (a draft may be incomplete)."""
    if data.to_return < 0:
        raise DomainError(str(NEGATIVE_RETURN))
    for line in data.lines:
        if line.used < 0:
            raise DomainError(_l("%(line)s: förbrukat kan inte vara ett negativt belopp")
                              % {"line": line.label})


def _count_result(r: ResultInput, place: str, row: dict) -> None:
    if r.value is not None:
        if isinstance(r.value, bool) or int(r.value) != r.value or r.value < 0:
            raise DomainError(_l("%(place)s: ange ett antal, ett heltal som inte är negativt")
                              % {"place": place})
        row["value"] = int(r.value)
    parts = {k: getattr(r, k) for k in SPLIT_KEYS if getattr(r, k) is not None}
    for key, part in parts.items():
        if part < 0:
            raise DomainError(_l("%(place)s: antalen per kön kan inte vara negativa")
                              % {"place": place})
        row[key] = int(part)
    if parts and row["value"] is not None and sum(parts.values()) > row["value"]:
        raise DomainError(
            _l("%(place)s: kvinnor, män, flickor och pojkar är tillsammans %(parts)s, fler än "
               "totalen %(total)s") % {"place": place, "parts": sum(parts.values()),
                                       "total": row["value"]}
        )
    if parts and row["value"] is None:
        row["value"] = sum(parts.values())


def _percent_result(r: ResultInput, place: str, row: dict) -> None:
    if r.value is None:
        return
    try:
        value = Decimal(str(r.value))
    except InvalidOperation:
        raise DomainError(PERCENT_TEXT % {"place": place}) from None
    if not Decimal(0) <= value <= Decimal(100):
        raise DomainError(PERCENT_TEXT % {"place": place})
    # A whole percentage is stored without decimals: 100, not 100.0 (nor normalize()'s 1E+2).
    row["value"] = str(value.to_integral() if value == value.to_integral() else value)


def clean_results(results: list[ResultInput]) -> list[dict]:
    """Check each result against its kind and return them as the report stores them; refuse
    the first that cannot be right."""
    out = []
    for n, r in enumerate(results, start=1):
        place = _l("resultat %(number)s (%(name)s)") % {"number": n, "name": r.name}
        if r.kind not in RESULT_KINDS:
            raise DomainError(_l("%(place)s: okänd sorts indikator") % {"place": place})
        row: dict = {"name": r.name.strip()[:300], "kind": r.kind, "value": None}
        if r.kind == "count":
            _count_result(r, place, row)
        elif r.kind == "yes_no":
            row["value"] = None if r.value is None else bool(r.value)
        else:
            _percent_result(r, place, row)
        out.append(row)
    return out


# --- closing a project ----------------------------------------------------------------------

def flows_back(granted: int, used: int) -> int:
    """What a closing project gives back to its allocation: all it did not use, whether never
    paid out or paid back."""
    return granted - used


def return_sources(to_return: int, own_id: int, paid_by: dict[int, int]) -> list[tuple[int, int]]:
    """Split the money a project pays back over the allocations that paid it: its own first,
    then the others in id order, each at most what it paid. Returns (allocation id, amount)."""
    paid_by = dict(paid_by)
    sources = [(own_id, paid_by.pop(own_id, 0))] + sorted(paid_by.items())
    left, out = to_return, []
    for allocation_id, paid in sources:
        if left <= 0:
            break
        amount = min(left, paid)
        if amount <= 0:
            continue
        out.append((allocation_id, amount))
        left -= amount
    return out


def check_final_report(money: GrantMoney, used: int, to_return: int) -> str | None:
    """Return why a final report with these figures cannot be approved, or None."""
    if used < 0 or to_return < 0:
        return str(_l("förbrukat och att återbetala kan inte vara negativa"))
    if used + to_return == money.paid:
        return None
    figures = {"used": format_amount(used, unit=True),
               "to_return": format_amount(to_return, unit=True),
               "paid": format_amount(money.paid, unit=True)}
    if used + to_return > money.paid:
        return _l("förbrukat %(used)s och att återbetala %(to_return)s ska tillsammans vara det "
                  "utbetalda %(paid)s; betala ut det som saknas innan slutrapporten godkänns"
                  ) % figures
    return _l("förbrukat %(used)s och att återbetala %(to_return)s ska tillsammans vara det "
              "utbetalda %(paid)s") % figures



def check_report_figures(granted: int, used: int, to_return: int) -> str | None:
    """Return why a project report's money does not add up, or None (checked when submitted)."""
    if to_return < 0:
        return str(NEGATIVE_RETURN)
    if used < 0:
        return str(NEGATIVE_USED)
    if used > granted:
        return _l("förbrukat %(used)s är mer än beviljat %(granted)s") % {
            "used": format_amount(used, unit=True), "granted": format_amount(granted, unit=True)}
    return None
