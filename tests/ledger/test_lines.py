"""Editing lines and grants: the rules of each change, and the audit entry it leaves."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.accounts.users import find_by_email
from app.core.audit import Actor
from app.core.errors import DomainError
from app.core.models import AuditEntry
from app.extensions import db
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
from app.ledger.models import Grant, Line, LineKind
from app.ledger.rules import Basis
from tests.ledger.factories import (
    allocation,
    allocation_id,
    balances,
    call_line_id,
    document,
    grant,
    line,
    line_id,
    snapshot,
)
from tests.support import kronor

# 2021: a call of 1 000 000 with 600 000 granted, so 400 000 is left to grant.
BUDGET_2021 = document(
    allocation("samverkan", 2021, 6_200_000,
               line("Personal", budget=1_000_000, goal_area="Regional samordning"),
               line("Utlysning", kind="call", budget=1_000_000, goal_area="Projektutlysning",
                    grants=[grant("MHFA JGY", 400_000, owner="JGY"),
                            grant("IKB-team", 200_000, owner="RJH BUV")])),
    allocation("brukarmiljonen", 2021, 1_000_000, line("JLB", budget=1_000_000)),
)


@pytest.fixture
def coordinator(ctx, make_user) -> Actor:
    """A coordinator's account, as the actor of the changes."""
    return Actor.of(find_by_email(make_user("coordinator", "samordnare@example.se")))


@pytest.fixture
def budget_2021(ctx, coordinator):
    import_document(BUDGET_2021, Actor(label="fixture"))


def last_entry(action: str) -> AuditEntry:
    return db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id.desc())
    ).first()


def new_grant(amount_kr: int, title: str = "Nytt projekt", **kwargs) -> GrantInput:
    return GrantInput(title=title, owner="Strömsunds kommun", amount=kronor(amount_kr),
                      goal_areas=["Stärka barn och ungas psykiska hälsa"], **kwargs)


def granted(line: int) -> int:
    return db.session.scalar(select(func.sum(Grant.amount)).where(Grant.line_id == line))


# --- lines -----------------------------------------------------------------------------------

def test_a_new_line_is_added_and_audited_with_who(budget_2021, coordinator):
    """Does a new line count in the budget and leave an entry naming the coordinator?"""
    new = add_line(allocation_id("samverkan", 2021), LineInput(
        activity="Fokusvecka psykisk hälsa", budget=kronor(50_000), goal_area="Regional samordning"),
        coordinator)
    assert balances(2021, Basis.BUDGET)["samverkan"].used == kronor(2_050_000)
    assert new.position == 2
    entry = last_entry("line.create")
    assert entry.actor == "samordnare@example.se" and entry.actor_id == coordinator.user_id
    assert entry.entity_id == new.id and entry.year == 2021
    assert entry.before is None
    assert entry.after == {"activity": "Fokusvecka psykisk hälsa", "kind": "activity",
                           "goal_area": "Regional samordning", "budget": 5_000_000,
                           "spent": None, "covers": None, "owner": None, "partners": []}


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (LineInput(activity="Kurs", budget=-1), "får inte vara negativt"),
        (LineInput(activity="Kurs", spent=kronor(-100)), "får inte vara negativt"),
        (LineInput(activity="Kurs"), "ange budget, utfall eller båda"),
        (LineInput(activity="   ", budget=1), "ange aktiviteten"),
        (LineInput(activity="Skuld", kind=LineKind.TRANSFER, spent=1), "måste ange vilken fond"),
        (LineInput(activity="Skuld", kind=LineKind.TRANSFER, spent=1,
                   covers_allocation_id=10**9), "finns inte"),
    ],
    ids=["negative-budget", "negative-spent", "no-amount", "no-activity",
         "transfer-without-covers", "transfer-to-nothing"],
)
def test_a_bad_new_line_is_refused_and_nothing_changes(budget_2021, coordinator, data, why):
    """Is each line the rules forbid refused, with a reason, leaving the ledger as it was?"""
    before = snapshot()
    with pytest.raises(DomainError, match=why):
        add_line(allocation_id("samverkan", 2021), data, coordinator)
    assert snapshot() == before


