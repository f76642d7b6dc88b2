"""Hostile exchange files: each is refused with its line and field path, in Swedish, and never
crashes the reader (no RecursionError, no ValueError, no bytes stored as text)."""

from __future__ import annotations

import json
import time

import pytest

from app.core.errors import ImportRefused
from app.ledger.exchange.reading import load_document
from app.ledger.exchange.yaml_text import MAX_DEPTH, decode_text

BASE = """\
format: stimulansmedel/1
allocations:
  - earmark: samverkan
    year: {year}
    received: {received}
    lines:
      - activity: {activity}
        budget: 100
        partners: [{partner}]
"""


def document(*, year="2021", received="1000", activity="Personal", partner="JLB") -> str:
    return BASE.format(year=year, received=received, activity=activity, partner=partner)


def only_problem(text: str):
    with pytest.raises(ImportRefused) as refused:
        load_document(text)
    problems = refused.value.problems
    assert len(problems) == 1, problems
    return problems[0]


def test_the_base_document_is_accepted():
    assert load_document(document()).allocations[0].lines[0].partners == ["JLB"]


@pytest.mark.parametrize("text", [
    "format: stimulansmedel/1\nallocations: " + "[" * 5000 + "]" * 5000 + "\n",
    '{"format": "stimulansmedel/1", "allocations": ' + "[" * 5000 + "]" * 5000 + "}",
    "format: stimulansmedel/1\nallocations:\n" + "".join(
        "  " * i + "- \n" for i in range(400)),
])
def test_nesting_deeper_than_the_format_is_refused_with_its_place(text):
    """Is YAML or JSON nested thousands deep refused at once, naming where, not a crash?"""
    problem = only_problem(text)
    assert "nästlade djupare än formatet tillåter" in problem.message
    assert problem.place.startswith("allocations[0][0]") and problem.line is not None


def test_the_deepest_nesting_of_the_format_is_accepted():
    """Does a grant's partner (the format's deepest value) still read, within the limit?"""
    text = document() + """\
      - activity: Utlysning
        kind: call
        budget: 500
        grants:
          - title: Projekt
            owner: Krokoms kommun
            goal_areas: [Unga]
            partners: [JLB]
            amount: 300
"""
    grant = load_document(text).allocations[0].lines[1].grants[0]
    assert grant.partners == ["JLB"] and MAX_DEPTH >= 9


@pytest.mark.parametrize("received", ["1" * 5000, "9" * 31, "99999999999999999999"])
def test_an_amount_beyond_any_amount_is_refused_at_its_field(received):
    problem = only_problem(document(received=received))
    assert (problem.place, problem.line) == ("allocations[0].received", 5)
    assert "orimligt stort" in problem.message


@pytest.mark.parametrize("year, why", [
    ("1" * 5000, "är inget årtal"),
    ("99999999999999999999", "ligger utanför"),
    ("'²⁰²¹'", "är inget årtal"),
    ("2021.0", "är inget årtal"),
    ("2.021e3", "är inget årtal"),
])
def test_a_year_that_is_no_year_is_refused_at_its_field(year, why):
    problem = only_problem(document(year=year))
    assert (problem.place, problem.line) == ("allocations[0].year", 4)
    assert why in problem.message and len(problem.message) < 200


@pytest.mark.parametrize("received", ["1e6", "1.0e+6", ".inf", ".nan", "'1E6'", "0x10"])
def test_float_and_exponent_forms_are_refused_as_amounts(received):
    problem = only_problem(document(received=received))
    assert problem.place == "allocations[0].received"


@pytest.mark.parametrize("activity, code, place", [
    ('"Per\\0sonal"', "0x00", 4),
    ('"Per\\x01sonal"', "0x01", 4),
    ('"Per\\vsonal"', "0x0B", 4),
    ('"Per\\x7fsonal"', "0x7F", 4),
    ('"Per\\ud800sonal"', "0xD800", 4),
    ('"Per\\rsonal"', "0x0D", 4),
])
def test_a_text_with_a_character_no_text_may_hold_is_refused(activity, code, place):
    problem = only_problem(document(activity=activity))
    assert (problem.place, problem.line) == ("allocations[0].lines[0].activity", 7)
    assert f"tecken {code} på plats {place}" in problem.message


