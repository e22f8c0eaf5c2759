"""One handler per operationId: validated parameters in, the response body (a dict) out.

Everything is answered from the store's rows for the caller's account, so the endpoints agree:
a summary's `total_requests` is the sum of `get_by_period` over the same range, the breakdown's
credits add up to its total, top endpoints count the events that `get_details` pages through.
`get_plan` is in plan.py; the time ranges the operations answer for are in periods.py.
"""

from __future__ import annotations

from typing import Any

from scopix_sandbox import clock, periods
from scopix_sandbox.catalog import CREDITS_PER_ITEM
from scopix_sandbox.clock import DAY_US
from scopix_sandbox.context import JSON, Context, Handler, instant, page, pct, ratio
from scopix_sandbox.plan import get_plan
from scopix_sandbox.store import EventFilter


def check(ctx: Context, p: dict[str, Any]) -> JSON:
    level: str = p["analysis_level"]
    count: int = p["item_count"]
    per_item = CREDITS_PER_ITEM[level]
    required = count * per_item
    plan = ctx.plan
    items = f"{count} {level} {'analysis' if count == 1 else 'analyses'}"
    if plan is None:
        available = 0
        message = f"No active plan: subscribe to a plan to run {items}."
    else:
        start, end = ctx.billing_period()
        used = ctx.store.credits_used(ctx.account.account_id, start, end)
        available = max(0, plan.monthly_credits - used)
        if available >= required:
            message = f"Sufficient credits for {items}."
        else:
            reset = clock.fmt_instant(end)
            message = (
                f"Insufficient credits for {items}: {required} required, {available} available "
                f"until the reset at {reset}."
            )
    return {
        "can_proceed": plan is not None and available >= required,
        "available_credits": available,
        "required_credits": required,
        "message": message,
        "analysis_level": level,
        "item_count": count,
        "credits_per_item": per_item,
        "content_category": p.get("content_category"),
    }


def get_breakdown(ctx: Context, p: dict[str, Any]) -> JSON:
    start, end = ctx.billing_period()
    rows = ctx.store.by_operation(EventFilter(ctx.account.account_id, start_us=start, end_us=end))
    total = sum(c for _, c, _ in rows)
    plan = ctx.plan
    limit = plan.monthly_credits if plan else 0
    return {
        "billing_period": {"start": clock.fmt_instant(start), "end": clock.fmt_instant(end)},
        "reset_date": clock.fmt_instant(end),
        "total_credits_used": total,
        "credit_limit": limit,
        "credits_remaining": max(0, limit - total),
        "usage_percentage": pct(total, limit),
        "by_operation": [
            {
                "operation_type": op,
                "credits_used": credits,
                "request_count": n,
                "percentage": pct(credits, total),
            }
            for op, credits, n in rows
        ],
    }


