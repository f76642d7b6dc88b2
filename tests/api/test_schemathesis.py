"""Schemathesis against the API: does every operation /api/v1/openapi.json lists, called with
the token of each role on the 2020 data, answer without a server error and only as the
document describes (status, content type, body, headers)?

The document is read at collection from an app of its own (it is built from the code, with no
database), so that each operation and role is a test of its own and a new endpoint is fuzzed
without a line here; the calls go to the session's app, whose document must be the same. Each
test starts from the 2020 import and the seeded earmarks (tests/conftest.py resets them after
it); within one test the examples share the database, so a close that succeeded makes the
next one a 409, which the document describes as well.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from app import create_app
from tests.api.conftest import bearer

#: Examples per operation and role: some seconds in all; API_FUZZ_EXAMPLES=500 and
#: API_FUZZ_RANDOM=1 for a longer hunt with other examples each run.
EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "25"))
ROLES = ("coordinator", "admin", "viewer", "applicant")
#: What the API answers when a request is not what its document describes: it could not be
#: read (400) or its fields break the schemas' rules (422 of this type). A refusal by the
#: rules of the data as it stands (an amount over what is left, a pot that does not exist, an
#: import whose lines do not add up) is a 422 or 409 of another type, which no document can
#: foresee.
NOT_AS_DESCRIBED = {"/api/v1/docs#problem-400", "/api/v1/docs#problem-validation"}


@schemathesis.check
def valid_requests_pass_validation(ctx, response, case) -> None:
    """A request the document calls valid is never refused as invalid (schemathesis's own
    positive_data_acceptance, which cannot tell validation from the rules of the data)."""
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return
    if response.status_code in (400, 422):
        problem = response.json()
        assert problem.get("type") not in NOT_AS_DESCRIBED, (
            f"A request the document calls valid was refused as invalid: {problem}")


CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance, response_headers_conformance,
          valid_requests_pass_validation]


def _document() -> dict:
    app = create_app({"APP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite://",
                      "SECRET_KEY": "document-only", "SERVER_NAME": "localhost"})
    with app.app_context():
        return app.extensions["stimulansmedel_api"].spec.to_dict()


DOCUMENT = _document()
schema = schemathesis.openapi.from_dict(DOCUMENT)


def test_the_fuzzed_document_is_the_one_the_app_serves(client):
    assert client.get("/api/v1/openapi.json").get_json() == DOCUMENT


@pytest.fixture
def tokens(make_token, imported_2020) -> dict[str, str]:
    """A token of a new account of each role, on the imported 2020 follow-up."""
    return {role: make_token(role) for role in ROLES}


@pytest.mark.parametrize("role", ROLES)
@schema.parametrize()
@settings(max_examples=EXAMPLES, derandomize=not os.environ.get("API_FUZZ_RANDOM"),
          deadline=None, database=None, suppress_health_check=list(HealthCheck))
def test_every_operation_answers_as_described(case, role, tokens, app):
    case.call_and_validate(app=app, headers=bearer(tokens[role]), checks=CHECKS)
