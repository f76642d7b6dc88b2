"""The domain's refusals in the reader's language: a rule that refuses says why in English to
someone who chose English, on the pages and in the API's problem details, and in Swedish to
everyone else; and no refusal is left unmarked for translation or untranslated."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from app.accounts.api_tokens import create_token
from app.accounts.users import find_by_email
from app.core.audit import Actor
from app.core.errors import DomainError
from app.extensions import db
from app.ledger.exchange.importing import import_document
from app.ledger.models import Earmark
from tests.call.factories import make_call
from tests.call.test_pots_and_years import call_form, csrf, pool_with_outcomes
from tests.followup.factories import grant
from tests.ledger.factories import allocation, call_line_id, close, document, line
from tests.ledger.test_spending_window import project  # noqa: F401 (a fixture: a 2022 grant)
from tests.web.test_english import PO_FILE, choose

ROOT = Path(__file__).resolve().parents[2]
# Modules another change is translating; take a module off once its refusals are marked.
NOT_YET = ("app/call/pdf/", "app/call/decision_log.py")
PROBLEM = "application/problem+json"
FIXTURE = Actor(label="fixture")


def text(response) -> str:
    """The page or answer with runs of white space (and no-break spaces) as one space."""
    return re.sub(r"\s+", " ", response.get_data(as_text=True).replace("\u00a0", " "))


def speaking(as_role, lang: str, role: str = "coordinator"):
    client = as_role(role)
    choose(client, lang)
    return client


# --- on the pages ----------------------------------------------------------------------------

@pytest.mark.parametrize("lang, said", [
    ("en", "Paid out would be more than granted (500 000 kr): paid out 0 kr; at most "
           "500 000 kr can be paid out."),
    ("sv", "Utbetalt skulle bli mer än beviljat (500 000 kr): utbetalt 0 kr; högst 500 000 kr "
           "kan betalas ut."),
])
def test_a_payment_beyond_the_grant_is_refused_in_the_readers_language(
        as_role, project, lang, said):  # noqa: F811
    client = speaking(as_role, lang)
    response = client.post(f"/projekt/{project['grant']}/utbetalningar", data={
        "pay-kind": "payment", "pay-amount": "600 000", "pay-paid_on": "2022-06-01",
        "pay-reference": "VER-7", "pay-allocation": str(project["allocation"]),
        "pay-requisition": "", "pay-note": ""})
    assert response.status_code == 422
    assert said in text(response)


@pytest.mark.parametrize("lang, said", [
    ("en", "Samverkansmedel has no allocation for 1999."),
    ("sv", "Samverkansmedel har ingen tilldelning för 1999."),
])
def test_a_report_of_a_year_without_the_fund_is_refused_in_the_readers_language(
        as_role, imported_2020, lang, said):
    response = speaking(as_role, lang).get("/reports/followup/samverkan/1999.pdf")
    assert response.status_code == 404
    assert said in text(response)


@pytest.fixture
def exhausted_pot(app) -> dict:
    """A pot of 2022 granted in full, and a goal area of the year."""
    with app.app_context():
        area_id = make_call(pool_with_outcomes()).goal_areas[0].id
        import_document(document(allocation(
            "suicidprevention", 2022, 2_000_000,
            line("Utlysning", kind="call", budget=500_000, spent=500_000,
                 grants=[grant("Hela potten", 500_000)]),
        )), FIXTURE)
        full = call_line_id("suicidprevention", 2022)
        db.session.commit()
        db.session.remove()
    return {"line": full, "area": area_id}


@pytest.mark.parametrize("lang, said", [
    ("en", "The pool “Utlysning” in Suicidpreventiva medel 2022 is already granted in full "
           "(500 000 kr; 0 kr left); choose a pool that has money left."),
    ("sv", "Potten ”Utlysning” i Suicidpreventiva medel 2022 är redan beviljad i sin helhet "
           "(500 000 kr; 0 kr kvar); välj en pott som har pengar kvar."),
])
def test_a_call_on_an_exhausted_pot_is_refused_in_the_readers_language(as_role, exhausted_pot,
                                                                      lang, said):
    client = speaking(as_role, lang)
    response = client.post("/calls/new", data={
        "csrf_token": csrf(client, "/calls/new"),
        **call_form(exhausted_pot["line"], exhausted_pot["area"])})
    assert response.status_code == 422
    assert said in text(response)


@pytest.mark.parametrize("lang, said", [
    ("en", "The year 2020 is closed; an administrator must reopen it before anything is "
           "changed."),
    ("sv", "Året 2020 är stängt; en administratör måste öppna det innan något ändras."),
])
def test_a_closed_year_refuses_in_the_readers_language(app, as_role, imported_2020, lang, said):
    close(app, 2020)
    client = speaking(as_role, lang)
    with app.app_context():
        earmark_id = db.session.scalar(db.select(Earmark.id).where(
            Earmark.code == "suicidprevention"))
    response = client.post("/allocations/new", data={
        "earmark": str(earmark_id), "year": "2020", "recipient": "county", "principal": "",
        "received": "1 000 000", "spend_until": "", "anchored": "", "decision_body": "",
        "decision_date": "", "decision_reference": "", "decision_diary_number": "",
        "decision_text": ""})
    assert response.status_code == 422
    assert said in text(response)


# --- in the API --------------------------------------------------------------------------------

def token_speaking(app, make_user, locale: str | None) -> dict:
    """The headers of a coordinator's token whose account reads `locale` (None: not chosen)."""
    email = make_user("coordinator")
    with app.app_context():
        user = find_by_email(email)
        user.locale = locale
        _token, secret = create_token(user, "Test", None, FIXTURE)
        db.session.commit()
        db.session.remove()
    return {"Authorization": f"Bearer {secret}"}


