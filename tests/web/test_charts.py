"""The geometry of the overview's bar chart (app.services.charts): no database needed."""

from __future__ import annotations

import pytest

from app.web.charts import grouped_bar_chart, nice_step, wrap_label


@pytest.mark.parametrize("span, step", [
    (0, 1), (7, 2), (10, 5), (970318300, 250000000), (620318300, 200000000), (100, 25),
])
def test_steps_are_round(span, step):
    assert nice_step(span) == step


@pytest.mark.parametrize("text, lines", [
    ("Brukarmiljonen", ["Brukarmiljonen"]),
    ("Suicidpreventiva medel", ["Suicidpreventiva", "medel"]),
    ("Stärkt samverkan för personer med samsjuklighet", ["Stärkt samverkan", "för personer med samsjuklighet"]),
    ("Ettmycketlångtordutanmellanrum", ["Ettmycketlångtordutanmellanrum"]),
])
def test_labels_wrap_at_spaces(text, lines):
    assert wrap_label(text) == lines


def test_bars_stand_on_the_zero_line_and_deficits_hang_below_it():
    chart = grouped_bar_chart([("A", {"in": 100, "out": -50})], ["in", "out"],
                              width=200, height=160)
    up, down = chart.bars
    assert up.y + up.height == pytest.approx(chart.baseline, abs=0.1)
    assert down.y == pytest.approx(chart.baseline, abs=0.1)
    assert up.height == pytest.approx(2 * down.height, abs=0.2)
    assert chart.ticks[0].value < 0 < chart.ticks[-1].value


def test_every_group_gets_one_bar_per_series_inside_the_plot():
    groups = [(f"Fond {i}", {"a": i * 10, "b": i * 5, "c": 0}) for i in range(5)]
    chart = grouped_bar_chart(groups, ["a", "b", "c"])
    assert len(chart.bars) == 15 and len(chart.labels) == 5
    assert all(chart.plot_left <= b.x and b.x + b.width <= chart.plot_right for b in chart.bars)
    assert all(b.height >= 0 for b in chart.bars)


def test_all_zero_still_draws_an_axis():
    chart = grouped_bar_chart([("A", {"a": 0})], ["a"])
    assert len(chart.ticks) >= 2
    assert chart.bars[0].height == 0
