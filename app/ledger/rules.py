"""The ledger's rules in plain Python: what an allocation has and uses, what a call line may
grant, and what a granted project may be paid.

No Flask and no SQLAlchemy here: the operations load the figures and ask these functions, so
each rule can be read, and tested, on its own.

A grant draws on its call line's pool in the allocation of the call (its *own* allocation).
While the project runs, the whole grant is committed there, except what another fund has paid
for it. When a coordinator approves the final report the project closes: its own allocation
then bears only what it really paid (payments less refunds), and the rest, money returned and
money never paid out, flows back into that allocation's remainder. A payment from another fund
is that fund's outcome, never both funds'.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from datetime import date

from app.core.labels import LabelledEnum, _l
from app.core.money import format_amount


class LineKind(LabelledEnum):
    """What a line of an allocation is."""

    ACTIVITY = "activity", _l("Aktivitet")
    CALL = "call", _l("Utlysning")  # a pool that projects are granted from
    TRANSFER = "transfer", _l("Överföring")  # covers the deficit of another fund


class RemainderRule(LabelledEnum):
    """What happens to an allocation's remainder when its year closes (each earmark has one)."""

    CARRY_OVER = "carry_over", _l("Förs över till nästa år")  # the county's practice
    PAY_BACK = "pay_back", _l("Betalas tillbaka till staten")


class BudgetStatus(LabelledEnum):
    """Whether an allocation's budget is decided (the exchange format's `status`)."""

    PRELIMINARY = "preliminary", _l("Preliminär")
    DECIDED = "decided", _l("Beslutad")


# Who holds the money (the exchange format's `recipient`); any other value names a principal.
COUNTY = "county"  # the county-level funds that the coordinators manage
REGION = "region"  # the region's own share of an agreement
MUNICIPALITIES = "municipalities"  # the municipalities' share
RECIPIENTS = (COUNTY, REGION, MUNICIPALITIES)


def default_spend_until(year: int) -> dt.date:
    """The funds of year Y are spent in Y and Y+1 ("förbrukas 2020–2021")."""
    return dt.date(year + 1, 12, 31)


def default_report_due(grant_year: int) -> dt.date:
    """A project's final report is due at the end of the year after its grant's year
    ("följs upp i slutet av 2022")."""
    return dt.date(grant_year + 1, 12, 31)


class Basis(enum.StrEnum):
    """Which figure of a line counts: the budget (a budget report) or the outcome (follow-up)."""

    BUDGET = "budget"
    OUTCOME = "outcome"


@dataclass(frozen=True)
class Balance:
    """The money of one allocation on one basis, all in öre."""

    received: int
    carried_in: int
    covered: int  # transfers from other allocations that cover this one's deficit
    used: int  # own lines, own transfer lines included
    unset_lines: int = 0  # lines with no figure on this basis
    # What projects of this fund's closed earlier years did not use, released into this year.
    returned_in: int = 0

    @property
    def available(self) -> int:
        return self.received + self.carried_in + self.returned_in + self.covered

    @property
    def result(self) -> int:
        """What is left (positive) or missing (negative)."""
        return self.available - self.used

    @property
    def deficit(self) -> int:
        return max(0, -self.result)

    @property
    def remainder(self) -> int:
        return max(0, self.result)


def stated_total_basis(has_outcome: bool) -> Basis:
    """Return the basis a source's stated TOTALT is of: a follow-up states the outcome, a
    budget (no line has an outcome yet) the budget."""
    return Basis.OUTCOME if has_outcome else Basis.BUDGET


def unbudgeted_parts(result: int, arrived: int) -> tuple[int, int]:
    """Split what no budget line uses (`result` on the budget basis) into carried-in money
    (`arrived`: carried over and returned by closed projects) and received money."""
    left = max(0, result)
    carried = min(max(0, arrived), left)
    return carried, left - carried


def line_lacks_outcome(budget: int | None, outcome: int | None) -> bool:
    """A line budgeted but with no outcome: closing its year would carry its budget over."""
    return budget is not None and outcome is None


def line_figure(budget: int | None, spent: int | None, basis: Basis) -> int | None:
    """Return the figure of a line that counts on the basis (None when the line has none)."""
    return budget if basis is Basis.BUDGET else spent


def call_pool(budget: int | None, spent: int | None) -> int | None:
    """Return the amount that bounds a call's grants: the outcome, else the budget."""
    return spent if spent is not None else budget


def unallocated_call_money(pool: int | None, granted: int) -> int:
    """Return what of a call's pool no grant uses (never negative by the import rule)."""
    return (pool or 0) - granted


def check_grants_within_pool(pool: int | None, granted: int) -> str | None:
    """Return why grants summing to `granted` do not fit the pool, or None when they do."""
    if granted > (pool or 0):
        return _l("beviljade projekt summerar till %(granted)s, mer än utlysningens %(pool)s") % {
            "granted": format_amount(granted, unit=True),
            "pool": format_amount(pool or 0, unit=True)}
    return None


