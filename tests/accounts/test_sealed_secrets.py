"""Two-factor secrets are kept sealed (encrypted) in the database and in backups: a copy of
either does not give away anyone's codes; the keys can be changed; a secret no key opens
matches no code instead of breaking the pages."""

from __future__ import annotations

import zipfile

from cryptography.fernet import Fernet
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from app import create_app
from app.admin.backup import write_backup
from app.core.types import SEALED, seal, unseal
from app.extensions import db
from tests.accounts.two_factor_support import app_code, enrol, password_step, user_row
from tests.conftest import login, reset_database


def _stored(app, email: str) -> str:
    with app.app_context():
        value = db.session.execute(text('SELECT totp_secret FROM "user" WHERE email = :e'),
                                   {"e": email}).scalar_one()
        db.session.remove()
    return value


def test_an_enrolled_secret_is_stored_sealed_and_still_gives_the_codes(app, client, make_user):
    email = make_user("coordinator")
    login(client, email)
    secret, _codes = enrol(app, client)
    stored = _stored(app, email)
    assert stored.startswith(SEALED) and secret not in stored
    assert user_row(app, email).totp_secret == secret
    client.post("/logout")
    password_step(client, email)
    response = client.post("/login/code", data={"code": app_code(secret, 1)})
    assert response.status_code == 302 and response.location.endswith("/")


def test_a_backup_holds_the_secret_sealed(app, client, make_user, tmp_path):
    email = make_user("coordinator")
    login(client, email)
    secret, _codes = enrol(app, client)
    with app.app_context():
        write_backup(tmp_path / "backup.zip", tmp_path)
    with zipfile.ZipFile(tmp_path / "backup.zip") as archive:
        users = archive.read("tables/user.jsonl").decode()
    assert SEALED in users and secret not in users


def test_a_new_key_first_opens_what_the_old_sealed(app):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    with app.test_request_context():
        app.config["SEALING_KEYS"] = [old]
        try:
            sealed_before = seal("JBSWY3DPEHPK3PXP")
            app.config["SEALING_KEYS"] = [new, old]
            assert unseal(sealed_before) == "JBSWY3DPEHPK3PXP"
            sealed_after = seal("JBSWY3DPEHPK3PXP")
            app.config["SEALING_KEYS"] = [new]
            assert unseal(sealed_after) == "JBSWY3DPEHPK3PXP"
            assert unseal(sealed_before) is None  # the old key gone: opens no more
        finally:
            app.config["SEALING_KEYS"] = []


def test_a_secret_no_key_opens_refuses_the_code_without_an_error(app, client, make_user):
    """A database restored under another SECRET_KEY: the person cannot log in with a code
    (an administrator resets their second factor), and every page still answers."""
    email = make_user("coordinator")
    login(client, email)
    secret, _codes = enrol(app, client)
    client.post("/logout")
    other = create_app({"APP_ENV": "testing", "SECRET_KEY": "another-key",
                        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})
    try:
        stranger = other.test_client()
        password_step(stranger, email)
        response = stranger.post("/login/code", data={"code": app_code(secret, 1)})
        assert response.status_code == 200
        assert "/login/code" in response.request.path
    finally:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


def test_the_migration_seals_the_secrets_stored_open(app, make_user):
    email = make_user("coordinator")
    with app.app_context():
        db.session.remove()
        downgrade(revision="0017")
        db.session.execute(text('UPDATE "user" SET totp_secret = :s WHERE email = :e'),
                           {"s": "JBSWY3DPEHPK3PXP", "e": email})
        db.session.commit()
        upgrade()
        db.session.remove()
    try:
        stored = _stored(app, email)
        assert stored.startswith(SEALED) and "JBSWY3DPEHPK3PXP" not in stored
        assert user_row(app, email).totp_secret == "JBSWY3DPEHPK3PXP"
    finally:
        reset_database(app)


def test_the_personal_data_export_leaves_the_secret_out(app, client, make_user):
    email = make_user("coordinator")
    login(client, email)
    secret, _codes = enrol(app, client)
    response = client.get("/konto/mina-uppgifter.json")
    assert response.status_code == 200
    assert "totp_secret" not in response.get_json()["account"]
    assert secret not in response.get_data(as_text=True)
