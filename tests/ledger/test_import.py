"""Importing and exporting the exchange format: what lands in the ledger, what is refused."""

from __future__ import annotations

import pytest
import yaml
from sqlalchemy import func, select

from app.core.errors import DomainError, ImportRefused
from app.core.models import AuditEntry
from app.extensions import db
from app.ledger.exchange.exporting import export_year
from app.ledger.exchange.importing import import_document
from app.ledger.models import Allocation, CarryOver, GoalArea, Grant, Line
from app.ledger.rules import Basis
from app.ledger.years import close_year
from tests.conftest import reset_database
from tests.ledger.factories import (
    allocation,
    balances,
    document,
    grant,
    line,
    snapshot,
)
from tests.support import kronor


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def doc_2020(data_2020: str) -> dict:
    return yaml.safe_load(data_2020)


def as_yaml(data: dict) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def refused(text: str, actor, **kwargs) -> ImportRefused:
    with pytest.raises(ImportRefused) as refusal:
        import_document(text, actor, **kwargs)
    return refusal.value


# --- the 2020 data ---------------------------------------------------------------------------

def test_the_2020_data_imports_with_the_seeds_figures(ctx, data_2020, actor):
    """Does the real 2020 follow-up import with its funds, lines, projects and results?"""
    result = import_document(data_2020, actor)
    assert result.created == ["brukarmiljonen 2020", "samverkan 2020", "suicidprevention 2020"]
    assert result.replaced == [] and result.warnings == []
    assert (count(Allocation), count(Line), count(Grant)) == (3, 13, 8)
    assert db.session.scalar(select(func.sum(Grant.amount))) == kronor(4_844_860)
    result_2020 = {code: b.result for code, b in balances(2020).items()}
    assert result_2020 == {"brukarmiljonen": 0, "samverkan": kronor(72_151),
                           "suicidprevention": kronor(108_928)}
    assert balances(2020)["brukarmiljonen"].covered == kronor(8_436)


def test_goal_areas_are_the_years_own_and_not_duplicated(ctx, data_2020, actor):
    """Are the goal areas of 2020 created once each, as that year's list?"""
    import_document(data_2020, actor)
    names = db.session.scalars(select(GoalArea.name).where(GoalArea.year == 2020)).all()
    assert len(names) == len(set(names))
    assert "Stärka barn och ungas psykiska hälsa" in names
    assert "Psykisk hälsa kopplat till Coronapandemin" in names


def test_importing_the_same_year_twice_is_refused_and_changes_nothing(
    ctx, imported_2020, data_2020, actor
):
    """Is a second import of 2020 refused, naming each fund, with the database untouched?"""
    before = snapshot()
    refusal = refused(data_2020, actor)
    messages = [str(p) for p in refusal.problems]
    assert len(messages) == 3
    assert all("finns redan i databasen" in m and "--replace" in m for m in messages)
    assert "samverkan 2020" in messages[1]
    assert snapshot() == before


def test_replace_replaces_and_audits_before_and_after(ctx, imported_2020, data_2020, actor):
    """Does --replace swap the year's figures and log what they were and what they became?"""
    data = doc_2020(data_2020)
    data["allocations"][2]["lines"][3]["spent"] = 1_300_000  # Suicid Zero cost 10 000 more
    data["allocations"][2]["stated_total"] = 2_401_072
    result = import_document(as_yaml(data), actor, replace=True)
    assert result.replaced == ["brukarmiljonen 2020", "samverkan 2020", "suicidprevention 2020"]
    assert result.created == []
    assert (count(Allocation), count(Line), count(Grant)) == (3, 13, 8)
    assert balances(2020)["suicidprevention"].result == kronor(98_928)

    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "allocation.replace")
        .order_by(AuditEntry.id.desc())
    ).first()
    assert entry.actor == actor.label and entry.year == 2020
    assert entry.before["lines"][3]["spent"] == 1_290_000
    assert entry.after["lines"][3]["spent"] == 1_300_000
    assert entry.before["earmark"] == entry.after["earmark"] == "suicidprevention"


def test_replace_keeps_transfers_of_other_funds_pointing_at_it(ctx, imported_2020, data_2020,
                                                              actor):
    """After replacing brukarmiljonen 2020 alone, is it still covered by samverkan's transfer?"""
    data = doc_2020(data_2020)
    only = document(data["allocations"][0])
    import_document(only, actor, replace=True)
    assert balances(2020)["brukarmiljonen"].covered == kronor(8_436)
    assert balances(2020)["brukarmiljonen"].result == 0


