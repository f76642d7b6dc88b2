"""Does `flask funds report` write the files a coordinator asks for?"""

from __future__ import annotations

import pytest

from tests.year_reports.reading import csv_rows, pdf_text, xlsx_rows


@pytest.mark.parametrize("fmt", ["pdf", "csv", "xlsx"])
def test_the_command_writes_the_followup(runner, imported_2020, tmp_path, fmt):
    """Does the command write a follow-up in each format with the seed's total?"""
    out = tmp_path / f"uppfoljning.{fmt}"
    result = runner.invoke(args=["funds", "report", "followup", "--earmark", "samverkan",
                                 "--year", "2020", "--format", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output
    content = out.read_bytes()
    if fmt == "pdf":
        assert "TOTALT 6 131 032" in pdf_text(content)
    elif fmt == "csv":
        assert ["", "TOTALT", "", "6131032"] in csv_rows(content)
    else:
        assert [None, "TOTALT", None, 6131032] in xlsx_rows(content)


def test_the_command_writes_an_english_budget(runner, imported_2020, tmp_path):
    out = tmp_path / "budget.pdf"
    result = runner.invoke(args=["funds", "report", "budget", "--earmark", "suicidprevention",
                                 "--year", "2020", "--lang", "en", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Budget of the 2020 Suicidpreventiva medel" in pdf_text(out.read_bytes())


def test_the_command_refuses_an_unknown_fund(runner, imported_2020, tmp_path):
    """Does a mistyped fund code fail with a Swedish message and write nothing?"""
    out = tmp_path / "x.pdf"
    result = runner.invoke(args=["funds", "report", "followup", "--earmark", "samverkn",
                                 "--year", "2020", "-o", str(out)])
    assert result.exit_code == 1
    assert "Fel: okänd fond 'samverkn'" in result.output
    assert not out.exists()
