"""Can a coordinator run a fund's year in the web, with no file: start it, correct it, budget
it, decide the budget, revise it in October, and close the year on its outcomes?"""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from app.core.models import AuditEntry
from app.extensions import db
from app.ledger.allocations.models import BudgetVersion
from app.ledger.models import Allocation, Earmark, Line
from app.ledger.queries import is_year_closed
from app.ledger.rules import BudgetStatus
from tests.ledger.factories import close
from tests.ledger.test_allocation_forms import field_error, page_text
from tests.year_reports.conftest import BUDGET_2021


def earmark_id(app, code: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Earmark.id).where(Earmark.code == code))


def allocation_of(app, code: str, year: int) -> Allocation | None:
    with app.app_context():
        found = db.session.scalar(select(Allocation).join(Allocation.earmark).where(
            Earmark.code == code, Allocation.year == year))
        if found is not None:
            db.session.expunge(found)
        return found


def audit_actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def start_form(app, **fields) -> dict:
    data = {"earmark": str(earmark_id(app, "samverkan")), "year": "2031",
            "recipient": "county", "principal": "", "received": "6 199 701",
            "spend_until": "", "anchored": "Fredagsgruppen och SamReKo",
            "decision_body": "", "decision_date": "", "decision_reference": "",
            "decision_diary_number": "", "decision_text": ""}
    data.update(fields)
    return data


@pytest.fixture
def coordinator(as_role):
    return as_role("coordinator")


def test_a_coordinator_starts_a_year_from_the_dashboard(app, coordinator):
    """Does the dashboard offer a new year, and does saving it make a preliminary allocation
    whose spending window defaults to the end of the following year?"""
    assert "Nytt år / ny tilldelning" in page_text(coordinator.get("/"))
    response = coordinator.post("/allocations/new", data=start_form(app))
    assert response.status_code == 302
    created = allocation_of(app, "samverkan", 2031)
    assert (created.received, created.spend_until, created.recipient) == (
        619970100, date(2032, 12, 31), "county")
    assert created.budget_status is BudgetStatus.PRELIMINARY
    page = page_text(coordinator.get(response.location))
    assert "Preliminär budget" in page
    assert "Förankrad i" in page and "Fredagsgruppen och SamReKo" in page
    assert audit_actions(app)[-1] == "allocation.create"


def test_a_decision_known_only_by_its_month_is_kept_as_a_month(app, coordinator):
    coordinator.post("/allocations/new", data=start_form(
        app, decision_body="SVOM", decision_date="2031-06", decision_reference="§ 12",
        decision_diary_number="RJH/290/2031", decision_text="Målområden beslutade"))
    created = allocation_of(app, "samverkan", 2031)
    assert (created.decision_date, created.decision_month_only) == (date(2031, 6, 1), True)
    page = page_text(coordinator.get(f"/allocations/{created.id}"))
    assert "SVOM, juni 2031, § 12, RJH/290/2031: Målområden beslutade" in page


def test_bad_input_is_refused_at_the_fields_and_kept(app, coordinator):
    """Are a missing amount, a bad date, a bad diary number and a missing principal's name
    refused together, at their fields, with what was typed kept and nothing saved?"""
    response = coordinator.post("/allocations/new", data=start_form(
        app, received="", decision_date="juni", decision_diary_number="RJH-2031",
        recipient="principal", anchored="Fredagsgruppen 2031-05-07"))
    assert response.status_code == 422
    page = page_text(response)
    assert field_error(page, "received") == "Ange ett belopp."
    assert "är inget datum" in field_error(page, "decision_date")
    assert "är inget diarienummer" in field_error(page, "decision_diary_number")
    assert field_error(page, "principal") == "Ange huvudmannens namn."
    assert "Fredagsgruppen 2031-05-07" in page
    assert allocation_of(app, "samverkan", 2031) is None


def test_a_second_allocation_of_a_fund_and_year_is_refused(app, coordinator, imported_2020):
    response = coordinator.post("/allocations/new", data=start_form(app, year="2020"))
    assert response.status_code == 422
    assert "Samverkansmedel har redan en tilldelning för 2020" in field_error(
        page_text(response), "earmark")


def test_an_allocation_of_a_closed_year_is_refused_at_the_year(app, coordinator,
                                                                imported_2020):
    """Is a new allocation of a closed year refused at the year's field, naming the year?"""
    close(app, 2020)
    response = coordinator.post("/allocations/new", data=start_form(
        app, earmark=str(earmark_id(app, "suicidprevention")), year="2020"))
    assert response.status_code == 422
    assert field_error(page_text(response), "year") == (
        "Året 2020 är stängt; en administratör måste öppna det innan något ändras.")


