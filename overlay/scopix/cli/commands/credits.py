"""Credits and plan: `check` (the CI gate), `breakdown`, `summary`, `plan`."""

from __future__ import annotations

import datetime as dt

import click

from ... import types as t
from .. import render
from ..api_command import Env, api_command
from ..errors import ExitCode
from ..params import api_key_id_option, end_option, json_option, spec_option, start_option

__all__ = ["breakdown", "check", "plan", "summary"]


@api_command("check")
@spec_option("--analysis-level", "check", "analysis_level")
@spec_option("--items", "check", "item_count", dest="item_count")
@click.option("--content-category", help="The kind of content (e.g. documents).")
@json_option()
def check(
    env: Env,
    analysis_level: t.AnalysisLevelValue,
    item_count: int,
    content_category: str | None,
    as_json: bool,
) -> int:
    """Would an operation fit in the remaining credits? Exit 0 if it can proceed, 1 if not."""
    result = env.client.usage.check(
        analysis_level=analysis_level, item_count=item_count, content_category=content_category
    )
    env.emit(result, as_json, render.check)
    return ExitCode.OK if result.can_proceed else ExitCode.CANNOT_PROCEED


@api_command("breakdown")
@json_option()
def breakdown(env: Env, as_json: bool) -> None:
    """Credits used this billing period, by operation type."""
    env.emit(env.client.usage.get_breakdown(), as_json, render.breakdown)


@api_command("summary")
@spec_option("--period", "get_summary", "period")
@start_option()
@end_option()
@api_key_id_option()
@json_option()
def summary(
    env: Env,
    period: t.SummaryPeriodValue,
    start_date: dt.datetime | None,
    end_date: dt.datetime | None,
    api_key_id: str | None,
    as_json: bool,
) -> None:
    """Credits, requests, tokens, limits and plan for a period (default: this month)."""
    result = env.client.usage.get_summary(
        period=period, start_date=start_date, end_date=end_date, api_key_id=api_key_id
    )
    env.emit(result, as_json, render.summary)


@api_command("plan")
@spec_option("--period", "get_plan", "period")
@click.option("--no-projections", is_flag=True, help="Leave out the projections.")
@json_option()
def plan(env: Env, period: t.PlanPeriodValue, no_projections: bool, as_json: bool) -> None:
    """Plan utilization: limits, projections and recommendations."""
    result = env.client.usage.get_plan(period=period, include_projections=not no_projections)
    env.emit(result, as_json, render.plan)
