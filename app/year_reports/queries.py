"""Reading one fund's year from the database into a report's records, in a fixed number of
queries whatever the number of lines, grants and years."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from app.core.errors import DomainError
from app.extensions import db
from app.followup.models import ProjectReport
from app.followup.queries import counting_reports
from app.followup.rules import ReportKind as ProjectReportKind
from app.followup.rules import ReportState
from app.ledger.models import Allocation, Earmark, GoalArea, Grant, Line, LineKind, grant_goal_area
from app.ledger.project_money import ProjectMoney
from app.ledger.queries import Ledger, allocations_of_year, load_ledger
from app.ledger.rules import Basis, line_figure
from app.year_reports.across import decided_elsewhere, earlier_grants
from app.year_reports.data import (
    CallPool,
    Coverage,
    DecidedElsewhere,
    Destination,
    FundReport,
    GrantRow,
    OtherFundShare,
    PaymentForOther,
    ProjectResult,
    ReportKind,
    ReportLine,
)
from app.year_reports.rules import project_status


def report_kind(kind: str) -> ReportKind:
    """Return the report kind named `kind`, or refuse it in Swedish."""
    try:
        return ReportKind(kind)
    except ValueError:
        raise DomainError(
            _("okänd rapporttyp %(kind)r; välj followup (uppföljning) eller budget", kind=kind)
        ) from None


def fund_report(kind: ReportKind | str, earmark_code: str, year: int,
                *, today: date | None = None) -> FundReport:
    """Load the follow-up or budget of one fund and year in a fixed number of queries."""
    kind = report_kind(kind)
    allocation = next(
        (a for a in allocations_of_year(year) if a.earmark.code == earmark_code), None
    )
    if allocation is None:
        earmark = db.session.scalar(select(Earmark).where(Earmark.code == earmark_code))
        if earmark is None:
            known = ", ".join(db.session.scalars(select(Earmark.code).order_by(Earmark.code)))
            raise DomainError(_("okänd fond %(code)r; kända koder: %(known)s",
                                code=earmark_code, known=known or _("inga")))
        raise DomainError(_("%(fund)s har ingen tilldelning för %(year)s",
                            fund=earmark.name, year=year))
    # Every year: a project of this fund may be paid from another fund's allocation of any
    # year, and the report names those allocations (the same queries, whatever the years).
    ledger = load_ledger()
    return _fund_report(kind, allocation, ledger, today=today,
                        decided=_decided_elsewhere([allocation.id], ledger))


def year_reports(kind: ReportKind | str, year: int, *, today: date | None = None,
                 allocations: list[Allocation] | None = None,
                 ledger: Ledger | None = None) -> list[FundReport]:
    """Load the follow-up or budget of every fund of a year (or of `allocations`, the year's
    allocations already loaded), in a fixed number of queries whatever the number of funds;
    refuse a year without allocations (in Swedish). `ledger`: the whole ledger, already
    loaded (the year's document reads two years from one)."""
    kind = report_kind(kind)
    if allocations is None:
        allocations = allocations_of_year(year)
    if not allocations:
        raise DomainError(_("det finns inga tilldelningar för %(year)s", year=year))
    ledger = ledger or load_ledger()
    extras = (_FollowupExtras.load_all(allocations, ledger, today)
              if kind is ReportKind.FOLLOWUP else {})
    coverages = _coverages([a.id for a in allocations], kind.basis)
    decided = _decided_elsewhere([a.id for a in allocations], ledger)
    return [_fund_report(kind, allocation, ledger, today=today, coverages=coverages,
                         extras=extras.get(allocation.id), decided=decided)
            for allocation in allocations]


def _fund_report(kind: ReportKind, allocation: Allocation, ledger: Ledger, *,
                 today: date | None, extras: _FollowupExtras | None = None,
                 coverages: dict[int, tuple[Coverage, ...]] | None = None,
                 decided: dict[int, tuple[DecidedElsewhere, ...]] | None = None) -> FundReport:
    basis = kind.basis
    earmark = allocation.earmark
    year = allocation.year
    previous = next(
        (a for a in ledger.allocations if a.earmark_id == earmark.id and a.year == year - 1), None
    )
    previous_closed = (year - 1) in ledger.closed_years
    previous_estimate = None
    if previous is not None and not previous_closed:
        previous_estimate = max(0, ledger.balance(previous, Basis.OUTCOME).result)

    balance = ledger.balance(allocation, basis)
    year_closed = year in ledger.closed_years
    destination = None
    if kind is ReportKind.FOLLOWUP:
        stored = ledger.carried_out.get(allocation.id)
        if stored is not None:
            destination = Destination(stored.rule, stored.amount, settled=True)
        elif balance.result >= 0:
            destination = Destination(earmark.remainder_rule, balance.result, settled=False)

    followup = kind is ReportKind.FOLLOWUP
    if followup and extras is None:
        extras = _FollowupExtras.load_all([allocation], ledger, today)[allocation.id]

    return FundReport(
        kind=kind,
        region=allocation.region,
        earmark_code=earmark.code,
        earmark_name=earmark.name,
        year=year,
        spend_until=allocation.spend_until,
        anchored=allocation.anchored,
        decision_body=allocation.decision_body,
        decision_date=allocation.decision_date,
        decision_reference=allocation.decision_reference,
        decision_text=allocation.decision_text,
        balance=balance,
        lines=tuple(_report_line(line, basis, ledger) for line in allocation.lines),
        coverages=(coverages if coverages is not None
                   else _coverages([allocation.id], basis)).get(allocation.id, ()),
        calls=tuple(
            _call_pool(line, basis, extras) for line in allocation.lines
            if line.kind is LineKind.CALL
        ),
        stated_total=allocation.stated_total if _stated_basis(allocation) is basis else None,
        year_closed=year_closed,
        has_previous=previous is not None,
        previous_closed=previous_closed,
        previous_estimate=previous_estimate,
        destination=destination,
        printed=today or date.today(),
        remainder_rule=earmark.remainder_rule,
        paid_for_others=extras.paid_for_others if extras else (),
        results=extras.results if extras else (),
        preliminary=allocation.preliminary,
        recipient=allocation.recipient,
        decided_elsewhere=(decided or {}).get(allocation.id, ()),
    )


def _decided_elsewhere(allocation_ids: list[int], ledger: Ledger
                       ) -> dict[int, tuple[DecidedElsewhere, ...]]:
    """The projects the allocations' calls decided that other funds pay: a query only when
    the ledger holds any."""
    deciding = set(ledger.projects.line_decided_in.values())
    return decided_elsewhere([aid for aid in allocation_ids if aid in deciding])


def _report_line(line: Line, basis: Basis, ledger: Ledger) -> ReportLine:
    # A follow-up's outcome of a call line follows its grants' money (what was paid, used and
    # returned); every other line's outcome is as stated.
    if basis is Basis.OUTCOME:
        figure = ledger.projects.line_outcome(line)
    else:
        figure = line_figure(line.budget, line.spent, basis)
    return ReportLine(
        goal_area=line.goal_area.name if line.goal_area else None,
        activity=line.activity,
        kind=line.kind.value,
        figure=figure,
        covers=line.covers.label if line.covers is not None else None,
        grants=len(line.grants),
        budget=line.budget,
    )


def _call_pool(line: Line, basis: Basis, extras: _FollowupExtras | None) -> CallPool:
    # A budget report measures the pool against what was budgeted; a follow-up against the
    # stated outcome, falling back to the budget while the call has no outcome yet.
    figure = line_figure(line.budget, line.spent, basis)
    order = area_order(line.allocation)  # once: it reads every line of the allocation
    return CallPool(
        activity=line.activity,
        decided_in=line.decided_in.label if line.decided_in is not None else None,
        pool=figure if figure is not None else (line.amount or 0),
        grants=tuple(
            extras.grant_row(grant) if extras else GrantRow(
                goal_areas=_decided_order(grant, order),
                title=grant.title,
                owner=grant.owner,
                partners=tuple(grant.partners or ()),
                amount=grant.amount,
            )
            for grant in line.grants
        ),
    )


class _FollowupExtras:
    """What a follow-up adds to a budget about the projects: their money as paid, used and
    returned, what the fund paid for other funds' projects, and the results the projects
    reported. Two queries, whatever the number of projects."""

    def __init__(self, projects: ProjectMoney, used: dict[int, int], labels: dict[int, str],
                 paid_for_others: tuple[PaymentForOther, ...],
                 results: tuple[ProjectResult, ...], *, year: int = 0,
                 finals: dict[int, set[ReportState]] | None = None,
                 today: date | None = None, area_order: dict[int, int] | None = None,
                 earlier: dict | None = None) -> None:
        self.earlier = earlier or {}
        self.area_order = area_order or {}
        self.projects = projects
        self.used = used
        self.labels = labels
        self.paid_for_others = paid_for_others
        self.results = results
        self.year = year
        self.finals = finals or {}
        self.today = today or date.today()

    @classmethod
    def load_all(cls, allocations: list[Allocation], ledger: Ledger,
                 today: date | None = None) -> dict[int, _FollowupExtras]:
        """Return the extras of each allocation, by id: three queries for them all."""
        projects = ledger.projects
        labels = {a.id: a.label for a in ledger.allocations}
        grants = {a.id: [grant for line in a.lines if line.kind is LineKind.CALL
                         for grant in line.grants] for a in allocations}
        own_ids = {a.id: {grant.id for grant in grants[a.id]} for a in allocations}
        payments = {a.id: [p for p in projects.other_fund_payments
                           if p.source_allocation_id == a.id] for a in allocations}
        other_ids = {a.id: list(dict.fromkeys(p.grant_id for p in payments[a.id]
                                              if p.grant_id not in own_ids[a.id]))
                     for a in allocations}

        # Query 1: the other funds' grants these funds paid for, with their goal areas.
        wanted = sorted({gid for ids in other_ids.values() for gid in ids})
        others: dict[int, tuple[str, list[str]]] = {}
        for grant_id, title, area in db.session.execute(
            select(Grant.id, Grant.title, GoalArea.name)
            .outerjoin(grant_goal_area, grant_goal_area.c.grant_id == Grant.id)
            .outerjoin(GoalArea, GoalArea.id == grant_goal_area.c.goal_area_id)
            .where(Grant.id.in_(wanted))
            .order_by(Grant.id, GoalArea.id)
        ):
            entry = others.setdefault(grant_id, (title, []))
            if area is not None:
                entry[1].append(area)

        shown: dict[int, list[tuple[int, str, tuple[str, ...]]]] = {}
        for a in allocations:
            order = area_order(a)
            shown[a.id] = [(g.id, g.title, _decided_order(g, order)) for g in grants[a.id]]
            shown[a.id] += [(gid, others[gid][0], tuple(others[gid][1]))
                            for gid in other_ids[a.id] if gid in others]

        # The funds' own projects by their call lines, not by their ids: a statement of a few
        # parameters, not of one per project (thousands of them, which PostgreSQL is sent and
        # plans and SQLite refuses beyond its limit).
        own_grants = (select(Grant.id).join(Line, Line.id == Grant.line_id)
                      .where(Line.allocation_id.in_([a.id for a in allocations]),
                             Line.kind == LineKind.CALL))
        # Query 2: the approved reports of the funds' projects and those they paid for.
        reports = counting_reports(own_grants.union(select(Grant.id).where(Grant.id.in_(wanted)))
                                   if wanted else own_grants)
        # Query 3: the states of the funds' own projects' final reports, for their status.
        finals: dict[int, set[ReportState]] = {}
        if any(own_ids.values()):
            for grant_id, state in db.session.execute(
                select(ProjectReport.grant_id, ProjectReport.state)
                .where(ProjectReport.grant_id.in_(own_grants),
                       ProjectReport.kind == ProjectReportKind.FINAL)
            ):
                finals.setdefault(grant_id, set()).add(state)
        # Query 4: the earlier grants the funds' projects continue, with what they used.
        earlier = earlier_grants(sorted({g.previous_grant_id for gs in grants.values()
                                         for g in gs if g.previous_grant_id is not None}))
        out = {}
        for a in allocations:
            paid_for_others = tuple(
                PaymentForOther(
                    title=others[p.grant_id][0] if p.grant_id in others else "",
                    granted_from=labels.get(p.own_allocation_id, ""),
                    amount=p.amount,
                )
                for p in payments[a.id]
            )
            used = {gid: reports[gid][1] for gid in own_ids[a.id] if gid in reports}
            results = _results(shown[a.id], {gid: rep for gid, (rep, _) in reports.items()})
            out[a.id] = cls(projects, used, labels, paid_for_others, results, year=a.year,
                            finals=finals, today=today, area_order=area_order(a),
                            earlier=earlier)
        return out

    def grant_row(self, grant: Grant) -> GrantRow:
        money = self.projects.grants.get(grant.id)
        used = self.used.get(grant.id)
        if used is None and money is not None and money.closed:
            used = money.paid
        shares = tuple(
            OtherFundShare(self.labels.get(p.source_allocation_id, ""), p.amount)
            for p in self.projects.paid_by_others(grant.id)
        )
        closed = bool(money and money.closed)
        finals = self.finals.get(grant.id, set())
        # Nothing registered is not known to be nothing: "–" until a payment or a refund is
        # registered, or the project closes and its figures are final.
        paid = money.paid_gross if money and (money.paid_gross or closed) else None
        returned = money.refunded if money and (money.refunded or closed) else None
        return GrantRow(
            goal_areas=_decided_order(grant, self.area_order),
            title=grant.title,
            owner=grant.owner,
            partners=tuple(grant.partners or ()),
            amount=grant.amount,
            paid=paid,
            used=used,
            returned=returned,
            paid_by_others=shares,
            status=project_status(
                self.year, closed=closed,
                final_approved=ReportState.APPROVED in finals,
                final_submitted=ReportState.SUBMITTED in finals, today=self.today),
            continues=self.earlier.get(grant.previous_grant_id),
        )


def area_order(allocation: Allocation) -> dict[int, int]:
    """Return each goal area's rank in the allocation's lines: the order SVOM decided them."""
    order: dict[int, int] = {}
    for line in allocation.lines:
        if line.goal_area_id is not None and line.goal_area_id not in order:
            order[line.goal_area_id] = len(order)
    return order


def _decided_order(grant: Grant, order: dict[int, int]) -> tuple[str, ...]:
    """Return a grant's goal areas in the decided order, not alphabetically: those of the
    allocation's lines as the lines have them, then the others as they were first created
    (the exchange file's order)."""
    areas = sorted(grant.goal_areas, key=lambda a: (order.get(a.id, len(order)), a.id))
    return tuple(area.name for area in areas)


def _results(projects: list[tuple[int, str, tuple[str, ...]]],
             reports: dict[int, ProjectReport]) -> tuple[ProjectResult, ...]:
    """Return the results of the projects' reports, in the order of `projects` (grant id,
    title, goal areas)."""
    out = []
    for grant_id, title, areas in projects:
        report = reports.get(grant_id)
        if report is None:
            continue
        rating = report.rating.value if report.rating is not None else None
        for row in report.results or []:
            if not isinstance(row, dict) or not row.get("name"):
                continue
            out.append(ProjectResult(
                goal_areas=areas,
                project=title,
                report_kind=report.kind.value,
                name=str(row["name"]),
                kind=str(row.get("kind") or "count"),
                value=row.get("value"),
                women=row.get("women"),
                men=row.get("men"),
                girls=row.get("girls"),
                boys=row.get("boys"),
                rating=rating,
            ))
    return tuple(out)


def _coverages(allocation_ids: list[int], basis: Basis) -> dict[int, tuple[Coverage, ...]]:
    """Return the transfer lines of other funds (of any year) that cover each allocation."""
    rows = db.session.execute(
        select(Line, Allocation)
        .join(Line.allocation)
        .where(Line.kind == LineKind.TRANSFER, Line.covers_allocation_id.in_(allocation_ids))
        .order_by(Allocation.year, Line.allocation_id, Line.position)
    )
    coverages: dict[int, list[Coverage]] = {}
    for line, source in rows:
        amount = line_figure(line.budget, line.spent, basis)
        if amount:
            coverages.setdefault(line.covers_allocation_id, []).append(
                Coverage(source.label, line.activity, amount))
    return {alloc_id: tuple(items) for alloc_id, items in coverages.items()}


def _stated_basis(allocation: Allocation) -> Basis:
    # The exchange format's stated_total is "the TOTALT the source document states": a
    # follow-up's once the source has outcomes, else a budget's.
    has_outcome = any(line.spent is not None for line in allocation.lines)
    return Basis.OUTCOME if has_outcome else Basis.BUDGET
