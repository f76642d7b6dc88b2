"""Reading a call's decision log: its decisions in order, a page of them, and the totals of
all (one aggregate query), for the page, the download and the PDF."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload

from app.accounts.models import Organisation
from app.call.models import Application, Call, Decision, DecisionOutcome
from app.core.reading.keyset import KeysetPage, keyset_page
from app.extensions import db


@dataclass(frozen=True)
class DecisionTotals:
    """What a call's decisions add up to: the pool, what they granted, how many of each."""

    pool: int
    granted: int
    granted_count: int
    partly_count: int
    rejected_count: int

    @property
    def count(self) -> int:
        return self.granted_count + self.partly_count + self.rejected_count

    @property
    def left(self) -> int:
        return self.pool - self.granted


@dataclass(frozen=True, slots=True)
class LoggedDecision:
    """A decision as the complete log prints it, with the title and organisation of the
    application it decided."""

    sequence: int
    outcome: DecisionOutcome
    amount: int
    conditions: str
    reason: str
    body: str
    decided_on: date
    paragraph: str
    diary_number: str
    title: str  # the application's
    organisation: str  # the name of the applicant's organisation


# The columns of a LoggedDecision, in its fields' order.
_LOGGED = (Decision.sequence, Decision.outcome, Decision.amount, Decision.conditions,
           Decision.reason, Decision.body, Decision.decided_on, Decision.paragraph,
           Decision.diary_number, Application.title, Organisation.name)


@dataclass(frozen=True)
class DecisionLog:
    """A call's decisions in order, and the totals of all."""

    call: Call
    decisions: list[LoggedDecision]
    totals: DecisionTotals

    # The PDF reads the totals off the log itself.
    pool = property(lambda self: self.totals.pool)
    granted = property(lambda self: self.totals.granted)
    left = property(lambda self: self.totals.left)
    granted_count = property(lambda self: self.totals.granted_count)
    partly_count = property(lambda self: self.totals.partly_count)
    rejected_count = property(lambda self: self.totals.rejected_count)


def decision_totals(call: Call) -> DecisionTotals:
    """Return the totals of a call's decisions (one aggregate query)."""
    def of(outcome: DecisionOutcome):
        return func.count(case((Decision.outcome == outcome, Decision.id)))

    granted, full, partly, rejected = db.session.execute(
        select(func.coalesce(func.sum(Decision.amount), 0), of(DecisionOutcome.GRANTED),
               of(DecisionOutcome.PARTLY_GRANTED), of(DecisionOutcome.REJECTED))
        .where(Decision.call_id == call.id)
    ).one()
    return DecisionTotals(pool=call.line.amount or 0, granted=int(granted), granted_count=full,
                          partly_count=partly, rejected_count=rejected)


def decision_log(call: Call) -> DecisionLog:
    """Return every decision of a call in order, with the totals (2 queries): for the PDF and
    the download, which are complete.

    The decisions are read as rows of the columns they print, not as models: a log of 10 000
    decisions made 20 000 ORM objects (with their applications), most of its query's time."""
    rows = db.session.execute(
        select(*_LOGGED)
        .join(Application, Application.id == Decision.application_id)
        .join(Organisation, Organisation.id == Application.organisation_id)
        .where(Decision.call_id == call.id)
        .order_by(Decision.sequence)
    )
    return DecisionLog(call=call, decisions=[LoggedDecision(*row) for row in rows],
                       totals=decision_totals(call))


def decision_page(call: Call, *, after: int | None, before: int | None,
                  per_page: int) -> tuple[KeysetPage, DecisionTotals]:
    """Return one page of a call's decisions in order, and the totals of all (2 queries)."""
    # The page names each application by its title and organisation only: the long texts of
    # its applications are not read for it.
    decisions = (select(Decision).where(Decision.call_id == call.id)
                 .options(joinedload(Decision.application)
                          .load_only(Application.id, Application.title,
                                     Application.organisation_id)
                          .joinedload(Application.organisation)
                          .load_only(Organisation.id, Organisation.name)))
    page = keyset_page(decisions, (Decision.sequence,), Decision.id, after=after,
                       before=before, per_page=per_page)
    return page, decision_totals(call)
