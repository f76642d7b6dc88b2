"""The pure rules of follow-up are tested without an application or a database."""

import pytest


@pytest.fixture(autouse=True)
def _clean_database():
    """Nothing to clean: these tests touch no database (this overrides the suite's fixture)."""
    yield
