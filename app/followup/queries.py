"""Reading project follow-up: one project with its money, payments, reports and history (the
read model both project pages use), the lists of projects, payments and reports, the state
of projects, and the reports that count. Every function asks the database a fixed number of
times, whatever the number of rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, and_, case, exists, func, not_, or_, select
from sqlalchemy.orm import aliased, contains_eager, joinedload, selectinload

from app.accounts.models import Role, User
from app.call.models import Application, Decision
from app.core.text import like_escaped
from app.extensions import db
from app.followup.closing import release_destination
from app.followup.history import grant_organisations, same_organisation_ids
from app.followup.models import ProjectReport, ProjectReportLine
from app.followup.rules import (
    EDITABLE_STATES,
    HANDED_IN_STATES,
    PROJECT_STATES,
    ProjectState,
    ReportKind,
    ReportState,
)
from app.ledger.models import (
    Allocation,
    Earmark,
    Grant,
    Line,
    LineKind,
    Payment,
    PaymentState,
    Requisition,
)
from app.ledger.payments import requestable_amount, requisitions_with_paid
from app.ledger.project_money import OtherFundPayment, grants_money, paid_by_other_funds
from app.ledger.rules import GrantMoney


def may_report(user: User, grant: Grant) -> bool:
    """Who may write a project's report: coordinators, and applicants of the organisation
    whose application the grant came from."""
    if user.role in (Role.ADMIN, Role.COORDINATOR):
        return True
    if user.role is not Role.APPLICANT or grant.application_id is None:
        return False
    application = db.session.get(Application, grant.application_id)
    return application is not None and application.organisation_id == user.organisation_id


def grant_of_application(application_id: int) -> Grant | None:
    """The grant a decision on the application made, if any (the first, should there be two)."""
    return db.session.scalar(
        select(Grant).where(Grant.application_id == application_id).order_by(Grant.id).limit(1)
    )


def reports_of_grant(grant_id: int) -> list[ProjectReport]:
    return list(db.session.scalars(
        select(ProjectReport).where(ProjectReport.grant_id == grant_id)
        .options(selectinload(ProjectReport.lines))
        .order_by(ProjectReport.due_on, ProjectReport.id)
    ))


def project_history(grant: Grant) -> list[Grant]:
    """The project's grants across the years, earliest first: follow the links back to the
    first grant, then forward through the grant that continues each (two queries)."""
    links = db.session.execute(
        select(Grant.id, Grant.previous_grant_id).where(Grant.previous_grant_id.is_not(None))
        .order_by(Grant.id)
    ).all()
    previous = dict(links)
    following: dict[int, int] = {}
    for grant_id, previous_id in links:
        following.setdefault(previous_id, grant_id)  # the earliest continuation, by id
    first, seen = grant.id, {grant.id}
    while (back := previous.get(first)) is not None and back not in seen:
        first = back
        seen.add(first)
    chain = [first]
    while (forward := following.get(chain[-1])) is not None and forward not in chain:
        chain.append(forward)
    grants = {g.id: g for g in db.session.scalars(
        select(Grant).where(Grant.id.in_(chain))
        .options(joinedload(Grant.line).joinedload(Line.allocation))
    )}
    # A link to a grant that has since been deleted ends the chain there.
    return [grants[gid] for gid in chain if gid in grants]


# --- the reports that count -----------------------------------------------------------------

def counting_reports(grant_ids: list[int] | Select) -> dict:
    """Each grant's approved report that counts, with the money it reports as used: the final
    report, else the latest approved interim one (one query). Grants with no approved report
    are missing from the answer.

    `grant_ids`: the grants' ids, or a select of them (a report of thousands of grants asks by
    their lines rather than send an id each)."""
    if isinstance(grant_ids, list) and not grant_ids:
        return {}
    used = (
        select(func.coalesce(func.sum(ProjectReportLine.used), 0))
        .where(ProjectReportLine.report_id == ProjectReport.id)
        .scalar_subquery()
    )
    best: dict[int, tuple[tuple, ProjectReport, int]] = {}
    for report, total in db.session.execute(
        select(ProjectReport, used)
        .where(ProjectReport.grant_id.in_(grant_ids), ProjectReport.state == ReportState.APPROVED)
        .order_by(ProjectReport.id)
    ):
        key = (report.kind is ReportKind.FINAL, report.approved_at, report.id)
        if report.grant_id not in best or key > best[report.grant_id][0]:
            best[report.grant_id] = (key, report, int(total))
    return {gid: (report, total) for gid, (_, report, total) in best.items()}


def reported_used(grant_ids: list[int]) -> dict[int, int]:
    """What each grant's project reports as used in its report that counts (one query)."""
    return {gid: total for gid, (_, total) in counting_reports(grant_ids).items()}


