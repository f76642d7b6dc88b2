"""Every form where a password is chosen refuses one easy to guess, saying why at the field."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.core.mail import outbox_for
from app.extensions import db
from tests.accounts.test_registration import FORM
from tests.conftest import PASSWORD, login


def _field_error(response, field: str) -> str:
    match = re.search(rf'id="{field}-error">([^<]*)<', response.get_data(as_text=True))
    assert match, f"no error at {field}"
    return match.group(1)


def _account(app, email: str) -> User | None:
    with app.app_context():
        return db.session.scalar(select(User).where(User.email == email))


@pytest.mark.parametrize("password, reason", [
    ("Sommar2024!", "För lätt att gissa: "),
    ("1234567890", "För lätt att gissa: det är ett av de hundra vanligaste lösenorden"),
    ("aaaaaaaaaa", "För lätt att gissa: upprepningar"),
    ("anna@krokom.se", "får inte innehålla din e-postadress eller ditt namn"),
    ("annaberg-2024", "får inte innehålla din e-postadress eller ditt namn"),
])
def test_registration_refuses_a_weak_password_at_its_field(app, client, password, reason):
    """Is the applicant told at the password field why, with what they typed kept?"""
    response = client.post("/register", data={**FORM, "password": password,
                                              "password2": password})
    assert reason in _field_error(response, "password")
    assert 'value="Krokoms kommun"' in response.get_data(as_text=True)
    assert _account(app, "anna@krokom.se") is None


def test_registration_takes_a_long_passphrase(app, client):
    phrase = "tavla gurka segelbåt moln"
    client.post("/register", data={**FORM, "password": phrase, "password2": phrase})
    assert _account(app, "anna@krokom.se") is not None


def test_an_administrator_cannot_give_a_weak_password(app, client, make_user):
    login(client, make_user("admin"))
    data = {"email": "per@region.se", "name": "Per Persson", "role": "viewer",
            "password": "Sommar2024!", "confirm": "Sommar2024!"}
    response = client.post("/admin/users", data=data)
    assert response.status_code == 422
    assert _field_error(response, "password").startswith("För lätt att gissa")
    data.update(password="perpersson-42", confirm="perpersson-42")
    response = client.post("/admin/users", data=data)
    assert "namn" in _field_error(response, "password")
    data.update(password=PASSWORD, confirm=PASSWORD)
    assert client.post("/admin/users", data=data).status_code == 302
    assert _account(app, "per@region.se") is not None


def test_an_invited_applicant_cannot_choose_a_weak_password(app, client, make_user):
    login(client, make_user("coordinator"))
    client.post("/invite", data={"email": "cecilia@are.se", "name": "Cecilia Ek",
                                 "organisation": "Åre kommun", "kind": "municipality"})
    client.post("/logout")
    with app.app_context():
        body = outbox_for("cecilia@are.se")[-1].body
    link = re.search(r"https?://[^\s]+(/set-password/[^\s]+)", body).group(1)
    response = client.post(link, data={"password": "cecilia.ek", "password2": "cecilia.ek"})
    assert "e-postadress" in _field_error(response, "password")
    response = client.post(link, data={"password": "1234567890", "password2": "1234567890"})
    assert "För lätt att gissa" in _field_error(response, "password")
    response = client.post(link, data={"password": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302