def test_a_principal_holds_its_own_money_apart(app, coordinator):
    """Is a principal's allocation shown on its own, never added to the county's funds?"""
    coordinator.post("/allocations/new", data=start_form(app, received="1 000 000"))
    coordinator.post("/allocations/new", data=start_form(
        app, earmark=str(earmark_id(app, "suicidprevention")), received="500 000",
        recipient="principal", principal="Östersunds kommun"))
    page = page_text(coordinator.get("/?year=2031"))
    assert "Summa 2031" in page
    table = page[page.index('id="table-2031"'):]
    table = table[:table.index("</table>")]
    assert "Samverkansmedel" in table and "Suicidpreventiva medel" not in table
    assert "1 500 000" not in page  # the two recipients are never added together
    other = page_text(coordinator.get("/?year=2031&recipient=Östersunds kommun"))
    table = other[other.index('id="table-2031"'):]
    assert "Suicidpreventiva medel" in table[:table.index("</table>")]


def test_correcting_an_allocation_is_audited_with_old_and_new_values(app, coordinator):
    coordinator.post("/allocations/new", data=start_form(app))
    created = allocation_of(app, "samverkan", 2031)
    page = page_text(coordinator.get(f"/allocations/{created.id}/edit"))
    assert 'value="6 199 701"' in page
    form = start_form(app, received="6 203 183", spend_until="2032-06-30")
    del form["earmark"], form["year"]
    response = coordinator.post(f"/allocations/{created.id}/edit", data=form)
    assert response.status_code == 302
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert entry.action == "allocation.update"
        assert entry.before == {"received": 619970100, "spend_until": "2032-12-31"}
        assert entry.after == {"received": 620318300, "spend_until": "2032-06-30"}


def test_a_closed_years_allocation_cannot_be_corrected(app, coordinator, imported_2020,
                                                       actor):
    from app.ledger.years import close_year
    with app.app_context():
        close_year(2020, actor)
        db.session.commit()
    closed = allocation_of(app, "samverkan", 2020)
    response = coordinator.get(f"/allocations/{closed.id}/edit")
    assert response.status_code == 302 and response.location == f"/allocations/{closed.id}"


def test_viewers_may_not_start_a_year(app, as_role):
    viewer = as_role("viewer")
    assert viewer.get("/allocations/new").status_code == 403
    assert "Nytt år / ny tilldelning" not in page_text(viewer.get("/"))


# --- budget versions -------------------------------------------------------------------

def line_form(activity: str, budget: str, goal_area: str = "Regional samordning") -> dict:
    return {"goal_area": goal_area, "activity": activity, "kind": "activity", "budget": budget,
            "spent": "", "covers": "", "owner": "", "partners": ""}


def decision_form(**fields) -> dict:
    data = {"decision_body": "SVOM", "decision_date": "2031-06-11", "decision_reference": "§ 80",
            "decision_diary_number": "RJH/12/2031", "decision_text": "Budget beslutad"}
    data.update(fields)
    return data


@pytest.fixture
def budgeted(app, coordinator) -> int:
    """A year started in the web with two budget lines."""
    coordinator.post("/allocations/new", data=start_form(app, received="1 000 000"))
    allocation_id = allocation_of(app, "samverkan", 2031).id
    # Lines choose their goal areas from the year's list, so the year's list comes first.
    for name in ("Regional samordning", "Stärka barn och ungas psykiska hälsa",
                 "Förbättra omhändertagandet av särskilt utsatta grupper"):
        coordinator.post("/years/2031/goal-areas", data={"name": name})
    coordinator.post(f"/allocations/{allocation_id}/lines/new",
                     data=line_form("Regional samordning", "600 000"))
    coordinator.post(f"/allocations/{allocation_id}/lines/new",
                     data=line_form("Utbildning i SIP", "400 000",
                                    "Stärka barn och ungas psykiska hälsa"))
    return allocation_id


def line_id(app, allocation_id: int, activity: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Line.id).where(
            Line.allocation_id == allocation_id, Line.activity == activity))


