"""Project reports: a coordinator asks for interim and final reports with due dates, the
project writes and submits them, a coordinator returns or approves them. Approving the final
report books the money to return and closes the project, so what it did not use flows back
into its allocation. Every change is audited; nothing here commits."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.accounts.models import Role, User
from app.call.models import Application
from app.core import audit
from app.core.audit import Actor
from app.core.errors import DomainError
from app.core.money import format_amount
from app.core.types import utcnow
from app.extensions import db
from app.followup.models import ProjectReport, ProjectReportLine, Rating, ReportKind, ReportState
from app.ledger.guards import ensure_open, lock_allocation
from app.ledger.models import Grant, Payment, PaymentKind, PaymentState
from app.ledger.project_money import grant_money
from app.ledger.queries import is_year_closed
from app.ledger.rules import check_final_report, check_report_figures, indicator_from_text

RESULT_KINDS = ("count", "yes_no", "percent")
SPLIT_KEYS = ("women", "men", "girls", "boys")


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


def report_snapshot(report: ProjectReport) -> dict:
    return {
        "grant_id": report.grant_id,
        "kind": report.kind,
        "due_on": report.due_on,
        "state": report.state,
        "used": report.used,
        "to_return": report.to_return,
        "lines": [{"label": ln.label, "budgeted": ln.budgeted, "used": ln.used} for ln in report.lines],
        "results": report.results,
        "rating": report.rating,
        "text": report.text,
    }


def _report(report_id: int) -> ProjectReport:
    report = db.session.get(ProjectReport, report_id)
    if report is None:
        raise DomainError("rapporten finns inte")
    return report


def may_report(user: User, grant: Grant) -> bool:
    """Who may write a project's report: coordinators, and applicants of the organisation
    whose application the grant came from."""
    if user.role in (Role.ADMIN, Role.COORDINATOR):
        return True
    if user.role is not Role.APPLICANT or grant.application_id is None:
        return False
    application = db.session.get(Application, grant.application_id)
    return application is not None and application.organisation_id == user.organisation_id


# --- asking for reports --------------------------------------------------------------------

def schedule_report(grant_id: int, kind: ReportKind | str, due_on: date, actor: Actor) -> ProjectReport:
    grant = db.session.get(Grant, grant_id)
    if grant is None:
        raise DomainError("projektet finns inte")
    kind = ReportKind(kind)
    if grant.closed_at is not None:
        raise DomainError("projektet är avslutat; det går inte att begära fler rapporter")
    if kind is ReportKind.FINAL and db.session.scalar(
        select(ProjectReport.id).where(
            ProjectReport.grant_id == grant.id, ProjectReport.kind == ReportKind.FINAL
        )
    ):
        raise DomainError("projektet har redan en slutrapport")
    report = ProjectReport(grant_id=grant.id, kind=kind, due_on=due_on, results=[])
    application = db.session.get(Application, grant.application_id) if grant.application_id else None
    # The report starts from the project's own budget lines and indicators.
    for position, line in enumerate(application.budget_lines if application else []):
        from app.call.models import BUDGET_CATEGORY_LABELS

        label = f"{line.year} {BUDGET_CATEGORY_LABELS[line.category]}"
        if line.description:
            label += f": {line.description}"
        report.lines.append(ProjectReportLine(position=position, label=label[:500],
                                              budgeted=line.amount, used=0))
    if application:
        # The applicant's form stores indicators as lines of text; their ending says the kind.
        indicators = [ind if isinstance(ind, dict) else indicator_from_text(str(ind))
                      for ind in application.indicators or []]
        report.results = [
            {"name": ind.get("name", ""), "kind": ind.get("kind", "count"), "value": None,
             "split": bool(ind.get("split"))}
            for ind in indicators
        ]
    db.session.add(report)
    db.session.flush()
    audit.record(actor, "report.schedule", "project_report", report.id,
                 year=grant.line.allocation.year,
                 summary=f"Begärde {_kind_word(kind)} för {grant.title[:200]} senast {due_on}",
                 after=report_snapshot(report))
    return report


def change_due_date(report_id: int, due_on: date, actor: Actor) -> ProjectReport:
    report = _report(report_id)
    if report.state is ReportState.APPROVED:
        raise DomainError("rapporten är redan godkänd")
    before = {"due_on": report.due_on}
    report.due_on = due_on
    report.reminded_at = None
    db.session.flush()
    audit.record(actor, "report.due", "project_report", report.id,
                 summary=f"Ändrade sista dag för {_kind_word(report.kind)} till {due_on}",
                 before=before, after={"due_on": due_on})
    return report


def _kind_word(kind: ReportKind) -> str:
    return "slutrapport" if kind is ReportKind.FINAL else "delrapport"


# --- writing and submitting ----------------------------------------------------------------

def _clean_results(results: list[ResultInput]) -> list[dict]:
    out = []
    for n, r in enumerate(results, start=1):
        place = f"resultat {n} ({r.name})"
        if r.kind not in RESULT_KINDS:
            raise DomainError(f"{place}: okänd sorts indikator")
        row: dict = {"name": r.name.strip()[:300], "kind": r.kind, "value": None}
        if r.kind == "count":
            if r.value is not None:
                if isinstance(r.value, bool) or int(r.value) != r.value or r.value < 0:
                    raise DomainError(f"{place}: ange ett antal, ett heltal som inte är negativt")
                row["value"] = int(r.value)
            parts = {k: getattr(r, k) for k in SPLIT_KEYS if getattr(r, k) is not None}
            for key, part in parts.items():
                if part < 0:
                    raise DomainError(f"{place}: antalen per kön kan inte vara negativa")
                row[key] = int(part)
            if parts and row["value"] is not None and sum(parts.values()) > row["value"]:
                raise DomainError(
                    f"{place}: kvinnor, män, flickor och pojkar är tillsammans "
                    f"{sum(parts.values())}, fler än totalen {row['value']}"
                )
            if parts and row["value"] is None:
                row["value"] = sum(parts.values())
        elif r.kind == "yes_no":
            row["value"] = None if r.value is None else bool(r.value)
        else:
            if r.value is not None:
                try:
                    value = Decimal(str(r.value))
                except InvalidOperation:
                    raise DomainError(f"{place}: ange en procentsats mellan 0 och 100") from None
                if not Decimal(0) <= value <= Decimal(100):
                    raise DomainError(f"{place}: ange en procentsats mellan 0 och 100")
                row["value"] = str(value.normalize() if value == value.to_integral() else value)
        out.append(row)
    return out


def _editable(report: ProjectReport) -> None:
    if report.grant.closed_at is not None:
        raise DomainError("projektet är avslutat; rapporter kan inte längre ändras")
    if report.state not in (ReportState.DRAFT, ReportState.RETURNED):
        raise DomainError("rapporten är inlämnad och kan inte ändras; be samordnaren återsända den")


def save_report(report_id: int, data: ReportInput, actor: Actor) -> ProjectReport:
    """Save what the project has written so far (a draft may be incomplete)."""
    report = _report(report_id)
    _editable(report)
    if data.to_return < 0:
        raise DomainError("att återbetala kan inte vara ett negativt belopp")
    for line in data.lines:
        if line.used < 0:
            raise DomainError(f"{line.label}: förbrukat kan inte vara ett negativt belopp")
    before = report_snapshot(report)
    report.lines.clear()
    db.session.flush()
    for position, line in enumerate(data.lines):
        report.lines.append(ProjectReportLine(position=position, label=line.label.strip()[:500],
                                              budgeted=line.budgeted, used=line.used))
    report.to_return = data.to_return
    report.text = data.text.strip()
    # Whether an indicator is split by sex is the application's, not the form's: keep it.
    splits = {r.get("name"): bool(r.get("split")) for r in report.results or []
              if isinstance(r, dict)}
    results = _clean_results(data.results)
    for row in results:
        if splits.get(row["name"]):
            row["split"] = True
    report.results = results
    db.session.flush()
    audit.record(actor, "report.save", "project_report", report.id,
                 summary=f"Sparade {_kind_word(report.kind)} för {report.grant.title[:200]}",
                 before=before, after=report_snapshot(report))
    return report


def submit_report(report_id: int, actor: Actor) -> ProjectReport:
    report = _report(report_id)
    _editable(report)
    money = grant_money(report.grant)
    reason = check_report_figures(report.grant.amount, report.used, report.to_return)
    if reason is None and report.to_return > money.paid:
        reason = (f"att återbetala {format_amount(report.to_return, unit=True)} är mer än det "
                  f"som är utbetalt ({format_amount(money.paid, unit=True)})")
    if reason is None and report.kind is ReportKind.FINAL:
        reason = check_final_report(money, report.used, report.to_return)
    if reason is None and not report.text.strip():
        reason = "beskriv kort vad projektet har gjort och uppnått"
    if reason:
        raise DomainError(reason)
    report.state = ReportState.SUBMITTED
    report.submitted_at = utcnow()
    report.submitted_by = actor.label
    db.session.flush()
    audit.record(actor, "report.submit", "project_report", report.id,
                 summary=f"Lämnade in {_kind_word(report.kind)} för {report.grant.title[:200]}: "
                 f"förbrukat {format_amount(report.used, unit=True)}, att återbetala "
                 f"{format_amount(report.to_return, unit=True)}",
                 after=report_snapshot(report))
    return report


# --- the coordinator's decision -------------------------------------------------------------

def return_report(report_id: int, message: str, actor: Actor) -> ProjectReport:
    report = _report(report_id)
    if report.state is not ReportState.SUBMITTED:
        raise DomainError("bara en inlämnad rapport kan återsändas")
    if not message.strip():
        raise DomainError("skriv vad projektet ska komplettera")
    report.state = ReportState.RETURNED
    report.return_message = message.strip()
    db.session.flush()
    audit.record(actor, "report.return", "project_report", report.id,
                 summary=f"Återsände {_kind_word(report.kind)} för {report.grant.title[:150]}: "
                 f"{message.strip()[:150]}")
    _notify(report, "Rapporten behöver kompletteras", "report_returned")
    return report


def approve_report(report_id: int, rating: Rating | str, comment: str, actor: Actor) -> ProjectReport:
    """Approve a submitted report with the plan's rating. A final report closes the project:
    the money to return is booked back to the funds that paid it, and what the project did not
    use flows back into its allocation's remainder."""
    report = _report(report_id)
    grant = report.grant
    own = lock_allocation(grant.line.allocation_id)
    db.session.refresh(report)
    if report.state is not ReportState.SUBMITTED:
        raise DomainError("bara en inlämnad rapport kan godkännas")
    try:
        rating = Rating(rating)
    except ValueError:
        raise DomainError("välj en bedömning på femgradiga skalan") from None
    before = report_snapshot(report)
    if report.kind is ReportKind.FINAL:
        _close_project(report, own, actor)
    report.state = ReportState.APPROVED
    report.rating = rating
    report.coordinator_comment = comment.strip()
    report.approved_at = utcnow()
    report.approved_by = actor.label
    db.session.flush()
    audit.record(actor, "report.approve", "project_report", report.id, year=own.year,
                 summary=f"Godkände {_kind_word(report.kind)} för {grant.title[:200]}",
                 before=before, after=report_snapshot(report))
    _notify(report, "Rapporten är godkänd", "report_approved")
    return report