def test_a_transfer_to_its_own_fund_is_refused(budget_2021, coordinator):
    """Is a transfer that would cover the allocation it is booked in refused?"""
    own = allocation_id("samverkan", 2021)
    with pytest.raises(DomainError, match="kan inte täcka sin egen fond"):
        add_line(own, LineInput(activity="Skuld", kind=LineKind.TRANSFER, spent=1,
                                covers_allocation_id=own), coordinator)


def test_a_transfer_covers_the_other_funds_deficit(budget_2021, coordinator):
    """Does a transfer line cover another fund's deficit, moving the money from one to the other?"""
    update_line(line_id("brukarmiljonen", 2021, "JLB"),
                LineInput(activity="JLB", budget=kronor(1_008_436)), coordinator)
    assert balances(2021, Basis.BUDGET)["brukarmiljonen"].result == kronor(-8_436)
    add_line(allocation_id("samverkan", 2021), LineInput(
        activity="Skuld från brukarmiljonen", kind=LineKind.TRANSFER, budget=kronor(8_436),
        covers_allocation_id=allocation_id("brukarmiljonen", 2021)), coordinator)
    budget = balances(2021, Basis.BUDGET)
    assert budget["brukarmiljonen"].result == 0
    assert budget["samverkan"].result == kronor(6_200_000 - 2_000_000 - 8_436)
    assert last_entry("line.create").after["covers"] == "Brukarmiljonen 2021"


def test_a_line_update_is_audited_before_and_after(budget_2021, coordinator):
    """Does changing a line log who changed it, and the values before and after?"""
    personal = line_id("samverkan", 2021, "Personal")
    update_line(personal, LineInput(activity="Personal 1,5 tjänst", budget=kronor(1_000_000),
                                    spent=kronor(1_010_303), goal_area="Regional samordning"),
                coordinator)
    entry = last_entry("line.update")
    assert entry.actor == "samordnare@example.se" and entry.entity_id == personal
    assert (entry.before["activity"], entry.before["spent"]) == ("Personal", None)
    assert (entry.after["activity"], entry.after["spent"]) == ("Personal 1,5 tjänst", 101_030_300)


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (LineInput(activity="Personal", budget=-5), "får inte vara negativt"),
        (LineInput(activity="Personal"), "ange budget, utfall eller båda"),
        (LineInput(activity="Personal", kind=LineKind.TRANSFER, budget=1), "måste ange vilken"),
    ],
    ids=["negative", "no-amount", "transfer-without-covers"],
)
def test_a_bad_line_update_is_refused_and_nothing_changes(budget_2021, coordinator, data, why):
    """Is a change the rules forbid refused, leaving the line as it was?"""
    before = snapshot()
    with pytest.raises(DomainError, match=why):
        update_line(line_id("samverkan", 2021, "Personal"), data, coordinator)
    assert snapshot() == before


def test_a_call_line_cannot_fall_below_its_grants(budget_2021, coordinator):
    """Is a call's pool lowered below what is already granted refused, naming both sums?"""
    call = call_line_id("samverkan", 2021)
    before = snapshot()
    with pytest.raises(DomainError) as refused:
        update_line(call, LineInput(activity="Utlysning", kind=LineKind.CALL,
                                    budget=kronor(599_999)), coordinator)
    assert "600\u00a0000\u00a0kr" in str(refused.value)
    assert "599\u00a0999\u00a0kr" in str(refused.value)
    assert snapshot() == before


def test_a_call_with_an_outcome_is_bounded_by_the_outcome(budget_2021, coordinator):
    """Is a call whose outcome is below its grants refused even though its budget covers them?"""
    with pytest.raises(DomainError, match="mer än utlysningens 500\u00a0000\u00a0kr"):
        update_line(call_line_id("samverkan", 2021), LineInput(
            activity="Utlysning", kind=LineKind.CALL, budget=kronor(1_000_000),
            spent=kronor(500_000)), coordinator)


def test_a_call_line_may_fall_exactly_to_its_grants(budget_2021, coordinator):
    """May a call's pool be lowered to exactly the granted sum, leaving nothing unallocated?"""
    call = call_line_id("samverkan", 2021)
    update_line(call, LineInput(activity="Utlysning", kind=LineKind.CALL,
                                budget=kronor(600_000)), coordinator)
    assert db.session.get(Line, call).budget == kronor(600_000)


