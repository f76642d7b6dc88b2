"""Closing an agreement year and reopening it, with the web's rules (app/ledger/years.py):
coordinators and administrators close, administrators alone reopen."""

from __future__ import annotations

from flask_babel import gettext as _

from app.api.auth import admin_only, api_user, money_only
from app.api.problems import ApiProblem, refusal
from app.api.schemas import YearStateSchema
from app.api.views import YEAR_IN_PATH, problems, resource_blueprint
from app.core.audit import Actor
from app.core.errors import DomainError
from app.ledger import years
from app.ledger.queries import load_ledger
from app.web.unit_of_work import abandon

blp = resource_blueprint("api_years", "/api/v1/years",
                         "Årsbokslutet: stänga ett år och föra över resultatet, öppna det igen.")

#: The year of the path, with an example a client (and the fuzzer) can start from.
YEAR_PARAMETER = [{"in": "path", "name": "year", "description": "Avtalsåret", "example": 2020}]
YEAR_PROBLEMS = {404: "Inga tilldelningar det året",
                 409: "Året kan inte stängas eller öppnas nu; detail säger varför"}


def _year_or_404(year: int) -> None:
    if not load_ledger([year]).allocations:
        raise ApiProblem(404, _("Det finns inga tilldelningar för %(year)s.", year=year))


@blp.route(f"/{YEAR_IN_PATH}/close", methods=["POST"], parameters=YEAR_PARAMETER)
@money_only
@blp.response(200, YearStateSchema)
@problems(blp, YEAR_PROBLEMS)
def close_year(year: int):
    """Close a year, carrying each fund's result into the next

    Vägras (409) med samma meddelande som på sidan när året redan är stängt, ett tidigare
    år är öppet eller en fond har ett underskott som ingen täcker.
    """
    _year_or_404(year)
    try:
        closing = years.close_year(year, Actor.of(api_user()))
    except DomainError as exc:
        abandon()
        raise refusal(exc) from None
    return {"year": year, "closed": True, "closed_at": closing.closed_at,
            "closed_by": closing.closed_by,
            "carry_overs": [{"earmark": c.from_allocation.earmark.code, "to_year": c.to_year,
                             "amount": c.amount, "rule": c.rule.value}
                            for c in closing.carry_overs]}


@blp.route(f"/{YEAR_IN_PATH}/reopen", methods=["POST"], parameters=YEAR_PARAMETER)
@admin_only
@blp.response(200, YearStateSchema)
@problems(blp, YEAR_PROBLEMS)
def reopen_year(year: int):
    """Reopen a closed year, undoing its carry-over (administrators)"""
    _year_or_404(year)
    try:
        years.reopen_year(year, Actor.of(api_user()))
    except DomainError as exc:
        abandon()
        raise refusal(exc) from None
    return {"year": year, "closed": False, "closed_at": None, "closed_by": None,
            "carry_overs": []}
