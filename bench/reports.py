"""Measure the reports at growing sizes: the follow-up and budget of a fund with 1 000 and
5 000 grants (PDF, Excel, the year's workbook) and the decisions PDF of a call with 10 000
decided applications. Prints seconds (wall and CPU), pages, size and peak memory; not a test.

    .venv/bin/python bench/reports.py [--grants 1000 5000] [--applications 10000] [--no-memory]

Uses a throw-away SQLite file. The time is measured without tracemalloc; the peak memory in a
second run of the same report under tracemalloc (which slows it down), unless --no-memory.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import yaml  # noqa: E402
from pypdf import PdfReader  # noqa: E402
from sqlalchemy import insert, select  # noqa: E402

from app import create_app  # noqa: E402
from app.core.audit import Actor  # noqa: E402
from app.extensions import db  # noqa: E402

FIRST_YEAR = 2030
AREAS = tuple(f"Målområde {n}" for n in range(1, 8))


def fund_document(year: int, grants: int) -> str:
    """Return an exchange document: samverkan in `year`, 40 lines and a call of `grants`."""
    lines = [
        {"goal_area": AREAS[i % len(AREAS)], "activity": f"Aktivitet {i} med en beskrivning "
         "som är lång nog att brytas på två rader", "budget": 10_000 + i, "spent": 9_000 + i}
        for i in range(40)
    ]
    lines.append({
        "goal_area": "Projektutlysning", "kind": "call", "activity": "Utlysning",
        "budget": grants * 60_000, "spent": grants * 50_000,
        "grants": [
            {"title": f"Projekt {g} för bättre samverkan kring unga", "owner": f"Kommun {g % 8}",
             "partners": ["Region Jämtland Härjedalen"],
             "goal_areas": [AREAS[(g // 25) % len(AREAS)]],
             "amount": 50_000, "paid": 40_000, "returned": 1_000 * (g % 3)}
            for g in range(grants)
        ],
    })
    received = sum(line["budget"] for line in lines) + 100_000
    return yaml.safe_dump({
        "format": "stimulansmedel/1", "region": "Region Jämtland Härjedalen",
        "allocations": [{"earmark": "samverkan", "year": year, "received": received,
                         "lines": lines}],
    }, allow_unicode=True, sort_keys=False)


def make_call_with_decisions(year: int, count: int, actor: Actor) -> int:
    """Create a call on its own pool with `count` decided applications (bulk inserted)."""
    from app.accounts.organisations import create_organisation
    from app.call.models import Application, Call, Decision, DecisionOutcome
    from app.call.rules import ApplicationState, CallState
    from app.ledger.exchange.importing import import_document
    from app.ledger.models import Allocation, Earmark, Line, LineKind

    import_document(yaml.safe_dump({"format": "stimulansmedel/1", "allocations": [{
        "earmark": "suicidprevention", "year": year, "received": 10**9,
        "lines": [{"goal_area": "Projektutlysning", "kind": "call", "activity": "Utlysning",
                   "budget": 10**8}],
    }]}, allow_unicode=True), actor)
    line_id = db.session.scalar(
        select(Line.id).join(Allocation, Line.allocation_id == Allocation.id).join(Earmark)
        .where(Allocation.year == year, Earmark.code == "suicidprevention",
               Line.kind == LineKind.CALL))
    now = datetime.now(UTC)
    call = Call(line_id=line_id, title="Projektutlysning", opens_at=now - timedelta(days=30),
                closes_at=now - timedelta(days=1), state=CallState.CLOSED, created_by="bench")
    db.session.add(call)
    organisations = [create_organisation(f"Kommun {n}", "municipality", actor).id
                     for n in range(40)]
    db.session.flush()
    first = (db.session.scalar(select(db.func.max(Application.id))) or 0) + 1
    outcomes = (DecisionOutcome.GRANTED, DecisionOutcome.PARTLY_GRANTED, DecisionOutcome.REJECTED)
    db.session.execute(insert(Application), [
        {"id": first + n, "call_id": call.id, "organisation_id": organisations[n % 40],
         "state": ApplicationState(outcomes[n % 3].value), "title": f"Ansökan {n} om ett lokalt projekt",
         "owner": f"Kommun {n % 40}", "created_at": now, "updated_at": now}
        for n in range(count)
    ])
    db.session.execute(insert(Decision), [
        {"call_id": call.id, "application_id": first + n, "sequence": n + 1,
         "outcome": outcomes[n % 3], "amount": 0 if n % 3 == 2 else 10_000_000,
         "conditions": "Redovisas i slutrapporten" if n % 3 == 1 else "",
         "reason": "Saknar samverkan" if n % 3 == 2 else "", "body": "SVOM",
         "decided_on": date(year, 6, 10), "paragraph": f"§{n + 1}",
         "diary_number": f"RUN/{n}/{year}", "decided_by": "bench", "created_at": now}
        for n in range(count)
    ])
    return call.id


def pages_of(content: bytes) -> int | str:
    if not content.startswith(b"%PDF"):
        return "-"
    return len(PdfReader(io.BytesIO(content)).pages)


def measure(label: str, render, rows: list, *, memory: bool) -> None:
    start, cpu = time.perf_counter(), time.process_time()
    content = render()
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = "-"
    if memory:
        db.session.expire_all()
        tracemalloc.start()
        render()
        peak = f"{tracemalloc.get_traced_memory()[1] / 2**20:.0f}"
        tracemalloc.stop()
    rows.append((label, elapsed, cpu, pages_of(content), f"{len(content) / 1024:.0f}", peak))
    print(f"{label:<46} {elapsed:>8.2f} s", file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--grants", type=int, nargs="*", default=[1000, 5000])
    parser.add_argument("--applications", type=int, default=10_000)
    parser.add_argument("--no-memory", action="store_true")
    args = parser.parse_args()
    memory = not args.no_memory

    tmp = tempfile.mkdtemp()
    url = f"sqlite:///{tmp}/bench.db"
    app = create_app({"APP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url,
                      "SECRET_KEY": "bench"})
    from flask_migrate import upgrade

    from app.jobs.kinds import DECISIONS_PDF, build
    from app.ledger.exchange.importing import import_document
    from app.year_reports.downloads import (
        render_report,
        render_year_document,
        render_year_workbook,
    )

    actor = Actor(label="bench")
    rows: list[tuple] = []
    load = os.getloadavg()
    with app.app_context():
        upgrade()
        for offset, grants in enumerate(args.grants):
            start = time.perf_counter()
            import_document(fund_document(FIRST_YEAR + offset, grants), actor)
            db.session.commit()
            print(f"imported {grants} grants in {time.perf_counter() - start:.1f} s",
                  file=sys.stderr, flush=True)
        call_year = FIRST_YEAR + len(args.grants)
        call_id = make_call_with_decisions(call_year, args.applications, actor)
        db.session.commit()

        for offset, grants in enumerate(args.grants):
            year = FIRST_YEAR + offset
            for kind, fmt in (("followup", "pdf"), ("budget", "pdf"), ("followup", "xlsx")):
                measure(f"{kind} {fmt}, {grants} grants",
                        lambda k=kind, f=fmt, y=year: render_report(k, "samverkan", y, f),
                        rows, memory=memory)
            measure(f"year workbook, {grants} grants",
                    lambda y=year: render_year_workbook(y), rows, memory=memory)
            # The year's document lays itself out twice (its contents need the pages).
            measure(f"year document pdf, {grants} grants",
                    lambda y=year: render_year_document(y, "pdf"), rows, memory=memory)
        # As the web request and the worker build it.
        measure(f"decisions pdf, {args.applications} applications",
                lambda: build(DECISIONS_PDF, {"call_id": call_id}).content, rows, memory=memory)

    print(f"sqlite, {os.cpu_count()} CPUs, load average before {load[0]:.2f} "
          f"and after {os.getloadavg()[0]:.2f}")
    # CPU seconds are the fairer figure on a machine others are using at the same time.
    print(f"{'report':<42} {'seconds':>8} {'CPU s':>7} {'pages':>6} {'kB':>6} {'peak MB':>8}")
    for label, elapsed, cpu, pages, size, peak in rows:
        print(f"{label:<42} {elapsed:>8.2f} {cpu:>7.2f} {pages:>6} {size:>6} {peak:>8}")


if __name__ == "__main__":
    main()
