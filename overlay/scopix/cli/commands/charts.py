"""Charts in the terminal: `dashboard` (totals and daily activity) and `chart` (a series)."""

from __future__ import annotations

import datetime as dt

import click

from ... import types as t
from .. import render
from ..api_command import Env, api_command
from ..chart import bar_chart
from ..formats import num
from ..params import api_key_id_option, end_option, json_option, spec_option, start_option

__all__ = ["chart", "dashboard"]

# --metric of `chart`: the attribute of a by-period point it draws
CHART_METRICS = {"requests": "value", "credits": "credits_used", "tokens": "tokens"}


@api_command("dashboard")
@spec_option("--period", "get_dashboard_analytics", "period")
@click.option(
    "--metric",
    type=click.Choice(list(render.DASHBOARD_METRICS)),
    default="requests",
    help="What the daily chart shows.",
)
@json_option()
def dashboard(env: Env, period: t.DashboardPeriodValue, metric: str, as_json: bool) -> None:
    """Totals, tokens, latency and a chart of daily activity over a rolling week, month or year
    up to today (not the calendar month: the output says which days)."""
    result = env.client.usage.get_dashboard_analytics(period=period)
    env.emit(result, as_json, lambda a: render.dashboard(a, metric=metric, width=env.chart_width))


@api_command("chart")
@spec_option("--period-type", "get_by_period", "period_type")
@click.option("--metric", type=click.Choice(list(CHART_METRICS)), default="requests")
@start_option()
@end_option()
@api_key_id_option()
@click.option("--height", type=click.IntRange(3, 40), default=10, show_default=True)
def chart(
    env: Env,
    period_type: t.PeriodTypeValue,
    metric: str,
    start_date: dt.datetime | None,
    end_date: dt.datetime | None,
    api_key_id: str | None,
    height: int,
) -> None:
    """A bar chart of requests, credits or tokens per hour, day or month."""
    result = env.client.usage.get_by_period(
        period_type=period_type, start_date=start_date, end_date=end_date, api_key_id=api_key_id
    )
    points = result.data
    values = [getattr(p, CHART_METRICS[metric]) or 0 for p in points]
    labels = [_period_label(p.label, period_type) for p in points]
    title = f"{metric.capitalize()} per {period_type}"
    if points:
        title += f", {points[0].label} to {points[-1].label} (total {num(sum(values))})"
    lines = bar_chart(
        labels, values, width=env.chart_width, height=height, title=title, unit=period_type
    )
    env.show(render.chart(lines))


def _period_label(label: str, period_type: str) -> str:
    """Short x labels: 2026-11-20 -> 11-20, 2026-11-20T13:00 -> 13h, months stay."""
    if period_type == "day" and len(label) == 10:
        return label[5:]
    if period_type == "hour" and "T" in label:
        return label.split("T")[1][:2] + "h"
    return label
