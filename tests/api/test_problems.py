"""Every error under /api/ is JSON problem details with its status, never a page or a trace."""

from __future__ import annotations

import logging

import pytest

from app import create_app
from app.extensions import db
from tests.api.conftest import bearer
from tests.web.test_outage import UNREACHABLE

PROBLEM = "application/problem+json"


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.mimetype == PROBLEM
    body = response.get_json()
    assert body["status"] == status
    assert body["title"] and body["detail"] and body["type"].startswith("/api/v1/docs#problem-")
    assert "Traceback" not in response.get_data(as_text=True)
    return body


def test_an_invalid_parameter_is_a_400_naming_the_field(api):
    body = assert_problem(api("viewer").get("/api/v1/allocations?year=tjugotjugo"), 400)
    assert body["errors"] == [{"field": "year", "location": "query",
                               "message": "Skriv ett heltal."}]


def test_an_unknown_parameter_is_named_too(api):
    body = assert_problem(api("viewer").get("/api/v1/allocations?yera=2020"), 400)
    assert body["errors"][0]["field"] == "yera"


def test_a_missing_year_of_the_export_is_named(api):
    body = assert_problem(api("coordinator").get("/api/v1/export"), 400)
    assert body["errors"][0] == {"field": "year", "location": "query",
                                 "message": "Fältet måste anges."}


def test_no_token_is_a_401_with_the_challenge(client):
    response = client.get("/api/v1/allocations")
    assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="Stimulansmedel"'


def test_a_forbidden_call_is_a_403(api):
    assert_problem(api("viewer").post("/api/v1/years/2020/close"), 403)


def test_unknown_paths_and_objects_are_404(api, client):
    caller = api("viewer")
    assert_problem(client.get("/api/v1/finns-inte"), 404)
    assert_problem(caller.get("/api/v2/allocations"), 404)
    assert_problem(caller.get("/api/v1/allocations/okand/2020"), 404)
    assert_problem(api("coordinator").post("/api/v1/years/2031/close"), 404)
    assert_problem(api("coordinator").get("/api/v1/export?year=2031"), 404)


def test_a_wrong_method_is_a_405_with_allow(api):
    response = api("coordinator").open("/api/v1/import", "DELETE")
    assert_problem(response, 405)
    assert "POST" in response.headers["Allow"]


def test_a_body_over_the_limit_is_a_413(app, api, monkeypatch):
    caller = api("coordinator")
    monkeypatch.setitem(app.config, "API_MAX_BODY_BYTES", 1000)
    body = assert_problem(caller.post("/api/v1/import", data=b"a: 1\n" * 400,
                                      content_type="application/yaml"), 413)
    assert "1000" in body["detail"]


def test_the_limit_defaults_to_the_import_s(app):
    assert app.config["API_MAX_BODY_BYTES"] == app.config["IMPORT_MAX_BYTES"]


def test_a_body_of_another_type_is_a_415(api):
    assert_problem(api("coordinator").post("/api/v1/import", data={"file": "x"}), 415)


def test_a_refused_import_is_a_422_with_each_line_and_field(api, data_2020):
    """Is a refused document answered like the command line: each error with line and field,
    and nothing imported?"""
    caller = api("coordinator")
    broken = data_2020.replace("received: 6203183", "received: -5", 1)
    assert broken != data_2020
    body = assert_problem(caller.post("/api/v1/import", data=broken.encode(),
                                      content_type="application/yaml"), 422)
    assert body["type"] == "/api/v1/docs#problem-import-refused"
    [error] = body["errors"]
    assert error["line"] > 1 and error["field"].endswith(".received")
    assert "negativt belopp" in error["message"]
    assert caller.get("/api/v1/allocations").get_json()["items"] == []


def test_a_file_that_is_not_utf8_is_refused_with_its_line(api):
    body = assert_problem(api("coordinator").post(
        "/api/v1/import", data=b"format: stimulansmedel/1\n\xff\n",
        content_type="application/yaml"), 422)
    assert body["errors"][0]["line"] == 2


def test_a_forbidden_character_is_a_400_problem(api):
    assert_problem(api("viewer").get("/api/v1/allocations?year=%00"), 400)


