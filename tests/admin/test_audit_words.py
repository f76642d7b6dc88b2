"""The audit log speaks the users' language: states and fields in words, the payment's
reference not called a diary number, e-mail addresses broken only between their parts."""

from __future__ import annotations

from app.core.audit import Actor, AuditAction, record
from app.extensions import db


def text(response) -> str:
    return response.get_data(as_text=True).replace("\u00a0", " ")


def test_states_and_fields_are_words_and_addresses_break_between_parts(app, as_role):
    with app.app_context():
        record(Actor(label="anna.berg@krokom.se"), AuditAction.registry()["payment.approve"],
               "payment", 7, year=2022, summary="Attesterade en utbetalning",
               before={"state": "pending"},
               after={"state": "approved", "reference": "VER-117", "grant_id": 3,
                      "paid_on": "2022-06-01"})
        db.session.commit()
    page = text(as_role("coordinator").get("/admin/audit"))
    assert "Attesterad utbetalning" in page and ">payment.approve<" not in page
    for word in ("Status", "Referens", "Projekt", "Utbetalningsdag"):
        assert word in page, word
    assert "Diarienummer" not in page
    assert "pending" not in page and ">approved<" not in page and "grant_id" not in page
    assert "anna.berg@<wbr>krokom<wbr>.se" in page
