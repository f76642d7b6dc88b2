"""The `stimulansmedel/1` exchange format: what a file may say, and where a refusal points."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest
import yaml

from app.core.errors import ImportRefused
from app.ledger.exchange.reading import load_document
from app.ledger.exchange.writing import build_allocation, dump_document

DATA_2020 = Path(__file__).resolve().parents[3] / "app" / "data" / "jamtland-2020.yaml"
TEXT_2020 = DATA_2020.read_text(encoding="utf-8")


def doc_2020() -> dict:
    """Return the 2020 data as plain data, to change one thing in it."""
    return yaml.safe_load(TEXT_2020)


def as_yaml(data: dict) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def refusal(text: str) -> ImportRefused:
    with pytest.raises(ImportRefused) as refused:
        load_document(text)
    return refused.value


def places(text: str) -> dict[str, str]:
    """Return each problem's place mapped to its message."""
    return {p.place: p.message for p in refusal(text).problems}


def samverkan(data: dict) -> dict:
    return data["allocations"][1]


def call_line(data: dict) -> dict:
    return samverkan(data)["lines"][4]


# A small document whose line numbers the tests below rely on.
SMALL = """\
format: stimulansmedel/1
allocations:
  - earmark: samverkan
    year: 2021
    received: 1000
    lines:
      - activity: Personal
        spent: 400
      - activity: Utlysning
        kind: call
        budget: 500
        grants:
          - title: Projekt A
            owner: Krokoms kommun
            goal_areas: [Stärka barn och ungas psykiska hälsa]
            amount: 300
"""


# --- the 2020 data -------------------------------------------------------------------------

def test_the_2020_data_reads_as_the_seed_says():
    """Does the real 2020 follow-up read with its three funds, eight projects and one transfer?"""
    doc = load_document(TEXT_2020)
    assert doc.region == "Region Jämtland Härjedalen"
    assert [a.key for a in doc.allocations] == [
        ("brukarmiljonen", 2020), ("samverkan", 2020), ("suicidprevention", 2020)
    ]
    received = {a.earmark: a.received for a in doc.allocations}
    assert received == {"brukarmiljonen": 100_000_000, "samverkan": 620_318_300,
                        "suicidprevention": 250_000_000}
    call = doc.allocations[1].lines[4]
    assert call.kind == "call" and len(call.grants) == 8
    assert sum(g.amount for g in call.grants) == call.spent == 484_486_000
    transfer = doc.allocations[1].lines[5]
    assert transfer.kind == "transfer" and transfer.covers == ("brukarmiljonen", 2020)
    assert transfer.spent == 843_600
    assert doc.allocations[0].spend_until == dt.date(2021, 12, 31)


def test_the_2020_stated_totals_match_without_warning():
    """Do the 2020 file's stated TOTALT figures match its lines, so no warning is given?"""
    assert load_document(TEXT_2020).warnings == []


def test_a_mismatched_stated_total_is_a_warning_not_an_error():
    """Is a hand-summed TOTALT the lines do not reach a warning stating the difference?"""
    data = doc_2020()
    samverkan(data)["stated_total"] = 6131000
    doc = load_document(as_yaml(data))
    assert len(doc.allocations) == 3
    [warning] = doc.warnings
    assert warning.place == "allocations[1].stated_total"
    assert warning.line is not None
    assert "6\u00a0131\u00a0032\u00a0kr" in warning.message
    assert "6\u00a0131\u00a0000\u00a0kr" in warning.message
    assert "skillnad 32\u00a0kr" in warning.message


def test_a_stated_total_of_a_budget_is_checked_against_the_budgets():
    """Is the stated total of a budget (no outcome yet) compared with the budgeted amounts?"""
    text = SMALL.replace("        spent: 400\n", "        budget: 400\n").replace(
        "    received: 1000\n", "    received: 1000\n    stated_total: 1000\n")
    [warning] = load_document(text).warnings
    assert "(budget) summerar till 900\u00a0kr" in warning.message


def test_json_input_is_read_like_yaml():
    """Can the same document be given as JSON, also indented with tabs?"""
    data = doc_2020()
    for indent in (None, 2, "\t"):
        text = json.dumps(data, default=str, ensure_ascii=False, indent=indent)
        doc = load_document(text)
        assert [a.key for a in doc.allocations] == [
            a.key for a in load_document(TEXT_2020).allocations
        ]
        assert doc.allocations[1].lines[4].grants[7].amount == 4_750_000


def test_decimal_string_amounts_keep_their_ore():
    """Is "1000000.50" read as 1 000 000 kr 50 öre?"""
    doc = load_document(SMALL.replace("received: 1000", 'received: "1000.50"'))
    assert doc.allocations[0].received == 100_050


