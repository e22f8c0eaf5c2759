"""Handlers of the event operations: `get_details` (the event pages), `get_by_period`,
`get_top_endpoints`, `get_dashboard_analytics`."""

from __future__ import annotations

from typing import Any

from scopix_sandbox import clock, periods, reports
from scopix_sandbox.clock import DAY_US
from scopix_sandbox.context import JSON, Context, instant, page, ratio
from scopix_sandbox.store import EventFilter

__all__ = ["get_by_period", "get_dashboard_analytics", "get_details", "get_top_endpoints"]


def get_details(ctx: Context, p: dict[str, Any]) -> JSON:
    f = EventFilter(
        ctx.account.account_id,
        ctx.key_filter(p.get("api_key_id")),
        p.get("operation_type"),
        p.get("start_date"),
        p.get("end_date"),
    )
    limit: int = p["limit"]
    offset: int = p["offset"]
    total = ctx.store.count(f)
    rows = ctx.store.page(f, limit, offset) if offset < total else []
    fmt = clock.fmt_event_ts
    events = [
        {
            "id": f"evt_{row_id:08d}",
            "timestamp": fmt(ts),
            "endpoint": endpoint,
            "method": method,
            "operation_type": op,
            "status_code": status,
            "credits_used": credits,
            "input_tokens": in_tok,
            "output_tokens": out_tok,
            "total_tokens": in_tok + out_tok,
            "latency_ms": latency,
            "api_key_id": key_id,
        }
        for (row_id, ts, key_id, endpoint, method, op, status, credits, in_tok, out_tok,
             latency) in rows
    ]  # fmt: skip
    return page("events", events, total, limit, offset)


def get_by_period(ctx: Context, p: dict[str, Any]) -> JSON:
    """Points for every period of the range (zeros included), chronological.

    Without dates: the last 24 hours, 30 days or 12 months (the current one included).
    """
    period_type: str = p["period_type"]
    start, end = p.get("start_date"), p.get("end_date")
    q_start, q_end = start, end
    bucket = periods.bucket
    now_b = bucket(period_type, ctx.now_us)
    if start is None and end is None:
        first_b = now_b - periods.SERIES_DEFAULT_SPAN[period_type] + 1
        q_start = periods.bucket_start(period_type, first_b)
    key_id = ctx.key_filter(p.get("api_key_id"))
    f = EventFilter(ctx.account.account_id, key_id, None, q_start, q_end)
    rows = reports.series(ctx.store, f, period_type)
    by_b = {b: (n, c, t) for b, n, c, t in rows}
    buckets = set(by_b)
    empty_range = q_start is not None and q_end is not None and q_end <= q_start
    if not empty_range:
        lo = bucket(period_type, q_start) if q_start is not None else min(buckets, default=now_b)
        hi = bucket(period_type, q_end - 1) if q_end is not None else max(now_b, *buckets, lo)
        if 0 <= hi - lo < periods.MAX_FILLED_POINTS:
            buckets.update(range(lo, hi + 1))
    data = []
    for b in sorted(buckets):
        n, c, t = by_b.get(b, (0, 0, 0))
        data.append(
            {
                "label": periods.bucket_label(period_type, b),
                "period_start": clock.fmt_instant(periods.bucket_start(period_type, b)),
                "value": n,
                "credits_used": c,
                "tokens": t,
            }
        )
    return {
        "period_type": period_type,
        "start_date": instant(start),
        "end_date": instant(end),
        "data": data,
    }


def get_top_endpoints(ctx: Context, p: dict[str, Any]) -> JSON:
    start, end = p.get("start_date"), p.get("end_date")
    f = EventFilter(ctx.account.account_id, None, None, start, end)
    rows = reports.by_endpoint(ctx.store, f)
    return {
        "endpoints": [
            {
                "endpoint": r.endpoint,
                "request_count": r.requests,
                "credits_used": r.credits,
                "error_rate": ratio(r.failed, r.requests),
                "avg_latency_ms": round(r.latency_sum / r.requests, 1) if r.requests else 0.0,
            }
            for r in rows[: p["limit"]]
        ],
        "total_requests": sum(r.requests for r in rows),
        "start_date": instant(start),
        "end_date": instant(end),
    }


def get_dashboard_analytics(ctx: Context, p: dict[str, Any]) -> JSON:
    """The `period` is that many days ending today (UTC): 7, 30 or 365."""
    period: str = p["period"]
    days = periods.DASHBOARD_DAYS.get(period, 30)
    today = clock.day_index(ctx.now_us)
    first = today - days + 1
    f = EventFilter(ctx.account.account_id, None, None, first * DAY_US, (today + 1) * DAY_US)
    store = ctx.store
    daily = reports.daily(store, f)
    t = reports.totals(store, f)
    activity = []
    files = messages = 0
    for d in range(first, today + 1):
        row = daily.get(d)
        n_files = row.files_uploaded if row else 0
        n_msgs = row.chat_messages if row else 0
        files += n_files
        messages += n_msgs
        activity.append(
            {
                "date": clock.fmt_date(clock.date_of(d * DAY_US)),
                "files_uploaded": n_files,
                "chat_messages": n_msgs,
                "requests": row.requests if row else 0,
                "tokens": row.tokens if row else 0,
            }
        )
    performance: JSON | None = None
    if t.requests:
        p95 = reports.latency_percentile(store, f, 0.95)
        performance = {
            "avg_latency_ms": round(t.latency_sum / t.requests, 1),
            "p95_latency_ms": round(p95 or 0.0, 1),
            "error_rate": ratio(t.failed, t.requests),
            "success_rate": ratio(t.successful, t.requests),
        }
    return {
        "period": period,
        "total_files_uploaded": files,
        "total_chat_sessions": reports.chat_sessions(store, f),
        "total_chat_messages": messages,
        "total_requests": t.requests,
        "daily_activity": activity,
        "token_usage": {
            "total_tokens": t.tokens,
            "input_tokens": t.input_tokens,
            "output_tokens": t.output_tokens,
            "avg_tokens_per_request": round(t.tokens / t.requests, 1) if t.requests else 0.0,
        },
        "performance": performance,
    }
