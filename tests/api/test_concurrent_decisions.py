"""Coordinators deciding the same application through the API at the same moment: the
decision's lock lets one through and answers the others 409 (PostgreSQL only)."""

from __future__ import annotations

import threading

from tests.api.conftest import bearer

THREADS = 8
DECISION = {"outcome": "granted", "body": "SVOM", "decided_on": "2022-06-10"}


def test_simultaneous_decisions_of_one_application_make_one_grant(wide_app, call_world,
                                                                  make_token):
    tokens = [make_token("coordinator") for _ in range(THREADS)]
    url = f"/api/v1/applications/{call_world.a_review_id}/decision"
    barrier = threading.Barrier(THREADS)
    statuses: list[int] = []

    def decide(token: str) -> None:
        client = wide_app.test_client()
        barrier.wait()
        statuses.append(client.post(url, json=DECISION, headers=bearer(token)).status_code)

    threads = [threading.Thread(target=decide, args=(t,)) for t in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [201] + [409] * (THREADS - 1)
    application = wide_app.test_client().get(
        f"/api/v1/applications/{call_world.a_review_id}", headers=bearer(tokens[0])).get_json()
    assert application["state"] == "granted" and application["grant_id"]
