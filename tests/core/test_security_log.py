import json
import logging

from app.core.security_log import security_event


def test_a_security_event_is_one_json_line_with_who_where_and_outcome(caplog):
    with caplog.at_level(logging.INFO, logger="stimulansmedel.security"):
        security_event("login.failed", outcome="failure", user="a@example.se",
                       address="10.0.0.1", reason="password")
    (line,) = [r.getMessage() for r in caplog.records if r.name == "stimulansmedel.security"]
    record = json.loads(line)
    assert record["event"] == "login.failed"
    assert record["outcome"] == "failure"
    assert record["user"] == "a@example.se"
    assert record["address"] == "10.0.0.1"
    assert record["reason"] == "password"
    assert record["time"].endswith("+00:00")
