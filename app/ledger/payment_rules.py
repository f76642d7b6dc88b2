"""The money of a granted project: what was paid, from where, what was used and what flows back.

A grant draws on its call line's pool in the allocation of the call (its *own* allocation).
While the project runs, the whole grant is committed there, except what another fund has paid
for it. When a coordinator approves the final report the project closes: its own allocation
then bears only what it really paid (payments less refunds), and the rest, money returned and
money never paid out, flows back into that allocation's remainder. A payment from another fund
is that fund's outcome, never both funds'.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.core.money import format_amount


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
        return "beloppet måste vara större än noll"
    if money.closed:
        return "projektet är avslutat; inget mer kan betalas ut"
    room = money.amount - money.paid - pending
    if amount > room:
        return (
            f"utbetalt skulle bli mer än beviljat ({format_amount(money.amount, unit=True)}): "
            f"utbetalt {format_amount(money.paid, unit=True)}"
            + (f", väntar på attest {format_amount(pending, unit=True)}" if pending else "")
            + f"; högst {format_amount(max(room, 0), unit=True)} kan betalas ut"
        )
    return None


def check_refund(paid_from_allocation: int, amount: int) -> str | None:
    """Return why a refund of `amount` to an allocation cannot be registered, or None."""
    if amount <= 0:
        return "återbetalningen måste vara större än noll"
    if amount > paid_from_allocation:
        return (
            f"återbetalningen är större än det som är utbetalt från den fonden "
            f"({format_amount(paid_from_allocation, unit=True)})"
        )
    return None


def check_final_report(money: GrantMoney, used: int, to_return: int) -> str | None:
    """Return why a final report with these figures cannot be approved, or None."""
    if used < 0 or to_return < 0:
        return "förbrukat och att återbetala kan inte vara negativa"
    if used + to_return != money.paid:
        return (
            f"förbrukat {format_amount(used, unit=True)} och att återbetala "
            f"{format_amount(to_return, unit=True)} ska tillsammans vara det utbetalda "
            f"{format_amount(money.paid, unit=True)}"
            + (
                "; betala ut det som saknas innan slutrapporten godkänns"
                if used + to_return > money.paid
                else ""
            )
        )
    return None


def check_report_figures(granted: int, used: int, to_return: int) -> str | None:
    """Return why a project report's money does not add up, or None (checked when submitted)."""
    if to_return < 0:
        return "att återbetala kan inte vara ett negativt belopp"
    if used < 0:
        return "förbrukat kan inte vara ett negativt belopp"
    if used > granted:
        return (
            f"förbrukat {format_amount(used, unit=True)} är mer än beviljat "
            f"{format_amount(granted, unit=True)}"
        )
    return None


def needs_second_approver(amount: int, threshold: int) -> bool:
    """Above the threshold a payment needs another coordinator's attestation."""
    return amount > threshold
