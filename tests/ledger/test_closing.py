"""Closing and reopening years: carry-over, deficits, and what a closed year freezes."""

from __future__ import annotations

import pytest
import yaml
from sqlalchemy import func, select

from app.core.errors import DomainError
from app.core.models import AuditEntry
from app.extensions import db
from app.ledger.earmarks import add_earmark
from app.ledger.exchange.importing import import_document
from app.ledger.lines import (
    GrantInput,
    LineInput,
    add_grant,
    add_line,
    delete_grant,
    delete_line,
    update_grant,
    update_line,
)
from app.ledger.models import CarryOver, Grant, LineKind, YearClosing
from app.ledger.rules import Basis
from app.ledger.years import close_year, reopen_year
from tests.ledger.factories import (
    allocation,
    allocation_id,
    balances,
    call_line_id,
    document,
    line,
    line_id,
    snapshot,
)
from tests.support import kronor

BUDGET_2021 = document(
    allocation("brukarmiljonen", 2021, 1_000_000, line("JLB", budget=800_000)),
    allocation("samverkan", 2021, 6_200_000, line("Personal", budget=1_000_000)),
    allocation("suicidprevention", 2021, 2_500_000, line("Suicid Zero", budget=1_300_000)),
)


def carried(closing: YearClosing) -> dict[str, int]:
    return {c.from_allocation.earmark.code: c.amount for c in closing.carry_overs}


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_closing_2020_carries_the_seeds_remainders(ctx, imported_2020, actor):
    """Does closing 2020 carry 72 151 of samverkan, 108 928 of suicide prevention, 0 of the rest?"""
    closing = close_year(2020, actor)
    assert carried(closing) == {"brukarmiljonen": 0, "samverkan": kronor(72_151),
                                "suicidprevention": kronor(108_928)}
    assert {c.to_year for c in closing.carry_overs} == {2021}
    assert closing.closed_by == actor.label


def test_closing_is_audited_with_the_carry_over(ctx, imported_2020, actor):
    """Does the audit log say who closed 2020 and what was carried into 2021?"""
    close_year(2020, actor)
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "year.close")).one()
    assert entry.actor == actor.label and entry.year == 2020
    assert entry.after == {"carry_over": {"brukarmiljonen": 0, "samverkan": 7_215_100,
                                          "suicidprevention": 10_892_800}}
    assert "72\u00a0151\u00a0kr" in entry.summary


def test_an_uncovered_deficit_refuses_closing_and_closes_nothing(ctx, data_2020, actor):
    """Without the 8 436 transfer, is closing refused, naming brukarmiljonen's deficit?"""
    data = yaml.safe_load(data_2020)
    del data["allocations"][1]["lines"][5]  # "Skuld från brukarmiljonen (TILIA)"
    del data["allocations"][1]["stated_total"]
    import_document(yaml.safe_dump(data, allow_unicode=True), actor)
    assert balances(2020)["brukarmiljonen"].result == kronor(-8_436)
    before = snapshot()
    with pytest.raises(DomainError) as refused:
        close_year(2020, actor)
    message = str(refused.value)
    assert "Brukarmiljonen 2020 har ett underskott på 8\u00a0436\u00a0kr" in message
    assert "Samverkansmedel" not in message and "Suicid" not in message
    assert "kind: transfer" in message
    assert snapshot() == before
    assert count(YearClosing) == 0 and count(CarryOver) == 0


def test_several_deficits_are_all_named(ctx, actor):
    """When two funds are short, does the refusal name both?"""
    import_document(document(
        allocation("brukarmiljonen", 2022, 100, line("JLB", spent=150)),
        allocation("suicidprevention", 2022, 100, line("Suicid Zero", spent=101)),
    ), actor)
    with pytest.raises(DomainError) as refused:
        close_year(2022, actor)
    assert "Brukarmiljonen 2022 har ett underskott på 50\u00a0kr" in str(refused.value)
    assert "Suicidpreventiva medel 2022 har ett underskott på 1\u00a0kr" in str(refused.value)


def test_closing_twice_is_refused(ctx, imported_2020, actor):
    """Is closing an already closed year refused, leaving one carry-over per fund?"""
    close_year(2020, actor)
    with pytest.raises(DomainError, match="året 2020 är redan stängt"):
        close_year(2020, actor)
    assert count(CarryOver) == 3


def test_a_year_without_allocations_cannot_be_closed(ctx, actor):
    """Is closing a year with nothing in it refused?"""
    with pytest.raises(DomainError, match="inga tilldelningar för 2030"):
        close_year(2030, actor)


