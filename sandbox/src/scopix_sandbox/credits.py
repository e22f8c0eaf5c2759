"""Handlers of the credit operations: `check`, `get_breakdown`, `get_summary`."""

from __future__ import annotations

from typing import Any

from scopix_sandbox import clock, periods, reports
from scopix_sandbox.catalog import CREDITS_PER_ITEM
from scopix_sandbox.context import JSON, Context, pct
from scopix_sandbox.store import EventFilter

__all__ = ["check", "get_breakdown", "get_summary"]


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
        available = max(0, ctx.credit_limit() - used)
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
    rows = reports.by_operation(
        ctx.store, EventFilter(ctx.account.account_id, start_us=start, end_us=end)
    )
    total = sum(c for _, c, _ in rows)
    limit = ctx.credit_limit()
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
    t = reports.totals(ctx.store, EventFilter(ctx.account.account_id, key_id, None, start, end))
    plan = ctx.plan
    limits: JSON | None = None
    if plan is not None:
        bstart, bend = ctx.billing_period()
        used = ctx.store.credits_used(ctx.account.account_id, bstart, bend)
        limits = {
            "credit_limit": ctx.credit_limit(),
            "used": used,
            "remaining": max(0, ctx.credit_limit() - used),
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
