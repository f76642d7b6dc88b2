"""The domain's pure rules need no application: these tests neither build it nor clean its
database (the suite-wide autouse fixture of the same name does both)."""

import pytest


@pytest.fixture(autouse=True)
def _clean_database():
    yield