# --- the state of projects ------------------------------------------------------------------
# The state is the rules' table over two facts; here are the facts, once, in SQL.

def _closed():
    return Grant.closed_at.is_not(None)


def _final_report_in():
    return exists().where(
        ProjectReport.grant_id == Grant.id, ProjectReport.kind == ReportKind.FINAL,
        ProjectReport.state.in_(HANDED_IN_STATES),
    )


def in_state(state: ProjectState):
    """The condition on a grant for its project to be in `state`: the facts the table maps
    to it."""
    closed, final_in = _closed(), _final_report_in()
    return or_(*(
        and_(closed if is_closed else not_(closed), final_in if is_in else not_(final_in))
        for (is_closed, is_in), mapped in PROJECT_STATES.items() if mapped is state
    ))


def project_states(grant_ids: list[int]) -> dict[int, ProjectState]:
    """Each grant's project state (one query)."""
    rows = db.session.execute(
        select(Grant.id, _closed(), _final_report_in()).where(Grant.id.in_(grant_ids))
    )
    return {gid: PROJECT_STATES[(bool(closed), bool(final_in))] for gid, closed, final_in in rows}


# --- one project ----------------------------------------------------------------------------

@dataclass(frozen=True)
class HistoryEntry:
    """One year's grant of a project, as the history table shows it."""

    grant: Grant
    money: GrantMoney
    used: int | None
    reports: tuple[ProjectReport, ...]
    # The organisation whose application the grant came from (None for an imported grant).
    organisation_id: int | None

    @property
    def year(self) -> int:
        return self.grant.line.allocation.year


@dataclass(frozen=True)
class ProjectOverview:
    """Everything a project's page shows: its money, payments, requisitions, reports, decision
    and its grants across the years."""

    grant: Grant
    state: ProjectState
    money: GrantMoney
    used: int | None  # as the report that counts says; None before one is approved
    others: tuple[OtherFundPayment, ...]  # what other funds paid for it
    other_labels: dict[int, str]  # allocation id → its label, for `others`
    payments: tuple[Payment, ...]
    requisitions: tuple[tuple[Requisition, int], ...]  # each with what was paid on it
    requestable: int  # what the project may still request
    reports: tuple[ProjectReport, ...]
    history: tuple[HistoryEntry, ...]
    decision: Decision | None
    back_to: Allocation | None  # where what it does not use goes (release_destination)

    @property
    def own(self) -> Allocation:
        return self.grant.line.allocation


def project_overview(grant: Grant) -> ProjectOverview:
    """Read a project's page in a fixed number of queries, however many payments,
    requisitions, reports and years it has."""
    history = project_history(grant)
    ids = [g.id for g in history]
    # Only these grants' money: not that of every grant of their allocations.
    money = grants_money(ids)
    used = reported_used(ids)
    reports: dict[int, list[ProjectReport]] = {gid: [] for gid in ids}
    for report in db.session.scalars(
        select(ProjectReport).where(ProjectReport.grant_id.in_(ids))
        .options(selectinload(ProjectReport.lines))
        .order_by(ProjectReport.due_on, ProjectReport.id)
    ):
        reports[report.grant_id].append(report)
    organisations = grant_organisations(ids)
    others = paid_by_other_funds([grant.id])
    other_labels = {a.id: a.label for a in db.session.scalars(
        select(Allocation).where(Allocation.id.in_([p.source_allocation_id for p in others])))}
    payments = db.session.scalars(
        select(Payment).where(Payment.grant_id == grant.id)
        .options(joinedload(Payment.allocation), joinedload(Payment.requisition))
        .order_by(Payment.paid_on, Payment.id)
    ).all()
    found_by = [Decision.grant_id == grant.id]
    if grant.application_id is not None:
        found_by.append(Decision.application_id == grant.application_id)
    decision = db.session.scalar(select(Decision).where(or_(*found_by)).order_by(Decision.id)
                                 .limit(1))
    return ProjectOverview(
        grant=grant, state=project_states([grant.id])[grant.id], money=money[grant.id],
        used=used.get(grant.id), others=tuple(others), other_labels=other_labels,
        payments=tuple(payments), requisitions=tuple(requisitions_with_paid(grant.id)),
        requestable=requestable_amount(grant),
        reports=tuple(reports[grant.id]),
        history=tuple(
            HistoryEntry(g, money[g.id], used.get(g.id), tuple(reports[g.id]),
                         organisations.get(g.id))
            for g in history
        ),
        decision=decision, back_to=release_destination(grant),
    )


