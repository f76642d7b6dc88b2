"""What does the budget of a fund show about the money it has and the money it plans?"""

from __future__ import annotations

from app.ledger.exchange.importing import import_document
from app.year_reports.downloads import render_report
from tests.year_reports.conftest import BUDGET_2021
from tests.year_reports.reading import pdf_text


def budget(earmark: str, year: int = 2021, **kwargs) -> str:
    return pdf_text(render_report("budget", earmark, year, "pdf", **kwargs))


def test_suicide_prevention_budget_shows_the_forgotten_carry_over(ctx, budget_2021):
    """Does the 2021 budget show that 108 928 kr carried from 2020 is in no line?"""
    text = budget("suicidprevention")
    assert "Budget 2021 års Suicidpreventiva medel" in text
    assert "Förbrukas 2021–2022" in text
    for figure in ["1 200 000", "723 440", "576 560"]:
        assert figure in text
    assert "TOTALT 2 500 000" in text
    assert ("Erhållna medel 2021 2 525 124 Överfört från 2020 108 928 Tillgängligt 2 634 052 "
            "Budgeterat (TOTALT) 2 500 000 Ej budgeterat 134 052") in text
    assert "134 052 kr av det tillgängliga ingår inte i någon rad i budgeten." in text
    assert "preliminärt" not in text


def test_collaboration_budget_leaves_the_carry_over_unbudgeted(ctx, budget_2021):
    """Is the 72 151 kr carried into the 2021 collaboration funds shown as not budgeted?"""
    text = budget("samverkan")
    assert "TOTALT 6 199 701" in text
    assert "Överfört från 2020 72 151" in text
    assert "Tillgängligt 6 271 852" in text
    assert "Ej budgeterat 72 151" in text
    assert "Totalt beviljat 3 038 550" in text
    assert "Angivet TOTALT" not in text


def test_the_user_million_budget_balances(ctx, budget_2021):
    """Does a fund that budgets exactly what it has show nothing left, and its zero carry-over?"""
    text = budget("brukarmiljonen")
    assert "Överfört från 2020 0" in text
    assert "Tillgängligt 1 000 000 Budgeterat (TOTALT) 1 000 000 Ej budgeterat 0" in text


def test_budget_before_the_previous_year_closes_is_preliminary(ctx, imported_2020, actor):
    """While 2020 is open, does the 2021 budget say the carry-over is not yet known?"""
    import_document(BUDGET_2021, actor)
    text = budget("suicidprevention")
    assert "Överfört från 2020 (inte känt förrän 2020 är stängt) –" in text
    assert "Tillgängligt (preliminärt) 2 525 124" in text
    assert "Med registrerat utfall blir det 108 928 kr." in text
    assert "Ej budgeterat 25 124" in text


def test_an_over_budget_is_named_so(ctx, actor):
    """Does a budget that plans more than is available say "Överbudgeterat"?"""
    import_document("""\
format: stimulansmedel/1
allocations:
  - earmark: samverkan
    year: 2024
    received: 1000
    lines:
      - {goal_area: Regional samordning, activity: Personal, budget: 1200}
""", actor)
    text = budget("samverkan", 2024)
    assert "Överbudgeterat −200" in text
    assert "Budgeten överskrider det tillgängliga med 200 kr." in text


def test_the_budget_reads_in_english(ctx, budget_2021):
    """Can the budget be printed in English?"""
    text = budget("suicidprevention", lang="en")
    assert "Budget of the 2021 Suicidpreventiva medel" in text
    assert "Carried over from 2020 108 928" in text
    assert "Available 2 634 052" in text
    assert "Not budgeted 134 052" in text