def closing_refusal(deficits: dict[str, int]) -> str | None:
    """Return why a year cannot close given each fund's uncovered deficit, or None."""
    open_deficits = {label: d for label, d in deficits.items() if d > 0}
    if not open_deficits:
        return None
    parts = ", ".join(
        _l("%(fund)s har ett underskott på %(deficit)s")
        % {"fund": label, "deficit": format_amount(d, unit=True)}
        for label, d in sorted(open_deficits.items())
    )
    return _l("%(deficits)s som ingen annan fond täcker. Lägg till en överföringsrad (kind: "
              "transfer) som täcker underskottet innan året stängs.") % {"deficits": parts}


def missing_outcomes_refusal(labels: list[str]) -> str | None:
    """Return why a year cannot close while lines have a budget but no outcome, or None."""
    if not labels:
        return None
    return _l("%(count)s rader har budget men inget utfall: %(lines)s. Ange utfallen, eller "
              "godta dem uttryckligen som 0 kr använt (--accept-missing-outcomes), innan året "
              "stängs.") % {"count": len(labels), "lines": "; ".join(labels)}


# --- budget versions ----------------------------------------------------------------------

@dataclass(frozen=True)
class BudgetRow:
    """A line of a budget version as compared: `key` follows one line across versions."""

    key: str
    activity: str
    goal_area: str | None
    budget: int | None


@dataclass(frozen=True)
class BudgetChange:
    """What changed in one line between two versions of a budget."""

    activity: str
    before: BudgetRow | None  # None: the line is new
    after: BudgetRow | None  # None: the line was removed

    @property
    def difference(self) -> int:
        return ((self.after.budget or 0) if self.after else 0) - (
            (self.before.budget or 0) if self.before else 0)

    @property
    def goal_area_changed(self) -> bool:
        return bool(self.before and self.after
                    and self.before.goal_area != self.after.goal_area)


def budget_changes(before: list[BudgetRow], after: list[BudgetRow]) -> list[BudgetChange]:
    """Return the lines whose budget or goal area differ between two versions, in the later
    version's order, then the removed ones."""
    old = {row.key: row for row in before}
    changes = []
    for row in after:
        was = old.pop(row.key, None)
        if was is None or was.budget != row.budget or was.goal_area != row.goal_area:
            changes.append(BudgetChange(row.activity, was, row))
    changes.extend(BudgetChange(row.activity, row, None) for row in old.values())
    return changes


# --- the money of a granted project -------------------------------------------------------

@dataclass(frozen=True)
class GrantMoney:
    """The approved money of one grant, all in öre."""

    amount: int  # granted
    paid_own: int = 0  # paid from the grant's own allocation, less refunds to it
    paid_other: int = 0  # paid from other allocations, less refunds to them
    paid_gross: int = 0  # approved payments, before refunds
    refunded: int = 0  # approved refunds
    closed: bool = False
    # Closed after its own year was: what it did not use went into a later open year.
    released_elsewhere: bool = False

    @property
    def paid(self) -> int:
        """Net paid: what the project has and keeps (payments less refunds)."""
        return self.paid_own + self.paid_other

    @property
    def not_paid(self) -> int:
        """What may still be paid out: granted less net paid."""
        return self.amount - self.paid

    @property
    def never_paid(self) -> int:
        """Granted money that was never paid out (refunds do not count as unpaid)."""
        return self.amount - self.paid_gross

    @property
    def released(self) -> int:
        """What flows back into the own allocation: nothing until the project is closed."""
        return self.amount - self.paid if self.closed else 0

    @property
    def charged_own(self) -> int:
        """What the grant's own allocation counts as used for it. A closed year is frozen: a
        project that closed after it keeps its whole grant there, less other funds' payments,
        and what it did not use counts in the later year it was released into."""
        if self.closed and not self.released_elsewhere:
            return self.paid_own
        return self.amount - self.paid_other


def call_line_outcome(spent: int | None, grants: list[GrantMoney]) -> int | None:
    """Return a call line's outcome: its stated outcome (else the sum of its grants) less what
    its grants did not charge to it (released money, other funds' payments)."""
    if spent is None and not grants:
        return None
    base = spent if spent is not None else sum(g.amount for g in grants)
    return base - sum(g.amount - g.charged_own for g in grants)


def check_payment(money: GrantMoney, pending: int, amount: int) -> str | None:
    """Return why a payment of `amount` cannot be registered, or None.

    `pending` is what other registered payments, not yet approved, would add.
    """
    if amount <= 0:
        return str(_l("beloppet måste vara större än noll"))
    if money.closed:
        return str(_l("projektet är avslutat; inget mer kan betalas ut"))
    room = money.amount - money.paid - pending
    if amount <= room:
        return None
    figures = {"granted": format_amount(money.amount, unit=True),
               "paid": format_amount(money.paid, unit=True),
               "pending": format_amount(pending, unit=True),
               "room": format_amount(max(room, 0), unit=True)}
    if pending:
        return _l("utbetalt skulle bli mer än beviljat (%(granted)s): utbetalt %(paid)s, väntar "
                  "på attest %(pending)s; högst %(room)s kan betalas ut") % figures
    return _l("utbetalt skulle bli mer än beviljat (%(granted)s): utbetalt %(paid)s; högst "
              "%(room)s kan betalas ut") % figures