def test_spend_until_defaults_to_the_end_of_the_next_year():
    """Does an allocation without spend_until get 31 December of the following year?"""
    assert load_document(SMALL).allocations[0].spend_until == dt.date(2022, 12, 31)


def test_written_data_reads_back_the_same():
    """Does writing the read 2020 data and reading it again give the same allocations?"""
    doc = load_document(TEXT_2020)
    written = dump_document({"format": "stimulansmedel/1", "region": doc.region,
                             "allocations": [build_allocation(a) for a in doc.allocations]})
    again = load_document(written)
    assert [build_allocation(a) for a in again.allocations] == [
        build_allocation(a) for a in doc.allocations
    ]


# --- refusals: each names its place ----------------------------------------------------------

def test_a_negative_grant_names_its_path_and_line():
    """Does a negative amount deep in the file point at allocations[1].lines[4].grants[0].amount?"""
    data = doc_2020()
    call_line(data)["grants"][0]["amount"] = -630000
    text = as_yaml(data)
    [problem] = refusal(text).problems
    assert problem.place == "allocations[1].lines[4].grants[0].amount"
    assert "negativt" in problem.message
    line_text = text.splitlines()[problem.line - 1]
    assert "amount: -630000" in line_text


def test_the_line_number_is_the_line_of_the_field():
    """Is the line number in a refusal the line where the bad field is written?"""
    problem = refusal(SMALL.replace("amount: 300", "amount: 300.5")).problems[0]
    assert (problem.place, problem.line) == ("allocations[0].lines[1].grants[0].amount", 16)
    assert "rad 16, allocations[0].lines[1].grants[0].amount" in str(problem)


@pytest.mark.parametrize(
    ("change", "place", "why"),
    [
        (lambda d: d.update(format="stimulansmedel/2"), "format", "stimulansmedel/1"),
        (lambda d: d.pop("format"), "format", "stimulansmedel/1"),
        (lambda d: d.pop("allocations"), "allocations", "saknas"),
        (lambda d: d.update(allocations=[]), "allocations", "inga tilldelningar"),
        (lambda d: d.update(allocations={"a": 1}), "allocations", "ingen lista"),
        (lambda d: d["allocations"].__setitem__(0, "brukarmiljonen"), "allocations[0]",
         "mappning"),
        (lambda d: d["allocations"][0].update(received=-1000000), "allocations[0].received",
         "negativt"),
        (lambda d: d["allocations"][0].update(received="1 000 000"), "allocations[0].received",
         "inget giltigt belopp"),
        (lambda d: d["allocations"][0].update(received="1000000,50"), "allocations[0].received",
         "inget giltigt belopp"),
        (lambda d: d["allocations"][0].update(received="en miljon"), "allocations[0].received",
         "inget giltigt belopp"),
        (lambda d: d["allocations"][0].update(received=1000000.5), "allocations[0].received",
         "flyttal"),
        (lambda d: d["allocations"][0].update(received=True), "allocations[0].received",
         "inget belopp"),
        (lambda d: d["allocations"][0].update(received="1000000.505"), "allocations[0].received",
         "inget giltigt belopp"),
        (lambda d: d["allocations"][0]["lines"][0].update(spent=-775000),
         "allocations[0].lines[0].spent", "negativt"),
        (lambda d: d["allocations"][0]["lines"][0].update(budget=775000.0),
         "allocations[0].lines[0].budget", "flyttal"),
        (lambda d: d["allocations"][1]["lines"][4]["grants"][3].update(amount="1,38 milj"),
         "allocations[1].lines[4].grants[3].amount", "inget giltigt belopp"),
        (lambda d: d["allocations"][1]["lines"][4]["grants"][3].update(paid=2000000),
         "allocations[1].lines[4].grants[3].paid", "mer än det beviljade"),
        (lambda d: d["allocations"][1]["lines"][4]["grants"][3].update(paid=10, returned=20),
         "allocations[1].lines[4].grants[3].returned", "mer än det utbetalda"),
        (lambda d: d["allocations"][1].update(stated_total=-1), "allocations[1].stated_total",
         "negativt"),
    ],
    ids=[
        "wrong-format-tag", "missing-format-tag", "missing-allocations", "no-allocations",
        "allocations-not-a-list", "allocation-not-a-mapping", "negative-received",
        "spaced-received", "comma-received", "words-received", "float-received",
        "boolean-received", "three-decimals", "negative-spent", "float-budget",
        "malformed-grant", "paid-above-grant", "returned-above-paid", "negative-stated-total",
    ],
)
def test_a_malformed_value_is_refused_at_its_place(change, place, why):
    """Is each malformed value refused with a message at the path of the value?"""
    data = doc_2020()
    change(data)
    problems = places(as_yaml(data))
    assert place in problems, problems
    assert why in problems[place]


