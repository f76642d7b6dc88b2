"""Benchmark the app at a small and a large size: pages, reports, the import and a load test.

    python bench/run.py [--small-only] [--no-load] [--seconds 10] [--large 10000] [--redis URL]

Builds a small (10 applications) and a large (10 000 applications in one call, 8 000
decisions, ~2 000 grants, ~5 000 payments, 20 years x 3 funds) data set (see bench/dataset.py
for what goes through the app's services and what is bulk-inserted), each on a throw-away
SQLite file, or with DATABASE_URL on that PostgreSQL database, which it EMPTIES and migrates.
Then prints:

- per page (bench/measure.py PAGES): queries and median milliseconds at both sizes, and the
  ratio large/small, through the Flask test client logged in as the page's role; then the
  same for the first view after a change (the figures the app keeps between changes
  forgotten before each view);
- the reports on the large data set: the follow-up PDF of 1 000 and 5 000 grants (seconds,
  pages, peak memory), the decisions PDF of the call; and importing an exchange file of
  10 000 grants (seconds, queries), each in a child process stopped after --report-timeout;
- a load test (bench/load.py): gunicorn with 4 workers, 50 concurrent clients per URL;
- last, one line of JSON with every figure.

Not a test: nothing here fails on a slow machine. docs/performance.md has the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from bench import dataset, load, measure  # noqa: E402


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small-only", action="store_true",
                        help="only the small data set (and small reports): a quick check")
    parser.add_argument("--no-load", action="store_true", help="skip the gunicorn load test")
    parser.add_argument("--seconds", type=int, default=10, help="load test seconds per URL")
    parser.add_argument("--redis", metavar="URL", default=None,
                        help="the load test's server keeps its figures in this Redis (as "
                             "several machines would), e.g. redis://127.0.0.1:6379/5")
    parser.add_argument("--large", type=int, default=10_000, help="applications, large set")
    parser.add_argument("--small", type=int, default=10, help="applications, small set")
    parser.add_argument("--runs", type=int, default=5, help="views of each page (median)")
    parser.add_argument("--report-grants", default=None,
                        help="follow-up sizes, comma-separated (default 1000,5000; "
                             "20,50 with --small-only)")
    parser.add_argument("--import-grants", type=int, default=None,
                        help="grants in the imported file (default 10000; 100 with --small-only)")
    parser.add_argument("--report-timeout", type=float, default=120,
                        help="seconds before a report or the import is stopped")
    args = parser.parse_args(argv)
    small = args.small_only
    args.report_grants = [int(n) for n in (args.report_grants or
                                           ("20,50" if small else "1000,5000")).split(",")]
    args.import_grants = args.import_grants or (100 if small else 10_000)
    return args


def make_app(url: str, folder: str):
    # The reports are measured as they are built: on the web one this large goes to a job
    # (REPORT_INLINE_MAX_ROWS), which would answer 303 instead of the file.
    return create_app({"APP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url,
                       "SECRET_KEY": "bench", "UPLOAD_FOLDER": folder,
                       "REPORT_INLINE_MAX_ROWS": 10**9})


def build(url: str, folder: str, applications: int):
    """Empty and migrate the database, fill it at one size; return (app, facts, seconds)."""
    app = make_app(url, folder)
    with app.app_context():
        start = time.perf_counter()
        dataset.empty_and_migrate()
        facts = dataset.build(dataset.Size.of(applications))
        seconds = round(time.perf_counter() - start, 1)
    return app, facts, seconds


def reports(app, facts: dataset.Facts, args) -> dict:
    """The follow-ups, the decisions PDF and the import, each in a child with a time limit."""
    found: dict = {}
    coordinator = measure.clients(app)["coordinator"]
    found["decisions PDF"] = {
        "applications": facts.counts["applications"],
        **measure.in_child(app, measure.decisions_pdf(coordinator, facts.call_id),
                           args.report_timeout)}
    year = facts.first_year
    for grants in args.report_grants:
        year -= 1
        with app.app_context():
            dataset.add_report_year(year, grants)
        found[f"follow-up PDF, {grants} grants"] = {
            "grants": grants,
            **measure.in_child(app, measure.followup_pdf(app, year), args.report_timeout)}
    text = dataset.import_file(year - 1, args.import_grants)
    found[f"import, {args.import_grants} grants"] = {
        "grants": args.import_grants,
        **measure.in_child(app, measure.import_exchange(app, text), args.report_timeout)}
    return found


def _ratio(small: float, large: float) -> str:
    return f"{large / small:.1f}" if small else "-"


def print_table(sizes: dict, pages: dict) -> None:
    names = [page.name for page in measure.PAGES]
    small, large = pages.get("small", {}), pages.get("large", {})
    print(f"\n{'page':<24} {'queries small':>13} {'queries large':>13} {'ms small':>9} "
          f"{'ms large':>9} {'ratio':>6}")
    for name in names:
        s, g = small.get(name, {}), large.get(name, {})
        flag = "" if {s.get("status", 200), g.get("status", 200)} <= {200} else \
            f"  (HTTP {s.get('status')}/{g.get('status')})"
        print(f"{name:<24} {s.get('queries', '-'):>13} {g.get('queries', '-'):>13} "
              f"{s.get('ms', '-'):>9} {g.get('ms', '-'):>9} "
              f"{_ratio(s.get('ms', 0), g.get('ms', 0)) if g else '-':>6}{flag}")


def print_fresh(pages: dict) -> None:
    """The first view after a change: each page with its kept figures forgotten."""
    small, large = pages.get("small", {}), pages.get("large", {})
    print(f"\n{'after a change':<24} {'queries small':>13} {'queries large':>13} {'ms small':>9} "
          f"{'ms large':>9} {'ratio':>6}")
    for name in [page.name for page in measure.PAGES]:
        s, g = small.get(name, {}), large.get(name, {})
        print(f"{name:<24} {s.get('fresh_queries', '-'):>13} {g.get('fresh_queries', '-'):>13} "
              f"{s.get('fresh_ms', '-'):>9} {g.get('fresh_ms', '-'):>9} "
              f"{_ratio(s.get('fresh_ms', 0), g.get('fresh_ms', 0)) if g else '-':>6}")


def print_reports(found: dict) -> None:
    print(f"\n{'report':<30} {'seconds':>8} {'pages':>6} {'queries':>8} {'peak MB':>8} "
          f"{'grew MB':>8}")
    for name, f in found.items():
        if "error" in f:
            print(f"{name:<30} {f['error']}")
            continue
        print(f"{name:<30} {f['seconds']:>8} {f.get('pages', '-'):>6} {f['queries']:>8} "
              f"{f['peak_mb']:>8} {f['grew_mb']:>8}")


def print_load(found: dict) -> None:
    print(f"\n{'load (50 clients)':<24} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for name, f in found.items():
        if "error" in f:
            print(f"{name:<24} {f['error']}")
            continue
        print(f"{name:<24} {f['rps']:>8} {f['p50_ms']:>8} {f['p99_ms']:>8} {f['errors']:>7}")
    base, dash = found.get("/healthz", {}).get("rps"), found.get("dashboard", {}).get("rps")
    if base and dash is not None:
        print(f"dashboard throughput: {100 * dash / base:.1f} % of /healthz's")


def main(argv: list[str] | None = None) -> dict:
    args = parse(argv)
    folder = tempfile.mkdtemp(prefix="bench-")
    given = os.environ.get("DATABASE_URL")
    figures: dict = {"database": "postgresql" if given else "sqlite", "sizes": {},
                     "build_seconds": {}, "pages": {}}
    wanted = {"small": args.small} if args.small_only else {"small": args.small,
                                                             "large": args.large}
    app = facts = url = None
    for label, applications in wanted.items():
        url = given or f"sqlite:///{folder}/{label}.db"
        if app is not None:
            with app.app_context():
                db.engine.dispose()  # PostgreSQL: let the rebuild drop the tables
        app, facts, seconds = build(url, folder, applications)
        figures["sizes"][label] = facts.counts
        figures["build_seconds"][label] = seconds
        print(f"{label}: {facts.counts} built in {seconds} s", file=sys.stderr)
        figures["pages"][label] = measure.measure_pages(app, facts, args.runs)
    print(f"database: {figures['database']}; sizes: " + "; ".join(
        f"{k} {v['applications']} applications, {v['grants']} grants, {v['payments']} "
        f"payments, {v['years']} years x {v['funds']} funds" for k, v in figures["sizes"].items()))
    print_table(figures["sizes"], figures["pages"])
    print_fresh(figures["pages"])
    if not args.no_load:
        figures["load"] = load.load_test(url, facts, args.seconds, args.redis)
        figures["load_redis"] = bool(args.redis)
        print_load(figures["load"])
        print("the server's kept figures: " + (f"in Redis ({args.redis}) and each worker"
                                               if args.redis else "in each worker"))
    figures["reports"] = reports(app, facts, args)
    print_reports(figures["reports"])
    with app.app_context():
        db.engine.dispose()
    print(json.dumps(figures, ensure_ascii=False, sort_keys=True))
    return figures


if __name__ == "__main__":
    main()