def test_a_name_in_a_list_is_checked_too():
    problem = only_problem(document(partner='"J\\0LB"'))
    assert problem.place == "allocations[0].lines[0].partners[0]" and "0x00" in problem.message


def test_tabs_and_line_breaks_stay_allowed():
    doc = load_document(document(activity='"Per\\tso\\r\\nnal\\nTvå"'))
    assert doc.allocations[0].lines[0].activity == "Per\tso\r\nnal\nTvå"


def test_a_control_character_written_as_it_is_names_its_line():
    problem = only_problem(document(activity="Per\x01sonal"))
    assert problem.line == 7 and "tecken 0x01 på plats 22 i raden" in problem.message


def test_json_with_an_escaped_surrogate_pair_reads_the_character():
    """Is an emoji escaped as JSON writes it (two halves) read as the one character?"""
    data = {"format": "stimulansmedel/1", "allocations": [{
        "earmark": "samverkan", "year": 2021, "received": 1000,
        "lines": [{"activity": "Glad \U0001F600", "budget": 100}]}]}
    text = json.dumps(data)  # ensure_ascii: "\ud83d\ude00"
    assert "\\ud83d\\ude00" in text
    assert load_document(text).allocations[0].lines[0].activity == "Glad \U0001F600"


def test_json_with_a_lone_surrogate_is_refused_at_its_field():
    text = ('{"format": "stimulansmedel/1", "allocations": [{"earmark": "samverkan", '
            '"year": 2021, "received": 1000, "lines": [{"activity": "x\\udc00", '
            '"budget": 100}]}]}')
    problem = only_problem(text)
    assert problem.place == "allocations[0].lines[0].activity" and "0xDC00" in problem.message


@pytest.mark.parametrize("activity, tag", [
    ("!!binary aGVsbG8=", "!!binary"),
    ("!!set {a, b}", "!!set"),
    ("!!omap [a: 1]", "!!omap"),
    ("!!python/object/apply:os.system [ls]", "!!python/object/apply:os.system"),
    ("!!python/name:os.system ''", "!!python/name:os.system"),
    ("!egen text", "!egen"),
    ("!!float 1", "!!float"),
    ("!!int x", "!!int"),
    ("!!timestamp x", "!!timestamp"),
])
def test_tags_other_than_the_plain_ones_are_refused_with_their_place(activity, tag):
    """Is `!!binary` (read as bytes, stored as "b'hello'") and every other tag refused?"""
    problem = only_problem(document(activity=activity))
    assert (problem.place, problem.line) == ("allocations[0].lines[0].activity", 7)
    assert f"taggen {tag} hör inte till formatet" in problem.message


def test_the_plain_string_tag_is_kept():
    assert load_document(document(activity="!!str 2021")).allocations[0].lines[0].activity \
        == "2021"


def test_an_alias_that_contains_itself_is_refused():
    text = document().replace("partners: [JLB]", "partners: &p [*p]")
    problem = only_problem(text)
    assert "pekar på något som innehåller aliaset självt" in problem.message
    assert problem.place == "allocations[0].lines[0].partners[0]"


def test_an_alias_bomb_is_refused_at_once():
    lines = ["format: stimulansmedel/1", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    lines.append("allocations: [*a8]")
    started = time.monotonic()
    problem = only_problem("\n".join(lines))
    assert time.monotonic() - started < 2
    assert "när dess alias skrivs ut" in problem.message


def test_undecodable_bytes_are_refused_with_their_line():
    with pytest.raises(ImportRefused) as refused:
        decode_text("format: stimulansmedel/1\nregion: J\xe4mtland\n".encode("latin-1"))
    [problem] = refused.value.problems
    assert problem.line == 2 and "byte 0xE4 på plats 10 i raden" in problem.message


def test_a_byte_order_mark_is_not_text():
    assert decode_text("\ufeffformat: x".encode()) == "format: x"
