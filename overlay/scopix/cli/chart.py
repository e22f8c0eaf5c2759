"""A vertical bar chart as plain text lines, for the terminal: a y axis with its top, middle and
zero, bars drawn in eighths of a row, x labels thinned so they never overlap. Every line fits in
`width` columns; when there are more points than columns, neighbouring points are added up into
one bar (and the caption says how many points a bar holds)."""

from __future__ import annotations

import math
from collections.abc import Sequence

__all__ = ["BLOCKS", "bar_chart"]

BLOCKS = " ▁▂▃▄▅▆▇█"
MAX_BAR_WIDTH = 4


def _number(value: float) -> str:
    if value >= 10_000_000:
        return f"{value / 1_000_000:.0f}M"
    if value >= 100_000:
        return f"{value / 1_000:.0f}k"
    return f"{value:,.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"


def _group(
    labels: Sequence[str], values: Sequence[float], per_bar: int
) -> tuple[list[str], list[float]]:
    if per_bar == 1:
        return list(labels), list(values)
    starts = range(0, len(values), per_bar)
    return [labels[i] for i in starts], [sum(values[i : i + per_bar]) for i in starts]


def bar_chart(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    width: int = 80,
    height: int = 10,
    title: str = "",
    unit: str = "point",
) -> list[str]:
    """The chart's lines: title, `height` rows of bars on a y axis, the x axis, x labels and a
    caption. `labels` should be short (they are thinned, never cut)."""
    if len(labels) != len(values):
        raise ValueError("labels and values differ in length")
    lines = [title] if title else []
    if not values:
        return [*lines, "(no data)"]
    per_bar = math.ceil(len(values) / max(width // 2, 1))
    while True:  # the fewest points per bar that leave a gap between bars
        bar_labels, bars = _group(labels, values, per_bar)
        top = max(max(bars), 0)
        ticks = _ticks(top, height)
        axis_width = max(len(tick) for tick in ticks.values())  # every row's axis in one column
        plot_width = max(width - axis_width - 2, 1)  # "NNN ┤" then the bars
        if plot_width >= 2 * len(bars) or len(bars) == 1:
            break
        per_bar += 1
    slot = max(plot_width // len(bars), 1)
    gap = 1 if slot >= 2 else 0
    bar_width = min(slot - gap, MAX_BAR_WIDTH)
    slot = bar_width + gap
    eighths = [0 if top <= 0 else round(max(v, 0) / top * height * 8) for v in bars]
    eighths = [max(h, 1) if v > 0 else h for h, v in zip(eighths, bars, strict=True)]
    for row in range(height - 1, -1, -1):
        cells = "".join(
            (BLOCKS[min(max(h - row * 8, 0), 8)] * bar_width).ljust(slot) for h in eighths
        )
        tick = ticks.get(row)
        prefix = f"{tick:>{axis_width}} ┤" if tick is not None else " " * axis_width + " │"
        lines.append((prefix + cells).rstrip())
    lines.append(f"{ticks[-1]:>{axis_width}} └" + "─" * min(slot * len(bars), plot_width))
    lines.append(" " * (axis_width + 2) + _x_labels(bar_labels, slot, plot_width))
    if per_bar > 1:
        caption = f"each bar: {per_bar} {unit}s"
        last = len(values) - (len(bars) - 1) * per_bar
        if last != per_bar:
            caption += f" (the last: {last})"
        lines.append(" " * (axis_width + 2) + caption)
    return [line[:width] for line in lines]


def _ticks(top: float, height: int) -> dict[int, str]:
    """The y axis's labels by row: the top, the middle (from 4 rows), and 0 below the bars."""
    ticks = {-1: "0", height - 1: _number(top)}
    if height >= 4:
        ticks[height // 2 - 1] = _number(top / 2)
    return ticks


def _x_labels(labels: Sequence[str], slot: int, plot_width: int) -> str:
    """Labels under the bars they name: every k-th one, k such that none overlaps the next."""
    longest = max(len(label) for label in labels)
    every = math.ceil((longest + 1) / slot)
    out = ""
    for i in range(0, len(labels), every):
        column = i * slot
        if column + len(labels[i]) > plot_width:
            break
        out = out.ljust(column) + labels[i]
    return out