def _close_project(report: ProjectReport, own, actor: Actor) -> None:
    from app.ledger.payments import net_paid_by_allocation, sync_grant_totals

    grant = report.grant
    if grant.closed_at is not None:
        raise DomainError("projektet är redan avslutat")
    if db.session.scalar(select(Payment.id).where(
        Payment.grant_id == grant.id, Payment.state == PaymentState.PENDING
    )):
        raise DomainError("projektet har utbetalningar som väntar på attest; attestera eller "
                          "avslå dem innan slutrapporten godkänns")
    money = grant_money(grant)
    reason = check_final_report(money, report.used, report.to_return)
    if reason:
        raise DomainError(reason)
    released = grant.amount - report.used
    target = None
    if released and is_year_closed(own.year):
        # The own year is closed and its carry-over made: what the project did not use goes
        # into the fund's next open year instead, as money returned from closed projects.
        target = _later_open_allocation(own)
    # The return goes back first to the grant's own allocation, then to the others that paid.
    left = report.to_return
    paid_by = net_paid_by_allocation(grant.id)
    sources = [(own.id, paid_by.pop(own.id, 0))] + sorted(paid_by.items())
    for allocation_id, paid in sources:
        if left <= 0:
            break
        amount = min(left, paid)
        if amount <= 0:
            continue
        if allocation_id != own.id:
            other = lock_allocation(allocation_id)
            ensure_open(other.year)
        db.session.add(Payment(
            grant_id=grant.id, allocation_id=allocation_id, kind=PaymentKind.REFUND,
            amount=amount, paid_on=date.today(), reference=f"Slutrapport {report.id}",
            state=PaymentState.APPROVED, registered_by=actor.label,
            registered_by_id=actor.user_id, decided_by=actor.label,
            decided_by_id=actor.user_id, decided_at=utcnow(),
            note="Återbetalning enligt godkänd slutrapport",
        ))
        left -= amount
    grant.closed_at = utcnow()
    grant.closed_by = actor.label
    grant.status = "closed"
    grant.released_to_id = target.id if target else None
    db.session.flush()
    sync_grant_totals(grant)
    into = target or own
    audit.record(actor, "grant.close", "grant", grant.id, year=own.year,
                 summary=f"Avslutade {grant.title[:150]}: förbrukat "
                 f"{format_amount(report.used, unit=True)}, tillbaka till {into.label} "
                 f"{format_amount(released, unit=True)}",
                 after={"used": report.used, "returned": report.to_return, "released": released,
                        "released_to": into.label})


