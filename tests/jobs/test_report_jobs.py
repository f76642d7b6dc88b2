"""A large report is built by a job: the person sees its progress, then fetches the file."""

from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest
from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from app.core.errors import DomainError
from app.core.types import utcnow
from app.extensions import db
from app.jobs import kinds, queue
from app.jobs.models import ReportJob
from app.jobs.rules import JobState
from app.ledger.models import Allocation, Earmark
from tests.call.factories import create_applicant, create_organisation
from tests.conftest import login
from tests.jobs.conftest import job_count, work_one
from tests.web.route_world import build_world

FOLLOWUP_PDF = "/reports/followup/samverkan/2020.pdf"


def _job_url(response) -> str:
    assert response.status_code == 303, response.status_code
    location = response.headers["Location"]
    assert re.fullmatch(r"/rapporter/\d+", location), location
    return location


def _job(app, url: str) -> ReportJob:
    with app.app_context():
        job = db.session.get(ReportJob, int(url.rsplit("/", 1)[1]))
        db.session.expunge(job)
        db.session.remove()
    return job


def test_a_small_report_is_still_sent_at_once(as_role, imported_2020, app):
    """Below the threshold, does the download answer with the file itself, and no job?"""
    response = as_role("viewer").get(FOLLOWUP_PDF)
    assert response.status_code == 200
    assert response.data.startswith(b"%PDF")
    assert job_count(app) == 0


def test_a_large_report_goes_through_a_job_to_its_file(as_role, imported_2020, jobs_for_all):
    """Above the threshold: a progress page, a worker builds it, and the file is offered."""
    app = jobs_for_all
    client = as_role("viewer")
    url = _job_url(client.get(FOLLOWUP_PDF))

    page = client.get(url)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Rapporten skapas…" in html
    assert "job_progress.js" in html and 'http-equiv="refresh"' in html
    assert "<script>" not in html  # the CSP forbids inline scripts
    state = client.get(f"{url}/status.json").get_json()
    assert state["state"] == "queued" and not state["finished"] and state["download"] is None

    assert work_one(app) is JobState.DONE
    assert work_one(app) is None  # nothing left

    state = client.get(f"{url}/status.json").get_json()
    assert state == {**state, "state": "done", "progress": 100, "finished": True,
                     "download": f"{url}/fil"}
    page = client.get(url).get_data(as_text=True)
    assert "Rapporten är klar." in page and f'href="{url}/fil"' in page
    assert "job_progress.js" not in page  # nothing left to wait for
    download = client.get(f"{url}/fil")
    assert download.status_code == 200
    assert download.headers["Content-Type"] == "application/pdf"
    assert "uppfoljning-samverkan-2020.pdf" in download.headers["Content-Disposition"]
    assert download.headers["Cache-Control"] == "private, no-store"
    assert download.data.startswith(b"%PDF")


def test_asking_again_while_it_waits_does_not_build_it_twice(as_role, imported_2020,
                                                             jobs_for_all):
    """Does a reload of the download link, while the job waits, lead to the same job?"""
    client = as_role("coordinator")
    first = _job_url(client.get(FOLLOWUP_PDF))
    assert _job_url(client.get(FOLLOWUP_PDF)) == first
    assert _job_url(client.get("/reports/followup/samverkan/2020.xlsx")) != first
    assert job_count(jobs_for_all) == 2


def test_a_report_in_english_is_built_in_english(as_role, imported_2020, jobs_for_all):
    """Does the job remember the language of the page the person asked from?"""
    client = as_role("coordinator")
    client.post("/lang", data={"lang": "en", "next": "/"})
    url = _job_url(client.get("/reports/budget/samverkan/2020.xlsx"))
    assert _job(jobs_for_all, url).parameters["lang"] == "en"


