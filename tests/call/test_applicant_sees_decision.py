"""Is the applicant told of the decision on their own page, not only by e-mail?"""

from datetime import date

from app.call import decisions
from app.call.rules import ApplicationState
from app.core.audit import Actor
from app.extensions import db
from tests.call.factories import (
    make_applicant,
    make_application,
    make_call,
    make_organisation,
    make_pool,
)
from tests.conftest import login


def test_the_applicant_sees_the_partial_grant_and_its_conditions(app, client):
    with app.app_context():
        call = make_call(make_pool(1_000_000))
        org = make_organisation("Ragunda kommun")
        email = make_applicant(org)
        application = make_application(call, org, amount_kr=300_000,
                                       state=ApplicationState.UNDER_REVIEW, title="MÖTAS")
        decisions.decide(application.id, "partly_granted", 200_000 * 100,
                         "Rapportera efter första året", "", "SVOM", date(2022, 6, 10), "§125",
                         "RUN 290 2022", Actor(label="samordnare@example.se"))
        db.session.commit()
        app_id = application.id
        db.session.remove()
    login(client, email)
    page = client.get(f"/ansokningar/{app_id}").get_data(as_text=True).replace("\u00a0", " ")
    assert "Delvis beviljad" in page
    assert "200 000 kr" in page
    assert "Rapportera efter första året" in page
    assert "RUN/290/2022" in page
    assert "SVOM, 2022-06-10, §125" in page