def test_an_unknown_earmark_is_refused_naming_the_known_ones(ctx, actor):
    """Is a fund code the installation has not defined refused, listing the codes it knows?"""
    refusal = refused(document(allocation("traumavard", 2020, 500_000)), actor)
    [problem] = refusal.problems
    assert problem.place.endswith(".earmark")
    assert "'traumavard'" in problem.message
    assert "brukarmiljonen, samverkan, suicidprevention" in problem.message
    assert count(Allocation) == 0


def test_an_earmark_added_by_an_administrator_can_be_imported(ctx, actor):
    """Once an administrator defines 'traumavard', can a file carry it without code changes?"""
    from app.ledger.earmarks import add_earmark

    add_earmark("traumavard", "Traumavård", actor)
    result = import_document(document(allocation("traumavard", 2020, 500_000,
                                                 line("Utbildning", spent=400_000))), actor)
    assert result.created == ["traumavard 2020"]
    assert balances(2020)["traumavard"].result == kronor(100_000)


def test_a_transfer_may_cover_an_allocation_already_in_the_database(ctx, data_2020, actor):
    """Can samverkan's transfer cover brukarmiljonen's deficit imported earlier, in another file?"""
    data = doc_2020(data_2020)
    import_document(document(data["allocations"][0]), actor)
    assert balances(2020)["brukarmiljonen"].result == kronor(-8_436)
    import_document(document(data["allocations"][1]), actor)
    assert balances(2020)["brukarmiljonen"].covered == kronor(8_436)
    assert balances(2020)["brukarmiljonen"].result == 0


def test_a_transfer_covering_nothing_is_refused(ctx, data_2020, actor):
    """Is a transfer covering an allocation in neither the file nor the database refused?"""
    data = doc_2020(data_2020)
    refusal = refused(document(data["allocations"][1]), actor)
    [problem] = refusal.problems
    assert problem.place.endswith("lines[5].covers")
    assert "brukarmiljonen 2020" in problem.message
    assert "varken finns i filen eller i databasen" in problem.message
    assert count(Allocation) == 0


def test_a_transfer_covering_its_own_fund_is_refused(ctx, actor):
    """Is a transfer that would cover the allocation it is booked in refused?"""
    text = document(allocation("samverkan", 2021, 1000, line(
        "Skuld", kind="transfer", covers=("samverkan", 2021), spent=10)))
    assert "sin egen fond" in str(refused(text, actor))


@pytest.mark.parametrize("bad_last", [
    allocation("okand", 2020, 10),
    allocation("suicidprevention", 2020, 10, line("Skuld", kind="transfer", spent=1,
                                                  covers=("brukarmiljonen", 2015))),
    allocation("suicidprevention", 2020, 10, line("Utbildning", spent=-1)),
    allocation("suicidprevention", 2020, 10, line("Utlysning", kind="call", budget=5,
                                                  grants=[grant("Projekt", 6)])),
], ids=["unknown-earmark", "covers-nothing", "negative", "grants-above-pool"])
def test_a_refused_import_leaves_the_database_exactly_as_it_was(ctx, imported_2020, actor,
                                                                 bad_last):
    """When only the last of several allocations is bad, is nothing of the others written?"""
    text = document(
        allocation("brukarmiljonen", 2021, 1_000_000, line("JLB", budget=775_000)),
        allocation("samverkan", 2021, 6_000_000, line("Personal", budget=1_000_000)),
        bad_last,
    )
    before = snapshot()
    refused(text, actor)
    assert snapshot() == before  # nothing was even flushed before the refusal
    db.session.rollback()
    assert snapshot() == before


def test_importing_into_a_closed_year_is_refused(ctx, imported_2020, data_2020, actor):
    """Once 2020 is closed, is even a --replace import of 2020 refused?"""
    close_year(2020, actor)
    before = snapshot()
    refusal = refused(data_2020, actor, replace=True)
    closed = [p.place for p in refusal.problems if "året 2020 är stängt" in p.message]
    assert closed == [f"allocations[{i}] ({code} 2020)" for i, code in
                      enumerate(["brukarmiljonen", "samverkan", "suicidprevention"])]
    assert snapshot() == before


def test_a_new_fund_cannot_be_imported_into_a_closed_year(ctx, imported_2020, actor):
    """Is an allocation of a fund the closed year did not have refused too?"""
    from app.ledger.earmarks import add_earmark

    add_earmark("traumavard", "Traumavård", actor)
    close_year(2020, actor)
    assert "stängt" in str(refused(document(allocation("traumavard", 2020, 10)), actor))


