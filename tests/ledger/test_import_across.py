"""Projects across funds and years in the exchange format: `decided_in`, `continues`, and a
grant's individual `payments` and `refunds` (seed 003's MHFA and IKB-team cases)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from app.core.errors import ImportRefused
from app.extensions import db
from app.ledger.exchange.exporting import export_year
from app.ledger.exchange.importing import import_document
from app.ledger.models import Grant, Payment, PaymentKind
from app.ledger.years import close_year
from tests.conftest import reset_database
from tests.ledger.factories import allocation_id, snapshot
from tests.support import kronor

ACROSS = (Path(__file__).parent / "data" / "across_funds_2021.yaml").read_text(encoding="utf-8")


def grant_titled(title: str) -> Grant:
    return db.session.scalars(select(Grant).where(Grant.title == title)).one()


def refusal(text: str, actor) -> list[tuple[str, str]]:
    with pytest.raises(ImportRefused) as refused:
        import_document(text, actor)
    return [(p.place, p.message.replace("\xa0", " ")) for p in refused.value.problems]


def across_doc() -> dict:
    return yaml.safe_load(ACROSS)


def as_yaml(data: dict) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def mhfa_of(doc: dict) -> dict:
    return doc["allocations"][1]["lines"][2]["grants"][0]


def ikb_of(doc: dict) -> dict:
    return doc["allocations"][0]["lines"][5]["grants"][0]


def test_the_mhfa_project_is_paid_from_suicide_prevention_and_decided_in_samverkan(
        ctx, data_2020, actor):
    """Does the MHFA grant land under the suicide-prevention call line, with the samverkan call
    of 2021 as the one that decided it, continuing the 2020 samverkan project?"""
    import_document(data_2020, actor)
    import_document(ACROSS, actor)
    mhfa = grant_titled("MHFA för personal och elever vid JGY")
    assert mhfa.line.allocation.label == "Suicidpreventiva medel 2021"
    assert mhfa.line.decided_in.id == allocation_id("samverkan", 2021)
    assert mhfa.previous.title == "Stärkt samverkan psykisk hälsa, MHFA för personer och elever JGY"
    assert mhfa.previous.line.allocation.year == 2020
    assert mhfa.paid == kronor(576_560)


def test_ikb_team_continues_its_2020_grant_with_its_payments_and_refund(ctx, data_2020, actor):
    import_document(data_2020, actor)
    import_document(ACROSS, actor)
    ikb = grant_titled("IKB-team för ungdomar med autism")
    assert ikb.previous.title == "IKB-team för ungdomar med Autism"
    assert ikb.previous.amount == kronor(1_380_000)
    payments = db.session.scalars(
        select(Payment).where(Payment.grant_id == ikb.id).order_by(Payment.id)).all()
    assert [(p.kind, p.amount, p.paid_on.isoformat(), p.reference) for p in payments] == [
        (PaymentKind.PAYMENT, kronor(600_000), "2021-09-30", "Rekvisition 1"),
        (PaymentKind.PAYMENT, kronor(575_000), "2022-03-31", "Rekvisition 2"),
        (PaymentKind.REFUND, kronor(25_000), "2023-01-31", ""),
    ]
    assert {p.state.value for p in payments} == {"approved"}
    assert (ikb.paid, ikb.returned) == (kronor(1_175_000), kronor(25_000))


def test_export_import_export_is_exact_with_every_field_across_funds(ctx, data_2020, actor):
    """The 2020 and 2021 exports, imported into an empty database, export the same again."""
    import_document(data_2020, actor)
    doc = across_doc()
    # A payment from another fund and a refund to it, besides the grant's own.
    ikb_of(doc)["payments"][1]["amount"] = 475000
    ikb_of(doc)["payments"].append({"date": "2021-12-15", "amount": 100000, "reference": "Från 2020",
                                    "from": {"earmark": "samverkan", "year": 2020}})
    ikb_of(doc)["refunds"].append({"date": "2023-02-01", "amount": 10000,
                                   "to": {"earmark": "samverkan", "year": 2020}})
    import_document(as_yaml(doc), actor)
    db.session.commit()
    db.session.expire_all()  # export what the database holds, not the session's objects
    first = {2020: export_year(2020), 2021: export_year(2021)}
    assert "decided_in:" in first[2021] and "continues:" in first[2021]
    assert "from:" in first[2021] and "to:" in first[2021]
    db.session.commit()
    reset_database(ctx)
    import_document(first[2020], actor)
    import_document(first[2021], actor)
    assert {2020: export_year(2020), 2021: export_year(2021)} == first


def test_paid_may_be_left_out_beside_payments_and_must_agree_with_them(ctx, data_2020, actor):
    import_document(data_2020, actor)
    doc = across_doc()
    ikb_of(doc)["paid"] = 1000000
    problems = refusal(as_yaml(doc), actor)
    assert len(problems) == 1
    place, message = problems[0]
    assert place == "allocations[0].lines[5].grants[0].paid"
    assert "1 000 000 kr" in message and "1 175 000 kr" in message


def test_a_refused_file_across_funds_names_each_place_and_changes_nothing(ctx, data_2020, actor):
    import_document(data_2020, actor)
    db.session.flush()
    before = snapshot()
    doc = across_doc()
    doc["allocations"][1]["lines"][2]["decided_in"] = {"earmark": "brukarmiljonen", "year": 2020}
    mhfa_of(doc)["continues"]["title"] = "MHFA som aldrig fanns"
    places = dict(refusal(as_yaml(doc), actor))
    assert set(places) == {
        "allocations[1].lines[2].decided_in",
        "allocations[1].lines[2].grants[0].continues",
    }
    assert "brukarmiljonen 2020 har ingen utlysningsrad" in places[
        "allocations[1].lines[2].decided_in"]
    assert "”MHFA som aldrig fanns” finns inte i samverkan 2020" in places[
        "allocations[1].lines[2].grants[0].continues"]
    assert snapshot() == before


def test_payments_above_the_grant_and_refunds_to_a_fund_that_paid_nothing_are_refused(
        ctx, actor):
    doc = across_doc()
    ikb_of(doc)["payments"][1]["amount"] = 600000  # 1 200 000 of 1 175 000
    (place, message), = refusal(as_yaml(doc), actor)
    assert place == "allocations[0].lines[5].grants[0].payments"
    assert "1 200 000 kr" in message and "1 175 000 kr" in message
    doc = across_doc()
    ikb_of(doc)["refunds"][0]["to"] = {"earmark": "samverkan", "year": 2020}  # paid nothing
    (place, message), = refusal(as_yaml(doc), actor)
    assert place == "allocations[0].lines[5].grants[0].refunds"
    assert "samverkan 2020" in message and "0 kr som betalades därifrån" in message


def test_refunds_above_what_the_grant_own_fund_paid_are_refused(ctx, data_2020, actor):
    import_document(data_2020, actor)
    doc = across_doc()
    ikb_of(doc)["refunds"][0]["amount"] = 1175001
    (place, message), = refusal(as_yaml(doc), actor)
    assert place == "allocations[0].lines[5].grants[0].refunds"
    assert "1 175 001 kr" in message and "1 175 000 kr" in message


def test_a_refusal_across_funds_names_the_line_in_the_file(ctx, data_2020, actor):
    import_document(data_2020, actor)
    text = ACROSS.replace("title: IKB-team för ungdomar med Autism}", "title: IKB-team}")
    with pytest.raises(ImportRefused) as refused:
        import_document(text, actor)
    (problem,) = refused.value.problems
    assert problem.place == "allocations[0].lines[5].grants[0].continues"
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "title: IKB-team}" in row)
    assert problem.line == line


def test_a_payment_from_a_closed_year_is_refused(ctx, data_2020, actor):
    import_document(data_2020, actor)
    close_year(2020, actor)
    doc = across_doc()
    ikb_of(doc)["payments"][1]["from"] = {"earmark": "suicidprevention", "year": 2020}
    ikb_of(doc)["refunds"] = []
    (place, message), = refusal(as_yaml(doc), actor)
    assert place == "allocations[0].lines[5].grants[0].payments[1].from"
    assert "året 2020 är stängt" in message


def test_decided_in_belongs_to_call_lines(ctx, actor):
    doc = across_doc()
    doc["allocations"][1]["lines"][0]["decided_in"] = {"earmark": "samverkan", "year": 2021}
    places = [place for place, _ in refusal(as_yaml(doc), actor)]
    assert "allocations[1].lines[0].decided_in" in places


def test_replacing_the_earlier_year_keeps_the_later_grants_continuation(ctx, data_2020, actor):
    """Replacing 2020 from a file deletes and rewrites its grants: IKB-team's 2021 grant still
    continues the 2020 one the file brings back."""
    import_document(data_2020, actor)
    import_document(ACROSS, actor)
    import_document(data_2020, actor, replace=True)
    db.session.expire_all()
    ikb = grant_titled("IKB-team för ungdomar med autism")
    assert ikb.previous is not None and ikb.previous.title == "IKB-team för ungdomar med Autism"
    assert ikb.previous.line.allocation.year == 2020


def test_a_project_is_continued_by_one_grant_only(ctx, data_2020, actor):
    """As on the project page: IKB-team's 2020 grant, continued in 2021, cannot be continued
    by a second grant, in the file or from another file."""
    import_document(data_2020, actor)
    doc = across_doc()
    mhfa_of(doc)["continues"] = dict(ikb_of(doc)["continues"])
    (place, message), = refusal(as_yaml(doc), actor)
    assert place == "allocations[1].lines[2].grants[0].continues"
    assert "fortsätts redan av ”IKB-team för ungdomar med autism” i filen" in message
    import_document(ACROSS, actor)
    later = {"format": "stimulansmedel/1", "allocations": [{
        "earmark": "samverkan", "year": 2022, "received": 100000, "lines": [{
            "kind": "call", "activity": "Utlysning", "budget": 100000, "grants": [{
                "title": "IKB-team igen", "owner": "RJH BUV", "goal_areas": ["Regional samordning"],
                "amount": 100000, "continues": ikb_of(across_doc())["continues"]}]}]}]}
    (place, message), = refusal(as_yaml(later), actor)
    assert place == "allocations[0].lines[0].grants[0].continues"
    assert "fortsätts redan av ”IKB-team för ungdomar med autism” i databasen" in message


def call_year(year: int, title: str, continues: dict | None = None) -> dict:
    grant = {"title": title, "owner": "JGY", "goal_areas": ["Regional samordning"],
             "amount": 1000}
    if continues:
        grant["continues"] = continues
    return {"earmark": "samverkan", "year": year, "received": 1000, "lines": [
        {"kind": "call", "activity": "Utlysning", "budget": 1000, "grants": [grant]}]}


def test_a_grant_continues_an_earlier_grant_not_itself_or_a_later_one(ctx, actor):
    later = {"earmark": "samverkan", "year": 2023, "title": "B"}
    itself = {"earmark": "samverkan", "year": 2022, "title": "A"}
    for continues in (later, itself):
        doc = {"format": "stimulansmedel/1",
               "allocations": [call_year(2022, "A", continues), call_year(2023, "B")]}
        (place, message), = refusal(as_yaml(doc), actor)
        assert place == "allocations[0].lines[0].grants[0].continues"
        assert "är inget tidigare beviljande av projektet i samverkan 2022" in message