def visible_history(overview: ProjectOverview, user: User) -> tuple[HistoryEntry, ...]:
    """The years of the project `user` may see: staff every one, an applicant only their own
    organisation's grants, whatever links the database holds (a link made before links were
    checked may still point at another organisation's grant)."""
    if user.is_staff:
        return overview.history
    return tuple(
        entry for entry in overview.history
        if entry.grant.id == overview.grant.id
        or (entry.organisation_id is not None and entry.organisation_id == user.organisation_id)
    )


def payment_sources(grant: Grant) -> list[Allocation]:
    """The allocations other than the grant's own that a payment may come from, latest first."""
    return list(db.session.scalars(
        select(Allocation).join(Allocation.earmark).where(Allocation.id != grant.line.allocation_id)
        .order_by(Allocation.year.desc(), Earmark.sort_order, Earmark.code)
    ))


# The earlier grants the link's select offers at most: a search narrows them down.
LINK_CHOICES = 100


@dataclass(frozen=True)
class LinkCandidates:
    """The earlier grants a grant may continue, as the select offers them."""

    choices: list[tuple[int, str]]
    more: bool  # more matched than are offered: a search narrows them down
    search: str = ""


def link_candidates(grant: Grant, search: str = "") -> LinkCandidates:
    """Grants of earlier years the grant may continue, all of its own organisation (or, for an
    imported grant, other imported ones) and not already continued by another grant: the same
    owner's first, then the latest, at most LINK_CHOICES of them (`search`: those whose title
    or owner holds the text). The grant's current link is always among them. One query for
    the candidates, however many earlier grants there are."""
    year = grant.line.allocation.year
    organisation = grant_organisations([grant.id])[grant.id]
    continued = aliased(Grant)
    query = (
        select(Grant.id, Grant.title, Grant.owner, Allocation.year, Earmark.name)
        .join(Line, Line.id == Grant.line_id)
        .join(Allocation, Allocation.id == Line.allocation_id)
        .join(Earmark, Earmark.id == Allocation.earmark_id)
        .outerjoin(Application, Application.id == Grant.application_id)
        .where(Allocation.year < year, Grant.id != grant.id)
        .where(~select(continued.id).where(continued.previous_grant_id == Grant.id,
                                           continued.id != grant.id).exists())
    )
    if organisation is None:
        query = query.where(Application.id.is_(None))
    else:
        query = query.where(Application.organisation_id.in_(same_organisation_ids(organisation)))
    search = search.strip()[:100]
    if search:
        pattern = f"%{like_escaped(search)}%"
        query = query.where(or_(Grant.title.ilike(pattern, escape="\\"),
                                Grant.owner.ilike(pattern, escape="\\"),
                                Grant.id == grant.previous_grant_id))
    rows = db.session.execute(
        query
        .order_by(case((Grant.id == grant.previous_grant_id, 0), else_=1),
                  case((Grant.owner == grant.owner, 0), else_=1), Allocation.year.desc(),
                  Grant.title, Grant.id)
        .limit(LINK_CHOICES + 1)
    ).all()
    return LinkCandidates(
        [(gid, f"{y} {fund}: {title[:80]} ({owner})") for gid, title, owner, y, fund
         in rows[:LINK_CHOICES]],
        more=len(rows) > LINK_CHOICES, search=search,
    )


