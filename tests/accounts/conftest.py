"""Fixtures of the accounts' tests: applicants need a call and organisations to belong to;
the two-factor tests listen to the security log and turn on what production requires."""

import logging

import pytest

from tests.accounts.two_factor_support import SECURITY_LOGGER
from tests.call.conftest import World, world  # noqa: F401 - fixtures shared with the call's tests


@pytest.fixture
def security_log(caplog):
    caplog.set_level(logging.INFO, logger=SECURITY_LOGGER)
    return caplog


@pytest.fixture
def roles_required(app, monkeypatch):
    """Turn on what production has: administrators and coordinators must use two factors."""
    monkeypatch.setitem(app.config, "TWO_FACTOR_REQUIRED_ROLES", "admin,coordinator")