@pytest.mark.parametrize("locale, said", [
    ("en", "Paid out would be more than granted (500 000 kr): paid out 0 kr; at most 500 000 kr "
           "can be paid out."),
    ("sv", "Utbetalt skulle bli mer än beviljat (500 000 kr): utbetalt 0 kr; högst 500 000 kr "
           "kan betalas ut."),
    (None, "Utbetalt skulle bli mer än beviljat (500 000 kr)"),
])
def test_the_api_refuses_in_the_language_of_the_tokens_account(
        app, client, make_user, project, locale, said):  # noqa: F811
    """The API has no session: it answers in the language the token's account chose on its
    account page, Swedish when it chose none."""
    response = client.post(f"/api/v1/grants/{project['grant']}/payments",
                           headers=token_speaking(app, make_user, locale),
                           json={"amount": "600000.00", "paid_on": "2022-06-01",
                                 "reference": "VER-7"})
    assert response.status_code == 409 and response.mimetype == PROBLEM
    assert said in text(response)


def test_a_refused_import_names_its_lines_in_english(app, client, make_user):
    """Are an import's problems, with their line and place, in the account's language?"""
    response = client.post("/api/v1/import", headers={
        **token_speaking(app, make_user, "en"), "Content-Type": "application/yaml"},
        data="format: stimulansmedel/1\nallocations: []\nextra: 1\n")
    assert response.status_code == 422 and response.mimetype == PROBLEM
    messages = [e["message"] for e in response.get_json()["errors"]]
    assert any("unknown field 'extra'" in m for m in messages), messages
    assert not any("okänt fält" in m for m in messages), messages


# --- nothing left in Swedish -------------------------------------------------------------------

def _refusal_names() -> set[str]:
    """DomainError and every subclass the app defines, and the import's Problem."""
    names, pending = set(), [DomainError]
    while pending:
        kind = pending.pop()
        names.add(kind.__name__)
        pending.extend(kind.__subclasses__())
    return names | {"Problem", "_Refused"}


def _words(node: ast.expr) -> str | None:
    """The words of a message written as a literal or f-string, None for anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        words = node.value
    elif isinstance(node, ast.JoinedStr):
        words = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
    else:
        return None
    return words if re.search(r"[^\W\d_]{2,}", words) else None


def _unmarked_in(path: Path, names: set[str]) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        messages: list[ast.expr] = []
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            at = 1 if name in ("Problem", "_Refused") else 0
            if name in names and len(node.args) > at:
                messages.append(node.args[at])
        elif (isinstance(node, ast.FunctionDef) and path.name == "rules.py"
              and node.returns is not None and ast.unparse(node.returns) == "str | None"):
            messages += [r.value for r in ast.walk(node)
                         if isinstance(r, ast.Return) and r.value is not None]
        for message in messages:
            if (words := _words(message)) is not None:
                found.append(f"{path.relative_to(ROOT)}:{message.lineno}: {words[:60]!r}")
    return found


def _app_modules() -> list[Path]:
    return [p for p in sorted((ROOT / "app").rglob("*.py"))
            if not str(p.relative_to(ROOT)).startswith(NOT_YET)]


def test_every_refusal_is_marked_for_translation(app):
    """Is every message a DomainError (or an import Problem) is raised with, and every reason a
    rule returns, marked for translation rather than a Swedish literal?"""
    names = _refusal_names()
    assert {"DomainError", "AmountError", "ImportRefused", "OutsideSpendingWindow"} <= names
    unmarked = [found for path in _app_modules() for found in _unmarked_in(path, names)]
    assert not unmarked, "\n".join(unmarked)


def test_every_refusal_in_the_catalog_has_english(app):
    """Has every message of a module that refuses (raises a DomainError) an English
    translation that is in use (not empty, not fuzzy)?"""
    refusing = {str(p.relative_to(ROOT)) for p in _app_modules()
                if re.search(r"\b(DomainError|Refused|Problem)\b", p.read_text(encoding="utf-8"))}
    with PO_FILE.open("rb") as handle:
        catalog = read_po(handle)
    theirs = [m for m in catalog if m.id and any(place in refusing for place, _ in m.locations)]
    assert len(theirs) > 300
    untranslated = [m.id for m in theirs if not m.string or m.fuzzy]
    assert not untranslated, untranslated
