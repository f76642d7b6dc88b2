"""Geometry of the bar charts drawn as inline SVG on the server (no script, no library)."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    series: str
    group: int
    value: int


@dataclass(frozen=True)
class Tick:
    y: float
    value: int


@dataclass(frozen=True)
class GroupLabel:
    x: float
    lines: list[str]


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    plot_left: float
    plot_right: float
    baseline: float  # y of the zero line
    bars: list[Bar]
    ticks: list[Tick]
    labels: list[GroupLabel]


def nice_step(span: int, target_ticks: int = 4) -> int:
    """Return a round step (1, 2, 2.5 or 5 times a power of ten) that splits `span` in about
    `target_ticks` parts."""
    if span <= 0:
        return 1
    raw = span / target_ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        step = factor * power
        if step >= raw and step == int(step):  # whole öre only: no 2.5 at the smallest scale
            return max(1, int(step))
    return int(10 * power)  # pragma: no cover - the loop always returns


def wrap_label(text: str, width: int = 16) -> list[str]:
    """Split a label into at most two lines of about `width` characters, at spaces."""
    if len(text) <= width or " " not in text:
        return [text]
    words = text.split(" ")
    first: list[str] = []
    while words and len(" ".join(first + [words[0]])) <= width:
        first.append(words.pop(0))
    if not first:
        first.append(words.pop(0))
    return [" ".join(first), " ".join(words)] if words else [" ".join(first)]


def wrap_lines(text: str, width: int = 28, most: int = 3) -> list[str]:
    """Split a label into at most `most` lines of about `width` characters, at spaces; the
    last line takes what is left."""
    lines: list[str] = []
    words = text.split(" ")
    while words and len(lines) < most - 1:
        line = [words.pop(0)]
        while words and len(" ".join(line + [words[0]])) <= width:
            line.append(words.pop(0))
        lines.append(" ".join(line))
    if words:
        lines.append(" ".join(words))
    return lines


def grouped_bar_chart(
    groups: list[tuple[str, dict[str, int]]],
    series: list[str],
    *,
    width: int = 640,
    height: int = 280,
) -> BarChart:
    """Lay out one bar per series in each group; values may be negative (below the zero line)."""
    left, right, top, bottom = 96.0, 12.0, 12.0, 48.0
    values = [v.get(s, 0) for _label, v in groups for s in series]
    high, low = max(values + [0]), min(values + [0])
    step = nice_step(high - low)
    top_value = math.ceil(high / step) * step if high > 0 else 0
    bottom_value = math.floor(low / step) * step if low < 0 else 0
    if top_value == bottom_value:
        top_value = step
    plot_height = height - top - bottom

    def y_of(value: int) -> float:
        return top + (top_value - value) / (top_value - bottom_value) * plot_height

    baseline = y_of(0)
    plot_width = width - left - right
    group_width = plot_width / max(1, len(groups))
    bar_width = min(36.0, group_width * 0.8 / max(1, len(series)))
    bars, labels = [], []
    for g, (label, figures) in enumerate(groups):
        center = left + group_width * (g + 0.5)
        start = center - bar_width * len(series) / 2
        for s, name in enumerate(series):
            value = figures.get(name, 0)
            y = y_of(value)
            bars.append(Bar(
                x=round(start + s * bar_width, 1),
                y=round(min(y, baseline), 1),
                width=round(bar_width - 2, 1),
                height=round(abs(baseline - y), 1),
                series=name,
                group=g,
                value=value,
            ))
        labels.append(GroupLabel(round(center, 1), wrap_label(label)))
    ticks = [
        Tick(round(y_of(v), 1), v) for v in range(bottom_value, top_value + step, step)
    ]
    return BarChart(width, height, left, width - right, round(baseline, 1), bars, ticks, labels)


@dataclass(frozen=True)
class RowLabel:
    y: float  # the middle of the row
    lines: list[str]


@dataclass(frozen=True)
class HorizontalBarChart:
    """Bars that grow to the right from a zero line, one row of bars per group: for groups
    with long names (goal areas) written to the left of their bars."""

    width: int
    height: int
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    zero: float  # x of the zero line
    bars: list[Bar]
    ticks: list[Tick]  # here `y` is the tick's x
    labels: list[RowLabel]


def horizontal_bar_chart(
    groups: list[tuple[str, dict[str, int]]],
    series: list[str],
    *,
    width: int = 640,
    bar_height: float = 12.0,
    label_width: float = 230.0,
) -> HorizontalBarChart:
    """Lay out one horizontal bar per series in each group; the height follows the groups."""
    left, right, top, bottom = label_width, 40.0, 8.0, 28.0
    values = [v.get(s, 0) for _label, v in groups for s in series]
    high, low = max(values + [0]), min(values + [0])
    step = nice_step(high - low)
    top_value = math.ceil(high / step) * step if high > 0 else 0
    bottom_value = math.floor(low / step) * step if low < 0 else 0
    if top_value == bottom_value:
        top_value = step
    plot_width = width - left - right
    group_height = max(bar_height * len(series) + 12.0, 46.0)
    height = int(top + bottom + group_height * max(1, len(groups)))

    def x_of(value: int) -> float:
        return left + (value - bottom_value) / (top_value - bottom_value) * plot_width

    zero = x_of(0)
    bars, labels = [], []
    for g, (label, figures) in enumerate(groups):
        start = top + group_height * g + 6.0
        for s, name in enumerate(series):
            value = figures.get(name, 0)
            x = x_of(value)
            bars.append(Bar(
                x=round(min(x, zero), 1),
                y=round(start + s * bar_height, 1),
                width=round(abs(x - zero), 1),
                height=round(bar_height - 2, 1),
                series=name,
                group=g,
                value=value,
            ))
        labels.append(RowLabel(round(start + bar_height * len(series) / 2, 1),
                               wrap_lines(label, 28)))
    ticks = [Tick(round(x_of(v), 1), v) for v in range(bottom_value, top_value + step, step)]
    return HorizontalBarChart(width, height, left, width - right, top, height - bottom,
                              round(zero, 1), bars, ticks, labels)
