"""The links in e-mails name the configured site, and requests for other hosts are refused."""

from __future__ import annotations

import pytest

from app import create_app
from app.core.mail import outbox_for
from config import load_config
from tests.accounts.test_registration import FORM

SITE = "https://stimulansmedel.example.se"


@pytest.fixture
def site_app(second_app, monkeypatch):
    """An app whose SITE_URL comes from the environment, as in production."""
    monkeypatch.setenv("SITE_URL", SITE)
    return second_app


def test_a_forged_host_header_does_not_reach_the_links_in_e_mails(app, site_app):
    """Does a registration sent with `Host: evil.example` e-mail a link to evil.example?"""
    # Even with the host check switched off, the links come from SITE_URL.
    open_app = site_app(TRUSTED_HOSTS=None)
    client = open_app.test_client()
    response = client.post("/register", data=FORM, headers={"Host": "evil.example"})
    assert response.status_code == 200
    with app.app_context():
        body = outbox_for(FORM["email"])[-1].body
    assert "evil.example" not in body
    assert f"{SITE}/confirm/" in body


def test_the_e_mail_to_a_taken_address_links_to_the_site_too(app, site_app):
    open_app = site_app(TRUSTED_HOSTS=None)
    client = open_app.test_client()
    client.post("/register", data=FORM, headers={"Host": "evil.example"})
    client.post("/register", data=FORM, headers={"Host": "evil.example"})
    with app.app_context():
        bodies = [m.body for m in outbox_for(FORM["email"])]
    assert len(bodies) == 2
    assert f"{SITE}/login" in bodies[1] and "evil.example" not in bodies[1]


def test_a_request_for_an_unknown_host_is_refused(app, site_app):
    """Is a request naming another host refused before any page, form or e-mail?"""
    guarded = site_app()
    client = guarded.test_client()
    assert client.get("/login", headers={"Host": "stimulansmedel.example.se"}).status_code == 200
    assert client.get("/login", headers={"Host": "evil.example"}).status_code == 400
    response = client.post("/register", data=FORM, headers={"Host": "evil.example"})
    assert response.status_code == 400
    with app.app_context():
        assert outbox_for(FORM["email"]) == []


def test_the_test_clients_localhost_is_served(client):
    assert client.get("/login").status_code == 200
    assert client.get("/login", headers={"Host": "evil.example"}).status_code == 400


def test_the_load_balancers_health_checks_pass_whatever_their_host(site_app):
    """Can a health check at /healthz name the machine's address as its host?"""
    guarded = site_app()
    guarded.add_url_rule("/healthz", "healthz", lambda: "ok")
    client = guarded.test_client()
    assert client.get("/healthz", headers={"Host": "10.0.3.17:8000"}).status_code == 200
    assert client.get("/login", headers={"Host": "10.0.3.17:8000"}).status_code == 400


def test_trusted_hosts_come_from_the_environment(site_app, monkeypatch):
    monkeypatch.setenv("TRUSTED_HOSTS", "stimulansmedel.example.se, .regionen.se")
    guarded = site_app()
    client = guarded.test_client()
    assert client.get("/login", headers={"Host": "intra.regionen.se"}).status_code == 200
    assert client.get("/login", headers={"Host": "localhost"}).status_code == 400


def test_development_defaults_to_the_local_server(monkeypatch, tmp_path):
    for name in ("SITE_URL", "TRUSTED_HOSTS"):
        monkeypatch.delenv(name, raising=False)
    settings = load_config("development", str(tmp_path))
    assert settings.SITE_URL == "http://127.0.0.1:5000"
    assert settings.SERVER_NAME == "127.0.0.1:5000"
    assert settings.PREFERRED_URL_SCHEME == "http"
    assert {"127.0.0.1", "localhost"} <= set(settings.TRUSTED_HOSTS)


@pytest.fixture
def production_env(monkeypatch):
    for name in ("SITE_URL", "TRUSTED_HOSTS", "RATELIMIT_STORAGE_URI", "REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SECRET_KEY", "a-production-secret")
    return monkeypatch


def test_production_refuses_to_start_without_a_site_url(production_env, tmp_path):
    with pytest.raises(RuntimeError, match="SITE_URL must be set"):
        create_app("production")
    production_env.setenv("SITE_URL", "stimulansmedel.example.se")
    with pytest.raises(RuntimeError, match="SITE_URL must be the site's address"):
        load_config("production", str(tmp_path))


def test_production_trusts_only_the_sites_host(production_env, tmp_path):
    production_env.setenv("SITE_URL", SITE)
    settings = load_config("production", str(tmp_path))
    assert settings.TRUSTED_HOSTS == ["stimulansmedel.example.se"]
    assert settings.SERVER_NAME == "stimulansmedel.example.se"
    assert settings.PREFERRED_URL_SCHEME == "https"


def test_production_refuses_login_limits_kept_in_each_process(production_env, tmp_path):
    """Would `memory://` let four gunicorn workers each count a quarter of the attempts?"""
    production_env.setenv("SITE_URL", SITE)
    production_env.setenv("RATELIMIT_STORAGE_URI", "memory://")
    with pytest.raises(RuntimeError, match="memory://"):
        load_config("production", str(tmp_path))
    production_env.setenv("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379")
    assert load_config("production", str(tmp_path)).REDIS_URL == "redis://127.0.0.1:6379"