def test_a_transfer_into_a_closed_year_is_refused(ctx, imported_2020, actor):
    """Is a 2021 transfer covering a 2020 fund refused once 2020 is closed and carried?"""
    close_year(2020, actor)
    text = document(allocation("samverkan", 2021, 6_000_000, line(
        "Skuld", kind="transfer", covers=("suicidprevention", 2020), spent=1000)))
    before = snapshot()
    refusal = refused(text, actor)
    assert "täcker suicidprevention 2020" in str(refusal)
    assert "2020 är stängt" in str(refusal)
    assert snapshot() == before


def test_replacing_a_transfer_into_a_closed_year_is_refused(ctx, imported_2020, actor):
    """Is a --replace that would delete a transfer covering a closed year refused?"""
    import_document(document(allocation("samverkan", 2021, 6_000_000, line(
        "Skuld", kind="transfer", covers=("suicidprevention", 2020), spent=1000))), actor)
    close_year(2020, actor)
    assert balances(2020)["suicidprevention"].covered == kronor(1000)
    text = document(allocation("samverkan", 2021, 6_000_000))
    assert "2020 är stängt" in str(refused(text, actor, replace=True))
    assert balances(2020)["suicidprevention"].covered == kronor(1000)


def test_a_transfer_covering_a_later_year_is_allowed(ctx, actor):
    """May samverkan 2020 cover a deficit of brukarmiljonen 2021 in the same file?"""
    import_document(document(
        allocation("samverkan", 2020, 100, line("Skuld", kind="transfer", spent=20,
                                                covers=("brukarmiljonen", 2021))),
        allocation("brukarmiljonen", 2021, 100, line("JLB", spent=120)),
    ), actor)
    assert balances(2021)["brukarmiljonen"].result == 0
    assert balances(2020)["samverkan"].result == kronor(80)


def test_the_stated_total_warning_reaches_the_result(ctx, actor):
    """Does an import whose lines miss the stated TOTALT succeed and report the difference?"""
    result = import_document(document(allocation(
        "suicidprevention", 2021, 2_500_000, line("Suicid Zero", spent=1_290_000),
        stated_total=1_300_000)), actor)
    assert result.created == ["suicidprevention 2021"]
    [warning] = result.warnings
    assert "skillnad" in warning.message and "10\u00a0000\u00a0kr" in warning.message


def test_every_import_is_audited(ctx, data_2020, actor):
    """Does each imported allocation leave an audit entry saying who imported what?"""
    import_document(data_2020, actor)
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [e.action for e in entries] == ["allocation.import"] * 3
    assert {e.actor for e in entries} == {actor.label}
    assert [e.summary for e in entries] == [
        "Importerade brukarmiljonen 2020", "Importerade samverkan 2020",
        "Importerade suicidprevention 2020",
    ]
    assert entries[1].after["lines"][4]["grants"][0]["amount"] == 630_000
    assert all(e.before is None and e.year == 2020 for e in entries)


# --- export and the round trip -----------------------------------------------------------------

def without_comments(text: str) -> list[str]:
    return [ln for ln in text.splitlines() if not ln.startswith("#")]


def test_export_then_import_into_an_empty_database_gives_the_same_document(app, ctx,
                                                                           imported_2020):
    """Does export → import into an empty database → export give the same file, byte for byte?"""
    from app.core.audit import Actor

    first = export_year(2020)
    reset_database(app)
    import_document(first, Actor(label="round-trip"))
    db.session.commit()
    second = export_year(2020)
    assert without_comments(second) == without_comments(first)
    assert second == first


def test_export_carries_every_figure_of_the_import(ctx, imported_2020, data_2020):
    """Does the exported 2020 say what the imported file said, field for field?"""
    exported = yaml.safe_load(export_year(2020))
    original = yaml.safe_load(data_2020)
    assert exported["format"] == "stimulansmedel/1"
    assert exported["region"] == original["region"]
    for ours, theirs in zip(exported["allocations"], original["allocations"], strict=True):
        assert ours["received"] == theirs["received"]
        assert ours.get("stated_total") == theirs.get("stated_total")
        assert [(ln["activity"], ln.get("spent"), ln.get("kind", "activity"))
                for ln in ours["lines"]] == [
            (ln["activity"].strip(), ln.get("spent"), ln.get("kind", "activity"))
            for ln in theirs["lines"]
        ]
    grants = exported["allocations"][1]["lines"][4]["grants"]
    assert [g["amount"] for g in grants] == [
        g["amount"] for g in original["allocations"][1]["lines"][4]["grants"]
    ]