def test_the_next_years_balance_shows_what_was_carried_in(ctx, imported_2020, actor):
    """After closing 2020, does each 2021 budget show the carried-in money as available?"""
    import_document(BUDGET_2021, actor)
    assert {c: b.carried_in for c, b in balances(2021, Basis.BUDGET).items()} == {
        "brukarmiljonen": 0, "samverkan": 0, "suicidprevention": 0}
    close_year(2020, actor)
    budget = balances(2021, Basis.BUDGET)
    assert {c: b.carried_in for c, b in budget.items()} == {
        "brukarmiljonen": 0, "samverkan": kronor(72_151), "suicidprevention": kronor(108_928)}
    assert budget["suicidprevention"].available == kronor(2_500_000 + 108_928)
    assert budget["suicidprevention"].result == kronor(2_500_000 + 108_928 - 1_300_000)


def test_a_next_year_imported_after_closing_gets_the_carry_over(ctx, imported_2020, actor):
    """Is the carry-over waiting for 2021 even when 2021 is imported after 2020 was closed?"""
    close_year(2020, actor)
    import_document(BUDGET_2021, actor)
    assert balances(2021)["samverkan"].carried_in == kronor(72_151)


def test_reopening_undoes_the_carry_over(ctx, imported_2020, actor):
    """Does reopening 2020 take the carried money out of 2021 again, and log it?"""
    import_document(BUDGET_2021, actor)
    close_year(2020, actor)
    reopen_year(2020, actor)
    assert {c: b.carried_in for c, b in balances(2021).items()} == {
        "brukarmiljonen": 0, "samverkan": 0, "suicidprevention": 0}
    assert count(YearClosing) == 0 and count(CarryOver) == 0
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "year.reopen")).one()
    assert entry.before["carry_over"]["samverkan"] == 7_215_100
    assert entry.actor == actor.label


def test_a_reopened_year_can_be_changed_and_closed_again(ctx, imported_2020, actor):
    """After reopening, can a line change and the new remainder be carried?"""
    close_year(2020, actor)
    reopen_year(2020, actor)
    representation = line_id("suicidprevention", 2020, "Representation")
    update_line(representation, LineInput(
        activity="Representation", spent=kronor(11_000),
        goal_area="Utåtriktat arbete och utbildningsinsatser"), actor)
    assert carried(close_year(2020, actor))["suicidprevention"] == kronor(98_928)


def test_reopening_an_open_year_is_refused(ctx, imported_2020, actor):
    """Is reopening a year that is not closed refused?"""
    with pytest.raises(DomainError, match="året 2020 är inte stängt"):
        reopen_year(2020, actor)


def test_reopening_2020_while_2021_is_closed_is_refused(ctx, imported_2020, actor):
    """Is 2020 kept closed while 2021, which builds on its carry-over, is closed?"""
    import_document(BUDGET_2021, actor)
    close_year(2020, actor)
    close_year(2021, actor, accept_missing_outcomes=True)  # a budget, with no outcomes yet
    with pytest.raises(DomainError, match="öppna först 2021"):
        reopen_year(2020, actor)
    assert count(YearClosing) == 2


def test_closing_2021_while_2020_is_open_is_refused(ctx, imported_2020, actor):
    """Is 2021 kept open until 2020, whose carry-over it needs, is closed?"""
    import_document(BUDGET_2021, actor)
    with pytest.raises(DomainError, match="stäng först 2020"):
        close_year(2021, actor)
    assert count(YearClosing) == 0


def test_closing_a_year_before_a_closed_year_is_refused(ctx, imported_2020, actor):
    """Is a late 2019 kept open while 2020 is closed (its carry-over would land in closed 2020)?"""
    close_year(2020, actor)
    import_document(document(allocation("samverkan", 2019, 1000, line("Personal", spent=900))),
                    actor)
    before = balances(2020)
    with pytest.raises(DomainError, match="öppna först 2020"):
        close_year(2019, actor)
    assert balances(2020) == before
    reopen_year(2020, actor)
    assert carried(close_year(2019, actor)) == {"samverkan": kronor(100)}
    assert balances(2020)["samverkan"].carried_in == kronor(100)


# --- a closed year is frozen ------------------------------------------------------------------

def _add_line(actor):
    add_line(allocation_id("samverkan", 2020), LineInput(activity="Ny", spent=1), actor)


def _update_line(actor):
    update_line(line_id("samverkan", 2020, "Utbildning PAX i skolan"),
                LineInput(activity="Utbildning PAX i skolan", spent=kronor(49_000)), actor)


def _delete_line(actor):
    delete_line(line_id("samverkan", 2020, "Utbildning PAX i skolan"), actor)