# --- the lists ------------------------------------------------------------------------------

def list_years() -> list[int]:
    """The years that have allocations, latest first: a list's year filter."""
    return list(db.session.scalars(
        select(Allocation.year).distinct().order_by(Allocation.year.desc())))


def list_earmarks() -> list[Earmark]:
    """The funds in their order: a list's fund filter."""
    return list(db.session.scalars(select(Earmark).order_by(Earmark.sort_order, Earmark.code)))


def all_rows(query: Select) -> list:
    """Every row of a list's select, for a download (one query)."""
    return list(db.session.scalars(query).unique())


@dataclass(frozen=True)
class ProjectRow:
    grant_id: int
    year: int
    fund: str
    title: str
    owner: str
    money: GrantMoney
    used: int | None
    state: ProjectState


def call_line(line_id: int | None) -> Line | None:
    """The call line a list is filtered by, with its allocation, or None."""
    if line_id is None:
        return None
    return db.session.scalar(select(Line).where(Line.id == line_id, Line.kind == LineKind.CALL)
                             .options(joinedload(Line.allocation)))


def of_year_and_fund(query: Select, year: int | None, earmark_id: int | None) -> Select:
    """`query` (joined to Allocation) narrowed to a year and a fund, where they are given."""
    if year:
        query = query.where(Allocation.year == year)
    if earmark_id:
        query = query.where(Allocation.earmark_id == earmark_id)
    return query


def projects_select(year: int | None, earmark_id: int | None,
                    state: ProjectState | None, line_id: int | None = None, *,
                    ordered: bool = True) -> Select:
    """The granted projects, by year (latest first), fund and place, filtered (`line_id`: of
    one call line only); `ordered=False` for a page (app/followup/project_list.py)."""
    query = (
        select(Grant)
        .join(Grant.line).join(Line.allocation).join(Allocation.earmark)
        .options(contains_eager(Grant.line).contains_eager(Line.allocation)
                 .contains_eager(Allocation.earmark))
    )
    if ordered:
        query = query.order_by(Allocation.year.desc(), Earmark.sort_order, Earmark.code,
                               Line.position, Grant.position, Grant.id)
    query = of_year_and_fund(query, year, earmark_id)
    if state:
        query = query.where(in_state(state))
    if line_id:
        query = query.where(Grant.line_id == line_id)
    return query


def project_rows(grants: list[Grant]) -> list[ProjectRow]:
    """The list's rows of `grants`, with their money, use and state (three queries)."""
    if not grants:
        return []
    ids = [g.id for g in grants]
    money = grants_money(ids)  # only the listed grants' money, not their allocations' all
    used = reported_used(ids)
    states = project_states(ids)
    return [
        ProjectRow(g.id, g.line.allocation.year, g.line.allocation.earmark.name, g.title,
                   g.owner, money[g.id], used.get(g.id), states[g.id])
        for g in grants
    ]


def payments_select(state: PaymentState | None, year: int | None,
                    earmark_id: int | None) -> Select:
    """All payments, the pending ones (the attestation queue) first, then the latest."""
    query = (
        select(Payment)
        .join(Allocation, Allocation.id == Payment.allocation_id)
        .options(joinedload(Payment.grant), joinedload(Payment.allocation))
        .order_by(case((Payment.state == PaymentState.PENDING, 0), else_=1),
                  Payment.paid_on.desc(), Payment.id.desc())
    )
    if state:
        query = query.where(Payment.state == state)
    return of_year_and_fund(query, year, earmark_id)


def reports_select(state: ReportState | None, kind: ReportKind | None,
                   overdue_on: date | None) -> Select:
    """All project reports by due date; `overdue_on`: only those still out on that day."""
    query = (
        select(ProjectReport)
        .options(joinedload(ProjectReport.grant), selectinload(ProjectReport.lines))
        .order_by(ProjectReport.due_on, ProjectReport.id)
    )
    if state:
        query = query.where(ProjectReport.state == state)
    if kind:
        query = query.where(ProjectReport.kind == kind)
    if overdue_on:
        query = query.where(ProjectReport.due_on < overdue_on,
                            ProjectReport.state.in_(EDITABLE_STATES))
    return query
