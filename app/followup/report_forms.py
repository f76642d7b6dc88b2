"""Reading the applicant's project report and requisition forms.

The report's rows are built from the report itself (its budget lines and indicators), so the
form is read by hand: every value is kept as typed, and a value that cannot be read gives an
error at its own field while the rest of the input stays on the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _

from app.core.errors import AmountError
from app.core.money import format_amount, parse_amount
from app.core.text import forbidden_message
from app.followup.models import ProjectReport
from app.followup.rules import SPLIT_KEYS, SPLIT_LABELS, ReportInput, ReportLineInput, ResultInput


@dataclass
class ReportFormData:
    """What the form holds, as text (`values`), and what it means once read (`data`)."""

    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    data: ReportInput | None = None


def _amount_text(ore: int | None) -> str:
    return "" if ore is None else format_amount(ore)


def values_of(report: ProjectReport) -> dict[str, str]:
    """The form's values as the report stands now."""
    values: dict[str, str] = {
        "to_return": _amount_text(report.to_return),
        "text": report.text or "",
    }
    for i, line in enumerate(report.lines):
        values[f"line-{i}-used"] = _amount_text(line.used)
    for i, result in enumerate(report.results or []):
        value = result.get("value")
        if result.get("kind") == "yes_no":
            values[f"result-{i}-value"] = "" if value is None else ("yes" if value else "no")
        else:
            values[f"result-{i}-value"] = "" if value is None else str(value).replace(".", ",")
        for key in SPLIT_KEYS:
            part = result.get(key)
            values[f"result-{i}-{key}"] = "" if part is None else str(part)
    return values


def _count(text: str) -> int:
    text = text.strip().replace(" ", "").replace("\u00a0", "")
    if not text.isdigit():
        raise ValueError
    return int(text)


def read_report_form(report: ProjectReport, form) -> ReportFormData:
    """Read the posted report form against the report's own rows."""
    out = ReportFormData()
    lines = []
    for i, line in enumerate(report.lines):
        name = f"line-{i}-used"
        text = (form.get(name) or "").strip()
        out.values[name] = text
        used = 0
        if text:
            try:
                used = parse_amount(text, allow_negative=True)
            except AmountError as exc:
                out.errors[name] = f"{line.label}: {exc.message}"
        lines.append(ReportLineInput(label=line.label, used=used, budgeted=line.budgeted))

    text = (form.get("to_return") or "").strip()
    out.values["to_return"] = text
    to_return = 0
    if text:
        try:
            to_return = parse_amount(text, allow_negative=True)
        except AmountError as exc:
            out.errors["to_return"] = _("att återbetala: %(problem)s", problem=exc.message)

    results = []
    for i, result in enumerate(report.results or []):
        kind = result.get("kind", "count")
        name = result.get("name", "")
        key = f"result-{i}-value"
        raw = (form.get(key) or "").strip()
        out.values[key] = raw
        value: int | bool | Decimal | None = None
        parts: dict[str, int | None] = {k: None for k in SPLIT_KEYS}
        if kind == "yes_no":
            value = {"yes": True, "no": False}.get(raw)
        elif kind == "percent":
            if raw:
                try:
                    value = Decimal(raw.replace(",", ".").removesuffix("%").strip())
                    if not value.is_finite():
                        raise InvalidOperation
                except InvalidOperation:
                    out.errors[key] = _("%(name)s: ange en procentsats mellan 0 och 100",
                                         name=name)
        else:
            if raw:
                try:
                    value = _count(raw)
                except ValueError:
                    out.errors[key] = _("%(name)s: ange ett antal, ett heltal som inte är "
                                         "negativt", name=name)
            if result.get("split"):
                for part in SPLIT_KEYS:
                    part_key = f"result-{i}-{part}"
                    part_raw = (form.get(part_key) or "").strip()
                    out.values[part_key] = part_raw
                    if part_raw:
                        try:
                            parts[part] = _count(part_raw)
                        except ValueError:
                            out.errors[part_key] = (
                                _("%(name)s, %(part)s: ange ett antal, ett heltal som inte "
                                  "är negativt", name=name, part=str(SPLIT_LABELS[part]).lower()))
        results.append(ResultInput(name=name, kind=kind, value=value, **parts))

    out.values["text"] = form.get("text") or ""
    _refuse_forbidden(out.values, out.errors)
    out.data = ReportInput(lines=lines, to_return=to_return, text=out.values["text"],
                           results=results)
    return out


def _refuse_forbidden(values: dict[str, str], errors: dict[str, str]) -> None:
    """Put the refusal at every value that holds a character no text may, in place of the
    field's other message (this one says what to do)."""
    for name, value in values.items():
        message = forbidden_message(value)
        if message is not None:
            errors[name] = message


def read_requisition(form) -> tuple[int | None, str, dict[str, str]]:
    """Read the requisition form: (amount in öre or None, text, errors)."""
    errors: dict[str, str] = {}
    amount = None
    raw = (form.get("amount") or "").strip()
    try:
        amount = parse_amount(raw, allow_negative=True)
    except AmountError as exc:
        errors["amount"] = exc.message
    text = (form.get("text") or "").strip()
    if len(text) > 5000:
        errors["text"] = _("texten är för lång (högst 5000 tecken)")
    _refuse_forbidden({"amount": raw, "text": text}, errors)
    return amount, text, errors