def _later_open_allocation_id(own) -> int | None:
    from app.ledger.models import Allocation, YearClosing

    return db.session.scalar(
        select(Allocation.id).where(
            Allocation.earmark_id == own.earmark_id, Allocation.year > own.year,
            Allocation.year.not_in(select(YearClosing.year)),
        ).order_by(Allocation.year).limit(1)
    )


def release_destination(grant: Grant):
    """The allocation that what the project does not use goes (or went) back to: its own, or,
    when its own year closed first, the fund's next open year (None if there is none yet)."""
    from app.ledger.models import Allocation

    own = grant.line.allocation
    if grant.released_to_id is not None:
        return db.session.get(Allocation, grant.released_to_id)
    if grant.closed_at is not None or not is_year_closed(own.year):
        return own
    later = _later_open_allocation_id(own)
    return db.session.get(Allocation, later) if later is not None else None


def _later_open_allocation(own):
    """The fund's earliest later allocation in an open year, locked; refuse when there is none."""
    target_id = _later_open_allocation_id(own)
    if target_id is None:
        raise DomainError(
            f"{own.year} är stängt och {own.earmark.name} har inget senare öppet år att föra "
            "tillbaka det oanvända till; lägg in nästa års tilldelning först"
        )
    return lock_allocation(target_id)