def test_deciding_a_budget_freezes_it_until_it_is_revised(app, coordinator, budgeted):
    """Does the decision freeze the budget: a budget change is refused until a revision is
    opened, and the decided version keeps its figures?"""
    response = coordinator.post(f"/allocations/{budgeted}/budget/decide", data=decision_form())
    assert response.status_code == 302
    page = page_text(coordinator.get(f"/allocations/{budgeted}"))
    assert "Version 1: beslutad, 1 000 000 kr" in page
    assert "SVOM, 11 juni 2031, § 80, RJH/12/2031: Budget beslutad" in page
    assert "Preliminär budget" not in page
    sip = line_id(app, budgeted, "Utbildning i SIP")
    refused = coordinator.post(f"/lines/{sip}/edit", data=line_form(
        "Utbildning i SIP", "300 000", "Stärka barn och ungas psykiska hälsa"))
    assert refused.status_code != 302  # the form again, with the refusal
    assert "budgeten är beslutad (version 1)" in page_text(refused).lower()
    # An outcome is no budget change: it may be entered on a decided budget.
    outcome = line_form("Utbildning i SIP", "400 000", "Stärka barn och ungas psykiska hälsa")
    outcome["spent"] = "380 000"
    assert coordinator.post(f"/lines/{sip}/edit", data=outcome).status_code == 302


def test_the_october_revision_is_a_new_version_with_its_changes(app, coordinator, budgeted):
    """Does a revision show, line by line, what changed in amounts and goal areas since the
    decided version, and does its own decision become version 2?"""
    coordinator.post(f"/allocations/{budgeted}/budget/decide", data=decision_form())
    assert "Påbörja revidering" in page_text(
        coordinator.get(f"/allocations/{budgeted}/budget/revise"))
    coordinator.post(f"/allocations/{budgeted}/budget/revise")
    sip = line_id(app, budgeted, "Utbildning i SIP")
    coordinator.post(f"/lines/{sip}/edit", data=line_form(
        "Utbildning i SIP", "250 000", "Förbättra omhändertagandet av särskilt utsatta grupper"))
    coordinator.post(f"/allocations/{budgeted}/lines/new",
                     data=line_form("Suicidprevention i skolan", "150 000"))
    page = page_text(coordinator.get(f"/allocations/{budgeted}"))
    assert "Preliminär budget" in page
    assert "Version 2: preliminär, 1 000 000 kr" in page
    changes = page[page.index("Ändringar från version 1 till version 2"):]
    changes = changes[:changes.index("</table>")]
    assert re.search(r"Utbildning i SIP.*Stärka barn och ungas psykiska hälsa → Förbättra "
                     r"omhändertagandet av särskilt utsatta grupper.*400 000.*250 000.*−150 000",
                     changes, re.DOTALL)
    assert re.search(r"Suicidprevention i skolan.*ny rad.*150 000", changes, re.DOTALL)
    assert "Regional samordning</td>" not in changes.split("<tbody>")[1].split("</tr>")[0]
    coordinator.post(f"/allocations/{budgeted}/budget/decide", data=decision_form(
        decision_date="2031-10", decision_reference="§ 140"))
    with app.app_context():
        versions = db.session.scalars(select(BudgetVersion).where(
            BudgetVersion.allocation_id == budgeted).order_by(BudgetVersion.number)).all()
        assert [(v.number, v.status, v.decision_paragraph) for v in versions] == [
            (1, BudgetStatus.DECIDED, "§ 80"), (2, BudgetStatus.DECIDED, "§ 140")]
        assert [(r.activity, r.budget) for r in versions[0].lines] == [
            ("Regional samordning", 60000000), ("Utbildning i SIP", 40000000)]
        assert versions[1].decision_month_only
    assert audit_actions(app)[-4:] == ["budget.revise", "line.update", "line.create",
                                       "budget.decide"]


def test_a_decision_needs_its_body_and_date(app, coordinator, budgeted):
    response = coordinator.post(f"/allocations/{budgeted}/budget/decide",
                                data=decision_form(decision_body="", decision_date=""))
    assert response.status_code == 422
    page = page_text(response)
    assert field_error(page, "decision_body") == "Ange vem som fattade beslutet, t.ex. SVOM."
    assert "Ange beslutets datum" in field_error(page, "decision_date")
    with app.app_context():
        assert db.session.scalar(select(func.count(BudgetVersion.id))) == 0


# --- closing on outcomes ---------------------------------------------------------------

@pytest.fixture
def budget_2021_on_closed_2020(app, imported_2020, actor):
    from app.ledger.exchange.importing import import_document
    from app.ledger.years import close_year
    with app.app_context():
        close_year(2020, actor)
        import_document(BUDGET_2021, actor)
        db.session.commit()


