"""Measure the ledger at growing sizes: import, dashboard, allocation page, export, closing,
reports, and the project pages (every grant is imported with paid and returned, which become
attested payments and refunds). Prints seconds and SQL query counts; not a test.

    .venv/bin/python bench/ledger.py [--years 10] [--lines 200] [--grants 20]

Uses a throw-away SQLite file unless DATABASE_URL is set.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import yaml  # noqa: E402
from sqlalchemy import event  # noqa: E402

from app import create_app  # noqa: E402
from app.core.audit import Actor  # noqa: E402
from app.extensions import db  # noqa: E402

EARMARKS = ("brukarmiljonen", "samverkan", "suicidprevention")


def make_document(year: int, lines: int, grants: int) -> str:
    """Build a valid exchange document for one year with many lines and one call of grants."""
    allocations = []
    for e, code in enumerate(EARMARKS):
        rows = [
            {"goal_area": f"Målområde {i % 7}", "activity": f"Aktivitet {i} i {code}",
             "budget": 1000 + i, "spent": 900 + i}
            for i in range(lines)
        ]
        if code == "samverkan":
            rows.append({
                "goal_area": "Projektutlysning", "kind": "call", "activity": "Utlysning",
                "spent": grants * 50_000,
                "grants": [
                    {"title": f"Projekt {g}", "owner": f"Kommun {g % 8}",
                     "partners": ["Region"], "goal_areas": [f"Målområde {g % 7}"],
                     "amount": 50_000, "paid": 40_000, "returned": 1_000 * (g % 3)}
                    for g in range(grants)
                ],
            })
        received = sum(r.get("spent", 0) for r in rows) + 10_000 * (e + 1)
        allocations.append({"earmark": code, "year": year, "received": received, "lines": rows})
    return yaml.safe_dump({"format": "stimulansmedel/1", "allocations": allocations},
                          allow_unicode=True, sort_keys=False)


@contextmanager
def counted():
    """Count the SQL statements run inside the block."""
    box = {"n": 0}

    def count(*_args):
        box["n"] += 1

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield box
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def timed(label: str, fn, rows: list):
    with counted() as queries:
        start = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - start
    rows.append((label, elapsed, queries["n"]))
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--lines", type=int, default=200)
    parser.add_argument("--grants", type=int, default=20)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp()
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp}/bench.db"
    app = create_app({"APP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    from flask_migrate import downgrade, upgrade

    from app.accounts.users import create_user
    from app.ledger.exchange.exporting import export_year
    from app.ledger.exchange.importing import import_document
    from app.ledger.years import close_year

    actor = Actor(label="bench")
    rows: list[tuple[str, float, int]] = []
    with app.app_context():
        if url.startswith("postgresql"):
            upgrade()
            downgrade(revision="base")
        upgrade()
        create_user("bench@example.se", "bench-password", "coordinator", actor)
        db.session.commit()
        first = 2000
        for y in range(first, first + args.years):
            text = make_document(y, args.lines, args.grants)
            timed(f"import {y} ({3 * args.lines + args.grants} rows)", lambda t=text: (
                import_document(t, actor), db.session.commit()), rows)
        timed("export one year", lambda: export_year(first), rows)
        timed(f"close {first}", lambda: (close_year(first, actor), db.session.commit()), rows)
        try:
            from app.year_reports.downloads import render_report

            timed("follow-up PDF, samverkan",
                  lambda: render_report("followup", "samverkan", first, "pdf"), rows)
            timed("budget XLSX, samverkan",
                  lambda: render_report("budget", "samverkan", first + (args.years > 1), "xlsx"), rows)
        except NotImplementedError:
            pass
        db.session.remove()

    client = app.test_client()
    client.post("/login", data={"email": "bench@example.se", "password": "bench-password"})
    with app.app_context():
        pages = (
            ("dashboard page", "/"), ("allocation page", "/allocations/2"),
            ("projects list", "/projekt"), ("project page", "/projekt/1"),
            ("payments list", "/utbetalningar"), ("projects as Excel", "/projekt?format=xlsx"),
            (f"year {first + 1} workbook", f"/years/{first + 1}/workbook.xlsx"),
        )
        for label, path in pages:
            with counted() as queries:
                start = time.perf_counter()
                status = client.get(path).status_code
                elapsed = time.perf_counter() - start
            rows.append((f"{label} (HTTP {status})", elapsed, queries["n"]))

    print(f"database: {url.split(':')[0]}; {args.years} years × 3 funds × {args.lines} lines, "
          f"{args.grants} grants per call")
    print(f"{'what':<44} {'seconds':>9} {'queries':>8}")
    for label, elapsed, queries in rows:
        print(f"{label:<44} {elapsed:>9.3f} {queries:>8}")


if __name__ == "__main__":
    main()
