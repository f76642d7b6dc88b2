"""An id in a URL too large for the database's integers: the page's own 404, never a 500."""

import pytest

HUGE = 2**31  # one more than an INTEGER id column holds on PostgreSQL


@pytest.mark.parametrize("path", [
    f"/calls/{HUGE}",
    f"/calls/applications/{HUGE}",
    f"/projekt/{HUGE}",
    f"/ansokningar/{HUGE}",
    f"/calls/{2**63}",
    f"/calls/{10**40}",
])
def test_a_page_for_an_id_beyond_the_database_answers_404(as_role, path):
    client = as_role("coordinator")
    assert client.get(path).status_code == 404
