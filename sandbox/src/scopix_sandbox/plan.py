"""`get_plan`: the plan's limits over a month, quarter or year, projections at the period's pace,
and recommendations computed from the period's events."""

from __future__ import annotations

from typing import Any

from scopix_sandbox import clock, reports
from scopix_sandbox.catalog import CREDITS_PER_ITEM
from scopix_sandbox.clock import DAY_US
from scopix_sandbox.context import JSON, Context, pct
from scopix_sandbox.periods import plan_window
from scopix_sandbox.store import EventFilter

__all__ = ["get_plan"]

_PRIORITY_RANK = {"high": 0, "medium": 1, "low": 2}


def get_plan(ctx: Context, p: dict[str, Any]) -> JSON:
    period: str = p["period"]
    start, end, months = plan_window(period, ctx.now_us)
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
            "usage_percentage": pct(used, limit),
        }
        successes = reports.successes_by_operation(store, f)
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
                "projected_usage_percentage": pct(projected, limit),
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
    levels = reports.credits_by_level(store, f)
    ops = {op: (c, n) for op, c, n in reports.by_operation(store, f)}
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
    statuses = reports.status_counts(store, f)
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
