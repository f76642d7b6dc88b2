"""Does the API tell who holds an allocation's money and whether its budget is decided?"""

from __future__ import annotations

from app.extensions import db
from app.ledger.exchange.importing import import_document
from tests.year_reports.test_preliminary_budget import budget_document


def test_the_api_tells_the_recipient_and_the_budget_status(app, api, actor):
    with app.app_context():
        import_document(budget_document("preliminary", principal_status="decided"), actor)
        db.session.commit()
    items = api("viewer").get("/api/v1/allocations?year=2031").get_json()["items"]
    assert [(i["earmark"], i["recipient"], i["budget_status"]) for i in items] == [
        ("samverkan", "county", "preliminary"),
        ("suicidprevention", "Östersunds kommun", "decided")]


def test_the_api_tells_a_grants_report_due_day(app, api, actor):
    from tests.ledger.test_year_checks_cli import ROUND_TRIP
    with app.app_context():
        import_document(ROUND_TRIP, actor)
        db.session.commit()
    detail = api("viewer").get("/api/v1/allocations/samverkan/2031").get_json()
    assert (detail["recipient"], detail["budget_status"]) == ("county", "preliminary")
    [grant] = detail["lines"][0]["grants"]
    assert grant["report_due"] == "2033-06-30"
