"""The English pages: the catalog in app/translations is complete, compiled, and used.

Swedish is the source language (every msgid is the Swedish text) and the default; English is
chosen with POST /lang. Amounts keep the Swedish format in both languages.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from sqlalchemy import select

from app.extensions import db
from app.ledger.models import Allocation, Earmark

CATALOG_DIR = Path(__file__).resolve().parents[2] / "app" / "translations" / "en" / "LC_MESSAGES"
PO_FILE = CATALOG_DIR / "messages.po"
MO_FILE = CATALOG_DIR / "messages.mo"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def page_text(response) -> str:
    """Return the page unescaped, with no-break spaces as plain ones."""
    return html.unescape(response.get_data(as_text=True)).replace("\u00a0", " ")


def choose(client, lang: str, next_url: str = "/") -> None:
    response = client.post("/lang", data={"lang": lang, "next": next_url})
    assert response.status_code == 302


def allocation_id(app, code: str, year: int = 2020) -> int:
    with app.app_context():
        return db.session.scalar(
            select(Allocation.id).join(Allocation.earmark)
            .where(Earmark.code == code, Allocation.year == year)
        )


def row_amount(page: str, label: str) -> str:
    """Return the amount in the first cell of the table row headed `label`."""
    found = re.search(rf"{re.escape(label)}</th>\s*<td class=\"num[^\"]*\">(?:<strong>)?([^<]+)<",
                      page)
    assert found, f"no row {label!r}"
    return found.group(1)


# --- the pages -----------------------------------------------------------------------------

def test_swedish_is_the_default_without_a_choice(client):
    page = page_text(client.get("/login"))
    assert '<html lang="sv"' in page
    assert ">Logga in</h1>" in page
    assert "Lösenord" in page and "Byt språk" in page
    assert "Log in" not in page and "Password" not in page


def test_the_login_page_in_english(client):
    choose(client, "en", "/login")
    page = page_text(client.get("/login"))
    assert '<html lang="en"' in page
    assert "<title>Log in – Stimulansmedel</title>" in page
    assert ">Log in</h1>" in page
    for english in ("Email address", "Password", "Change language", "Skip to main content",
                    "County funds for mental health",
                    "Forgot your password?"):
        assert english in page, english
    for swedish in ("Logga in", "E-postadress", "Lösenord", "Byt språk", "Hoppa till innehållet"):
        assert swedish not in page, swedish


def test_a_refused_login_says_so_in_english(client, make_user):
    choose(client, "en", "/login")
    email = make_user("viewer")
    page = page_text(client.post("/login", data={"email": email, "password": "fel"}))
    assert "Incorrect email address or password" in page
    assert "Fel e-postadress" not in page


def test_the_language_is_kept_through_login_and_logout(client, make_user):
    from tests.conftest import login

    choose(client, "en", "/login")
    page = page_text(login(client, make_user("viewer")))
    assert ">Overview</h1>" in page and "Översikt" not in page
    page = page_text(client.post("/logout", follow_redirects=True))
    assert "You have been logged out." in page and "Du är utloggad" not in page


def test_the_dashboard_in_english_keeps_swedish_amounts(as_role, imported_2020):
    client = as_role("coordinator")
    choose(client, "en")
    page = page_text(client.get("/"))
    assert "<title>Overview – Stimulansmedel</title>" in page
    assert ">Overview</h1>" in page
    assert "<caption>Funds 2020, amounts in SEK</caption>" in page
    for heading in ("Received", "Brought forward", "Covered by another fund",
                    "Budgeted", "Used", "Result", "Carried forward"):
        assert f'<th scope="col" class="num">{heading}</th>' in page, heading
    assert "Total 2020" in page and "Close the year" in page
    assert ">Log out</button>" in page and ">Coordinator</span>" in page
    # Figures keep the Swedish format: a space between thousands.
    for figure in ("6 203 183", "6 131 032", "72 151", "9 703 183"):
        assert f'<td class="num">{figure}</td>' in page, figure
    for swedish in ("Översikt", "Fonder 2020, belopp i kronor", "Erhållet", "Överfört in",
                    "Budgeterat", "Summa 2020", "Logga ut", "Samordnare<"):
        assert swedish not in page, swedish


def test_switching_back_to_swedish(as_role, imported_2020):
    client = as_role("viewer")
    choose(client, "en")
    assert "Funds 2020, amounts in SEK" in page_text(client.get("/"))
    choose(client, "sv")
    page = page_text(client.get("/"))
    assert "<caption>Fonder 2020, belopp i kronor</caption>" in page
    assert "Funds 2020" not in page


def test_an_allocation_page_in_english(app, as_role, imported_2020):
    client = as_role("coordinator")
    choose(client, "en")
    page = page_text(client.get(f"/allocations/{allocation_id(app, 'samverkan')}"))
    assert "Samverkansmedel 2020</h1>" in page  # the fund's name is data, not translated
    for english in ("Spending period", "Anchored in", "Decision", ">Finances</h2>",
                    ">Activities</h2>", ">Granted projects</h2>", "Goal area", "Add a line",
                    "Covers the deficit of", "Project owner and partners", "TOTAL",
                    "Year-end closing", "Close 2020"):
        assert english in page, english
    assert row_amount(page, "Funds received") == "6 203 183 kr"
    assert row_amount(page, "Used / budgeted") == "6 131 032 kr"
    assert row_amount(page, "Result / not yet budgeted") == "72 151 kr"
    assert row_amount(page, "Total granted") == "4 844 860 kr"
    assert row_amount(page, "Still to be granted") == "0 kr"
    # Goal areas, activities and decisions are data and stay Swedish: check the headings.
    assert '<th scope="col">Goal area</th>' in page
    for swedish in ("Medlen förbrukas", "Erhållna medel", "Aktiviteter",
                    '<th scope="col">Målområde</th>', "TOTALT", "Totalt beviljat", "Kvar att fördela", "Årsbokslut"):
        assert swedish not in page, swedish


def test_the_registration_form_names_the_kinds_of_organisation_in_english(client):
    choose(client, "en", "/register")
    page = page_text(client.get("/register"))
    for english in ("Type of organisation", ">Municipality<", ">Regional service<",
                    ">Health centre<", ">Other<"):
        assert english in page, english
    for swedish in (">Kommun<", ">Regionens verksamhet<", ">Hälsocentral<", ">Annan<"):
        assert swedish not in page, swedish


def test_the_accounts_page_names_the_roles_in_english(as_role):
    client = as_role("admin")
    choose(client, "en")
    page = page_text(client.get("/admin/users"))
    for english in ("<td>Administrator</td>", "Coordinator", "Viewer", "Applicant"):
        assert english in page, english
    for swedish in ("Administratör", "Samordnare", "Läsare", "Sökande"):
        assert swedish not in page, swedish


def test_error_pages_in_english(as_role):
    client = as_role("viewer")
    choose(client, "en")
    response = client.get("/allocations/999999")
    assert response.status_code == 404
    page = page_text(response)
    assert "Page not found" in page and "Sidan finns inte" not in page


# --- the catalog ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def po_catalog():
    with PO_FILE.open("rb") as f:
        return read_po(f)


def _messages(catalog) -> dict:
    """Return msgid -> msgstr; a plural message's ids and strings as tuples (read_mo gives lists)."""
    def plain(value):
        return tuple(value) if isinstance(value, (list, tuple)) else value

    return {plain(m.id): plain(m.string) for m in catalog if m.id}


