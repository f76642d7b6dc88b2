"""Do the report's records agree with the ledger, and can the PDF fonts draw every text?"""

from __future__ import annotations

import dataclasses

import pytest

from app.core.pdf.styles import printable
from app.ledger.queries import load_ledger
from app.ledger.rules import Basis
from app.year_reports.data import ReportKind
from app.year_reports.queries import fund_report


@pytest.mark.parametrize("kind", list(ReportKind))
def test_report_totals_agree_with_the_ledgers_balances(ctx, closed_2020, kind):
    """Do TOTALT, coverage and result summed from the lines match the ledger's own sums?"""
    ledger = load_ledger([2020])
    for allocation in ledger.allocations:
        balance = ledger.balance(allocation, kind.basis)
        report = fund_report(kind, allocation.earmark.code, 2020)
        assert report.total == balance.used
        assert report.covered == balance.covered
        assert report.result == balance.result


def test_the_records_are_frozen_and_hold_öre(ctx, closed_2020):
    report = fund_report("followup", "samverkan", 2020)
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.year = 2021  # type: ignore[misc]
    assert report.balance.received == 620318300
    assert [call.granted for call in report.calls] == [484486000]
    assert report.destination is not None and report.destination.amount == 7215100
    assert report.kind.basis is Basis.OUTCOME


def test_the_user_millions_deficit_and_its_cover(ctx, closed_2020):
    report = fund_report("followup", "brukarmiljonen", 2020)
    assert report.result_before_cover == -843600
    assert [(c.source, c.amount) for c in report.coverages] == [("Samverkansmedel 2020", 843600)]
    assert report.result == 0


def test_the_fonts_draw_swedish_and_the_typographic_signs():
    """Are the minus, curly quotes, dashes and å ä ö kept as they are?"""
    text = "−8 436 kr ”Ungas beställning” “Hur vet jag” 2020–2021 åäö ÅÄÖ é"
    assert printable(text) == text


def test_characters_the_fonts_lack_are_replaced_not_dropped():
    """Do a narrow no-break space and a Sámi ŋ come out as something printable?"""
    assert printable("1\u202f000\u2009kr") == "1\u00a0000\u00a0kr"
    assert printable("Sámi ŋ Ŧ ą") == "Sámi n T a"
    assert printable("漢") == "?"