def test_a_call_with_grants_must_stay_a_call(budget_2021, coordinator):
    """Is turning a call with granted projects into an ordinary activity refused?"""
    with pytest.raises(DomainError, match="måste förbli en utlysning"):
        update_line(call_line_id("samverkan", 2021), LineInput(
            activity="Utlysning", kind=LineKind.ACTIVITY, budget=kronor(1_000_000)), coordinator)


def test_deleting_a_line_removes_its_grants_and_logs_them(budget_2021, coordinator):
    """Does deleting a call line take its grants with it, keeping them in the audit entry?"""
    call = call_line_id("samverkan", 2021)
    delete_line(call, coordinator)
    assert db.session.get(Line, call) is None
    assert db.session.scalar(select(func.count()).select_from(Grant)) == 0
    entry = last_entry("line.delete")
    assert entry.actor == "samordnare@example.se" and entry.after is None
    assert [g["title"] for g in entry.before["grants"]] == ["MHFA JGY", "IKB-team"]
    assert balances(2021, Basis.BUDGET)["samverkan"].used == kronor(1_000_000)


def test_changing_a_missing_line_is_refused(ctx, coordinator):
    """Is a change to a line that does not exist refused with a message, not a crash?"""
    with pytest.raises(DomainError, match="raden finns inte"):
        update_line(10**9, LineInput(activity="x", budget=1), coordinator)
    with pytest.raises(DomainError, match="raden finns inte"):
        delete_line(10**9, coordinator)


# --- grants ----------------------------------------------------------------------------------

def test_a_grant_within_the_pool_is_made_and_audited(budget_2021, coordinator):
    """Can the rest of the pool be granted, and is the grant logged with who granted it?"""
    call = call_line_id("samverkan", 2021)
    made = add_grant(call, new_grant(400_000, partners=["Hammerdals skola"]), coordinator)
    assert granted(call) == kronor(1_000_000)
    assert made.position == 2
    entry = last_entry("grant.create")
    assert entry.actor == "samordnare@example.se" and entry.entity_id == made.id
    assert entry.after == {"title": "Nytt projekt", "owner": "Strömsunds kommun",
                           "partners": ["Hammerdals skola"],
                           "goal_areas": ["Stärka barn och ungas psykiska hälsa"],
                           "amount": 40_000_000, "paid": None, "returned": None,
                           "status": None}
    assert "400\u00a0000\u00a0kr" in entry.summary


def test_a_grant_above_what_is_left_is_refused_naming_what_is_left(budget_2021, coordinator):
    """Is a grant one krona above the unallocated pool refused, telling how much is left?"""
    call = call_line_id("samverkan", 2021)
    before = snapshot()
    with pytest.raises(DomainError) as refused:
        add_grant(call, new_grant(400_001), coordinator)
    assert "kvar att bevilja är 400\u00a0000\u00a0kr" in str(refused.value)
    assert snapshot() == before


def test_a_fully_granted_call_refuses_any_further_grant(ctx, imported_2020, coordinator):
    """Is the 2020 call, all of whose 4 844 860 is granted, closed to even one more krona?"""
    with pytest.raises(DomainError, match="kvar att bevilja är 0\u00a0kr"):
        add_grant(call_line_id("samverkan", 2020), new_grant(1), coordinator)


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (new_grant(0), "större än noll"),
        (GrantInput(title="x", owner="y", amount=-1, goal_areas=["Regional samordning"]),
         "större än noll"),
        (GrantInput(title=" ", owner="y", amount=1, goal_areas=["Regional samordning"]),
         "namn och projektägare"),
        (GrantInput(title="x", owner="", amount=1, goal_areas=["Regional samordning"]),
         "namn och projektägare"),
        (GrantInput(title="x", owner="y", amount=1, goal_areas=[" "]), "minst ett målområde"),
        (new_grant(10, paid=kronor(11)), "utbetalt kan inte vara mer än beviljat"),
        (new_grant(10, paid=kronor(5), returned=kronor(6)), "återbetalt kan inte vara mer"),
    ],
    ids=["zero", "negative", "no-title", "no-owner", "no-goal-area", "paid-above",
         "returned-above"],
)
def test_a_bad_grant_is_refused(budget_2021, coordinator, data, why):
    """Is each grant the rules forbid refused with a reason, leaving the call as it was?"""
    before = snapshot()
    with pytest.raises(DomainError, match=why):
        add_grant(call_line_id("samverkan", 2021), data, coordinator)
    assert snapshot() == before


