"""The OpenAPI document: valid, generated from the schemas, naming every API route; and the
documentation page rendered from it on the server."""

from __future__ import annotations

import re

from openapi_spec_validator import validate

from tests.conftest import login

#: The routes that describe the API rather than being part of it.
DOCUMENTATION = {"/api/v1/openapi.json", "/api/v1/docs"}


def openapi_path(rule: str) -> str:
    return re.sub(r"<(?:[a-z]+(?:\([^)]*\))?:)?([a-z_]+)>", r"{\1}", rule)


def test_the_document_is_valid_openapi_and_lists_every_route(app, client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.get_json()
    validate(spec)
    assert spec["openapi"].startswith("3.")
    routes = {(openapi_path(rule.rule), method.lower())
              for rule in app.url_map.iter_rules()
              if rule.rule.startswith("/api/v1") and rule.rule not in DOCUMENTATION
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    documented = {(path, method) for path, item in spec["paths"].items() for method in item
                  if method in ("get", "post", "put", "patch", "delete")}
    assert routes == documented
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_amounts_are_described_as_decimal_strings(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    received = spec["components"]["schemas"]["AllocationFigures"]["properties"]["received"]
    assert received["type"] == "string" and received["format"] == "decimal"
    problem = spec["components"]["schemas"]["Problem"]["properties"]
    assert {"type", "title", "status", "detail", "errors"} <= set(problem)


def test_the_documentation_page_shows_every_endpoint(client):
    """Is /api/v1/docs a page of its own (no outside script) with every endpoint, its
    parameters and the schemas?"""
    page = client.get("/api/v1/docs")
    assert page.status_code == 200 and page.mimetype == "text/html"
    text = page.get_data(as_text=True)
    spec = client.get("/api/v1/openapi.json").get_json()
    for path in spec["paths"]:
        assert f" {path}</code>" in text
    assert "per_page" in text and 'id="schema-AllocationFigures"' in text
    assert 'id="problem-422"' in text and 'id="problem-import-refused"' in text
    assert "<script src=\"http" not in text and "cdn" not in text.lower()
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]


def test_the_documentation_page_speaks_english_too(client):
    client.post("/lang", data={"lang": "en", "next": "/"})
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    assert '<html lang="en"' in page.get_data(as_text=True)


def test_the_keys_page_links_to_the_documentation(client, make_user):
    login(client, make_user("viewer"))
    assert 'href="/api/v1/docs"' in client.get("/konto/api-nycklar").get_data(as_text=True)


def _operations(spec: dict):
    return [(f"{method.upper()} {path}", op) for path, item in spec["paths"].items()
            for method, op in item.items() if method in ("get", "post", "put", "patch", "delete")]


def test_every_operation_documents_its_problems_and_nothing_catches_all(client):
    """Does every operation list the problems any request may get (a forbidden character is
    400 on every path), as problem details, with no catch-all that makes any status look
    documented?"""
    spec = client.get("/api/v1/openapi.json").get_json()
    for name, op in _operations(spec):
        assert "default" not in op["responses"], name
        for status in ("400", "401", "403", "429"):
            assert list(op["responses"][status]["content"]) == ["application/problem+json"], \
                (name, status)


def test_the_headers_of_problems_and_the_export_s_type_are_described(client):
    """Can a client read from the document that a 401 brings WWW-Authenticate, a 429 or 503
    Retry-After, and that the export is YAML?"""
    spec = client.get("/api/v1/openapi.json").get_json()
    for name, op in _operations(spec):
        responses = op["responses"]
        assert responses["401"]["headers"]["WWW-Authenticate"]["required"] is True, name
        for status in ("429", "503"):
            assert responses[status]["headers"]["Retry-After"]["schema"]["type"] == "integer"
    export = spec["paths"]["/api/v1/export"]["get"]["responses"]["200"]
    assert export["content"]["application/yaml"]["schema"]["type"] == "object"


def test_the_path_s_year_has_its_range_and_an_example(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    [year] = [p for p in spec["paths"]["/api/v1/years/{year}/close"]["parameters"]
              if p["name"] == "year"]
    assert year["schema"] == {"type": "integer", "minimum": 1990, "maximum": 2100}
    assert year["example"] == 2020