def get_summary(ctx: Context, p: dict[str, Any]) -> JSON:
    period: str = p["period"]
    start, end = periods.summary_range(period, p.get("start_date"), p.get("end_date"), ctx.now_us)
    key_id = ctx.key_filter(p.get("api_key_id"))
    t = ctx.store.totals(EventFilter(ctx.account.account_id, key_id, None, start, end))
    plan = ctx.plan
    limits: JSON | None = None
    if plan is not None:
        bstart, bend = ctx.billing_period()
        used = ctx.store.credits_used(ctx.account.account_id, bstart, bend)
        limits = {
            "credit_limit": plan.monthly_credits,
            "used": used,
            "remaining": max(0, plan.monthly_credits - used),
            "requests_per_minute": ctx.usage_per_minute,
            "check_requests_per_minute": ctx.check_per_minute,
        }
    return {
        "period": period,
        "start_date": clock.fmt_instant(start),
        "end_date": clock.fmt_instant(end),
        "total_credits": t.credits,
        "total_requests": t.requests,
        "successful_requests": t.successful,
        "failed_requests": t.failed,
        "total_tokens": t.tokens,
        "api_key_id": key_id,
        "limits": limits,
        "plan": None
        if plan is None
        else {
            "plan_id": plan.plan_id,
            "plan_name": plan.name,
            "monthly_credits": plan.monthly_credits,
        },
    }


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
        for (
            row_id,
            ts,
            key_id,
            endpoint,
            method,
            op,
            status,
            credits,
            in_tok,
            out_tok,
            latency,
        ) in rows
    ]
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
    rows = ctx.store.series(f, period_type)
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
    rows = ctx.store.by_endpoint(f)
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
    daily = store.daily(f)
    t = store.totals(f)
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
        p95 = store.latency_percentile(f, 0.95)
        performance = {
            "avg_latency_ms": round(t.latency_sum / t.requests, 1),
            "p95_latency_ms": round(p95 or 0.0, 1),
            "error_rate": ratio(t.failed, t.requests),
            "success_rate": ratio(t.successful, t.requests),
        }
    return {
        "period": period,
        "total_files_uploaded": files,
        "total_chat_sessions": store.chat_sessions(f),
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


def get_monthly_tokens(ctx: Context, p: dict[str, Any]) -> JSON:
    """Dates are inclusive. Without them the current billing period; with only `start_date`
    through today (or that one day, if it is later); with only `end_date` from the first of its
    month."""
    start, end = periods.token_dates(p.get("start_date"), p.get("end_date"), ctx.now_us)
    # end + DAY_US, not end + timedelta: 9999-12-31 has no next date but its instants are fine
    lo, hi = clock.date_start_us(start), clock.date_start_us(end) + clock.DAY_US
    f = EventFilter(ctx.account.account_id, None, None, lo, hi)
    t = ctx.store.totals(f)
    # One grouped query, then every month of the range (a range of millennia stays cheap)
    months = ctx.store.grouped(f, ("month",), ("in_tok", "out_tok"))
    by_month = []
    for m in range(clock.month_index(lo), clock.month_index(hi - 1) + 1):
        _, in_tok, out_tok = months.get((m,), (0, 0, 0))
        by_month.append(
            {
                "month": clock.month_label(m),
                "total_tokens": int(in_tok + out_tok),
                "input_tokens": int(in_tok),
                "output_tokens": int(out_tok),
            }
        )
    return {
        "start_date": clock.fmt_date(start),
        "end_date": clock.fmt_date(end),
        "total_tokens": t.tokens,
        "total_input_tokens": t.input_tokens,
        "total_output_tokens": t.output_tokens,
        "request_count": t.token_requests,
        "by_month": by_month,
    }


def get_file_tokens(ctx: Context, p: dict[str, Any]) -> JSON:
    limit: int = p["limit"]
    offset: int = p["offset"]
    account = ctx.account.account_id
    total = ctx.store.files_count(account)
    rows = ctx.store.files_page(account, limit, offset) if offset < total else []
    files = [
        {
            "file_id": f"file_{fid:05d}",
            "filename": name,
            "content_type": ctype,
            "size_bytes": size,
            "input_tokens": in_tok,
            "output_tokens": out_tok,
            "total_tokens": in_tok + out_tok,
            "processed_at": clock.fmt_event_ts(processed),
        }
        for fid, name, ctype, size, in_tok, out_tok, processed in rows
    ]
    return page("files", files, total, limit, offset)


def get_conversation_tokens(ctx: Context, p: dict[str, Any]) -> JSON:
    limit: int = p["limit"]
    offset: int = p["offset"]
    account = ctx.account.account_id
    total = ctx.store.conversations_count(account)
    rows = ctx.store.conversations_page(account, limit, offset) if offset < total else []
    convs = [
        {
            "conversation_id": f"conv_{cid:05d}",
            "title": title,
            "message_count": count,
            "input_tokens": in_tok,
            "output_tokens": out_tok,
            "total_tokens": in_tok + out_tok,
            "created_at": clock.fmt_event_ts(created),
            "last_message_at": clock.fmt_event_ts(last),
        }
        for cid, title, count, in_tok, out_tok, created, last in rows
    ]
    return page("conversations", convs, total, limit, offset)


HANDLERS: dict[str, Handler] = {
    "check": check,
    "get_breakdown": get_breakdown,
    "get_summary": get_summary,
    "get_details": get_details,
    "get_by_period": get_by_period,
    "get_top_endpoints": get_top_endpoints,
    "get_dashboard_analytics": get_dashboard_analytics,
    "get_plan": get_plan,
    "get_monthly_tokens": get_monthly_tokens,
    "get_file_tokens": get_file_tokens,
    "get_conversation_tokens": get_conversation_tokens,
}