def test_closing_a_budget_without_outcomes_lists_its_lines(app, coordinator,
                                                           budget_2021_on_closed_2020):
    """Does the closing page name the lines with a budget but no outcome, and refuse to close
    until the coordinator accepts them as 0 kr used?"""
    page = page_text(coordinator.get("/years/2021/close"))
    assert "10 rader har budget men inget utfall" in page
    assert "Suicidpreventiva medel 2021: Suicidpreventiv konferens, fokusvecka, PAX i skolan, " \
           "AOSP, MHFA" in page
    refused = coordinator.post("/years/2021/close", data={})
    assert refused.status_code == 422
    assert "kryssa i att de godtas som 0 kr använt" in field_error(
        page_text(refused), "accept_missing_outcomes")
    assert not _closed(app, 2021)
    accepted = coordinator.post("/years/2021/close", data={"accept_missing_outcomes": "y"})
    assert accepted.status_code == 302
    assert _closed(app, 2021)
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(
            AuditEntry.action == "year.accept_missing"))
        assert len(entry.after["lines"]) == 10
        assert "Godtog 10 rader utan utfall som 0 kr använt" in entry.summary


def _closed(app, year: int) -> bool:
    with app.app_context():
        return is_year_closed(year)


def test_the_allocation_page_shows_the_same_warnings_as_the_dashboard(
        app, coordinator, budget_2021_on_closed_2020):
    """Do the dashboard and the allocation page both name the unbudgeted money, and neither
    the false total warning of a budget?"""
    dashboard = page_text(coordinator.get("/?year=2021"))
    sp = allocation_of(app, "suicidprevention", 2021)
    page = page_text(coordinator.get(f"/allocations/{sp.id}"))
    for text in ("108 928 kr överfört från 2020 till Suicidpreventiva medel 2021 finns inte i "
                 "någon budgetrad",
                 "25 124 kr av de erhållna medlen till Suicidpreventiva medel 2021 finns inte i "
                 "någon budgetrad"):
        assert text in dashboard and text in page
    assert "72 151 kr överfört från 2020 till Samverkansmedel 2021" in dashboard
    assert "Underlagets total" not in dashboard and "Underlagets total" not in page


def test_an_imported_decided_budget_is_frozen_when_it_is_first_revised(
        app, coordinator, budget_2021_on_closed_2020):
    """Is a budget decided in a file (no versions in the app) kept as version 1, with its
    decision, when the coordinators open the October revision?"""
    samverkan = allocation_of(app, "samverkan", 2021)
    coordinator.post(f"/allocations/{samverkan.id}/budget/revise")
    sip = line_id(app, samverkan.id, "SIP, samernas psykiska hälsa, HBTQI-diplomering")
    coordinator.post(f"/lines/{sip}/edit", data=line_form(
        "SIP, samernas psykiska hälsa, HBTQI-diplomering", "353 302",
        "Förbättra omhändertagandet av särskilt utsatta grupper"))
    page = page_text(coordinator.get(f"/allocations/{samverkan.id}"))
    assert "Version 1: beslutad, 6 199 701 kr" in page
    assert "SVOM: Målområden beslutade i SVOM juni 2021" in page
    assert "Version 2: preliminär, 6 271 852 kr" in page
    assert re.search(r"SIP, samernas.*281 151.*353 302.*72 151", page, re.DOTALL)
    # The carry-over is now budgeted: its warning is gone, on this page and the dashboard.
    assert "72 151 kr överfört från 2020" not in page
    assert "72 151 kr överfört från 2020" not in page_text(coordinator.get("/?year=2021"))


def test_a_file_that_makes_a_decided_budget_preliminary_again_can_be_decided_anew(
        app, coordinator, budgeted, actor):
    from app.ledger.exchange.exporting import export_year
    from app.ledger.exchange.importing import import_document
    coordinator.post(f"/allocations/{budgeted}/budget/decide", data=decision_form())
    with app.app_context():
        text = export_year(2031).replace("status: decided", "status: preliminary")
        import_document(text, actor, replace=True)
        db.session.commit()
    response = coordinator.post(f"/allocations/{budgeted}/budget/decide",
                                data=decision_form(decision_reference="§ 99"))
    assert response.status_code == 302
    page = page_text(coordinator.get(f"/allocations/{budgeted}"))
    assert "Version 2: beslutad, 1 000 000 kr" in page
