"""Writing a `stimulansmedel/1` document: plain data back into the format's mappings, fields
in the order of the spec, and the mappings as YAML."""

from __future__ import annotations

from typing import Any

import yaml

from app.core.money import exchange_amount
from app.ledger.exchange.schema import AllocationData, GrantData, LineData, PaymentData
from app.ledger.rules import COUNTY, LineKind


def dump_document(doc: dict) -> str:
    """Write an exchange document (plain dicts, as build_allocation makes them) as YAML."""
    header = (
        "# stimulansmedel/1: see spec/import-format.md. Amounts in kronor; "
        "exported by Stimulansmedel.\n"
    )
    return header + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100)


def build_allocation(a: AllocationData) -> dict:
    """Turn an allocation's data back into the exchange format's mapping, fields in spec order."""
    out: dict[str, Any] = {"earmark": a.earmark, "year": a.year}
    if a.recipient != COUNTY:
        out["recipient"] = a.recipient
    if a.status is not None:
        out["status"] = a.status.value
    out["spend_until"] = a.spend_until
    out["received"] = exchange_amount(a.received)
    if a.anchored is not None:
        out["anchored"] = a.anchored
    decision = {
        k: v
        for k, v in (
            ("body", a.decision_body),
            ("date", _decision_date(a)),
            ("reference", a.decision_reference),
            ("diary_number", a.decision_diary_number),
            ("text", a.decision_text),
        )
        if v is not None
    }
    if decision:
        out["decision"] = decision
    if a.stated_total is not None:
        out["stated_total"] = exchange_amount(a.stated_total)
    out["lines"] = [build_line(line) for line in a.lines]
    return out


def build_line(line: LineData) -> dict:
    """Turn a line's data back into the format's mapping (a call line with its grants)."""
    out: dict[str, Any] = {}
    if line.goal_area is not None:
        out["goal_area"] = line.goal_area
    if line.kind is not LineKind.ACTIVITY:
        out["kind"] = line.kind.value  # the plain code: a safe YAML dumper knows no enums
    out["activity"] = line.activity
    for key in ("budget", "spent"):
        value = getattr(line, key)
        if value is not None:
            out[key] = exchange_amount(value)
    if line.covers is not None:
        out["covers"] = {"earmark": line.covers[0], "year": line.covers[1]}
    if line.decided_in is not None:
        out["decided_in"] = {"earmark": line.decided_in[0], "year": line.decided_in[1]}
    if line.owner is not None:
        out["owner"] = line.owner
    if line.partners:
        out["partners"] = list(line.partners)
    if line.kind is LineKind.CALL:
        out["grants"] = [build_grant(g) for g in line.grants]
    return out


def build_grant(g: GrantData) -> dict:
    """Turn a grant's data back into the format's mapping."""
    out: dict[str, Any] = {"title": g.title, "owner": g.owner}
    if g.partners:
        out["partners"] = list(g.partners)
    out["goal_areas"] = list(g.goal_areas)
    out["amount"] = exchange_amount(g.amount)
    for key in ("paid", "returned"):
        value = getattr(g, key)
        if value is not None:
            out[key] = exchange_amount(value)
    if g.status is not None:
        out["status"] = g.status
    if g.report_due is not None:
        out["report_due"] = g.report_due
    if g.continues is not None:
        earmark, year, title = g.continues
        out["continues"] = {"earmark": earmark, "year": year, "title": title}
    if g.payments is not None:
        out["payments"] = [_build_payment(p, "from") for p in g.payments]
    if g.refunds is not None:
        out["refunds"] = [_build_payment(p, "to") for p in g.refunds]
    return out


def _build_payment(p: PaymentData, fund_key: str) -> dict:
    """A payment (`from` the allocation that paid) or a refund (`to` the one paid back)."""
    out: dict[str, Any] = {"date": p.paid_on, "amount": exchange_amount(p.amount)}
    if p.reference:
        out["reference"] = p.reference
    if p.fund is not None:
        out[fund_key] = {"earmark": p.fund[0], "year": p.fund[1]}
    return out


def _decision_date(a: AllocationData):
    """The decision's day, or only its month (`2021-06`) when that is all that is known."""
    if a.decision_date is None or not a.decision_month_only:
        return a.decision_date
    return f"{a.decision_date.year:04d}-{a.decision_date.month:02d}"
