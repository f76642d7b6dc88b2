"""The names users read for codes that are not enums (the audit log's fields, the kinds and
formats of reports), and the choices of select fields."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

from app.core.labels import LabelledEnum

# The Swedish names of codes that users see, by kind of code (the code itself if unnamed).
LABELS = {
    # Keys of the values the audit log records before and after a change.
    "field": {
        "activity": _l("Aktivitet"),
        "active": _l("Aktivt"),
        "amount": _l("Belopp"),
        "anchored": _l("Förankrat"),
        "body": _l("Organ"),
        "budget": _l("Budget"),
        "carry_over": _l("Överfört"),
        "closed_at": _l("Stängt"),
        "closed_by": _l("Stängt av"),
        "code": _l("Kod"),
        "covers": _l("Täcker"),
        "date": _l("Datum"),
        "decision": _l("Beslut"),
        "earmark": _l("Fond"),
        "email": _l("E-postadress"),
        "goal_area": _l("Målområde"),
        "goal_areas": _l("Målområden"),
        "grants": _l("Beviljade projekt"),
        "kind": _l("Slag"),
        "lines": _l("Rader"),
        "name": _l("Namn"),
        "org_number": _l("Organisationsnummer"),
        "organisation": _l("Organisation"),
        "owner": _l("Ägare"),
        "paid": _l("Utbetalt"),
        "partners": _l("Partner"),
        "received": _l("Erhållet"),
        "reference": _l("Referens"),
        "diary_number": _l("Diarienummer"),
        "state": _l("Status"),
        "proposed_amount": _l("Föreslaget belopp"),
        "grant_id": _l("Projekt"),
        "previous_grant_id": _l("Tidigare projekt"),
        "due_on": _l("Senast"),
        "paid_on": _l("Utbetalningsdag"),
        "reason": _l("Skäl"),
        "comment": _l("Kommentar"),
        "scores": _l("Betyg"),
        "expires_at": _l("Gäller till"),
        "size": _l("Storlek"),
        "count": _l("Antal"),
        "to_return": _l("Att återbetala"),
        "used": _l("Förbrukat"),
        "remainder_rule": _l("Det som blir kvar"),
        "returned": _l("Återbetalt"),
        "role": _l("Roll"),
        "spend_until": _l("Förbrukas senast"),
        "spent": _l("Utfall"),
        "stated_total": _l("Angiven total"),
        "status": _l("Status"),
        "text": _l("Text"),
        "title": _l("Projekt"),
        "year": _l("År"),
    },
    "report": {"followup": _l("Uppföljning"), "budget": _l("Budget")},
    "format": {"pdf": "PDF", "csv": "CSV", "xlsx": "Excel"},
}


def label(kind: str, code) -> str:
    """Return the name users read for a code of a kind: label("field", "budget")."""
    code = getattr(code, "value", code)
    return str(LABELS[kind].get(code, code))




def enum_choices(enum: type[LabelledEnum], members=None) -> list[SelectChoice]:
    """Return an enum's values and (lazy) labels as choices for a select or radio field."""
    # WTForms deprecates choices given as tuples, which is what LabelledEnum.choices() gives.
    return [SelectChoice(value, name) for value, name in enum.choices(members)]
