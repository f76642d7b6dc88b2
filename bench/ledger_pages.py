"""Measure the ledger's pages at a small and a large ledger: the dashboard, an allocation page
with a big call, the lists of projects and payments (first and a deep page), a project page,
and registering one payment. Prints milliseconds (median of --runs) and SQL query counts per
size; not a test (nothing here may fail on a slow machine).

    .venv/bin/python bench/ledger_pages.py [--runs 5] [--large-years 20 --grants 2000 --payments 5000]

Uses throw-away SQLite files unless DATABASE_URL is set (then that database is emptied and
rebuilt through the migrations, once per size).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, func, select  # noqa: E402

from app import create_app  # noqa: E402
from app.core.audit import Actor  # noqa: E402
from app.extensions import db  # noqa: E402
from app.ledger.models import (  # noqa: E402
    Allocation,
    Earmark,
    Grant,
    Line,
    LineKind,
    Payment,
    PaymentKind,
    PaymentState,
)

PASSWORD = "ett-langt-losenord-for-matning"
ACTOR = Actor(label="bench")


def build(years: int, grants: int, payments: int) -> dict:
    """Fill the ledger: `years` years × every fund, the last year's samverkan call with
    `grants` projects and `payments` attested payments spread over them. Returns ids."""
    earmarks = list(db.session.scalars(select(Earmark).order_by(Earmark.sort_order)))
    first = 2030 - years + 1
    big_call = None
    for year in range(first, 2031):
        for e, earmark in enumerate(earmarks):
            allocation = Allocation(earmark=earmark, year=year, received=10_000_000_00,
                                    spend_until=date(year + 1, 12, 31))
            for i in range(5):
                allocation.lines.append(Line(position=i, activity=f"Aktivitet {i}",
                                             kind=LineKind.ACTIVITY, budget=100_000_00,
                                             spent=90_000_00, partners=[]))
            if e == 0:
                call = Line(position=5, activity="Projektutlysning", kind=LineKind.CALL,
                            budget=grants * 50_000_00 if year == 2030 else 100_000_00,
                            partners=[])
                allocation.lines.append(call)
                if year == 2030:
                    big_call = call
            db.session.add(allocation)
    db.session.flush()
    rows = [dict(line_id=big_call.id, position=g, title=f"Projekt {g:05d}",
                 owner=f"Kommun {g % 8}", partners=[], amount=50_000_00) for g in range(grants)]
    db.session.execute(Grant.__table__.insert(), rows)
    grant_ids = list(db.session.scalars(
        select(Grant.id).where(Grant.line_id == big_call.id).order_by(Grant.id)))
    own = big_call.allocation_id
    db.session.execute(Payment.__table__.insert(), [
        dict(grant_id=grant_ids[p % len(grant_ids)], allocation_id=own,
             kind=PaymentKind.PAYMENT.value, amount=1_000_00, paid_on=date(2030, 1 + p % 12, 1),
             reference=f"V-{p}", state=PaymentState.APPROVED.value, registered_by="bench",
             decided_by="bench", imported=False, note="")
        for p in range(payments)
    ] if grant_ids else [])
    db.session.commit()
    return {"allocation": own, "grant": grant_ids[len(grant_ids) // 2], "first": first}


def median_ms(fn, runs: int) -> tuple[float, int]:
    """Run `fn` `runs` times; return the median in ms and the statements of the last run."""
    times, counts = [], []
    for _ in range(runs):
        box = {"n": 0}

        def count(*_args):
            box["n"] += 1

        event.listen(db.engine, "before_cursor_execute", count)
        start = time.perf_counter()
        try:
            fn()
        finally:
            times.append((time.perf_counter() - start) * 1000)
            event.remove(db.engine, "before_cursor_execute", count)
        counts.append(box["n"])
    return statistics.median(times), counts[-1]


def measure(url: str, years: int, grants: int, payments: int, runs: int) -> dict[str, tuple]:
    from flask_migrate import downgrade, upgrade

    from app.accounts.users import create_user
    from app.ledger import payments as payment_operations

    app = create_app({"APP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url,
                      "SECRET_KEY": "bench"})
    with app.app_context():
        if url.startswith("postgresql"):
            upgrade()
            downgrade(revision="base")
        upgrade()
        create_user("bench@example.se", PASSWORD, "coordinator", ACTOR)
        ids = build(years, grants, payments)
        if url.startswith("postgresql"):
            with db.engine.connect() as connection:
                connection.exec_driver_sql("ANALYZE")
        db.session.remove()
    client = app.test_client()
    assert client.post("/login", data={"email": "bench@example.se", "password": PASSWORD},
                       follow_redirects=True).status_code == 200
    pages = {
        "dashboard": "/",
        "dashboard, first year": f"/?year={ids['first']}",
        "allocation page (big call)": f"/allocations/{ids['allocation']}",
        "projects list": "/projekt",
        "projects list, last page": f"/projekt?page={max(1, (grants + 49) // 50)}",
        "project page": f"/projekt/{ids['grant']}",
        "payments list": "/utbetalningar",
        "payments list, last page": f"/utbetalningar?page={max(1, (payments + 49) // 50)}",
    }
    out = {}
    with app.app_context():
        for label, path in pages.items():
            def get(path=path):
                assert client.get(path).status_code == 200, path
            client.get(path)  # warm up
            out[label] = median_ms(get, runs)

        def register():
            payment_operations.register_payment(payment_operations.PaymentInput(
                grant_id=ids["grant"], amount=1_00, paid_on=date(2030, 6, 1),
                reference="BENCH"), ACTOR)
            db.session.flush()
            db.session.rollback()
        out["register one payment"] = median_ms(register, runs)
        out["(rows: grants, payments)"] = (
            db.session.scalar(select(func.count(Grant.id))),
            db.session.scalar(select(func.count(Payment.id))))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--large-years", type=int, default=20)
    parser.add_argument("--grants", type=int, default=2000)
    parser.add_argument("--payments", type=int, default=5000)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL")
    sizes = {"small": (2, 10, 20), "large": (args.large_years, args.grants, args.payments)}
    results = {}
    for name, (years, grants, payments) in sizes.items():
        target = url or f"sqlite:///{tempfile.mkdtemp()}/bench-{name}.db"
        results[name] = measure(target, years, grants, payments, args.runs)
    print(f"database: {(url or 'sqlite').split(':')[0]}; small = 2 years, 10 grants, 20 payments; "
          f"large = {args.large_years} years, {args.grants} grants, {args.payments} payments")
    print(f"{'page':<30} {'small ms':>9} {'q':>4} {'large ms':>9} {'q':>4} {'ratio':>6}")
    for label in results["small"]:
        if label.startswith("("):
            continue
        (small_ms, small_q), (large_ms, large_q) = results["small"][label], results["large"][label]
        print(f"{label:<30} {small_ms:>9.1f} {small_q:>4} {large_ms:>9.1f} {large_q:>4} "
              f"{large_ms / small_ms:>6.2f}")


if __name__ == "__main__":
    main()
