"""Requests over time: `top` endpoints, `by-period` series, `details` (one page of events)."""

from __future__ import annotations

import datetime as dt

from ... import types as t
from .. import render
from ..api_command import Env, api_command
from ..params import api_key_id_option, end_option, json_option, spec_option, start_option

__all__ = ["by_period", "details", "top"]


@api_command("top")
@spec_option("--limit", "get_top_endpoints", "limit")
@start_option()
@end_option()
@json_option()
def top(
    env: Env,
    limit: int,
    start_date: dt.datetime | None,
    end_date: dt.datetime | None,
    as_json: bool,
) -> None:
    """The most used endpoints, by request count."""
    result = env.client.usage.get_top_endpoints(
        limit=limit, start_date=start_date, end_date=end_date
    )
    env.emit(result, as_json, render.top)


@api_command("by-period")
@spec_option("--period-type", "get_by_period", "period_type")
@start_option()
@end_option()
@api_key_id_option()
@json_option()
def by_period(
    env: Env,
    period_type: t.PeriodTypeValue,
    start_date: dt.datetime | None,
    end_date: dt.datetime | None,
    api_key_id: str | None,
    as_json: bool,
) -> None:
    """Requests, credits and tokens per hour, day or month."""
    result = env.client.usage.get_by_period(
        period_type=period_type, start_date=start_date, end_date=end_date, api_key_id=api_key_id
    )
    env.emit(result, as_json, render.by_period)


@api_command("details")
@spec_option("--limit", "get_details", "limit", default=20)
@spec_option("--offset", "get_details", "offset")
@start_option()
@end_option()
@api_key_id_option()
@spec_option("--operation-type", "get_details", "operation_type")
@json_option()
def details(
    env: Env,
    limit: int,
    offset: int,
    start_date: dt.datetime | None,
    end_date: dt.datetime | None,
    api_key_id: str | None,
    operation_type: t.OperationTypeValue | None,
    as_json: bool,
) -> None:
    """One page of usage events, newest first (`export` writes them all)."""
    result = env.client.usage.get_details(
        limit=limit,
        offset=offset,
        start_date=start_date,
        end_date=end_date,
        api_key_id=api_key_id,
        operation_type=operation_type,
    )
    env.emit(result, as_json, render.details)