def test_only_the_asker_or_staff_may_see_or_fetch_it(app, client, as_role, make_user,
                                                      imported_2020, jobs_for_all):
    """Can a colleague on the staff fetch it, while an applicant and anonymous cannot?"""
    url = _job_url(as_role("viewer").get(FOLLOWUP_PDF))
    work_one(app)
    with app.app_context():
        applicant_email = create_applicant(create_organisation())
        db.session.commit()
        db.session.remove()
    applicant, colleague = app.test_client(), app.test_client()
    login(applicant, applicant_email)
    login(colleague, make_user("coordinator"))
    for path in (url, f"{url}/status.json", f"{url}/fil"):
        anonymous = app.test_client().get(path)
        assert anonymous.status_code == 302 and anonymous.headers["Location"].startswith(
            "/login")
        assert applicant.get(path).status_code == 404
        assert colleague.get(path).status_code == 200
    assert client.get("/rapporter/999999").status_code == 404  # as_role logged `client` in


def test_the_file_cannot_be_fetched_before_it_is_ready(as_role, imported_2020, jobs_for_all):
    client = as_role("viewer")
    url = _job_url(client.get(FOLLOWUP_PDF))
    response = client.get(f"{url}/fil")
    assert response.status_code == 409
    assert "Rapporten skapas…" in response.get_data(as_text=True)


@pytest.mark.parametrize("error, shown", [
    (DomainError("samverkansmedel har ingen tilldelning för 2020"),
     "Samverkansmedel har ingen tilldelning för 2020."),
    (RuntimeError("the disk is full"), "Rapporten kunde inte skapas på grund av ett oväntat fel"),
])
def test_a_failed_job_says_why(as_role, imported_2020, jobs_for_all, monkeypatch, error, shown):
    """Does a report that breaks end failed, with a message on its page and no file?"""
    def broken(kind, parameters, progress=None):
        raise error

    client = as_role("viewer")
    url = _job_url(client.get(FOLLOWUP_PDF))
    monkeypatch.setattr(kinds, "build", broken)
    assert work_one(jobs_for_all) is JobState.FAILED
    page = client.get(url).get_data(as_text=True)
    assert "Rapporten kunde inte skapas" in page and shown in page
    assert "the disk is full" not in page
    assert client.get(f"{url}/status.json").get_json()["state"] == "failed"
    assert client.get(f"{url}/fil").status_code == 409


def test_a_file_expires_after_a_day_and_is_purged(as_role, imported_2020, jobs_for_all, runner):
    """After a day the file is gone (410), and `flask jobs purge` deletes the old jobs and
    fails one whose worker died."""
    app = jobs_for_all
    client = as_role("viewer")
    url = _job_url(client.get(FOLLOWUP_PDF))
    work_one(app)
    stuck = _job_url(client.get("/reports/budget/samverkan/2020.pdf"))
    with app.app_context():
        done = db.session.get(ReportJob, int(url.rsplit("/", 1)[1]))
        done.finished_at = utcnow() - timedelta(days=2)
        running = queue.claim()
        running.started_at = utcnow() - timedelta(hours=3)
        db.session.commit()
    expired = client.get(f"{url}/fil")
    assert expired.status_code == 410
    assert "Rapporten har gått ut" in expired.get_data(as_text=True)

    result = runner.invoke(args=["jobs", "purge"])
    assert result.exit_code == 0, result.output
    assert "Tog bort 1" in result.output and "1 avbrutna" in result.output
    assert client.get(url).status_code == 404
    assert "arbetet avbröts" in client.get(stuck).get_data(as_text=True)


def test_the_worker_command_builds_what_waits(as_role, imported_2020, jobs_for_all, runner):
    """Does `flask jobs work --burst` build every queued report and then stop?"""
    client = as_role("viewer")
    urls = [_job_url(client.get(f"/reports/{kind}/samverkan/2020.pdf"))
            for kind in ("followup", "budget")]
    result = runner.invoke(args=["jobs", "work", "--burst"])
    assert result.exit_code == 0, result.output
    assert "2 rapporter" in result.output
    for url in urls:
        assert client.get(f"{url}/fil").data.startswith(b"%PDF")


