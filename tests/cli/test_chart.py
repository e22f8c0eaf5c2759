"""The terminal bar chart: within 80 columns whatever the number of points, axis labels that say
the scale, x labels that never overlap; and `scopix usage chart` / the dashboard at 80 columns."""

from __future__ import annotations

import datetime as dt

import pytest
from rich.cells import cell_len

from scopix import SyncScopix
from scopix.cli.chart import BLOCKS, bar_chart
from scopix.types import DashboardPeriodValue
from tests.cli.conftest import WIDTH, Runner


def bars(lines: list[str]) -> list[str]:
    """The rows holding bars (between the title and the x axis)."""
    return [line for line in lines if "┤" in line or "│" in line]


@pytest.mark.parametrize("points", [1, 2, 7, 12, 24, 30, 31, 36, 37, 90, 365, 1000])
@pytest.mark.parametrize("width", [40, 80, 100])
def test_fits_and_labels(points: int, width: int) -> None:
    labels = [f"{i % 100:02d}" for i in range(points)]
    values = [float((i * 37) % 101) for i in range(points)]
    lines = bar_chart(labels, values, width=width, height=8, title="T", unit="day")
    assert all(cell_len(line) <= width for line in lines)
    assert len(bars(lines)) == 8
    grouped = "each bar" in lines[-1]
    axis = lines[-3] if grouped else lines[-2]
    assert axis.lstrip().startswith("0 └")
    if not grouped:  # the top of the scale is the largest value
        assert lines[1].lstrip().startswith(f"{max(values):,.0f} ┤")


@pytest.mark.parametrize("top", [0.3, 1, 3, 9, 10, 11, 99, 101, 1999, 12_345, 150_000, 12_345_678])
@pytest.mark.parametrize("height", [3, 4, 10])
def test_the_y_axis_is_one_column(top: float, height: int) -> None:
    """Whatever the widths of its labels (11 over 5.5, 1 over 0.5, 150k over 75k), every row's
    axis mark is in the same column, and the labels end just before it."""
    values = [top / 4, top, top / 2, 0.0]
    lines = bar_chart(["a", "b", "c", "d"], values, width=60, height=height, title="T")
    rows = [line for line in lines[1:] if any(mark in line for mark in "┤│└")]
    assert len(rows) == height + 1  # the bars and the x axis
    columns = {min(row.find(mark) for mark in "┤│└" if mark in row) for row in rows}
    assert len(columns) == 1, "\n".join(rows)
    (column,) = columns
    labelled = [row for row in rows if row[column] in "┤└"]
    assert len(labelled) == (3 if height >= 4 else 2)  # top, (middle,) 0
    for row in labelled:
        assert row[column - 1] == " "
        assert row[column - 2] != " "


def test_grouping_keeps_totals_and_says_so() -> None:
    values = [1.0] * 365
    lines = bar_chart([f"d{i}" for i in range(365)], values, width=80, height=5, unit="day")
    assert "each bar: " in lines[-1]
    per_bar = int(lines[-1].split("each bar: ")[1].split()[0])
    assert lines[0].lstrip().startswith(f"{per_bar} ┤")  # a full bar holds per_bar points
    assert per_bar > 1


def test_heights_are_proportional() -> None:
    lines = bar_chart(["a", "b", "c"], [0.0, 5.0, 10.0], width=40, height=4)
    plot = [row[row.index("┤") + 1 if "┤" in row else row.index("│") + 1 :] for row in bars(lines)]
    bar_a, bar_b, bar_c = (
        sum(BLOCKS.index(row[i]) for row in plot if i < len(row) and row[i] in BLOCKS)
        for i in (0, 5, 10)  # bars 4 columns wide, 1 apart
    )
    assert (bar_a, bar_b, bar_c) == (0, 16, 32)  # 0, half and full of 4 rows x 8 eighths


def test_x_labels_do_not_overlap() -> None:
    labels = [f"2025-06-{d:02d}" for d in range(1, 31)]
    lines = bar_chart(labels, [1.0] * 30, width=80)
    shown = lines[-1].split()
    assert len(shown) > 2
    assert all(label in labels for label in shown)


def test_empty_and_zero() -> None:
    assert bar_chart([], [], title="T") == ["T", "(no data)"]
    zeros = bar_chart(["a", "b"], [0.0, 0.0], width=30, height=3)
    assert all(set(line) <= set(" ┤│└─0ab") for line in zeros)


def test_chart_command_at_80_columns(run: Runner, sdk: SyncScopix) -> None:
    done = run("usage", "chart", "--period-type", "day")
    assert done.code == 0, done.err
    lines = done.out.splitlines()
    assert all(cell_len(line) <= WIDTH for line in lines)
    series = sdk.usage.get_by_period(period_type="day").data
    total = sum(p.value for p in series)
    assert lines[0] == (
        f"Requests per day, {series[0].label} to {series[-1].label} (total {total:,})"
    )
    peak = max(p.value for p in series)
    assert lines[1].startswith(f"{peak:,} ┤")
    assert any(line.lstrip().startswith("0 └") for line in lines)
    assert series[0].label[5:] in lines[-1]  # x labels: MM-DD from the first day


@pytest.mark.parametrize(
    "args",
    [
        ["--period-type", "hour", "--metric", "credits"],
        ["--period-type", "month", "--metric", "tokens", "--height", "5"],
        ["--start-date", "2025-01-01", "--end-date", "2025-06-30"],
    ],
)
def test_chart_options(run: Runner, args: list[str]) -> None:
    done = run("usage", "chart", *args)
    assert done.code == 0, done.err
    assert all(cell_len(line) <= WIDTH for line in done.out.splitlines())


@pytest.mark.parametrize("period", ["week", "month", "year"])
def test_dashboard_says_which_days_its_period_covers(
    run: Runner, sdk: SyncScopix, period: DashboardPeriodValue
) -> None:
    """A dashboard month is a rolling one (the days up to today), not the calendar month."""
    days = sdk.usage.get_dashboard_analytics(period=period).daily_activity
    first, last = days[0].date, days[-1].date
    count = (last - first).days + 1
    assert count == len(days)  # one entry a day
    lines = run("usage", "dashboard", "--period", period).out.splitlines()
    assert lines[0].split() == [
        "Period", f"{period}:", "the", "last", str(count), "days",
        f"({first.isoformat()}", "\u2013", f"{last.isoformat()})",
    ]  # fmt: skip


def test_dashboard_chart(run: Runner, sdk: SyncScopix) -> None:
    done = run("usage", "dashboard", "--period", "week")
    days = sdk.usage.get_dashboard_analytics(period="week").daily_activity
    lines = done.out.splitlines()
    assert "Daily requests" in lines
    assert all(cell_len(line) <= WIDTH for line in lines)
    last = days[-1].date
    assert isinstance(last, dt.date)
    assert days[0].date.strftime("%m-%d") in lines[-1]