def _add_grant(actor):
    add_grant(call_line_id("samverkan", 2020),
              GrantInput(title="Sent projekt", owner="Bergs kommun", amount=1,
                         goal_areas=["Regional samordning"]), actor)


def _first_grant():
    return db.session.scalars(select(Grant).order_by(Grant.id)).first()


def _update_grant(actor):
    g = _first_grant()
    update_grant(g.id, GrantInput(title=g.title, owner=g.owner, amount=g.amount - 1,
                                  goal_areas=["Regional samordning"]), actor)


def _delete_grant(actor):
    delete_grant(_first_grant().id, actor)


@pytest.mark.parametrize("change", [_add_line, _update_line, _delete_line, _add_grant,
                                    _update_grant, _delete_grant],
                         ids=["add line", "update line", "delete line", "add grant",
                              "update grant", "delete grant"])
def test_a_closed_years_lines_and_grants_cannot_change(ctx, imported_2020, actor, change):
    """Is every change to a line or grant of a closed year refused, leaving it as it was?"""
    close_year(2020, actor)
    before = snapshot()
    with pytest.raises(DomainError, match="året 2020 är stängt"):
        change(actor)
    assert snapshot() == before


def _transfer_2021_covering_2020(actor) -> int:
    import_document(BUDGET_2021, actor)
    return add_line(allocation_id("samverkan", 2021), LineInput(
        activity="Skuld", kind=LineKind.TRANSFER, spent=kronor(1000),
        covers_allocation_id=allocation_id("suicidprevention", 2020)), actor).id


@pytest.mark.parametrize("change", ["update", "delete", "add"])
def test_a_transfer_into_a_closed_year_is_frozen(ctx, imported_2020, actor, change):
    """Is a 2021 transfer covering a 2020 fund frozen once 2020 is closed and carried?"""
    transfer = _transfer_2021_covering_2020(actor)
    closing = close_year(2020, actor)
    assert carried(closing)["suicidprevention"] == kronor(108_928 + 1000)
    before = snapshot()
    with pytest.raises(DomainError, match="medan 2020 är stängt"):
        if change == "update":
            update_line(transfer, LineInput(
                activity="Skuld", kind=LineKind.TRANSFER, spent=kronor(5000),
                covers_allocation_id=allocation_id("suicidprevention", 2020)), actor)
        elif change == "delete":
            delete_line(transfer, actor)
        else:
            add_line(allocation_id("samverkan", 2021), LineInput(
                activity="Mer skuld", kind=LineKind.TRANSFER, spent=kronor(1),
                covers_allocation_id=allocation_id("brukarmiljonen", 2020)), actor)
    assert snapshot() == before


def test_other_lines_of_the_next_year_stay_open(ctx, imported_2020, actor):
    """While 2020 is closed, can 2021's own lines still change?"""
    import_document(BUDGET_2021, actor)
    close_year(2020, actor)
    personal = line_id("samverkan", 2021, "Personal")
    update_line(personal, LineInput(activity="Personal", budget=kronor(1_100_000)), actor)
    assert balances(2021, Basis.BUDGET)["samverkan"].used == kronor(1_100_000)


# --- an earmark whose remainder is paid back ----------------------------------------------------

def test_a_pay_back_fund_carries_nothing_into_the_next_year(ctx, actor):
    """Does a fund whose rule is pay_back return its remainder instead of carrying it into 2021?"""
    add_earmark("ungdomsmottagning", "Ungdomsmottagningen", actor, remainder_rule="pay_back")
    import_document(document(
        allocation("ungdomsmottagning", 2020, 1_800_000, line("Personal", spent=1_700_000)),
        allocation("ungdomsmottagning", 2021, 1_800_000, line("Personal", budget=1_800_000)),
        allocation("samverkan", 2020, 1000, line("Personal", spent=900)),
        allocation("samverkan", 2021, 1000, line("Personal", budget=1000)),
    ), actor)
    closing = close_year(2020, actor)
    rules = {c.from_allocation.earmark.code: (c.amount, c.rule) for c in closing.carry_overs}
    assert rules == {"ungdomsmottagning": (kronor(100_000), "pay_back"),
                     "samverkan": (kronor(100), "carry_over")}
    b2021 = balances(2021, Basis.BUDGET)
    assert b2021["ungdomsmottagning"].carried_in == 0
    assert b2021["ungdomsmottagning"].result == 0
    assert b2021["samverkan"].carried_in == kronor(100)
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "year.close")).one()
    assert "ungdomsmottagning 100\u00a0000\u00a0kr (betalas tillbaka)" in entry.summary
    assert "samverkan 100\u00a0kr," in entry.summary + ","