def test_a_grant_from_a_line_that_is_no_call_is_refused(budget_2021, coordinator):
    """Is a project granted from an ordinary activity line refused?"""
    with pytest.raises(DomainError, match="bara beviljas från en utlysningsrad"):
        add_grant(line_id("samverkan", 2021, "Personal"), new_grant(1), coordinator)


def test_a_grant_update_counts_the_other_grants_only(budget_2021, coordinator):
    """May a grant be raised by exactly what is left, but not a krona more?"""
    call = call_line_id("samverkan", 2021)
    mhfa = db.session.scalar(select(Grant).where(Grant.title == "MHFA JGY"))
    with pytest.raises(DomainError, match="kvar att bevilja är 800\u00a0000\u00a0kr"):
        update_grant(mhfa.id, GrantInput(title="MHFA JGY", owner="JGY",
                                         amount=kronor(800_001),
                                         goal_areas=["Stärka barn och ungas psykiska hälsa"]),
                     coordinator)
    update_grant(mhfa.id, GrantInput(title="MHFA JGY", owner="JGY", amount=kronor(800_000),
                                     goal_areas=["Stärka barn och ungas psykiska hälsa"]),
                 coordinator)
    assert granted(call) == kronor(1_000_000)
    entry = last_entry("grant.update")
    assert (entry.before["amount"], entry.after["amount"]) == (40_000_000, 80_000_000)
    assert entry.actor == "samordnare@example.se"


def test_a_grant_update_sees_a_pool_lowered_meanwhile(app, budget_2021, coordinator):
    """If another coordinator lowers the pool after the grant was loaded, is the raise refused?"""
    db.session.commit()
    mhfa = db.session.scalar(select(Grant).where(Grant.title == "MHFA JGY"))
    assert mhfa.line.budget == kronor(1_000_000)  # this session has read the pool
    with app.app_context():  # another request, committed meanwhile
        update_line(call_line_id("samverkan", 2021), LineInput(
            activity="Utlysning", kind=LineKind.CALL, budget=kronor(600_000)), coordinator)
        db.session.commit()
    with pytest.raises(DomainError, match="kvar att bevilja är 400\u00a0000\u00a0kr"):
        update_grant(mhfa.id, GrantInput(title="MHFA JGY", owner="JGY",
                                         amount=kronor(800_000),
                                         goal_areas=["Stärka barn och ungas psykiska hälsa"]),
                     coordinator)


def test_deleting_a_grant_frees_its_money_and_is_audited(budget_2021, coordinator):
    """Does deleting a grant return its amount to the pool and log what was deleted?"""
    call = call_line_id("samverkan", 2021)
    ikb = db.session.scalar(select(Grant).where(Grant.title == "IKB-team"))
    delete_grant(ikb.id, coordinator)
    assert granted(call) == kronor(400_000)
    entry = last_entry("grant.delete")
    assert entry.before["title"] == "IKB-team" and entry.before["amount"] == 20_000_000
    assert entry.actor == "samordnare@example.se"
    add_grant(call, new_grant(600_000), coordinator)


def test_a_grant_of_several_goal_areas_keeps_each_once(budget_2021, coordinator):
    """Does a grant serving the same goal area twice (typed twice) keep it once?"""
    made = add_grant(call_line_id("samverkan", 2021), GrantInput(
        title="Tvärsektoriellt", owner="Åre kommun", amount=kronor(1),
        goal_areas=["Regional samordning", " Regional samordning ", "Projektutlysning"]),
        coordinator)
    assert [g.name for g in made.goal_areas] == ["Regional samordning", "Projektutlysning"]