def test_grants_above_their_call_line_are_refused():
    """Are grants summing to more than the call's pool refused, naming both sums?"""
    data = doc_2020()
    call_line(data)["spent"] = 4844859
    problems = places(as_yaml(data))
    message = problems["allocations[1].lines[4].grants"]
    assert "4\u00a0844\u00a0860\u00a0kr" in message and "4\u00a0844\u00a0859\u00a0kr" in message


def test_a_call_is_bounded_by_its_outcome_before_its_budget():
    """Is a call's pool its outcome when it has one, even when the budget was larger?"""
    over = SMALL.replace("        budget: 500\n", "        budget: 500\n        spent: 200\n")
    assert "allocations[0].lines[1].grants" in places(over)
    within = SMALL.replace("        budget: 500\n", "        budget: 200\n        spent: 300\n")
    assert load_document(within).allocations[0].lines[1].grants[0].amount == 30_000


def test_grants_filling_the_pool_exactly_are_accepted():
    """Can the grants use the whole pool to the krona?"""
    doc = load_document(SMALL.replace("amount: 300", "amount: 500"))
    assert doc.allocations[0].lines[1].grants[0].amount == 50_000


@pytest.mark.parametrize(
    ("change", "place"),
    [
        (lambda d: d.update(owner="RJH"), "owner"),
        (lambda d: d["allocations"][2].update(budget=1), "allocations[2].budget"),
        (lambda d: d["allocations"][2].update(decision={"body": "SVOM", "paragraf": "§1"}),
         "allocations[2].decision.paragraf"),
        (lambda d: d["allocations"][2]["lines"][0].update(amount=300072),
         "allocations[2].lines[0].amount"),
        (lambda d: d["allocations"][1]["lines"][5]["covers"].update(fund="x"),
         "allocations[1].lines[5].covers.fund"),
        (lambda d: d["allocations"][1]["lines"][4]["grants"][0].update(beviljat=1),
         "allocations[1].lines[4].grants[0].beviljat"),
    ],
    ids=["document", "allocation", "decision", "line", "covers", "grant"],
)
def test_unknown_fields_are_refused_at_every_level(change, place):
    """Is a field the format does not know refused (not dropped), at whatever level it is?"""
    data = doc_2020()
    change(data)
    problems = places(as_yaml(data))
    assert "okänt fält" in problems[place]
    assert "tillåtna fält här" in problems[place]


def test_two_allocations_of_one_fund_and_year_are_refused():
    """Is a second samverkan 2020 in the same file refused, naming the first?"""
    data = doc_2020()
    data["allocations"].append(copy.deepcopy(samverkan(data)))
    problems = places(as_yaml(data))
    assert "allocations[3]" in problems
    assert "samverkan 2020 finns redan i filen" in problems["allocations[3]"]
    assert "allocations[1]" in problems["allocations[3]"]


def test_the_same_fund_in_two_years_is_accepted():
    """May one file carry the same fund for two different years?"""
    data = doc_2020()
    later = copy.deepcopy(data["allocations"][0])
    later["year"] = 2021
    data["allocations"].append(later)
    assert ("brukarmiljonen", 2021) in [a.key for a in load_document(as_yaml(data)).allocations]


def test_a_transfer_without_covers_is_refused():
    """Is a transfer line that does not say whose deficit it covers refused?"""
    data = doc_2020()
    del samverkan(data)["lines"][5]["covers"]
    assert "måste ange 'covers'" in places(as_yaml(data))["allocations[1].lines[5].covers"]


def test_covers_on_a_line_that_is_no_transfer_is_refused():
    """Is 'covers' on an ordinary activity line refused rather than ignored?"""
    data = doc_2020()
    del samverkan(data)["lines"][5]["kind"]
    assert "kind: transfer" in places(as_yaml(data))["allocations[1].lines[5].covers"]


@pytest.mark.parametrize("covers", ["brukarmiljonen", {"earmark": "brukarmiljonen"},
                                    {"earmark": "brukarmiljonen", "year": "tjugotjugo"}])
def test_a_malformed_covers_is_refused(covers):
    """Is a covers that is not {earmark, year} refused at the covers field?"""
    data = doc_2020()
    samverkan(data)["lines"][5]["covers"] = covers
    assert any(p.startswith("allocations[1].lines[5].covers") for p in places(as_yaml(data)))