def test_every_message_is_translated_and_none_is_fuzzy(po_catalog):
    assert not po_catalog.fuzzy, "the catalog's header is marked fuzzy"
    problems = []
    for message in po_catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if "fuzzy" in message.flags:
            problems.append(f"fuzzy: {message.id!r}")
        if not all(strings) or len(strings) != (2 if message.pluralizable else 1):
            problems.append(f"untranslated: {message.id!r}")
    assert not problems, "\n".join(problems)


def test_translations_keep_the_placeholders(po_catalog):
    problems = []
    for message in po_catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        # Each form against the Swedish form of the same number (both languages have two).
        for msgid, string in zip(ids, strings, strict=True):
            if set(PLACEHOLDER.findall(string)) != set(PLACEHOLDER.findall(msgid)):
                problems.append(f"{msgid!r} -> {string!r}")
    assert not problems, "\n".join(problems)


def test_the_compiled_catalog_is_up_to_date(po_catalog):
    """Is messages.mo the compilation of messages.po? If not: pybabel compile -d app/translations"""
    with MO_FILE.open("rb") as f:
        mo_catalog = read_mo(f)
    compiled, source = _messages(mo_catalog), _messages(po_catalog)
    stale = sorted(str(key) for key in compiled.keys() ^ source.keys())
    stale += sorted(str(key) for key in compiled.keys() & source.keys()
                    if compiled[key] != source[key])
    assert not stale, "messages.mo differs from messages.po; recompile. Differs: " + ", ".join(
        stale[:10])
