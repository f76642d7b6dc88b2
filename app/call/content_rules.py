"""Rules of an application's content: what is missing before it can be submitted, and what
changed between two submitted versions. Applications are described as plain dicts here."""

from __future__ import annotations

from dataclasses import dataclass

from app.core.money import format_amount

# Field → the label the applicant sees (Swedish is the source text).
FIELD_LABELS: dict[str, str] = {
    "title": "Projektets namn",
    "summary": "Sammanfattning",
    "background": "Bakgrund",
    "aim": "Syfte och förväntade resultat",
    "target_group": "Målgrupp",
    "goal_areas": "Målområden",
    "owner": "Projektägare",
    "partners": "Samverkanspartner",
    "user_participation": "Brukarmedverkan",
    "long_term_plan": "Plan för långsiktigt breddinförande",
    "period_start": "Projektet börjar",
    "period_end": "Projektet slutar",
    "budget_lines": "Budget",
    "indicators": "Indikatorer",
    "amount_applied": "Sökt belopp",
}
REQUIRED_TEXT = ("title", "summary", "background", "aim", "target_group", "owner",
                 "user_participation", "long_term_plan")
MAX_LENGTHS = {"title": 300, "owner": 300}
MAX_TEXT = 20_000


@dataclass(frozen=True)
class Missing:
    field: str
    message: str


def missing_for_submission(data: dict, *, eligible_goal_areas: set[str],
                           questions: list[dict], max_per_project: int | None) -> list[Missing]:
    """List what an application still lacks before it can be submitted (empty when complete).

    `data` is the application's snapshot (see services.application_versions.snapshot).
    """
    missing: list[Missing] = []
    for field in REQUIRED_TEXT:
        if not str(data.get(field) or "").strip():
            missing.append(Missing(field, f"{FIELD_LABELS[field]} saknas"))
    areas = list(data.get("goal_areas") or [])
    if not areas:
        missing.append(Missing("goal_areas", "välj minst ett målområde"))
    elif eligible_goal_areas and not set(areas) <= eligible_goal_areas:
        others = ", ".join(sorted(set(areas) - eligible_goal_areas))
        missing.append(Missing("goal_areas", f"målområdet {others} ingår inte i utlysningen"))
    if not data.get("partners"):
        missing.append(Missing("partners", "ange minst en samverkanspartner"))
    start, end = data.get("period_start"), data.get("period_end")
    if not start or not end:
        missing.append(Missing("period_start", "ange projektets period (början och slut)"))
    elif end < start:
        missing.append(Missing("period_end", "projektet kan inte sluta innan det börjar"))
    lines = data.get("budget_lines") or []
    total = sum(int(line["amount"]) for line in lines)
    if not lines or total <= 0:
        missing.append(Missing("budget_lines", "fyll i budgeten: minst en kostnadsrad"))
    elif max_per_project is not None and total > max_per_project:
        missing.append(Missing(
            "budget_lines",
            f"sökt belopp {format_amount(total, unit=True)} är mer än utlysningens högsta belopp "
            f"per projekt, {format_amount(max_per_project, unit=True)}",
        ))
    if not data.get("indicators"):
        missing.append(Missing("indicators", "ange minst en indikator som projektet rapporterar"))
    answers = data.get("answers") or {}
    for question in questions:
        if question.get("required") and not str(answers.get(question["key"], "")).strip():
            missing.append(Missing(f"answers.{question['key']}", f"svara på frågan: {question['text']}"))
    return missing


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    before: str
    after: str


def _show(field: str, value) -> str:
    if value is None or value == "" or value == []:
        return "–"
    if field == "budget_lines":
        return "; ".join(
            f"{line['year']} {line['category']}: {line.get('description') or ''} "
            f"{format_amount(int(line['amount']), unit=True)}".replace("  ", " ")
            for line in value
        )
    if field == "indicators":
        return "; ".join(str(i.get("name", i)) if isinstance(i, dict) else str(i) for i in value)
    if field == "amount_applied":
        return format_amount(int(value), unit=True)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in sorted(value.items()))
    return str(value)


def diff_versions(before: dict, after: dict) -> list[Change]:
    """List the fields that differ between two snapshots of an application, in form order."""
    fields = list(FIELD_LABELS) + ["answers"]
    changes = []
    for field in fields:
        old, new = before.get(field), after.get(field)
        if (old or None) != (new or None):
            changes.append(Change(field, FIELD_LABELS.get(field, "Svar på frågor"),
                                  _show(field, old), _show(field, new)))
    return changes
