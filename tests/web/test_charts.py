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


def _lab(hex_colour: str) -> tuple[float, float, float]:
    """CIE L*a*b* of an sRGB colour (D65)."""
    rgb = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    x = (0.4124 * lin[0] + 0.3576 * lin[1] + 0.1805 * lin[2]) / 0.95047
    y = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    z = (0.0193 * lin[0] + 0.1192 * lin[1] + 0.9505 * lin[2]) / 1.08883

    def f(t):
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def test_the_chart_series_are_far_apart_in_colour_and_two_are_striped():
    """Are the overview's five series told apart at a glance (no two near-identical blues)?"""
    import itertools
    import re
    from pathlib import Path

    css = (Path(__file__).parents[2] / "app" / "static" / "app.css").read_text()
    looks = {}
    for series in ("received", "budgeted", "granted", "paid", "used"):
        rule = re.search(rf"\.bar--{series}\b[^{{]*\{{([^}}]*)\}}", css).group(1)
        looks[series] = (re.search(r"#[0-9a-fA-F]{6}", rule).group(0), "url(#pattern" in rule)
    assert sum(striped for _, striped in looks.values()) == 2
    for (a, (colour_a, _)), (b, (colour_b, _)) in itertools.combinations(looks.items(), 2):
        distance = sum((p - q) ** 2 for p, q in zip(_lab(colour_a), _lab(colour_b))) ** 0.5
        assert distance > 25, (a, b, round(distance))