def test_oere_survive_the_round_trip(app, ctx, actor):
    """Does an amount with öre come back from export → import to the öre?"""
    import_document(document(allocation("samverkan", 2021, "6000000.50",
                                        line("Personal", spent="1000000.05"))), actor)
    db.session.commit()
    text = export_year(2021)
    assert "'6000000.50'" in text and "'1000000.05'" in text
    reset_database(app)
    import_document(text, actor)
    assert balances(2021)["samverkan"].result == 500_000_045


def test_exporting_a_year_without_data_is_refused(ctx):
    """Is an export of a year with no allocations refused with a message, not an empty file?"""
    with pytest.raises(DomainError, match="inga tilldelningar för 2019"):
        export_year(2019)


# --- other years: 2019 before and 2021 after ------------------------------------------------------

FILE_2019 = document(
    allocation("brukarmiljonen", 2019, 1_000_000,
               line("JLB inkl. medlemsorganisationer", spent=900_000),
               line("Brukarrevision", spent=40_000)),
    allocation("suicidprevention", 2019, 2_000_000,
               line("Suicid Zero", spent=1_500_000),
               line("MHFA-instruktörer", spent=450_000)),
)

FILE_2021 = document(
    allocation("brukarmiljonen", 2021, 1_000_000,
               line("JLB inkl. medlemsorganisationer", budget=800_000, spent=790_000)),
    allocation("samverkan", 2021, 6_200_000,
               line("Personal", budget=1_100_000, spent=1_050_000),
               line("Utlysning", kind="call", budget=5_000_000, spent=4_900_000, grants=[
                   grant("MHFA JGY", 700_000, owner="JGY"),
                   grant("IKB-team", 1_400_000, owner="RJH BUV"),
               ])),
    allocation("suicidprevention", 2021, 2_500_000,
               line("Regionintern samordning", budget=800_000, spent=800_000),
               line("MHFA JGY", budget=600_000, spent=500_000)),
)


def test_other_years_import_close_and_carry_in_order(ctx, data_2020, actor):
    """Do 2019, 2020 and 2021 import, close in order, each carrying its remainder into the next?"""
    import_document(FILE_2019, actor)
    import_document(data_2020, actor)
    import_document(FILE_2021, actor)

    with pytest.raises(DomainError, match="stäng först 2019"):
        close_year(2020, actor)
    closing_2019 = close_year(2019, actor)
    assert {c.from_allocation.earmark.code: c.amount for c in closing_2019.carry_overs} == {
        "brukarmiljonen": kronor(60_000), "suicidprevention": kronor(50_000)}
    b2020 = balances(2020)
    assert b2020["brukarmiljonen"].carried_in == kronor(60_000)
    assert b2020["samverkan"].carried_in == 0  # no samverkan 2019: nothing to carry
    assert b2020["suicidprevention"].result == kronor(108_928 + 50_000)

    closing_2020 = close_year(2020, actor)
    assert {c.from_allocation.earmark.code: c.amount for c in closing_2020.carry_overs} == {
        "brukarmiljonen": kronor(60_000), "samverkan": kronor(72_151),
        "suicidprevention": kronor(158_928)}

    b2021 = balances(2021)
    assert {code: b.carried_in for code, b in b2021.items()} == {
        "brukarmiljonen": kronor(60_000), "samverkan": kronor(72_151),
        "suicidprevention": kronor(158_928)}
    assert b2021["brukarmiljonen"].result == kronor(1_000_000 + 60_000 - 790_000)
    assert balances(2021, Basis.BUDGET)["samverkan"].result == kronor(
        6_200_000 + 72_151 - 1_100_000 - 5_000_000)

    closing_2021 = close_year(2021, actor)
    assert {c.to_year for c in closing_2021.carry_overs} == {2022}
    assert {c.from_allocation.earmark.code: c.amount for c in closing_2021.carry_overs} == {
        "brukarmiljonen": kronor(270_000),
        "samverkan": kronor(6_200_000 + 72_151 - 1_050_000 - 4_900_000),
        "suicidprevention": kronor(2_500_000 + 158_928 - 1_300_000),
    }
    assert count(CarryOver) == 8


def test_replace_works_while_the_old_grants_are_still_loaded(ctx, imported_2020, data_2020,
                                                             actor):
    """Can 2020 be replaced in a request that has its old grants loaded (as a page showing them)?"""
    shown = db.session.scalars(select(Grant).order_by(Grant.id)).all()
    assert len(shown) == 8
    result = import_document(data_2020, actor, replace=True)
    assert len(result.replaced) == 3
    titles = db.session.scalars(select(Grant.title).order_by(Grant.position)).all()
    assert len(titles) == 8 and titles[0].startswith("Minska elevers sjukskrivning")
    assert db.session.scalar(select(func.sum(Grant.amount))) == kronor(4_844_860)
