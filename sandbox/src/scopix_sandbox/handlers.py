"""One handler per operationId: validated parameters in, the response body (a dict) out.

Everything is answered from the store's rows for the caller's account, so the endpoints agree:
a summary's `total_requests` is the sum of `get_by_period` over the same range, the breakdown's
credits add up to its total, top endpoints count the events that `get_details` pages through.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from scopix_sandbox import clock
from scopix_sandbox.catalog import CREDITS_PER_ITEM, PLANS, Account, ApiKey, Plan
from scopix_sandbox.clock import DAY_US, HOUR_US
from scopix_sandbox.store import EventFilter, Store
from scopix_sandbox.validate import RequestError

JSON = dict[str, Any]


@dataclass(frozen=True)
class Context:
    store: Store
    now_us: int
    key: ApiKey
    account: Account
    usage_per_minute: int
    check_per_minute: int
    usage_limit: tuple[int, float]
    """(limit, window seconds) of the usage bucket, for messages."""

    @property
    def plan(self) -> Plan | None:
        return PLANS.get(self.account.plan_id) if self.account.plan_id else None

    def billing_period(self) -> tuple[int, int]:
        start = clock.month_start(self.now_us)
        return start, clock.add_months(start, 1)

    def key_filter(self, key_id: str | None) -> str | None:
        if key_id is None:
            return None
        key = self.store.keys.get(key_id)
        if key is None or key.account_id != self.account.account_id:
            raise RequestError(
                403,
                "forbidden",
                f"API key id '{key_id}' is not a key of this account.",
                {"parameter": "api_key_id", "allowed": "an id of one of this account's keys"},
            )
        return key_id


Handler = Callable[[Context, dict[str, Any]], JSON]


def _pct(part: float, whole: float, digits: int = 2) -> float:
    return round(part / whole * 100.0, digits) if whole else 0.0


def _ratio(part: float, whole: float) -> float:
    return round(part / whole, 4) if whole else 0.0


def _instant(us: int | None) -> str | None:
    return None if us is None else clock.fmt_instant(us)


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
        "usage_percentage": _pct(total, limit),
        "by_operation": [
            {
                "operation_type": op,
                "credits_used": credits,
                "request_count": n,
                "percentage": _pct(credits, total),
            }
            for op, credits, n in rows
        ],
    }


def _period_bounds(period: str, now_us: int) -> tuple[int, int]:
    if period == "day":
        start = clock.day_start(now_us)
        return start, start + DAY_US
    if period == "week":
        start = clock.week_start(now_us)
        return start, start + 7 * DAY_US
    start = clock.month_start(now_us)
    return start, clock.add_months(start, 1)


def _shift(period: str, us: int, sign: int) -> int:
    if period == "day":
        return us + sign * DAY_US
    if period == "week":
        return us + sign * 7 * DAY_US
    return clock.add_months(us, sign)


def get_summary(ctx: Context, p: dict[str, Any]) -> JSON:
    period: str = p["period"]
    given_start: int | None = p.get("start_date")
    given_end: int | None = p.get("end_date")
    if given_start is not None:
        start = given_start
        end = given_end if given_end is not None else _shift(period, start, +1)
    elif given_end is not None:
        start, end = _shift(period, given_end, -1), given_end
    else:
        start, end = _period_bounds(period, ctx.now_us)
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
    return _page("events", events, total, limit, offset)


_SERIES_DEFAULT_SPAN = {"hour": 24, "day": 30, "month": 12}
_MAX_FILLED_POINTS = 10_000


def _bucket(period_type: str, us: int) -> int:
    if period_type == "hour":
        return us // HOUR_US
    if period_type == "day":
        return us // DAY_US
    return clock.month_index(us)


def _bucket_start(period_type: str, b: int) -> int:
    if period_type == "hour":
        return b * HOUR_US
    if period_type == "day":
        return b * DAY_US
    return clock.month_index_start(b)


def _bucket_label(period_type: str, b: int) -> str:
    if period_type == "month":
        return clock.month_label(b)
    dt = clock.from_us(_bucket_start(period_type, b))
    return f"{dt:%Y-%m-%dT%H}:00" if period_type == "hour" else f"{dt:%Y-%m-%d}"


def get_by_period(ctx: Context, p: dict[str, Any]) -> JSON:
    """Points for every period of the range (zeros included), chronological.

    Without dates: the last 24 hours, 30 days or 12 months (the current one included).
    """
    period_type: str = p["period_type"]
    start, end = p.get("start_date"), p.get("end_date")
    q_start, q_end = start, end
    now_b = _bucket(period_type, ctx.now_us)
    if start is None and end is None:
        first_b = now_b - _SERIES_DEFAULT_SPAN[period_type] + 1
        q_start = _bucket_start(period_type, first_b)
    key_id = ctx.key_filter(p.get("api_key_id"))
    f = EventFilter(ctx.account.account_id, key_id, None, q_start, q_end)
    rows = ctx.store.series(f, period_type)
    by_b = {b: (n, c, t) for b, n, c, t in rows}
    buckets = set(by_b)
    empty_range = q_start is not None and q_end is not None and q_end <= q_start
    if not empty_range:
        lo = _bucket(period_type, q_start) if q_start is not None else min(buckets, default=now_b)
        hi = _bucket(period_type, q_end - 1) if q_end is not None else max(now_b, *buckets, lo)
        if 0 <= hi - lo < _MAX_FILLED_POINTS:
            buckets.update(range(lo, hi + 1))
    data = []
    for b in sorted(buckets):
        n, c, t = by_b.get(b, (0, 0, 0))
        data.append(
            {
                "label": _bucket_label(period_type, b),
                "period_start": clock.fmt_instant(_bucket_start(period_type, b)),
                "value": n,
                "credits_used": c,
                "tokens": t,
            }
        )
    return {
        "period_type": period_type,
        "start_date": _instant(start),
        "end_date": _instant(end),
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
                "error_rate": _ratio(r.failed, r.requests),
                "avg_latency_ms": round(r.latency_sum / r.requests, 1) if r.requests else 0.0,
            }
            for r in rows[: p["limit"]]
        ],
        "total_requests": sum(r.requests for r in rows),
        "start_date": _instant(start),
        "end_date": _instant(end),
    }


_DASHBOARD_DAYS = {"week": 7, "month": 30, "year": 365}


def get_dashboard_analytics(ctx: Context, p: dict[str, Any]) -> JSON:
    """The `period` is that many days ending today (UTC): 7, 30 or 365."""
    period: str = p["period"]
    days = _DASHBOARD_DAYS.get(period, 30)
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
            "error_rate": _ratio(t.failed, t.requests),
            "success_rate": _ratio(t.successful, t.requests),
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


def _plan_window(period: str, ctx: Context) -> tuple[int, int, int]:
    """(start, end, months) of the month, quarter or year holding now."""
    if period == "quarter":
        start, months = clock.quarter_start(ctx.now_us), 3
    elif period == "year":
        start, months = clock.year_start(ctx.now_us), 12
    else:
        start, months = clock.month_start(ctx.now_us), 1
    return start, clock.add_months(start, months), months


_PRIORITY_RANK = {"high": 0, "medium": 1, "low": 2}


def get_plan(ctx: Context, p: dict[str, Any]) -> JSON:
    period: str = p["period"]
    start, end, months = _plan_window(period, ctx)
    bstart, bend = ctx.billing_period()
    plan = ctx.plan
    store = ctx.store
    f = EventFilter(ctx.account.account_id, None, None, start, end)
    used = store.credits_used(ctx.account.account_id, start, end)
    limit = plan.monthly_credits * months if plan else 0
    elapsed_days = max(1.0, (ctx.now_us - start) / DAY_US)
    period_days = (end - start) / DAY_US
    daily_avg = used / elapsed_days
    projected = round(daily_avg * period_days)

    plan_details: JSON | None = None
    feature_limits: list[JSON] = []
    projections: JSON | None = None
    if plan is not None:
        plan_details = {
            "plan_id": plan.plan_id,
            "plan_name": plan.name,
            "credit_limit": limit,
            "credits_used": used,
            "credits_remaining": max(0, limit - used),
            "usage_percentage": _pct(used, limit),
        }
        successes = store.successes_by_operation(f)
        active_keys = sum(
            1
            for k in store.keys.values()
            if k.account_id == ctx.account.account_id and k.revoked_us is None
        )
        for feat in plan.features:
            scaled = None if feat.monthly_limit is None else feat.monthly_limit * months
            if feat.counts == "api_keys":
                scaled, feat_used = feat.monthly_limit, active_keys
            else:
                feat_used = successes.get(feat.counts, 0)
            feature_limits.append(
                {"feature": feat.feature, "limit": scaled, "used": feat_used, "unit": feat.unit}
            )
        if p["include_projections"]:
            exhaustion: str | None = None
            if projected > limit and daily_avg > 0:
                left = limit - used
                day = clock.date_of(ctx.now_us)
                if left > 0:
                    day = clock.date_of(ctx.now_us + int(left / daily_avg * DAY_US))
                exhaustion = clock.fmt_date(day)
            projections = {
                "projected_credits": projected,
                "projected_usage_percentage": _pct(projected, limit),
                "will_exceed_limit": projected > limit,
                "daily_average_credits": round(daily_avg, 1),
                "projected_exhaustion_date": exhaustion,
            }
    recs = _recommendations(ctx, f, used, limit, projected, period_days / elapsed_days)
    return {
        "period": period,
        "billing_period": {"start": clock.fmt_instant(bstart), "end": clock.fmt_instant(bend)},
        "plan_details": plan_details,
        "feature_limits": feature_limits,
        "projections": projections,
        "recommendations": recs,
    }


def _priority(savings: int, limit: int) -> str:
    share = savings / limit if limit else 0.0
    return "high" if share >= 0.1 else "medium" if share >= 0.03 else "low"


def _recommendations(
    ctx: Context, f: EventFilter, used: int, limit: int, projected: int, scale: float
) -> list[JSON]:
    """Advice computed from the period's events; `scale` projects to the whole period."""
    store = ctx.store
    recs: list[JSON] = []
    levels = store.credits_by_level(f)
    ops = {op: (c, n) for op, c, n in store.by_operation(f)}
    thorough = sum(c for (_, lv), (c, _) in levels.items() if lv == "thorough")
    thorough_units = sum(u for (_, lv), (_, u) in levels.items() if lv == "thorough")
    std, thr = CREDITS_PER_ITEM["standard"], CREDITS_PER_ITEM["thorough"]
    if used and thorough / used >= 0.15:
        savings = round(thorough_units * (thr - std) * 0.5 * scale)
        recs.append(
            {
                "title": "Use standard analysis for drafts",
                "description": (
                    f"{thorough / used:.0%} of this period's credits went to thorough analyses "
                    f"({thr} credits per item). Standard analysis costs {std}; running half of "
                    f"them at standard would save about {savings:,} credits."
                ),
                "priority": _priority(savings, limit),
                "estimated_savings_credits": savings,
            }
        )
    video = ops.get("video_analysis", (0, 0))[0]
    if used and video / used >= 0.1:
        savings = round(video * 0.25 * scale)
        recs.append(
            {
                "title": "Trim videos before analysis",
                "description": (
                    f"Video analysis used {video:,} credits ({video / used:.0%}) this period and "
                    "is billed per minute. Cutting idle footage (a quarter, typically) saves "
                    f"about {savings:,} credits."
                ),
                "priority": _priority(savings, limit),
                "estimated_savings_credits": savings,
            }
        )
    statuses = store.status_counts(f)
    limited = statuses.get(429, 0)
    requests = sum(statuses.values())
    if limited >= 10:
        per, window = ctx.usage_limit
        recs.append(
            {
                "title": "Pace requests to stay under the rate limit",
                "description": (
                    f"{limited:,} requests got 429 this period. The usage endpoints allow {per} "
                    f"requests per {window:g} seconds per key: pace calls on the client and honour "
                    "Retry-After instead of retrying at once."
                ),
                "priority": "medium",
            }
        )
    queries = ops.get("usage_query", (0, 0))[1]
    if requests and queries / requests >= 0.08:
        recs.append(
            {
                "title": "Cache usage queries",
                "description": (
                    f"{queries / requests:.0%} of this period's requests were usage queries. "
                    "Usage figures change slowly: cache them for a minute or two."
                ),
                "priority": "low",
                "estimated_savings_credits": 0,
            }
        )
    if limit and projected > limit:
        over = projected - limit
        recs.append(
            {
                "title": "Upgrade the plan or add credits",
                "description": (
                    f"At the current pace the period ends at {projected:,} credits, {over:,} over "
                    f"the limit of {limit:,}. A larger plan avoids failed operations near the end "
                    "of the period."
                ),
                "priority": "high",
            }
        )
    recs.sort(
        key=lambda r: (_PRIORITY_RANK[r["priority"]], -int(r.get("estimated_savings_credits", 0)))
    )
    return recs


