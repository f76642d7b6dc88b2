"""Measure pages through the Flask test client, and reports and the import in a child process
with a time limit (a report that takes half an hour today must not hold up the benchmark)."""

from __future__ import annotations

import multiprocessing
import resource
import statistics
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import event

from app.core.audit import Actor
from app.core.reading import figures as figures_cache
from app.extensions import db
from app.ledger.exchange.importing import import_document
from app.year_reports.downloads import render_report
from bench import dataset


@dataclass(frozen=True)
class Page:
    """A page of the table: its name, who looks at it, and its URL (formatted with the
    data set's facts: call_id, application_id, grant_id, review_far_after,
    projects_far_after, payments_far_after, first_year, last_year)."""

    name: str
    role: str | None  # "coordinator", "admin", "applicant" or None (no login)
    url: str


#: Every page the table shows. Others change the pages (pagination, the dashboard's year):
#: adjust the URLs here, nowhere else.
PAGES = [
    Page("dashboard", "coordinator", "/"),
    Page("review list, page 1", "coordinator", "/calls/{call_id}"),
    Page("review list, far page", "coordinator", "/calls/{call_id}?after={review_far_after}"),
    Page("decision log", "coordinator", "/calls/{call_id}/decisions"),
    Page("application", "coordinator", "/calls/applications/{application_id}"),
    Page("projects list", "coordinator", "/projekt"),
    Page("projects list, far page", "coordinator", "/projekt?after={projects_far_after}"),
    Page("project page", "coordinator", "/projekt/{grant_id}"),
    Page("payments list", "coordinator", "/utbetalningar"),
    Page("payments list, far page", "coordinator", "/utbetalningar?after={payments_far_after}"),
    Page("applicant's own list", "applicant", "/ansokningar"),
    Page("audit log", "admin", "/admin/audit"),
    Page("/healthz", None, "/healthz"),
]
LOGINS = {"coordinator": dataset.COORDINATOR, "admin": dataset.ADMIN,
          "applicant": dataset.APPLICANT}


@contextmanager
def counted(engine=None):
    """Count the SQL statements the engine (the app context's by default) runs in the block."""
    engine = engine or db.engine
    box = {"n": 0}

    def count(*_args):
        box["n"] += 1

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield box
    finally:
        event.remove(engine, "before_cursor_execute", count)


def clients(app) -> dict:
    """A test client logged in for each role (the testing settings: no CSRF, no second factor)."""
    found = {None: app.test_client()}
    for role, email in LOGINS.items():
        client = app.test_client()
        response = client.post("/login", data={"email": email, "password": dataset.PASSWORD})
        if response.status_code != 302:
            raise SystemExit(f"bench: {role} {email} could not log in ({response.status_code})")
        found[role] = client
    return found


def measure_pages(app, facts: dataset.Facts, runs: int) -> dict[str, dict]:
    """Return, per page: its URL, status, queries of one view and the median milliseconds."""
    logged_in = clients(app)
    with app.app_context():
        engine = db.engine
    # Each request outside any app context of ours: a shared one would keep `g` (and the
    # logged-in user flask-login caches there) from one request to the next.
    results = {}
    for page in PAGES:
        url = page.url.format(**vars(facts))
        client = logged_in[page.role]
        client.get(url)  # warm: templates compiled, caches filled
        times, queries, status, size = [], 0, 0, 0
        for _ in range(runs):
            with counted(engine) as box:
                start = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - start) * 1000)
            queries, status, size = box["n"], response.status_code, len(response.data)
        # The first view after a change: what the figures cache kept is forgotten first.
        fresh, fresh_queries = [], 0
        for _ in range(runs):
            figures_cache.forget()
            with counted(engine) as box:
                start = time.perf_counter()
                client.get(url)
                fresh.append((time.perf_counter() - start) * 1000)
            fresh_queries = box["n"]
        results[page.name] = {"url": url, "status": status, "queries": queries,
                              "ms": round(statistics.median(times), 1), "bytes": size,
                              "fresh_ms": round(statistics.median(fresh), 1),
                              "fresh_queries": fresh_queries}
    return results


def _memory_kb(field: str) -> int:
    """A figure of /proc/self/status in kB (Linux), else 0."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _reset_peak_memory() -> int:
    """Forget the peak memory the forked child inherited (Linux: clear_refs 5), so its peak is
    the work's own; return the memory in use now, in kB."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass
    return _memory_kb("VmRSS") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _child(pipe, app, work: Callable[[], dict]) -> None:
    with app.app_context():
        db.engine.dispose(close=False)  # the parent's pooled connections stay the parent's
        engine = db.engine
    # The work pushes its own app context (a request does), so no `g` is shared with ours.
    start_rss = _reset_peak_memory()
    try:
        with counted(engine) as box:
            start = time.perf_counter()
            figures = work()
            figures["seconds"] = round(time.perf_counter() - start, 2)
        figures["queries"] = box["n"]
        peak = _memory_kb("VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        figures["peak_mb"] = round(peak / 1024, 1)
        figures["grew_mb"] = round((peak - start_rss) / 1024, 1)
    except Exception as exc:  # noqa: BLE001 - reported in the table, not a traceback
        figures = {"error": f"{type(exc).__name__}: {exc}"[:300]}
    pipe.send(figures)


def in_child(app, work: Callable[[], dict], timeout: float) -> dict:
    """Run `work` in a forked process; return its figures, or that it passed `timeout`."""
    context = multiprocessing.get_context("fork")
    parent, child = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(child, app, work))
    process.start()
    figures = parent.recv() if parent.poll(timeout) else None
    if figures is None:
        process.kill()
        figures = {"error": f"timed out after {timeout:.0f} s", "seconds": None}
    process.join()
    return figures


def pdf_pages(data: bytes) -> int:
    """Count the pages of a PDF (ReportLab writes one /Type /Page object a page)."""
    return data.count(b"/Type /Page") - data.count(b"/Type /Pages")


def followup_pdf(app, year: int) -> Callable[[], dict]:
    """The samverkan follow-up of `year` as a PDF, as downloads.render_report makes it."""

    def work() -> dict:
        with app.app_context():
            data = render_report("followup", "samverkan", year, "pdf")
        return {"pages": pdf_pages(data), "bytes": len(data)}

    return work


def decisions_pdf(client, call_id: int) -> Callable[[], dict]:
    """The call's decision log as a PDF, fetched by a logged-in coordinator's client."""

    def work() -> dict:
        response = client.get(f"/calls/{call_id}/decisions.pdf")
        if response.status_code != 200:
            raise RuntimeError(f"HTTP {response.status_code}")
        return {"pages": pdf_pages(response.data), "bytes": len(response.data)}

    return work


def import_exchange(app, text: str) -> Callable[[], dict]:
    """Import an exchange document and commit, as `flask funds import` does."""

    def work() -> dict:
        with app.app_context():
            import_document(text, Actor(label="bench"))
            db.session.commit()
        return {"bytes": len(text.encode())}

    return work