def check_requisition_payment(requested: int, registered: int, amount: int) -> str | None:
    """Return why a payment of `amount` cannot be made against a requisition of `requested`
    on which `registered` is already paid or waiting for attestation, or None."""
    rest = requested - registered
    if amount <= rest:
        return None
    return _l("rekvisitionen begär %(requested)s, och %(registered)s är redan utbetalt eller "
              "väntar på attest mot den; högst %(rest)s kan betalas mot den") % {
        "requested": format_amount(requested, unit=True),
        "registered": format_amount(registered, unit=True),
        "rest": format_amount(max(rest, 0), unit=True)}


def requestable(money: GrantMoney, pending: int, open_requisitions: int) -> int:
    """Return what the project may still request: granted less what is paid (net of refunds),
    what waits for attestation and what open requisitions already ask for."""
    return max(0, money.amount - money.paid - pending - open_requisitions)


def check_requisition(money: GrantMoney, pending: int, open_requisitions: int,
                      amount: int) -> str | None:
    """Return why a requisition of `amount` cannot be made, or None.

    `pending` is what registered payments not yet attested would add; `open_requisitions` what
    earlier requisitions, neither declined nor paid, still ask for. Together with what is paid
    they may never ask for more than the grant."""
    if money.closed:
        return str(_l("projektet är avslutat; det går inte att rekvirera mer"))
    if amount <= 0:
        return str(_l("det rekvirerade beloppet måste vara större än noll"))
    left = requestable(money, pending, open_requisitions)
    if amount > left:
        taken = money.paid + pending + open_requisitions
        return _l("högst %(left)s kan begäras: %(granted)s beviljat, %(taken)s redan begärt "
                  "eller utbetalt") % {"left": format_amount(left, unit=True),
                                       "granted": format_amount(money.amount, unit=True),
                                       "taken": format_amount(taken, unit=True)}
    return None


def check_refund(paid_from_allocation: int, amount: int) -> str | None:
    """Return why a refund of `amount` to an allocation cannot be registered, or None."""
    if amount <= 0:
        return str(_l("återbetalningen måste vara större än noll"))
    if amount > paid_from_allocation:
        return _l("återbetalningen är större än det som är utbetalt från den fonden (%(paid)s)") % {
            "paid": format_amount(paid_from_allocation, unit=True)}
    return None


def check_spending_window(paid_on: date, spend_until: date, *, overridden: bool) -> str | None:
    """Return why a payment dated `paid_on` falls outside its fund's spending window, or None.

    The money may be spent until `spend_until` ("förbrukas 2020–2021"); a payment after it is
    refused unless an administrator overrides the window with a reason (`overridden`).
    """
    if paid_on <= spend_until or overridden:
        return None
    return _l("utbetalningen är daterad %(paid_on)s, efter fondens sista dag att använda "
              "medlen, %(spend_until)s; bara en administratör kan godkänna en senare utbetalning, "
              "med ett skäl") % {"paid_on": paid_on.isoformat(),
                                 "spend_until": spend_until.isoformat()}


def needs_second_approver(amount: int, threshold: int) -> bool:
    """Above the threshold a payment needs another coordinator's attestation."""
    return amount > threshold




# --- a year's list of goal areas -----------------------------------------------------------

def area_key(name: str) -> str:
    """The form of a goal area's name that two spellings of the same name share: case and
    runs of spaces do not tell areas apart."""
    return " ".join(name.split()).casefold()


def edit_distance(a: str, b: str) -> int:
    """The number of letters typed in, left out, changed or swapped between two texts."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            best = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                best = min(best, previous2[j - 2] + 1)  # two letters swapped: "Stäkra"
            current.append(best)
        previous2, previous = previous, current
    return previous[-1]


# A name this long, within this many slips of another, is that name mistyped: "Stäkra äldres
# psykiska hälsa" for "Stärka äldres psykiska hälsa". Shorter names ("Område 1") and names
# that differ in their digits only are different areas.
TYPO_MIN_LENGTH = 12
TYPO_MAX_DISTANCE = 2


def is_probable_typo(name: str, other: str) -> bool:
    """Say whether `name` is most likely `other` mistyped (they are not the same name)."""
    a, b = area_key(name), area_key(other)
    if a == b or min(len(a), len(b)) < TYPO_MIN_LENGTH:
        return False
    if "".join(c for c in a if not c.isdigit()) == "".join(c for c in b if not c.isdigit()):
        return False
    return edit_distance(a, b) <= TYPO_MAX_DISTANCE


def closest_name(name: str, names: list[str]) -> str | None:
    """The one of `names` nearest to `name`, when one is near enough to suggest."""
    key = area_key(name)
    scored = sorted((edit_distance(key, area_key(n)), n) for n in names)
    if not scored:
        return None
    distance, nearest = scored[0]
    return nearest if distance <= max(TYPO_MAX_DISTANCE, len(key) // 3) else None
