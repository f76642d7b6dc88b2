"""Measure the call's pages and the audit log at 10 and at 10 000 applications: milliseconds
(median of five) and SQL statements of each page. Not a test.

    .venv/bin/python bench/call_pages.py [--sizes 10 10000]

The rows are bulk-inserted: one call, its applications (one budget line and goal area each,
a tenth decided), an organisation for every 20 applications and an audit entry for each
application. Uses a throw-away SQLite file unless DATABASE_URL is set (then it empties it).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, insert, select, text  # noqa: E402

from app import create_app  # noqa: E402
from app.accounts.models import Organisation  # noqa: E402
from app.accounts.users import create_user  # noqa: E402
from app.call.models import (  # noqa: E402
    Application,
    ApplicationBudgetLine,
    BudgetCategory,
    Decision,
    DecisionOutcome,
    application_goal_area,
)
from app.call.rules import ApplicationState  # noqa: E402
from app.core.audit import Actor  # noqa: E402
from app.core.models import AuditEntry  # noqa: E402
from app.extensions import db  # noqa: E402
from tests.call.factories import make_call, make_pool  # noqa: E402

A = ApplicationState
PASSWORD = "Kvällsdimma över Storsjön 7"


def fill(n: int) -> dict:
    """Insert a call with `n` applications and what goes with them; return ids to visit."""
    call = make_call(make_pool(1_000_000_000))
    area = call.goal_areas[0].id
    orgs = max(1, n // 20)
    db.session.execute(insert(Organisation), [
        {"name": f"Organisation {i:05}", "kind": "municipality"} for i in range(orgs)])
    org_ids = list(db.session.scalars(select(Organisation.id).order_by(Organisation.id)))
    now = datetime.now(UTC)
    states = [A.SUBMITTED, A.UNDER_REVIEW, A.RETURNED, A.GRANTED, A.REJECTED]
    db.session.execute(insert(Application), [
        {"call_id": call.id, "organisation_id": org_ids[i % orgs], "state": states[i % 5],
         "title": f"Projekt {i}", "submitted_at": now - timedelta(minutes=i),
         "created_at": now - timedelta(minutes=i), "updated_at": now,
         "proposed_amount": 100_000} for i in range(n)])
    app_ids = list(db.session.scalars(select(Application.id).order_by(Application.id)))
    db.session.execute(insert(ApplicationBudgetLine), [
        {"application_id": a, "year": 2022, "category": BudgetCategory.STAFF,
         "amount": 500_000} for a in app_ids])
    db.session.execute(insert(application_goal_area),
                       [{"application_id": a, "goal_area_id": area} for a in app_ids])
    decided = app_ids[3::10]
    db.session.execute(insert(Decision), [
        {"call_id": call.id, "application_id": a, "sequence": s + 1,
         "outcome": DecisionOutcome.REJECTED, "amount": 0, "body": "SVOM",
         "decided_on": date(2022, 6, 10), "decided_by": "bench"}
        for s, a in enumerate(decided)])
    db.session.execute(insert(AuditEntry), [
        {"actor": "bench", "action": "application.submit", "entity": "application",
         "entity_id": a, "year": 2022, "summary": f"Inskickad {a}", "at": now}
        for a in app_ids])
    applicant = f"sokande{n}@example.se"
    create_user(applicant, PASSWORD, "applicant", Actor("bench"),
                organisation=db.session.get(Organisation, org_ids[0]))
    db.session.commit()
    # The planner's statistics, as a live database keeps them (autovacuum, or SQLite's
    # `PRAGMA optimize`), not those of empty tables just bulk-filled.
    db.session.execute(text("ANALYZE"))
    db.session.commit()
    middle = app_ids[len(app_ids) // 2]
    last_entry = db.session.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc()))
    return {"call": call.id, "middle": middle, "decision": len(decided) // 2,
            "entry": last_entry - n // 2, "applicant": applicant}


def measure(app, client, path: str) -> tuple[float, int]:
    with app.app_context():
        engine = db.engine
    count = {"n": 0}

    def seen(*args):
        count["n"] += 1

    times = []
    for _ in range(5):
        count["n"] = 0
        event.listen(engine, "before_cursor_execute", seen)
        start = time.perf_counter()
        status = client.get(path).status_code
        times.append((time.perf_counter() - start) * 1000)
        event.remove(engine, "before_cursor_execute", seen)
        assert status == 200, (path, status)
    return statistics.median(times), count["n"]


def run(n: int) -> list[tuple[str, float, int]]:
    tmp = tempfile.mkdtemp()
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp}/bench.db"
    app = create_app({"APP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url,
                      "SECRET_KEY": "bench"})
    from flask_migrate import downgrade, upgrade

    with app.app_context():
        if url.startswith("postgresql"):
            upgrade()
            downgrade(revision="base")
        upgrade()
        create_user("bench@example.se", PASSWORD, "admin", Actor("bench"))
        db.session.commit()
        ids = fill(n)
        db.session.remove()
    staff, applicant = app.test_client(), app.test_client()
    staff.post("/login", data={"email": "bench@example.se", "password": PASSWORD})
    applicant.post("/login", data={"email": ids["applicant"], "password": PASSWORD})
    c = ids["call"]
    pages = [
        ("review list", staff, f"/calls/{c}"),
        ("review list, middle page", staff, f"/calls/{c}?after={ids['middle']}"),
        ("review list, filtered", staff, f"/calls/{c}?state=under_review"),
        ("decision log", staff, f"/calls/{c}/decisions"),
        ("decision log, middle page", staff,
         f"/calls/{c}/decisions?after={ids['decision'] + 1}"),
        ("Mina ansökningar", applicant, "/ansokningar"),
        ("organisations", staff, "/calls/organisations"),
        ("organisations, searched", staff, "/calls/organisations?q=0001"),
        ("merge page", staff, "/calls/organisations/merge"),
        ("audit log", staff, "/admin/audit"),
        ("audit log, middle page", staff, f"/admin/audit?after={ids['entry']}"),
        ("audit log, filtered", staff, "/admin/audit?year=2022&action=application.submit"),
    ]
    return [(label, *measure(app, client, path)) for label, client, path in pages]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 10_000])
    sizes = parser.parse_args().sizes
    results = {n: run(n) for n in sizes}
    print(f"{'page':32}" + "".join(f"{f'{n} ms':>12}{'queries':>9}" for n in sizes))
    for i, (label, *_rest) in enumerate(results[sizes[0]]):
        print(f"{label:32}" + "".join(
            f"{results[n][i][1]:12.1f}{results[n][i][2]:9d}" for n in sizes))


if __name__ == "__main__":
    main()