def test_grants_on_a_line_that_is_no_call_are_refused():
    """Is a list of grants on an activity line refused rather than ignored?"""
    data = doc_2020()
    del call_line(data)["kind"]
    assert "kind: call" in places(as_yaml(data))["allocations[1].lines[4].grants"]


def test_an_unknown_kind_of_line_is_refused():
    """Is a line kind other than activity, call and transfer refused?"""
    data = doc_2020()
    call_line(data)["kind"] = "utlysning"
    assert "okänd sorts rad" in places(as_yaml(data))["allocations[1].lines[4].kind"]


@pytest.mark.parametrize("line", [
    {"activity": "Representation"},
    {"activity": "Representation", "budget": None},
    {"activity": "Representation", "budget": None, "spent": None},
])
def test_a_line_with_neither_budget_nor_spent_is_refused(line):
    """Is a line with no amount at all (missing or empty) refused?"""
    data = doc_2020()
    data["allocations"][2]["lines"][2] = line
    problems = places(as_yaml(data))
    assert "saknar belopp" in problems["allocations[2].lines[2]"]


@pytest.mark.parametrize(
    ("remove", "place"),
    [
        (lambda d: d["allocations"][0].pop("earmark"), "allocations[0].earmark"),
        (lambda d: d["allocations"][0].pop("year"), "allocations[0].year"),
        (lambda d: d["allocations"][0].pop("received"), "allocations[0].received"),
        (lambda d: d["allocations"][0].pop("lines"), "allocations[0].lines"),
        (lambda d: d["allocations"][0]["lines"][1].pop("activity"),
         "allocations[0].lines[1].activity"),
        (lambda d: d["allocations"][1]["lines"][4]["grants"][2].pop("title"),
         "allocations[1].lines[4].grants[2].title"),
        (lambda d: d["allocations"][1]["lines"][4]["grants"][2].pop("owner"),
         "allocations[1].lines[4].grants[2].owner"),
        (lambda d: d["allocations"][1]["lines"][4]["grants"][2].pop("goal_areas"),
         "allocations[1].lines[4].grants[2].goal_areas"),
        (lambda d: d["allocations"][1]["lines"][4]["grants"][2].update(goal_areas=[]),
         "allocations[1].lines[4].grants[2].goal_areas"),
        (lambda d: d["allocations"][1]["lines"][4]["grants"][2].pop("amount"),
         "allocations[1].lines[4].grants[2].amount"),
        (lambda d: d["allocations"][0].update(earmark="  "), "allocations[0].earmark"),
    ],
    ids=["earmark", "year", "received", "lines", "activity", "title", "owner", "goal_areas",
         "no-goal-areas", "amount", "blank-earmark"],
)
def test_a_missing_required_field_is_refused_with_a_line(remove, place):
    """Is each required field, when missing, named, with the line of what should hold it?"""
    data = doc_2020()
    remove(data)
    problems = refusal(as_yaml(data)).problems
    problem = next(p for p in problems if p.place == place)
    assert problem.line is not None


def test_an_empty_list_of_lines_is_allowed():
    """May an allocation have no lines yet (received, not yet budgeted)?"""
    data = doc_2020()
    data["allocations"][0]["lines"] = []
    assert load_document(as_yaml(data)).allocations[0].lines == []


def test_every_problem_is_reported_not_just_the_first():
    """Does one refusal list every problem of the file, so it can be fixed in one go?"""
    data = doc_2020()
    data["allocations"][0]["received"] = -1
    data["allocations"][2]["lines"][3]["spent"] = "mycket"
    call_line(data)["grants"][1]["colour"] = "blå"
    assert {
        "allocations[0].received",
        "allocations[2].lines[3].spent",
        "allocations[1].lines[4].grants[1].colour",
    } <= set(places(as_yaml(data)))


