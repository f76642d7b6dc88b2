"""The year-end reports over the API: the web's files, and a large one through a job whose
state the API tells and whose file it sends."""

from __future__ import annotations

from tests.conftest import login
from tests.jobs.conftest import jobs_for_all, work_one  # noqa: F401 (a fixture)

PROBLEM = "application/problem+json"
CSV = "/api/v1/reports/followup/samverkan/2020.csv"


def test_a_report_is_the_file_the_web_downloads(api, imported_2020, client, make_user):
    """Are the API's CSV and Excel workbook byte for byte the web's?"""
    response = api("viewer").get(CSV)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    login(client, make_user("viewer"))
    assert response.data == client.get("/reports/followup/samverkan/2020.csv").data
    workbook = api("viewer").get("/api/v1/reports/year/alla/2020.xlsx")
    assert workbook.status_code == 200 and workbook.data.startswith(b"PK")
    budget = api("coordinator").get("/api/v1/reports/budget/samverkan/2020.pdf")
    assert budget.status_code == 200 and budget.data.startswith(b"%PDF")


def test_a_report_that_does_not_exist_is_a_problem(api, imported_2020):
    caller = api("viewer")
    for url in ("/api/v1/reports/year/alla/2020.pdf", "/api/v1/reports/other/samverkan/2020.csv",
                "/api/v1/reports/followup/samverkan/2020.doc",
                "/api/v1/reports/followup/okand/2020.csv", "/api/v1/reports/year/alla/1999.xlsx"):
        response = caller.get(url)
        assert response.status_code == 404, url
        assert response.mimetype == PROBLEM and response.get_json()["detail"]


def test_applicants_get_no_report(api, call_world, imported_2020):
    response = api(email=call_world.a_email).get(CSV)
    assert response.status_code == 403 and response.mimetype == PROBLEM


def test_a_large_report_is_a_job_to_follow(api, imported_2020, jobs_for_all):  # noqa: F811
    """Is a large report answered 202 with its job's address, the job's state told until it
    is done, and then its file sent?"""
    app = jobs_for_all
    viewer = api("viewer")
    response = viewer.get("/api/v1/reports/followup/samverkan/2020.pdf")
    assert response.status_code == 202, response.get_json()
    location = response.headers["Location"]
    assert location.startswith("/api/v1/jobs/")
    queued = viewer.get(location).get_json()
    assert queued["state"] == "queued" and queued["download"] is None
    early = viewer.get(location + "/file")
    assert early.status_code == 409 and early.mimetype == PROBLEM
    assert viewer.get("/api/v1/reports/followup/samverkan/2020.pdf").headers["Location"] == \
        location  # asked again while it waits: the same job
    work_one(app)
    done = viewer.get(location).get_json()
    assert done["state"] == "done" and done["progress"] == 100 and done["finished"]
    assert done["download"] == location + "/file"
    file = viewer.get(done["download"])
    assert file.status_code == 200 and file.data.startswith(b"%PDF")


def test_a_job_is_seen_by_staff_only(api, imported_2020, jobs_for_all, call_world):  # noqa: F811
    location = api("coordinator").get(
        "/api/v1/reports/followup/samverkan/2020.pdf").headers["Location"]
    assert api("viewer").get(location).status_code == 200
    stranger = api(email=call_world.a_email).get(location)
    assert stranger.status_code == 404 and stranger.mimetype == PROBLEM
    assert api(email=call_world.a_email).get(location + "/file").status_code == 404
    assert api("viewer").get("/api/v1/jobs/999999").status_code == 404
