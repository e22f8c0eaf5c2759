"""Readable forms of the SDK's results (rich renderables), one per result, and their JSON form
(`to_dict`)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import Protocol

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text

from .. import types as t
from .chart import bar_chart
from .formats import DASH, facts, gauge, kilobytes, num, pct, plural, span, table, when

__all__ = [
    "DASHBOARD_METRICS",
    "HasToDict",
    "as_json",
    "breakdown",
    "by_period",
    "chart",
    "check",
    "conversation_tokens",
    "dashboard",
    "details",
    "file_tokens",
    "monthly_tokens",
    "plan",
    "summary",
    "top",
]


class HasToDict(Protocol):
    def to_dict(self) -> Mapping[str, object]: ...


def as_json(model: HasToDict) -> str:
    return json.dumps(model.to_dict(), indent=2, ensure_ascii=False)


def check(result: t.UsageCheckResult) -> RenderableType:
    level = result.analysis_level or "?"
    need = f"{plural(result.item_count, level + ' item')} need {num(result.required_credits)}"
    need += " credits"
    have = f"{num(result.available_credits)} available"
    if result.can_proceed:
        verdict = Text(f"✓ Can proceed: {need}, {have}.", style="bold green")
    else:
        verdict = Text(f"✗ Cannot proceed: {need}, {have}.", style="bold red")
    return Group(verdict, Text(result.message))


def breakdown(b: t.UsageBreakdown) -> RenderableType:
    head = facts(
        [
            ("Billing period", span(b.billing_period.start, b.billing_period.end)),
            ("Resets", when(b.reset_date) + " UTC"),
            ("Credits used", f"{num(b.total_credits_used)} of {num(b.credit_limit)}"),
            ("Remaining", num(b.credits_remaining)),
            ("Usage", gauge(b.usage_percentage)),
        ]
    )
    rows = table("Operation", ">Credits", ">Requests", ">Share")
    for item in b.by_operation:
        rows.add_row(
            str(item.operation_type),
            num(item.credits_used),
            num(item.request_count),
            pct(item.percentage),
        )
    return Group(head, Text(), rows)


def summary(s: t.UsageSummary) -> RenderableType:
    lines: list[tuple[str, str | Text]] = [
        ("Period", f"{s.period}: {span(s.start_date, s.end_date)}"),
        ("API key", s.api_key_id or "all keys"),
        ("Credits", num(s.total_credits)),
        (
            "Requests",
            f"{num(s.total_requests)} ({num(s.successful_requests)} ok, "
            f"{num(s.failed_requests)} failed)",
        ),
        ("Tokens", num(s.total_tokens)),
    ]
    if s.plan:
        lines.append(("Plan", f"{s.plan.plan_name} ({s.plan.plan_id})"))
    if s.limits:
        lim = s.limits
        lines.append(("Credit limit", f"{num(lim.used)} of {num(lim.credit_limit)} used"))
        lines.append(("Remaining", num(lim.remaining)))
        if lim.requests_per_minute is not None:
            rates = f"{lim.requests_per_minute}/min, check {lim.check_requests_per_minute}/min"
            lines.append(("Rate limits", rates))
    return facts(lines)


def plan(p: t.PlanUtilization) -> RenderableType:
    parts: list[RenderableType] = []
    d = p.plan_details
    lines: list[tuple[str, str | Text]] = [
        ("Plan", f"{d.plan_name} ({d.plan_id})" if d else "no active plan"),
        ("Period", f"{p.period}: {span(p.billing_period.start, p.billing_period.end)}"),
    ]
    if d:
        lines.append(("Credits used", f"{num(d.credits_used)} of {num(d.credit_limit)}"))
        lines.append(("Usage", gauge(d.usage_percentage)))
    pr = p.projections
    if pr:
        projected = f"{num(pr.projected_credits)} credits ({pct(pr.projected_usage_percentage)})"
        if pr.will_exceed_limit:
            exhausted = when(pr.projected_exhaustion_date)  # a date, or a dash
            lines.append(("Projected", Text(f"{projected}: runs out {exhausted}", style="red")))
        else:
            lines.append(("Projected", f"{projected}, within the limit"))
        lines.append(("Daily average", f"{num(pr.daily_average_credits, 1)} credits"))
    parts.append(facts(lines))
    if p.feature_limits:
        limits = table("Feature", ">Used", ">Limit", "Unit", title="Feature limits")
        for f in p.feature_limits:
            limit = "unlimited" if f.limit is None else num(f.limit)
            limits.add_row(f.feature, num(f.used), limit, f.unit or "")
        parts += [Text(), limits]
    if p.recommendations:
        parts.append(Text("Recommendations", style="italic"))
        for r in p.recommendations:
            saves = r.estimated_savings_credits
            line = Text(f"• [{r.priority}] ", style="bold")
            line.append(r.title, style="bold")
            if saves:
                line.append(f" (saves ~{num(saves)} credits)")
            parts += [line, Padding(Text(r.description, style="dim"), (0, 0, 0, 2))]
    return Group(*parts)


def monthly_tokens(m: t.MonthlyTokenUsage) -> RenderableType:
    head = facts(
        [
            ("Dates", span(m.start_date, m.end_date)),
            ("Tokens", num(m.total_tokens)),
            ("Input / output", f"{num(m.total_input_tokens)} / {num(m.total_output_tokens)}"),
            ("Requests", num(m.request_count)),
        ]
    )
    if not isinstance(m.by_month, list) or not m.by_month:
        return head
    rows = table("Month", ">Tokens", ">Input", ">Output")
    for month in m.by_month:
        rows.add_row(
            month.month, num(month.total_tokens), num(month.input_tokens), num(month.output_tokens)
        )
    return Group(head, Text(), rows)


def _page_footer(offset: int, shown: int, total: int, noun: str) -> Text:
    if not shown:
        return Text(f"no {noun} at offset {offset} (total {num(total)})", style="dim")
    return Text(f"{noun} {offset + 1:,}{DASH}{offset + shown:,} of {num(total)}", style="dim")


def file_tokens(page: t.FileTokenUsageList) -> RenderableType:
    rows = table("File", ">KB", ">Tokens", "Processed")
    for f in page.files:
        rows.add_row(f.filename, kilobytes(f.size_bytes), num(f.total_tokens), when(f.processed_at))
    return Group(rows, _page_footer(page.offset, len(page.files), page.total, "files"))


def conversation_tokens(page: t.ConversationTokenUsageList) -> RenderableType:
    rows = table("Conversation", ">Messages", ">Tokens", "Last message")
    for c in page.conversations:
        rows.add_row(c.title, num(c.message_count), num(c.total_tokens), when(c.last_message_at))
    footer = _page_footer(page.offset, len(page.conversations), page.total, "conversations")
    return Group(rows, footer)


def top(te: t.TopEndpoints) -> RenderableType:
    rows = table("#", "Endpoint", ">Requests", ">Credits", ">Errors", ">Avg ms")
    for rank, ep in enumerate(te.endpoints, 1):
        rows.add_row(
            str(rank),
            ep.endpoint,
            num(ep.request_count),
            num(ep.credits_used),
            pct(ep.error_rate, share=True),
            num(ep.avg_latency_ms),
        )
    dated = isinstance(te.start_date, dt.datetime) or isinstance(te.end_date, dt.datetime)
    where = span(te.start_date, te.end_date) if dated else "all time"
    footer = Text(f"{num(te.total_requests)} requests in all ({where})", style="dim")
    return Group(rows, footer)


def by_period(u: t.UsageByPeriod) -> RenderableType:
    rows = table(str(u.period_type).capitalize(), ">Requests", ">Credits", ">Tokens")
    for point in u.data:
        rows.add_row(point.label, num(point.value), num(point.credits_used), num(point.tokens))
    totals = [sum(p.value for p in u.data), sum(_int(p.credits_used) for p in u.data)]
    footer = Text(f"total: {num(totals[0])} requests, {num(totals[1])} credits", style="dim")
    return Group(rows, footer)


def details(d: t.UsageDetails) -> RenderableType:
    rows = table("Time (UTC)", "Type", ">Status", ">Credits", ">Tokens", ">ms", "Key")
    for ev in d.events:
        rows.add_row(
            when(ev.timestamp),
            str(ev.operation_type),
            str(ev.status_code),
            num(ev.credits_used),
            num(ev.total_tokens),
            num(ev.latency_ms),
            ev.api_key_id or DASH,
        )
    return Group(rows, _page_footer(d.offset, len(d.events), d.total, "events"))


DASHBOARD_METRICS = {
    "requests": "requests",
    "tokens": "tokens",
    "files": "files_uploaded",
    "messages": "chat_messages",
}


def dashboard(a: t.DashboardAnalytics, *, metric: str, width: int) -> RenderableType:
    lines: list[tuple[str, str | Text]] = [
        ("Period", _dashboard_period(a)),
        ("Requests", num(a.total_requests)),
        ("Files uploaded", num(a.total_files_uploaded)),
        (
            "Chat",
            f"{plural(a.total_chat_sessions, 'session')}, "
            f"{plural(a.total_chat_messages, 'message')}",
        ),
    ]
    if a.token_usage:
        tu = a.token_usage
        lines.append(
            (
                "Tokens",
                f"{num(tu.total_tokens)} ({num(tu.input_tokens)} in, {num(tu.output_tokens)} out)",
            )
        )
        lines.append(("Per request", f"{num(tu.avg_tokens_per_request)} tokens"))
    if a.performance:
        pf = a.performance
        latency = f"{num(pf.avg_latency_ms)} ms avg, {num(pf.p95_latency_ms)} ms p95"
        lines.append(("Latency", latency))
        lines.append(("Errors", f"{pct(pf.error_rate, share=True)} of requests"))
    attribute = DASHBOARD_METRICS[metric]
    labels = [day.date.strftime("%m-%d") for day in a.daily_activity]
    values = [_int(getattr(day, attribute)) for day in a.daily_activity]
    title = f"Daily {metric}"
    drawn = bar_chart(labels, values, width=width, title=title, unit="day")
    return Group(facts(lines), Text(), chart(drawn))


def _int(value: object) -> int:
    return value if isinstance(value, int) else 0


def _dashboard_period(a: t.DashboardAnalytics) -> str:
    """The period as the days it covers: a rolling month is 30 days to today, not the calendar
    month, so the line says how many days and which."""
    if not a.daily_activity:
        return str(a.period)
    first, last = a.daily_activity[0].date, a.daily_activity[-1].date
    days = (last - first).days + 1
    return f"{a.period}: the last {plural(days, 'day')} ({span(first, last)})"


def chart(lines: Sequence[str]) -> RenderableType:
    """Chart lines with the title in bold and the bars in colour."""
    out: list[Text] = []
    for i, line in enumerate(lines):
        text = Text(line, no_wrap=True, overflow="crop")
        if i == 0:
            text.stylize("bold")
        else:
            text.highlight_regex(r"[▁▂▃▄▅▆▇█]+", "cyan")
        out.append(text)
    return Group(*out)
