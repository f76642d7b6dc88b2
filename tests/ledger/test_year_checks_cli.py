"""The coordinators' year on the command line and in the exchange format: `flask funds check`,
closing on outcomes, and the format's recipient, status, month-only decision and report due
date going round trip."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.core.errors import ImportRefused
from app.core.models import AuditEntry
from app.extensions import db
from app.ledger.exchange.exporting import export_year
from app.ledger.exchange.importing import import_document
from app.ledger.models import Allocation, Earmark, Grant, Line, YearClosing
from app.ledger.rules import BudgetStatus
from tests.conftest import DATA_2020, reset_database
from tests.year_reports.conftest import BUDGET_2021

NBSP = "\u00a0"


def invoke(runner, *args: str):
    return runner.invoke(args=list(args))


def plain(text: str) -> str:
    return text.replace(NBSP, " ")


@pytest.fixture
def budget_2021(runner, tmp_path):
    """The 2020 follow-up imported and closed, then the 2021 budget of seed 003."""
    assert invoke(runner, "funds", "import", str(DATA_2020)).exit_code == 0
    assert invoke(runner, "funds", "close-year", "2020").exit_code == 0
    path = tmp_path / "budget-2021.yaml"
    path.write_text(BUDGET_2021, encoding="utf-8")
    result = invoke(runner, "funds", "import", str(path))
    assert result.exit_code == 0, result.output


def test_check_names_the_unbudgeted_money_of_2021_and_no_false_total(runner, budget_2021):
    """Does `funds check --year 2021` name 108 928, 72 151 and 25 124 kr that no budget line
    uses, exit 1, and say nothing of the totals (a budget total is compared with budgets)?"""
    result = invoke(runner, "funds", "check", "--year", "2021")
    assert result.exit_code == 1
    out = plain(result.output)
    assert ("108 928 kr överfört från 2020 till Suicidpreventiva medel 2021 finns inte i någon "
            "budgetrad") in out
    assert "72 151 kr överfört från 2020 till Samverkansmedel 2021 finns inte i någon budgetrad" \
        in out
    assert ("25 124 kr av de erhållna medlen till Suicidpreventiva medel 2021 finns inte i någon "
            "budgetrad") in out
    assert "Underlagets total" not in out
    assert len(out.strip().splitlines()) == 3


def test_check_of_a_closed_balanced_2020_is_quiet(runner):
    invoke(runner, "funds", "import", str(DATA_2020))
    invoke(runner, "funds", "close-year", "2020")
    result = invoke(runner, "funds", "check", "--year", "2020")
    assert result.exit_code == 0, result.output
    assert "Inget att se över för 2020." in result.output


def test_check_of_an_unknown_year_fails(runner):
    result = invoke(runner, "funds", "check", "--year", "2040")
    assert result.exit_code == 1
    assert "det finns inga tilldelningar för 2040" in result.output


def test_a_budget_total_that_differs_from_the_budgets_is_still_told(app, runner, tmp_path):
    """Is a stated total compared with the budgets when the lines have only budgets?"""
    path = tmp_path / "budget.yaml"
    path.write_text(BUDGET_2021.replace("stated_total: 6199701", "stated_total: 6200000"),
                    encoding="utf-8")
    invoke(runner, "funds", "import", str(path))
    out = plain(invoke(runner, "funds", "check", "--year", "2021").output)
    assert ("Underlagets total för Samverkansmedel 2021 (6 200 000 kr) skiljer sig från "
            "radernas summerade budget (6 199 701 kr)") in out


def test_closing_2021_without_outcomes_is_refused_and_names_its_lines(app, runner, budget_2021):
    """Does close-year 2021 exit 1 naming the lines with budgets but no outcomes, changing
    nothing, and close with --accept-missing-outcomes, audited with the lines it covered?"""
    result = invoke(runner, "funds", "close-year", "2021")
    assert result.exit_code == 1
    err = plain(result.output)
    assert "10 rader har budget men inget utfall" in err
    assert "Suicidpreventiva medel 2021: Projekt: MHFA för personal och elever vid JGY " \
           "(följs upp i slutet av 2022) (budget 576 560 kr)" in err
    assert "Brukarmiljonen 2021: JLB/NSPH" in err
    assert "--accept-missing-outcomes" in err
    with app.app_context():
        assert db.session.scalar(select(func.count(YearClosing.id))) == 1
        assert db.session.scalar(select(func.count(Line.id)).join(
            Allocation, Allocation.id == Line.allocation_id).where(
            Allocation.year == 2021, Line.spent.is_not(None))) == 0

    result = invoke(runner, "funds", "close-year", "2021", "--accept-missing-outcomes")
    assert result.exit_code == 0, result.output
    out = plain(result.output)
    # Nothing was used: every krona of 2021 is carried over, as the coordinator accepted.
    assert "suicidprevention: 2 634 052 kr överförs till 2022" in out
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(
            AuditEntry.action == "year.accept_missing"))
        assert entry.year == 2021 and len(entry.before["lines"]) == 10
        assert {line["spent"] for line in entry.after["lines"]} == {0}


# --- the exchange format's fields of this issue -----------------------------------------

ROUND_TRIP = """\
format: stimulansmedel/1
region: Region Jämtland Härjedalen
allocations:
  - earmark: samverkan
    year: 2031
    status: preliminary
    received: 6000000
    decision: {body: SVOM, date: 2031-06, reference: "§ 80", diary_number: RJH/12/2031}
    lines:
      - goal_area: Projektutlysning
        kind: call
        activity: Utlysning
        budget: 1000000
        grants:
          - title: BarnSäkert
            owner: RJH
            goal_areas: [Stärka barn och ungas psykiska hälsa]
            amount: 500000
            report_due: 2033-06-30
  - earmark: suicidprevention
    year: 2031
    recipient: Östersunds kommun
    status: decided
    received: 400000
    decision: {body: Kommunstyrelsen, date: 2031-05-12}
    lines: []
