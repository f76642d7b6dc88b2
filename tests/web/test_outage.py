"""When the database does not answer: every page says so with a 503 in the reader's language,
and unexpected errors get a page of their own, never Werkzeug's bare English 500."""

from __future__ import annotations

import logging
import time

import pytest
from flask_login import current_user
from sqlalchemy import select
from werkzeug.routing import IntegerConverter

from app import create_app
from app.extensions import db
from app.ledger.models import Earmark
from app.web.outage import DATABASE_FREE_ENDPOINTS
from tests.conftest import is_postgres, login

#: A PostgreSQL server on a port nothing listens on: what a stopped server looks like.
UNREACHABLE = "postgresql+psycopg://postgres@127.0.0.1:1/stimulansmedel?connect_timeout=2"
UNAVAILABLE = "Tjänsten är tillfälligt otillgänglig"


@pytest.fixture
def second_app(tmp_path):
    """Make apps as production runs them (errors answered, not raised into the test); their
    connections are closed after the test."""
    made = []

    def make(url: str, **config):
        made.append(create_app({
            "APP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "test-secret",
            "SERVER_NAME": "localhost", "UPLOAD_FOLDER": str(tmp_path / "uploads"),
            "PROPAGATE_EXCEPTIONS": False, **config,
        }))
        return made[-1]

    yield make
    for other in made:
        with other.app_context():
            db.engine.dispose()


@pytest.fixture
def down_app(second_app):
    return second_app(UNREACHABLE)


def urls_of(app) -> list[tuple[str, str]]:
    """Every route of the app with made-up arguments, with each of its methods."""
    found = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if rule.endpoint in DATABASE_FREE_ENDPOINTS:
                continue
            arguments = {name: 1 if isinstance(rule._converters[name], IntegerConverter)
                         else "x" for name in rule.arguments}
            url = app.url_for(rule.endpoint, **arguments)
            found += [(method, url) for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return found


def carry_session(source, target) -> None:
    """Give `target` the session cookie (the login, the language) `source` holds."""
    cookie = source.get_cookie("session")
    target.set_cookie("session", cookie.value, domain="localhost")


def assert_unavailable(response, what: str = "") -> None:
    assert response.status_code == 503, what
    assert response.headers["Retry-After"].isdigit(), what
    assert UNAVAILABLE in response.get_data(as_text=True), what
    assert response.headers["Cache-Control"] == "no-store", what


def test_every_page_answers_503_in_swedish_while_the_database_is_down(down_app):
    """Does a visitor get the Swedish 503 page on every route and method, never a bare 500?"""
    client = down_app.test_client()
    pages = urls_of(down_app)
    assert len(pages) > 60
    for method, url in [*pages, ("GET", "/finns-inte")]:
        assert_unavailable(client.open(url, method=method), f"{method} {url}")


def test_a_logged_in_person_gets_503_without_the_user_menu(app, client, down_app, make_user):
    """Does a logged-in coordinator's session meet the 503 page, which names no account?"""
    email = make_user("coordinator")
    login(client, email)
    down = down_app.test_client()
    carry_session(client, down)
    for method, url in urls_of(down_app):
        response = down.open(url, method=method)
        assert_unavailable(response, f"{method} {url}")
        assert email not in response.get_data(as_text=True)
        assert "Logga ut" not in response.get_data(as_text=True)


def test_the_503_page_keeps_the_language_chosen_in_the_session(app, client, down_app):
    client.post("/lang", data={"lang": "en", "next": "/"})
    down = down_app.test_client()
    carry_session(client, down)
    response = down.get("/utlysningar")
    assert response.status_code == 503
    assert '<html lang="en"' in response.get_data(as_text=True)


def fail_on(app, when) -> None:
    """Make the app's database fail as a dropped connection does, for the statements (or the
    COMMIT) `when` picks: the driver's own error, raised where the driver would raise it."""
    with app.app_context():
        dialect = db.engine.dialect  # this app's engine only: the suite's app is untouched
    dbapi_error = dialect.loaded_dbapi.OperationalError
    execute, commit = dialect.do_execute, dialect.do_commit

    def do_execute(cursor, statement, parameters, context=None):
        if when(statement):
            raise dbapi_error("server closed the connection unexpectedly")
        return execute(cursor, statement, parameters, context)

    def do_commit(dbapi_connection):
        if when("COMMIT"):
            raise dbapi_error("server closed the connection unexpectedly")
        return commit(dbapi_connection)

    dialect.do_execute, dialect.do_commit = do_execute, do_commit


def test_a_failure_while_loading_the_logged_in_person_answers_503(app, client, make_user,
                                                                  second_app):
    """If the database goes away just as the account is read, is it a 503, not a logout?"""
    login(client, make_user("coordinator"))
    flaky = second_app(app.config["SQLALCHEMY_DATABASE_URI"])
    fail_on(flaky, lambda sql: 'FROM "user"' in sql or "FROM user" in sql)
    other = flaky.test_client()
    carry_session(client, other)
    assert_unavailable(other.get("/"))
    assert_unavailable(other.get("/projekt"))


def test_a_commit_that_fails_answers_503_and_keeps_nothing(app, client, make_user,
                                                           second_app):
    """Does a change whose commit meets a dead database answer 503 and leave no trace?"""
    login(client, make_user("admin"))
    flaky = second_app(app.config["SQLALCHEMY_DATABASE_URI"])
    fail_on(flaky, lambda sql: sql == "COMMIT")
    other = flaky.test_client()
    carry_session(client, other)
    form = {"code": "traumavard", "name": "Traumavård", "description": "",
            "remainder_rule": "carry_over"}
    response = other.post("/admin/earmarks", data=form)
    assert_unavailable(response)
    with app.app_context():
        assert db.session.scalar(select(Earmark).where(Earmark.code == "traumavard")) is None
    # The same form, once the database answers, is taken: the refusal was the outage's.
    assert client.post("/admin/earmarks", data=form).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Earmark).where(Earmark.code == "traumavard"))


