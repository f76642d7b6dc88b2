"""The funds' allocations: the dashboard's figures of each, and one with its lines and grants."""

from __future__ import annotations

from flask import request, url_for
from flask_babel import gettext as _
from marshmallow import RAISE

from app.api.auth import staff_only
from app.api.problems import ApiProblem
from app.api.schemas import AllocationDetailSchema, AllocationPageSchema, AllocationQuerySchema
from app.api.views import YEAR_IN_PATH, problems, resource_blueprint
from app.ledger.exchange.exporting import allocation_data
from app.ledger.overview import FundRow, YearSummary, build_overview
from app.ledger.queries import allocations_of_year

blp = resource_blueprint("api_allocations", "/api/v1/allocations",
                         "Fondernas tilldelningar per år: erhållet, använt, resultat och vad "
                         "som förs över. För regionens personal (administratörer, samordnare, "
                         "läsare).")


def figures(summary: YearSummary, row: FundRow) -> dict:
    """An allocation's figures as the dashboard shows them (app/ledger/overview.py)."""
    return {
        "earmark": row.earmark_code, "fund": row.fund, "year": summary.year,
        "recipient": row.recipient, "budget_status": row.budget_status.value,
        "closed": summary.closed, "received": row.received, "carried_in": row.carried_in,
        "covered": row.covered, "available": row.available, "budgeted": row.budgeted,
        "used": row.used, "result": row.result,
        "carry_over": row.carried_out if summary.closed else None,
        "carry_rule": row.carry_rule.value if summary.closed and row.carry_rule else None,
    }


def _rows(year: int | None) -> list[tuple[YearSummary, FundRow]]:
    overview = build_overview()
    return [(summary, row) for summary in reversed(overview.years)
            if year is None or summary.year == year for row in summary.rows]


@blp.route("", methods=["GET"])
@staff_only
@blp.arguments(AllocationQuerySchema, location="query", error_status_code=400,
               unknown=RAISE)
@blp.response(200, AllocationPageSchema)
@problems(blp, {400: "Ogiltig parameter"})
def list_allocations(args: dict):
    """Every allocation's figures, oldest year first

    Samma siffror som översikten: erhållet, överfört in, täckt av annan fond, tillgängligt,
    budgeterat, använt (utfall), resultat och, när året är stängt, det som förs över.
    Sidindelat: följ `next` tills den är null.
    """
    rows = _rows(args.get("year"))
    page, per_page = args["page"], args["per_page"]
    start = (page - 1) * per_page
    items = [figures(summary, row) for summary, row in rows[start:start + per_page]]
    following = None
    if start + per_page < len(rows):
        query = {k: v for k, v in request.args.items() if k not in ("page", "per_page")}
        following = url_for("api_allocations.list_allocations", **query, page=page + 1,
                            per_page=per_page)
    return {"items": items, "next": following, "total": len(rows)}


@blp.route(f"/<earmark>/{YEAR_IN_PATH}", methods=["GET"], parameters=[
    {"in": "path", "name": "earmark", "description": "Fondens kod", "example": "samverkan"},
    {"in": "path", "name": "year", "description": "Avtalsåret", "example": 2020}])
@staff_only
@blp.response(200, AllocationDetailSchema)
@problems(blp, {404: "Ingen tilldelning för fonden det året"})
def get_allocation(earmark: str, year: int):
    """One allocation with its figures, lines and grants"""
    row = next(((s, r) for s, r in _rows(year) if r.earmark_code == earmark), None)
    allocation = next((a for a in allocations_of_year(year) if a.earmark.code == earmark), None)
    if row is None or allocation is None:
        raise ApiProblem(404, _("Det finns ingen tilldelning för %(earmark)s %(year)s.",
                                 earmark=earmark, year=year))
    data = allocation_data(allocation)
    return {**figures(*row), "spend_until": data.spend_until, "lines": data.lines}