"""


def test_the_new_fields_are_imported(ctx, actor):
    import_document(ROUND_TRIP, actor)
    samverkan, suicide = db.session.scalars(
        select(Allocation).join(Allocation.earmark).order_by(Earmark.sort_order)).all()
    assert (samverkan.recipient, samverkan.budget_status) == ("county", BudgetStatus.PRELIMINARY)
    assert (samverkan.decision_date, samverkan.decision_month_only) == (date(2031, 6, 1), True)
    assert samverkan.decision_diary_number == "RJH/12/2031"
    assert samverkan.spend_until == date(2032, 12, 31)
    assert (suicide.recipient, suicide.budget_status) == ("Östersunds kommun",
                                                          BudgetStatus.DECIDED)
    assert db.session.scalar(select(Grant.report_due)) == date(2033, 6, 30)


def test_the_new_fields_go_round_trip(app, actor):
    """Export → import into an empty database → export: the same document, field for
    field (a status, a recipient, a month-only decision and a report due date included)."""
    with app.app_context():
        import_document(ROUND_TRIP, actor)
        db.session.commit()
        first = export_year(2031)
    for field in ("status: preliminary", "status: decided", "recipient: Östersunds kommun",
                  "date: 2031-06\n", "diary_number: RJH/12/2031", "report_due: 2033-06-30"):
        assert field in first, field
    reset_database(app)
    with app.app_context():
        import_document(first, actor)
        db.session.commit()
        assert export_year(2031) == first


def test_an_unknown_status_is_refused_with_its_place(ctx, actor):
    with pytest.raises(ImportRefused) as refused:
        import_document(ROUND_TRIP.replace("status: preliminary", "status: prel"), actor)
    [problem] = refused.value.problems
    assert problem.place == "allocations[0].status"
    assert "okänd status 'prel'; tillåtna: preliminary, decided" in problem.message


def test_a_file_without_the_new_fields_exports_without_them(ctx, actor, data_2020):
    import_document(data_2020, actor)
    text = export_year(2020)
    assert "recipient:" not in text and "status: preliminary" not in text