def test_an_unexpected_error_has_a_swedish_page_and_is_logged_with_its_traceback(
        app, client, make_user, second_app, caplog):
    broken = second_app(app.config["SQLALCHEMY_DATABASE_URI"])

    @broken.get("/trasig")
    def trasig():
        assert current_user.is_authenticated
        raise RuntimeError("ett fel i koden")

    login(client, make_user("coordinator"))
    other = broken.test_client()
    carry_session(client, other)
    with caplog.at_level(logging.ERROR):
        response = other.get("/trasig")
    assert response.status_code == 500
    text = response.get_data(as_text=True)
    assert "Något gick fel" in text and "Internal Server Error" not in text
    assert "Logga ut" not in text and response.headers["Cache-Control"] == "no-store"
    logged = [r for r in caplog.records if r.exc_info and r.exc_info[0] is RuntimeError]
    assert logged, "the traceback is logged"


def test_the_stylesheet_is_served_while_the_database_is_down(down_app):
    """The stylesheet needs no database and is served while it is down."""
    with down_app.test_client().get("/static/app.css") as response:
        assert response.status_code == 200


# --- a real PostgreSQL whose connections are cut ----------------------------------------------

@pytest.fixture
def pg_app(app, second_app):
    """A second app on the suite's PostgreSQL database, whose connections carry a name so
    that the test cuts only them."""
    if not is_postgres(app):
        pytest.skip("needs PostgreSQL: TEST_DATABASE_URL=postgresql+psycopg://…")
    from config import Config

    url = app.config["SQLALCHEMY_DATABASE_URI"]
    options = Config.engine_options(url)  # as production checks its connections
    options["connect_args"] = {**options["connect_args"], "application_name": "h-ops-probe"}
    return second_app(url, SQLALCHEMY_ENGINE_OPTIONS=options)


def cut_connections(app) -> int:
    """Terminate, from outside, every server process the probe app is connected through,
    and wait (at most 5 s) until they have ended (a moment after they are told to)."""
    with app.app_context():
        sql = ("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
               "WHERE application_name = 'h-ops-probe'")
        cut = db.session.execute(db.text(sql)).scalar()
        db.session.commit()
        left = "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'h-ops-probe'"
        for _ in range(500):
            if not db.session.execute(db.text(left)).scalar():
                break
            db.session.commit()
            time.sleep(0.01)
        return cut


@pytest.mark.postgres
def test_the_app_recovers_by_itself_when_its_connections_are_cut(app, client, pg_app,
                                                                 make_user):
    """Cut every connection between two requests of a logged-in person: does the next page
    work without anyone restarting anything?"""
    login(client, make_user("coordinator"))
    probe = pg_app.test_client()
    carry_session(client, probe)
    assert probe.get("/projekt").status_code == 200
    with app.app_context():
        assert cut_connections(app) >= 1
        db.session.remove()
    assert probe.get("/projekt").status_code == 200


@pytest.mark.postgres
def test_a_connection_cut_in_the_middle_of_a_page_answers_503_then_recovers(app, client,
                                                                            pg_app, make_user):
    @pg_app.get("/mitt-i")
    def cut_mid_page():
        db.session.execute(db.text("SELECT pg_terminate_backend(pg_backend_pid())"))
        return "nådde hit"

    login(client, make_user("coordinator"))
    probe = pg_app.test_client()
    carry_session(client, probe)
    assert_unavailable(probe.get("/mitt-i"))
    response = probe.get("/projekt")
    assert response.status_code == 200
    assert "Logga ut" in response.get_data(as_text=True)


def test_a_silent_postgresql_is_given_up_on_in_seconds(monkeypatch):
    """A server that takes connections but never answers (a firewall that drops packets) must
    not hold a request for the operating system's two minutes: the outage page answers."""
    from config import Config

    assert Config.engine_options("sqlite:///x.db") == {"pool_pre_ping": True}
    options = Config.engine_options("postgresql+psycopg://postgres@db/test")
    assert options["connect_args"] == {"connect_timeout": 5} and options["pool_timeout"] == 10
    monkeypatch.setenv("DATABASE_CONNECT_TIMEOUT", "2")
    assert Config.engine_options("postgresql://db/test")["connect_args"]["connect_timeout"] == 2