# --- e-mail ----------------------------------------------------------------------------------

def _recipients(grant: Grant) -> list[str]:
    """The confirmed applicants of the organisation whose application the grant came from."""
    if grant.application_id is None:
        return []
    application = db.session.get(Application, grant.application_id)
    if application is None:
        return []
    return list(db.session.scalars(
        select(User.email).where(
            User.organisation_id == application.organisation_id,
            User.role == Role.APPLICANT, User.active.is_(True),
            User.email_confirmed_at.is_not(None),
        ).order_by(User.email)
    ))


def _notify(report: ProjectReport, subject: str, template: str) -> None:
    from app.core.mail import queue_mail

    for address in _recipients(report.grant):
        queue_mail(address, f"{subject}: {report.grant.title[:200]}", template, report=report,
                   grant=report.grant)


def send_reminders(today: date, days_before: int = 14) -> int:
    """E-mail the projects whose reports are due within `days_before` days and not yet in;
    each report is reminded once per due date. Returns how many reports were reminded."""
    due = db.session.scalars(
        select(ProjectReport)
        .where(
            ProjectReport.state.in_([ReportState.DRAFT, ReportState.RETURNED]),
            ProjectReport.due_on <= today + timedelta(days=days_before),
            ProjectReport.reminded_at.is_(None),
        )
        .options(selectinload(ProjectReport.grant))
        .order_by(ProjectReport.due_on, ProjectReport.id)
        .with_for_update(skip_locked=True, of=ProjectReport)
    ).all()
    reminded = 0
    for report in due:
        if report.grant.closed_at is not None:
            continue
        recipients = _recipients(report.grant)
        if not recipients:
            continue
        _notify(report, f"Påminnelse: {_kind_word(report.kind)} senast {report.due_on}",
                "report_reminder")
        report.reminded_at = utcnow()
        reminded += 1
    db.session.flush()
    return reminded