def test_a_truncated_file_is_refused_pointing_at_the_cut():
    """Is the 2020 file cut in the middle (inside a grant) refused where the cut left it short?"""
    cut = TEXT_2020[: len(TEXT_2020) // 2]
    problems = refusal(cut).problems
    assert all(p.place.startswith("allocations[1].lines[4].grants[") for p in problems)
    assert all(p.line is not None and p.line <= cut.count("\n") + 1 for p in problems)


def test_a_file_cut_inside_a_string_is_refused_as_broken_yaml():
    """Is a file that ends inside a quoted string refused as invalid YAML, with a line?"""
    cut = TEXT_2020[: TEXT_2020.index("Ungas beställning") + 5]
    [problem] = refusal(cut).problems
    assert "inte giltig YAML/JSON" in problem.message
    assert problem.line is not None


@pytest.mark.parametrize("text", ["", "\n\n", "# bara en kommentar\n", "---\n"])
def test_an_empty_file_is_refused(text):
    """Is an empty file (or one of only comments) refused as empty?"""
    [problem] = refusal(text).problems
    assert "filen är tom" in problem.message


@pytest.mark.parametrize("text", ["- format: stimulansmedel/1\n", "stimulansmedel/1\n", "42\n"])
def test_a_document_that_is_no_mapping_is_refused(text):
    """Is a list or a lone value instead of a mapping refused, saying what was found?"""
    [problem] = refusal(text).problems
    assert "ska vara en mappning" in problem.message
    assert "dokumentet" in str(problem)


def test_a_key_written_twice_is_refused_with_both_lines():
    """Is a field written twice in one mapping refused (YAML would silently keep the last)?"""
    text = SMALL.replace("        spent: 400\n", "        spent: 400\n        spent: 4000\n")
    [problem] = refusal(text).problems
    assert "'spent' står två gånger (först på rad 8)" in problem.message
    assert problem.line == 9


def test_a_key_that_is_a_list_is_refused_not_crashed_on():
    """Is a mapping key that is itself a list refused as invalid, not a crash?"""
    [problem] = refusal("format: stimulansmedel/1\n? [a, b]\n: c\nallocations: []\n").problems
    assert "inte giltig YAML/JSON" in problem.message


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("spend_until", "2021-13-01"),
        ("spend_until", "'2021-02-30'"),
        ("spend_until", "31/12/2021"),
        ("spend_until", "20211231"),
        ("spend_until", "'i slutet av 2022'"),
    ],
)
def test_a_bad_date_is_refused_at_its_place(field, value):
    """Is an impossible or badly written date refused at its field, with the line?"""
    text = SMALL.replace("    received: 1000\n", f"    received: 1000\n    {field}: {value}\n")
    [problem] = refusal(text).problems
    assert problem.place == f"allocations[0].{field}"
    assert problem.line == 6
    assert "inget datum" in problem.message


def test_a_bad_decision_date_is_refused_at_its_place():
    """Is an impossible decision date refused at allocations[…].decision.date?"""
    data = doc_2020()
    samverkan(data)["decision"]["date"] = "2020-05-32"
    text = as_yaml(data).replace("'2020-05-32'", "2020-05-32")
    problems = places(text)
    assert "inget datum" in problems["allocations[1].decision.date"]


@pytest.mark.parametrize(("year", "why"), [
    (1989, "utanför"), (2101, "utanför"), (20200, "utanför"), ("tjugotjugo", "inget årtal"),
    (2020.0, "inget årtal"), (True, "inget årtal"),
])
def test_a_year_out_of_range_is_refused(year, why):
    """Is a year outside 1990–2100, or no year at all, refused?"""
    data = doc_2020()
    data["allocations"][0]["year"] = year
    assert why in places(as_yaml(data))["allocations[0].year"]


@pytest.mark.parametrize("written", ["0x10", "0b101", "1:30", "0o17"])
def test_an_amount_in_another_notation_is_refused(written):
    """Is an amount written in hex, binary or base 60 refused, not read as another number?"""
    problems = places(SMALL.replace("received: 1000", f"received: {written}"))
    assert "inget giltigt belopp" in problems["allocations[0].received"]


def test_a_leading_zero_does_not_make_an_octal_amount():
    """Is "received: 01000" read as 1 000 kr (not octal 512)?"""
    assert load_document(SMALL.replace("received: 1000", "received: 01000")).allocations[
        0].received == 100_000


def test_python_tags_are_refused():
    """Is a YAML tag that would build a Python object refused?"""
    [problem] = refusal("format: stimulansmedel/1\nallocations: !!python/object:os.system []\n"
                        ).problems
    assert (problem.place, problem.line) == ("allocations", 2)
    assert "taggen !!python/object:os.system hör inte till formatet" in problem.message


def test_nested_aliases_are_refused_quickly():
    """Is a few lines of nested aliases (a 'billion laughs') refused at once, not hung on?"""
    lines = ["format: stimulansmedel/1", "a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 12)]
    lines.append("allocations: [*a11]")
    [problem] = refusal("\n".join(lines)).problems
    assert "fler än 1000000 värden när dess alias skrivs ut" in problem.message
    assert problem.line is not None


def test_texts_that_are_too_long_are_refused():
    """Is a goal area longer than the database can hold refused at the file, not on saving?"""
    data = doc_2020()
    samverkan(data)["lines"][0]["goal_area"] = "x" * 301
    assert "för lång" in places(as_yaml(data))["allocations[1].lines[0].goal_area"]