def get_monthly_tokens(ctx: Context, p: dict[str, Any]) -> JSON:
    """Dates are inclusive. Without them the current billing period; with only `start_date`
    through today (or that one day, if it is later); with only `end_date` from the first of its
    month."""
    start: date | None = p.get("start_date")
    end: date | None = p.get("end_date")
    today = clock.date_of(ctx.now_us)
    if start is None and end is None:
        bstart, bend = ctx.billing_period()
        start, end = clock.date_of(bstart), clock.date_of(bend - 1)
    elif end is None:
        assert start is not None
        end = max(start, today)
    elif start is None:
        start = end.replace(day=1)
    lo, hi = clock.date_start_us(start), clock.date_start_us(end + timedelta(days=1))
    f = EventFilter(ctx.account.account_id, None, None, lo, hi)
    t = ctx.store.totals(f)
    by_month = []
    m = clock.month_index(lo)
    last = clock.month_index(hi - 1)
    while m <= last:
        m_lo = max(lo, clock.month_index_start(m))
        m_hi = min(hi, clock.month_index_start(m + 1))
        mt = ctx.store.totals(EventFilter(ctx.account.account_id, None, None, m_lo, m_hi))
        by_month.append(
            {
                "month": clock.month_label(m),
                "total_tokens": mt.tokens,
                "input_tokens": mt.input_tokens,
                "output_tokens": mt.output_tokens,
            }
        )
        m += 1
    return {
        "start_date": clock.fmt_date(start),
        "end_date": clock.fmt_date(end),
        "total_tokens": t.tokens,
        "total_input_tokens": t.input_tokens,
        "total_output_tokens": t.output_tokens,
        "request_count": t.token_requests,
        "by_month": by_month,
    }


def _page(key: str, items: list[JSON], total: int, limit: int, offset: int) -> JSON:
    """The offset-pagination envelope every list operation answers with."""
    return {
        key: items,
        "total": total,
        "limit": limit,
        "offset": offset,
        "has_more": offset + len(items) < total,
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
    return _page("files", files, total, limit, offset)


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
    return _page("conversations", convs, total, limit, offset)


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
