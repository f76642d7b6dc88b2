"""Fixtures of the accounts' tests: applicants need a call and organisations to belong to."""

from tests.call.conftest import World, world  # noqa: F401 - fixtures shared with the call's tests