def test_an_unexpected_error_is_a_500_problem_without_a_trace(api, app, monkeypatch, caplog):
    caller = api("viewer")

    def broken():
        raise RuntimeError("hemligt internt fel")

    monkeypatch.setattr("app.api.views.allocations.build_overview", broken)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    with caplog.at_level(logging.ERROR):
        response = caller.get("/api/v1/allocations")
    body = assert_problem(response, 500)
    assert "hemligt" not in response.get_data(as_text=True)
    assert body["title"] == "Något gick fel"


@pytest.fixture
def down_app(tmp_path):
    down = create_app({"APP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": UNREACHABLE,
                       "SECRET_KEY": "test-secret", "SERVER_NAME": "localhost",
                       "UPLOAD_FOLDER": str(tmp_path), "PROPAGATE_EXCEPTIONS": False})
    yield down
    with down.app_context():
        db.engine.dispose()


def test_a_database_outage_is_a_503_problem(down_app, caplog):
    client = down_app.test_client()
    with caplog.at_level(logging.WARNING):
        for method, url in (("GET", "/api/v1/allocations"), ("POST", "/api/v1/import"),
                            ("GET", "/api/v1/openapi.json"), ("GET", "/api/v1/docs")):
            response = client.open(url, method=method, headers=bearer("stm_x"))
            assert_problem(response, 503)
            assert response.headers["Retry-After"].isdigit()


def test_the_pages_keep_their_html_errors(client):
    response = client.get("/finns-inte")
    assert response.status_code == 404 and response.mimetype == "text/html"


def test_a_year_beyond_the_database_s_integers_is_a_404(api):
    """Is a year in the path too large for a database integer (found by schemathesis) answered
    404, not a crash?"""
    caller = api("admin")
    huge = 2**63
    assert_problem(caller.get(f"/api/v1/allocations/samverkan/{huge}"), 404)
    assert_problem(caller.post(f"/api/v1/years/{huge}/close"), 404)
    assert_problem(caller.post(f"/api/v1/years/{huge}/reopen"), 404)
    assert_problem(caller.post("/api/v1/years/2101/close"), 404)


def test_an_id_beyond_the_database_s_integers_is_named_not_a_500(api):
    """The fuzzer's line_id 2**63 overflowed SQLite's INTEGER in the query."""
    body = assert_problem(api("coordinator").post("/api/v1/calls", json={
        "line_id": 2**63, "goal_area_ids": [1, 7.0, True], "title": "Utlysning",
        "opens_at": "2030-01-01T08:00", "closes_at": "2030-02-01T08:00"}), 422)
    assert {(e["field"], e["message"]) for e in body["errors"]} == {
        ("line_id", "Ett id är ett heltal från 1 till 2147483647."),
        ("goal_area_ids.2", "Skriv ett heltal.")}


def test_what_the_schemas_check_is_written_in_the_document(client):
    """A client builds valid requests from the document alone: texts, amounts and ids carry
    the rules the schemas check, and a payment's reference its rule across fields."""
    spec = client.get("/api/v1/openapi.json").get_json()
    schemas = spec["components"]["schemas"]
    call = schemas["CallCreate"]["properties"]
    assert call["title"]["pattern"].endswith(")*$") and r"\s" in call["title"]["pattern"]
    assert call["line_id"]["minimum"] == 1 and call["line_id"]["maximum"] == 2**31 - 1
    payment = schemas["PaymentInput"]
    assert payment["properties"]["amount"]["pattern"].startswith("^(?=")
    assert {"required": ["kind"], "properties": {"kind": {"const": "refund"}}} in payment["anyOf"]
    path = spec["paths"]["/api/v1/allocations/{earmark}/{year}"]["parameters"][0]
    assert path["schema"]["pattern"].startswith("^(?:[^/")


def test_a_payment_without_a_reference_is_refused_at_the_field_a_refund_is_not(api, call_world):
    coordinator = api("coordinator")
    url = f"/api/v1/grants/{call_world.a_grant_id}/payments"
    body = assert_problem(coordinator.post(url, json={"amount": "0", "paid_on": "2022-07-01",
                                                      "reference": "  "}), 422)
    assert {e["field"] for e in body["errors"]} == {"amount", "reference"}
