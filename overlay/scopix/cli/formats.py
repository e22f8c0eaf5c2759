"""Numbers, percentages, dates and spans as the tables show them; the table and fact-list shapes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from rich import box
from rich.table import Table
from rich.text import Text

__all__ = [
    "DASH",
    "facts",
    "gauge",
    "kilobytes",
    "num",
    "pct",
    "plural",
    "span",
    "table",
    "when",
]

DASH = "\u2013"  # en dash


def num(value: object, digits: int = 0) -> str:
    """A number with thousands separators; a dash when absent (None, or Unset in the types)."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return DASH
    return f"{value:,.{digits}f}"


def pct(value: object, *, share: bool = False) -> str:
    """A percentage (0-100), or with `share` a 0-1 share shown as a percentage."""
    if not isinstance(value, int | float):
        return DASH
    return f"{value * 100 if share else value:.1f}%"


def when(value: object, *, seconds: bool = False) -> str:
    if isinstance(value, dt.datetime):
        value = value.astimezone(dt.UTC)
        return value.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return DASH


def plural(count: object, noun: str) -> str:
    return f"{num(count)} {noun}{'' if count == 1 else 's'}"


def kilobytes(value: object) -> str:
    return num(value / 1024) if isinstance(value, int | float) else DASH


def span(start: object, end: object) -> str:
    return f"{when(start)} {DASH} {when(end)}"


def gauge(percentage: float, width: int = 30) -> Text:
    filled = round(min(max(percentage, 0.0), 100.0) / 100 * width)
    style = "red" if percentage >= 90 else "yellow" if percentage >= 75 else "green"
    text = Text("█" * filled, style=style)
    text.append("░" * (width - filled), style="dim")
    text.append(f" {percentage:.1f}%")
    return text


def table(*columns: str, title: str | None = None) -> Table:
    """A table; columns named with a leading '>' are right-aligned (numbers)."""
    out = Table(
        box=box.SIMPLE_HEAD, title=title, title_justify="left", pad_edge=False, show_edge=False
    )
    for name in columns:
        right = name.startswith(">")
        out.add_column(name.lstrip(">"), justify="right" if right else "left", no_wrap=right)
    return out


def facts(rows: Sequence[tuple[str, str | Text]]) -> Table:
    """Label: value lines."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    for label, value in rows:
        grid.add_row(label, value)
    return grid
