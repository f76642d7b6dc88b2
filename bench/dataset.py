"""Build the benchmark's data sets: years of three funds, one call with its applications and
decisions, grants, payments and the audit entries they would have left.

Through the app's own services (as a user would): the years (`import_document`, one
exchange document a year, whose few grants with `paid`/`returned` become imported
payments), the accounts (`create_user`) and the call's pool. By bulk inserts through the
models (the services would take hours at 10 000 applications): organisations, applications
with their budget lines, goal areas, versions and reviews, decisions with their grants and
payments, and the audit entries of submitting and deciding.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import yaml
from sqlalchemy import MetaData, insert, select, text

from app.accounts.models import Organisation, OrganisationKind
from app.accounts.users import create_user
from app.call.models import (
    Application,
    ApplicationBudgetLine,
    ApplicationVersion,
    BudgetCategory,
    Call,
    CallAction,
    Decision,
    DecisionOutcome,
    Review,
    application_goal_area,
)
from app.call.pool import applications_tally
from app.call.rules import ApplicationState, CallState
from app.call.versions import snapshot
from app.core.audit import Actor
from app.core.models import AuditEntry
from app.extensions import db
from app.followup import project_list
from app.ledger.exchange.importing import import_document
from app.ledger.models import (
    Allocation,
    Earmark,
    GoalArea,
    Grant,
    LedgerAction,
    Line,
    LineKind,
    Payment,
    PaymentKind,
    PaymentState,
    grant_goal_area,
)

PASSWORD = "bench-losenord-som-ar-langt"
COORDINATOR = "samordnare@bench.example.se"
ADMIN = "admin@bench.example.se"
APPLICANT = "sokande@bench.example.se"
EARMARKS = ("brukarmiljonen", "samverkan", "suicidprevention")
AREAS = ("Stärka barn och ungas psykiska hälsa", "Stärka äldres psykiska hälsa",
         "Förbättra omhändertagandet av särskilt utsatta grupper", "Suicidprevention")
LAST_YEAR = 2026  # the call's year, the latest open one
ACTOR = Actor(label="bench")
#: Of every ten applications: two granted, six rejected, one under review, one submitted.
STATES = ((ApplicationState.GRANTED,) * 2 + (ApplicationState.REJECTED,) * 6
          + (ApplicationState.UNDER_REVIEW, ApplicationState.SUBMITTED))


@dataclass(frozen=True)
class Size:
    """How big a data set is: its applications decide the rest."""

    applications: int
    years: int
    grants_per_year: int = 10  # imported with each earlier year's samverkan call line

    @classmethod
    def of(cls, applications: int) -> Size:
        return cls(applications=applications, years=20 if applications >= 1000 else 2)


@dataclass
class Facts:
    """What the page list needs to name its URLs, and what the data set holds."""

    call_id: int = 0
    application_id: int = 0
    grant_id: int = 0
    # The keyset lists' last pages: the id of the row such a page follows.
    review_far_after: int = 0
    projects_far_after: int = 0
    payments_far_after: int = 0
    first_year: int = 0
    last_year: int = LAST_YEAR
    counts: dict = field(default_factory=dict)


def empty_and_migrate() -> None:
    """Drop every table of the app's database (PostgreSQL; a SQLite file is new), then build
    the schema by the real migrations."""
    from flask_migrate import upgrade

    if db.engine.dialect.name != "sqlite":
        meta = MetaData()
        meta.reflect(bind=db.engine)
        meta.drop_all(bind=db.engine)
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    upgrade()
    db.session.remove()


def year_document(year: int, grants: int, pool_kr: int) -> str:
    """An exchange document for one year of the three funds; samverkan has the call line."""
    allocations = []
    for e, code in enumerate(EARMARKS):
        lines = [{"goal_area": AREAS[i % len(AREAS)], "activity": f"Aktivitet {i} i {code}",
                  "budget": 100_000 + i, "spent": 90_000 + i} for i in range(8)]
        if code == "samverkan":
            lines.append({
                "goal_area": "Projektutlysning", "kind": "call", "activity": "Projektutlysning",
                "budget": pool_kr,
                "grants": [{"title": f"Projekt {year}-{g}", "owner": f"Kommun {g % 8}",
                            "partners": ["Region"], "goal_areas": [AREAS[g % len(AREAS)]],
                            "amount": 50_000, "paid": 40_000, "returned": 1_000 * (g % 3)}
                           for g in range(grants)],
            })
        received = sum(line.get("spent", 0) for line in lines) + pool_kr + 10_000 * (e + 1)
        allocations.append({"earmark": code, "year": year, "received": received,
                            "lines": lines})
    return yaml.safe_dump({"format": "stimulansmedel/1", "allocations": allocations},
                          allow_unicode=True, sort_keys=False)


def _insert(model, rows: list[dict]) -> list[int]:
    """Insert rows in one statement per batch and return their ids in order."""
    if not rows:
        return []
    table = model.__table__ if hasattr(model, "__table__") else model
    return list(db.session.scalars(
        insert(table).returning(table.c.id, sort_by_parameter_order=True), rows))


def _insert_plain(table, rows: list[dict]) -> None:
    if rows:
        db.session.execute(insert(table), rows)


def call_line(year: int) -> Line:
    """The samverkan call line of `year`."""
    return db.session.scalar(
        select(Line).join(Allocation, Line.allocation_id == Allocation.id).join(Earmark)
        .where(Earmark.code == "samverkan", Allocation.year == year,
               Line.kind == LineKind.CALL))


def build(size: Size) -> Facts:
    """Fill the (migrated, empty) database with a data set of `size`; commit; say what it is."""
    facts = Facts(first_year=LAST_YEAR - size.years + 1)
    pool_kr = size.applications * 400_000
    for year in range(facts.first_year, LAST_YEAR + 1):
        last = year == LAST_YEAR
        import_document(year_document(year, 0 if last else size.grants_per_year,
                                      pool_kr if last else 1_000_000), ACTOR)
    coordinator = create_user(COORDINATOR, PASSWORD, "coordinator", ACTOR, name="Samordnare")
    create_user(ADMIN, PASSWORD, "admin", ACTOR, name="Administratör")
    db.session.flush()

    n_orgs = max(2, size.applications // 20)
    org_ids = _insert(Organisation, [
        {"name": f"Kommun {i:05d}", "kind": OrganisationKind.MUNICIPALITY} for i in range(n_orgs)])
    create_user(APPLICANT, PASSWORD, "applicant", ACTOR, name="Sökande",
                organisation=db.session.get(Organisation, org_ids[0]))

    line = call_line(LAST_YEAR)
    areas = list(db.session.scalars(select(GoalArea).where(GoalArea.year == LAST_YEAR,
                                                           GoalArea.name.in_(AREAS))))
    now = datetime.now(UTC)
    call = Call(line_id=line.id, title=f"Projektutlysning {LAST_YEAR}",
                description="Lokala samverkansprojekt.", opens_at=now - timedelta(days=90),
                closes_at=now - timedelta(days=30), state=CallState.CLOSED, goal_areas=areas,
                criteria=["Samverkan", "Hållbarhet"],
                questions=[{"key": "q1", "text": "Hur sprids resultaten?", "required": True}],
                created_by=COORDINATOR)
    db.session.add(call)
    db.session.flush()
    facts.call_id = call.id

    apps = []
    for i in range(size.applications):
        org = i % n_orgs
        apps.append({
            "call_id": call.id, "organisation_id": org_ids[org], "state": STATES[i % 10],
            "title": f"Projekt {i:05d} för psykisk hälsa", "summary": "Sammanfattning " * 20,
            "background": "Bakgrund", "aim": "Syfte", "target_group": "Unga",
            "owner": f"Kommun {org:05d}", "partners": ["Region Jämtland Härjedalen"],
            "user_participation": "Brukarrådet deltar", "long_term_plan": "Ordinarie drift",
            "indicators": [{"name": "Antal utbildade", "kind": "count", "split": False}],
            "answers": {"q1": "Genom nätverket"}, "version": 1, "created_at": now,
            "updated_at": now, "submitted_at": now - timedelta(days=31, minutes=i),
        })
    app_ids = _insert(Application, apps)
    amounts = [100_000_00 + (i % 30) * 10_000_00 for i in range(size.applications)]
    _insert(ApplicationBudgetLine, [
        {"application_id": a, "year": LAST_YEAR, "category": BudgetCategory.STAFF,
         "description": "Projektledare", "amount": amounts[i]} for i, a in enumerate(app_ids)])
    _insert_plain(application_goal_area, [
        {"application_id": a, "goal_area_id": areas[i % len(areas)].id}
        for i, a in enumerate(app_ids)])
    _insert(ApplicationVersion, [
        {"application_id": a, "version": 1, "taken_at": now,
         "data": snapshot(_as_submitted(apps[i], areas[i % len(areas)], amounts[i]))}
        for i, a in enumerate(app_ids)])
    _insert(Review, [
        {"application_id": a, "reviewer_id": coordinator.id, "updated_at": now,
         "scores": {"Samverkan": 1 + i % 5, "Hållbarhet": 1 + (i // 5) % 5}, "comment": ""}
        for i, a in enumerate(app_ids) if STATES[i % 10] is not ApplicationState.SUBMITTED])

    granted = [i for i in range(size.applications) if STATES[i % 10] is ApplicationState.GRANTED]
    payments, paid = [], {}
    for k, i in enumerate(granted):
        shares = 3 if k % 2 else 2  # five payments for every two grants
        paid[i] = sum(amounts[i] // 4 for _ in range(shares))
    grant_ids = _insert(Grant, [
        {"line_id": line.id, "position": k, "title": apps[i]["title"], "owner": apps[i]["owner"],
         "partners": apps[i]["partners"], "amount": amounts[i], "paid": paid[i], "returned": 0,
         "status": "beviljat", "application_id": app_ids[i]} for k, i in enumerate(granted)])
    grant_of = dict(zip(granted, grant_ids, strict=True))
    _insert_plain(grant_goal_area, [
        {"grant_id": grant_of[i], "goal_area_id": areas[i % len(areas)].id} for i in granted])
    for k, i in enumerate(granted):
        for s in range(3 if k % 2 else 2):
            payments.append({
                "grant_id": grant_of[i], "allocation_id": line.allocation_id,
                "kind": PaymentKind.PAYMENT, "amount": amounts[i] // 4,
                "paid_on": date(LAST_YEAR, 1 + s * 4, 1 + k % 28), "reference": f"V{k}-{s}",
                "state": PaymentState.APPROVED, "registered_by": COORDINATOR,
                "registered_at": now, "decided_by": ADMIN, "decided_at": now, "note": ""})
    _insert(Payment, payments)

    decisions, audit = [], []
    for i, app_id in enumerate(app_ids):
        state = STATES[i % 10]
        audit.append(_audit(CallAction.APPLICATION_SUBMIT, "application", app_id,
                            f"Inskickad ansökan: {apps[i]['title']}", now))
        if state not in (ApplicationState.GRANTED, ApplicationState.REJECTED):
            continue
        outcome = (DecisionOutcome.GRANTED if state is ApplicationState.GRANTED
                   else DecisionOutcome.REJECTED)
        decisions.append({
            "call_id": call.id, "application_id": app_id, "sequence": len(decisions) + 1,
            "outcome": outcome, "amount": amounts[i] if i in grant_of else 0,
            "conditions": "", "reason": "" if i in grant_of else "Andra ansökningar prioriterades",
            "body": "SVOM", "decided_on": date(LAST_YEAR, 3, 1), "paragraph": f"§ {len(decisions)}",
            "diary_number": "", "decided_by": COORDINATOR, "grant_id": grant_of.get(i),
            "created_at": now})
        audit.append(_audit(CallAction.APPLICATION_DECIDE, "application", app_id,
                            f"Beslut {len(decisions)}: {outcome.swedish.lower()}", now))
    _insert(Decision, decisions)
    audit += [_audit(LedgerAction.PAYMENT_APPROVE, "payment", None, "Attesterad utbetalning", now)
              for _ in payments]
    _insert(AuditEntry, audit)
    # The bulk inserts went past the session's flush, which keeps the call's sums: count them.
    applications_tally.rebuild(db.session)
    db.session.commit()
    # The planner's statistics, as a live database keeps them (autovacuum; SQLite's
    # `PRAGMA optimize`), not those of tables just bulk-filled: without them PostgreSQL reads
    # all 10 000 applications for a page of 25 instead of the index's first rows.
    db.session.execute(text("ANALYZE"))
    db.session.commit()

    middle = granted[len(granted) // 2] if granted else 0
    facts.application_id = app_ids[len(app_ids) // 2]
    facts.grant_id = grant_of.get(middle) or db.session.scalar(select(Grant.id).limit(1))
    projects = (select(Grant.id).join(Grant.line).join(Line.allocation).join(Allocation.earmark)
                .order_by(*project_list.ORDER))
    n = facts_count(Grant)
    facts.projects_far_after = db.session.scalar(projects.offset(max(0, n - 51)).limit(1)) or 0
    # The row before the review list's last page (25 a page, the latest sent in first) and
    # the payments list's (50 a page, after the attestation queue, the latest first).
    review = select(Application.id).where(Application.call_id == call.id).order_by(
        Application.submitted_at.desc(), Application.id.desc())
    n = len(app_ids)
    facts.review_far_after = db.session.scalar(review.offset(max(0, n - 26)).limit(1)) or 0
    listed = select(Payment.id).order_by(Payment.paid_on.desc(), Payment.id.desc())
    n = facts_count(Payment)
    facts.payments_far_after = db.session.scalar(listed.offset(max(0, n - 51)).limit(1)) or 0
    facts.counts = {
        "years": size.years, "funds": len(EARMARKS), "applications": size.applications,
        "decisions": len(decisions), "organisations": n_orgs,
        "grants": db.session.scalar(select(db.func.count(Grant.id))),
        "payments": db.session.scalar(select(db.func.count(Payment.id))),
        "audit_entries": db.session.scalar(select(db.func.count(AuditEntry.id))),
    }
    db.session.remove()
    return facts


def facts_count(model) -> int:
    return db.session.scalar(select(db.func.count()).select_from(model))


def _as_submitted(row: dict, area: GoalArea, amount: int) -> SimpleNamespace:
    """An application as `versions.snapshot` reads it, from the row inserted for it."""
    line = SimpleNamespace(year=LAST_YEAR, category=BudgetCategory.STAFF,
                           description="Projektledare", amount=amount)
    return SimpleNamespace(**row, goal_areas=[area], budget_lines=[line], attachments=[],
                           period_start=None, period_end=None, amount_applied=amount)


def _audit(action, entity: str, entity_id: int | None, summary: str, at: datetime) -> dict:
    return {"at": at, "actor": COORDINATOR, "action": action.value, "entity": entity,
            "entity_id": entity_id, "year": LAST_YEAR, "summary": summary[:500],
            "before": None, "after": None}


def add_report_year(year: int, grants: int) -> None:
    """Import a samverkan year whose call line holds `grants` grants (bulk), each paid twice;
    its follow-up PDF is then as long as those grants make it. Commits."""
    import_document(year_document(year, 0, grants * 60_000), ACTOR)
    line = call_line(year)
    areas = list(db.session.scalars(select(GoalArea).where(GoalArea.year == year)))
    ids = _insert(Grant, [
        {"line_id": line.id, "position": g, "title": f"Projekt {year}-{g} för psykisk hälsa",
         "owner": f"Kommun {g % 300:05d}", "partners": ["Region", "Förening"],
         "amount": 50_000_00, "paid": 40_000_00, "returned": 0, "status": "pågår"}
        for g in range(grants)])
    _insert_plain(grant_goal_area, [
        {"grant_id": gid, "goal_area_id": areas[g % len(areas)].id} for g, gid in enumerate(ids)])
    now = datetime.now(UTC)
    _insert(Payment, [
        {"grant_id": gid, "allocation_id": line.allocation_id, "kind": PaymentKind.PAYMENT,
         "amount": 20_000_00, "paid_on": date(year, 1 + s * 5, 1), "reference": "",
         "state": PaymentState.APPROVED, "registered_by": COORDINATOR, "registered_at": now,
         "decided_by": ADMIN, "decided_at": now, "note": ""} for gid in ids for s in range(2)])
    db.session.commit()
    db.session.remove()


def import_file(year: int, grants: int) -> str:
    """An exchange file of one year whose samverkan call line has `grants` grants."""
    return year_document(year, grants, grants * 50_000)