def reports_of_grant(grant_id: int) -> list[ProjectReport]:
    return list(db.session.scalars(
        select(ProjectReport).where(ProjectReport.grant_id == grant_id)
        .options(selectinload(ProjectReport.lines))
        .order_by(ProjectReport.due_on, ProjectReport.id)
    ))


def project_history(grant: Grant) -> list[Grant]:
    """The project's grants across the years, earliest first: follow the links back to the
    first grant, then forward through the grants that continue it."""
    seen = {grant.id}
    first = grant
    while first.previous_grant_id is not None and first.previous_grant_id not in seen:
        first = db.session.get(Grant, first.previous_grant_id)
        seen.add(first.id)
    chain = [first]
    while True:
        following = db.session.scalar(
            select(Grant).where(Grant.previous_grant_id == chain[-1].id).order_by(Grant.id).limit(1)
        )
        if following is None or following in chain:
            return chain
        chain.append(following)


def link_previous(grant_id: int, previous_grant_id: int | None, actor: Actor) -> Grant:
    """Link a grant to the same project's grant of an earlier year (or unlink it)."""
    grant = db.session.get(Grant, grant_id)
    if grant is None:
        raise DomainError("projektet finns inte")
    before = {"previous_grant_id": grant.previous_grant_id}
    if previous_grant_id is not None:
        previous = db.session.get(Grant, previous_grant_id)
        if previous is None:
            raise DomainError("det tidigare projektet finns inte")
        if previous.id == grant.id:
            raise DomainError("ett projekt kan inte fortsätta sig självt")
        if previous.line.allocation.year >= grant.line.allocation.year:
            raise DomainError("det tidigare beviljandet måste vara från ett tidigare år")
        if db.session.scalar(select(Grant.id).where(
            Grant.previous_grant_id == previous.id, Grant.id != grant.id
        )):
            raise DomainError(f"{previous.title[:100]} fortsätter redan i ett annat projekt")
    grant.previous_grant_id = previous_grant_id
    db.session.flush()
    audit.record(actor, "grant.link", "grant", grant.id, year=grant.line.allocation.year,
                 summary=f"Länkade {grant.title[:150]} till tidigare beviljande"
                 if previous_grant_id else f"Tog bort länken bakåt för {grant.title[:150]}",
                 before=before, after={"previous_grant_id": previous_grant_id})
    return grant
