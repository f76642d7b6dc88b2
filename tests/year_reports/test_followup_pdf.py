"""What does a coordinator read in the PDF follow-up of the 2020 funds?"""

from __future__ import annotations

import pytest
from freezegun import freeze_time

from app.extensions import db
from app.ledger.exchange.importing import import_document
from app.year_reports.downloads import render_report
from tests.year_reports.reading import pdf_pages, pdf_text

SEED_FIGURES = {
    "brukarmiljonen": ["1 000 000", "1 008 436", "8 436", "775 000", "87 436", "146 000"],
    "samverkan": ["6 203 183", "6 131 032", "72 151", "4 844 860", "1 010 303", "Merkraft"],
    "suicidprevention": ["2 500 000", "2 391 072", "108 928", "1 290 000", "300 072"],
}


def followup(earmark: str, year: int = 2020, **kwargs) -> str:
    return pdf_text(render_report("followup", earmark, year, "pdf", **kwargs))


@pytest.mark.parametrize("earmark", sorted(SEED_FIGURES))
def test_open_2020_followups_carry_the_seeds_figures(ctx, imported_2020, earmark):
    """Before 2020 is closed, does each follow-up show the seed's figures, marked preliminary?"""
    text = followup(earmark)
    for figure in SEED_FIGURES[earmark]:
        assert figure in text
    assert "2020 är inte stängt; siffrorna är preliminära" in text
    assert "Kvar att överföra till 2021 (preliminärt)" in text
    assert "Slås ihop med" not in text


@pytest.mark.parametrize("earmark", sorted(SEED_FIGURES))
def test_closed_2020_followups_carry_the_seeds_figures(ctx, closed_2020, earmark):
    """Once 2020 is closed, does each follow-up show the seed's figures as final?"""
    text = followup(earmark)
    for figure in SEED_FIGURES[earmark]:
        assert figure in text
    assert "2020 är stängt; siffrorna är slutliga" in text
    assert "preliminärt" not in text


def test_followup_opens_like_the_coordinators_slides(ctx, closed_2020):
    """Does the first page name the region, the fund, the year, the window and the decision?"""
    with freeze_time("2026-11-23"):
        first_page = pdf_pages(render_report("followup", "samverkan", 2020, "pdf"))[0]
    assert first_page.startswith("Region Jämtland Härjedalen Utskriven 2026-11-23")
    assert "Uppföljning 2020 års Samverkansmedel" in first_page
    assert "Förbrukas 2020–2021 (senast 2021-12-31)" in first_page
    assert "Förankrat i Fredagsgruppen och LIFO 2020" in first_page
    assert "Beslutat av SVOM" in first_page
    assert "Beslut Målområden beslutade i SVOM maj 2020" in first_page


def test_closed_remainders_are_merged_with_the_next_year(ctx, closed_2020):
    """Does each follow-up say where its remainder went once the year closed?"""
    assert "Resultat 72 151 Slås ihop med 2021 års medel 72 151" in followup("samverkan")
    assert "Resultat 108 928 Slås ihop med 2021 års medel 108 928" in followup("suicidprevention")


def test_brukarmiljonen_deficit_is_visible_and_covered_by_samverkan(ctx, closed_2020):
    """Is the user million's overspend shown, and which fund covers it?"""
    text = followup("brukarmiljonen")
    assert "TOTALT 1 008 436" in text
    assert ("Erhållna medel 2020 1 000 000 Täckt av Samverkansmedel 2020: Skuld från "
            "brukarmiljonen (TILIA) 8 436 Tillgängligt 1 008 436 Använt (TOTALT) 1 008 436") in text
    assert "Tillgängligt 1 008 436 Använt (TOTALT) 1 008 436" in text
    assert "Täckt av Samverkansmedel 2020: Skuld från brukarmiljonen (TILIA) 8 436" in text
    assert "Resultat efter täckning 0 Slås ihop med 2021 års medel 0" in text
    assert ("Fonden använde 8 436 kr mer än den hade; underskottet täcks av "
            "Samverkansmedel 2020") in text


def test_samverkan_says_which_fund_its_transfer_covers(ctx, imported_2020):
    """Does the covering fund's transfer line say whose deficit it pays?"""
    text = followup("samverkan")
    line = ("Täckning av annan fonds underskott Skuld från brukarmiljonen (TILIA) Täcker "
            "underskottet i Brukarmiljonen 2020 8 436")
    assert line in text
    assert "TOTALT 6 131 032" in text