def test_the_year_workbook_and_the_decisions_go_through_jobs(as_role, imported_2020,
                                                             jobs_for_all):
    """Are the year's workbook and a call's decisions (with a decision) built by jobs too?"""
    world = build_world(jobs_for_all)
    client = as_role("viewer")
    workbook = _job_url(client.get("/years/2020/workbook.xlsx"))
    decisions = _job_url(client.get(f"/calls/{world.values['call_id']}/decisions.pdf"))
    work_one(jobs_for_all), work_one(jobs_for_all)
    sheet = client.get(f"{workbook}/fil")
    assert sheet.data.startswith(b"PK") and "uppfoljning-2020.xlsx" in sheet.headers[
        "Content-Disposition"]
    pdf = client.get(f"{decisions}/fil")
    assert pdf.data.startswith(b"%PDF") and "beslutsunderlag-utlysning-" in pdf.headers[
        "Content-Disposition"]


def test_an_unknown_fund_is_refused_at_once_not_queued(as_role, imported_2020, jobs_for_all):
    response = as_role("viewer").get("/reports/followup/okand/2020.pdf")
    assert response.status_code == 404
    assert "okänd fond" in response.get_data(as_text=True).lower()
    assert job_count(jobs_for_all) == 0


def test_without_a_worker_the_web_process_builds_it_in_a_thread(as_role, imported_2020,
                                                                jobs_for_all, monkeypatch):
    """With REPORT_JOBS_IN_THREAD (development) is the job built once the answer is sent?"""
    monkeypatch.setitem(jobs_for_all.config, "REPORT_JOBS_IN_THREAD", True)
    client = as_role("viewer")
    response = client.get(FOLLOWUP_PDF)
    url = _job_url(response)
    response.close()  # as the WSGI server does once the answer is sent: then it starts
    for thread in threading.enumerate():
        if thread.name.startswith("report-job-"):
            thread.join(timeout=60)
    with jobs_for_all.app_context():
        job = db.session.scalar(select(ReportJob))
        assert job.state is JobState.DONE and job.content.startswith(b"%PDF")
        db.session.remove()
    assert client.get(f"{url}/fil").status_code == 200


# The views that answer with the file, or with a job's progress page (303) when it is large.
REPORT_VIEWS = {"funds.report", "funds.year_document", "funds.year_workbook",
                "calls.decisions_pdf"}


def _report_links(app, html: str) -> list[tuple[str, bool]]:
    """Return each link of the page to a report view, and whether it has `download`."""
    urls = app.url_map.bind("localhost")
    links = []
    for tag in re.findall(r"<a\b[^>]*>", html):
        href = re.search(r'href="([^"]+)"', tag)
        if href is None or not href.group(1).startswith("/"):
            continue
        try:
            endpoint, _ = urls.match(href.group(1).split("?")[0].replace("&amp;", "&"))
        except HTTPException:  # no view of the app's (a static file), or one to redirect to
            continue
        if endpoint in REPORT_VIEWS:
            links.append((href.group(1), bool(re.search(r"\sdownload[\s>=]", tag))))
    return links


def test_a_report_link_lets_the_answer_decide_between_file_and_progress_page(
        as_role, imported_2020, jobs_for_all):
    """A link with `download` makes the browser save whatever comes back: for a report that
    goes to a job, that was the progress page, saved as the PDF. Do the pages link to the
    reports without it, and does following such a link show the progress page?"""
    app = jobs_for_all
    client = as_role("coordinator")
    with app.app_context():
        allocation_id = db.session.scalar(select(Allocation.id).join(Allocation.earmark).where(
            Allocation.year == 2020, Earmark.code == "samverkan"))
        db.session.remove()
    pages = ("/?year=2020", f"/allocations/{allocation_id}",
             "/reports/followup/samverkan/2020", "/years/2020/document")
    links = []
    for path in pages:
        page = client.get(path)
        assert page.status_code == 200, path
        links += _report_links(app, page.get_data(as_text=True))
    hrefs = {href for href, _ in links}
    assert {FOLLOWUP_PDF, "/years/2020/document.pdf", "/years/2020/workbook.xlsx"} <= hrefs
    assert [href for href, download in links if download] == []
    url = _job_url(client.get(FOLLOWUP_PDF))
    assert "Rapporten skapas…" in client.get(url).get_data(as_text=True)
    # The file itself, once built, is still saved under its name by the answer's header.
    assert work_one(app) is JobState.DONE
    assert client.get(f"{url}/fil").headers["Content-Disposition"].startswith("attachment")