def test_granted_projects_are_listed_by_goal_area(ctx, imported_2020):
    """Does the collaboration follow-up list the 8 granted projects and their computed total?"""
    text = followup("samverkan")
    grants = text[text.index("Beviljade projekt ur utlysningen 2020"):]
    assert "Målområde Projekt Projektägare och partner Beviljat (kr) Stärka" in grants
    assert ("Utbetalt, Använt och Återbetalt visas inte: inget är registrerat för projekten "
            "ännu.") in grants
    for title, amount in [
        ("Minska elevers sjukskrivning på grund av psykisk ohälsa", "630 000"),
        ("Stärkt samverkan psykisk hälsa, MHFA för personer och elever JGY", "697 360"),
        ("Ömsesidig respekt, föräldrautbildning online och Live online", "600 000"),
        ("IKB-team för ungdomar med Autism", "1 380 000"),
        ("“Hur vet jag om det är psykisk ohälsa eller bara livet som gör ont?”", "370 000"),
        ("Merkraft", "600 000"),
        ("Särskilda insatser för gruppen med funktionsvariation under Coronapandemin", "520 000"),
        ("Upplevd ensamhet – hur kan vi hjälpa?", "47 500"),
    ]:
        assert title in grants
        assert amount in grants[grants.index(title):]
    assert "Totalt beviljat 4 844 860 Utbetalt, Använt och Återbetalt visas inte" in grants
    assert "Ej fördelade utlysningsmedel" not in grants
    assert "8 beviljade projekt, se tabellen nedan" in text
    # Each goal area heads its group once, and the owner reads with the partners.
    assert grants.count("Stärka barn och ungas psykiska hälsa") == 1
    assert "HC Åre med Åre kommun" in grants
    assert ("Härjedalens kommun med socialförvaltningen och "
            "barn- och utbildningsförvaltningen") in grants


def test_a_stated_total_that_differs_is_pointed_out(ctx, data_2020, actor):
    """Does a hand-summed TOTALT that does not match the lines show up as a note?"""
    import_document(data_2020.replace("stated_total: 2391072", "stated_total: 2391000"), actor)
    text = followup("suicidprevention")
    assert "TOTALT 2 391 072" in text
    assert "Angivet TOTALT i källan: 2 391 000 kr (skiljer sig med −72 kr)" in text
    assert "Angivet TOTALT" not in followup("samverkan")


def test_lines_without_outcome_show_a_dash_and_count_zero(ctx, actor):
    """Is a line with no outcome yet shown as "–", left out of TOTALT, and explained?"""
    import_document("""\
format: stimulansmedel/1
allocations:
  - earmark: suicidprevention
    year: 2024
    received: 100000
    lines:
      - {goal_area: Suicidpreventiv samordning, activity: Samordnare, budget: 60000, spent: 55000}
      - {goal_area: Suicidpreventiv samordning, activity: Konferens, budget: 40000}
""", actor)
    text = followup("suicidprevention", 2024)
    assert "Konferens 40 000 –" in text
    assert "TOTALT 100 000 55 000" in text
    assert "1 av raderna saknar utfall ännu; de visas med – och räknas som 0 i TOTALT." in text
    assert "Kvar att överföra till 2025 (preliminärt) 45 000" in text


def test_a_deficit_nobody_covers_is_flagged(ctx, actor):
    """Does a follow-up warn that an uncovered deficit blocks closing the year?"""
    import_document("""\
format: stimulansmedel/1
allocations:
  - earmark: brukarmiljonen
    year: 2024
    received: 1000
    lines:
      - {activity: Föreningsbidrag, spent: 1500}
""", actor)
    text = followup("brukarmiljonen", 2024)
    assert "Underskott som ingen annan fond täcker −500" in text
    assert "måste täckas av en annan fond (en överföringsrad) innan 2024 kan stängas" in text
    assert "Kvar att överföra" not in text


def test_a_pay_back_fund_says_the_money_returns_to_the_state(ctx, actor):
    """Does a fund whose remainder is paid back say so instead of carrying it over?"""
    from app.ledger.earmarks import add_earmark
    from app.ledger.years import close_year

    add_earmark("traumavard", "Traumavård", actor, remainder_rule="pay_back")
    import_document("""\
format: stimulansmedel/1
allocations:
  - earmark: traumavard
    year: 2024
    received: 5000
    lines:
      - {activity: Utbildning, spent: 3000}
""", actor)
    text = followup("traumavard", 2024)
    assert "Kvar att betala tillbaka till staten (preliminärt) 2 000" in text
    close_year(2024, actor)
    db.session.flush()
    assert "Betalas tillbaka till staten 2 000" in followup("traumavard", 2024)


def test_the_followup_reads_in_english(ctx, closed_2020):
    """Can the follow-up be printed in English, amounts still the Swedish way?"""
    text = followup("samverkan", lang="en")
    assert "Follow-up of the 2020 Samverkansmedel" in text
    assert "Received 2020 6 203 183" in text
    assert "Total 6 131 032" in text
    assert "Merged with the 2021 funds 72 151" in text
    assert "Total granted 4 844 860" in text
    assert "Page 1 of 2" in text
    assert "Uppföljning" not in text
    brukar = followup("brukarmiljonen", lang="en")
    assert "Available 1 008 436 Used (total) 1 008 436" in brukar


def test_a_followup_counts_what_the_previous_year_carried_in(ctx, budget_2021):
    """Does the 2021 follow-up, before any outcome, start from the 2020 carry-over?"""
    text = followup("suicidprevention", 2021)
    assert "Uppföljning 2021 års Suicidpreventiva medel" in text
    assert ("Erhållna medel 2021 2 525 124 Överfört från 2020 108 928 Tillgängligt 2 634 052 "
            "Använt (TOTALT) 0") in text
    assert "Kvar att överföra till 2022 (preliminärt) 2 634 052" in text
    assert "3 av raderna saknar utfall ännu" in text
    # The budget's stated TOTALT is no outcome: the follow-up does not compare with it.
    assert "Angivet TOTALT" not in text
