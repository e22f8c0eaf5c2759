"""A Prometheus exporter of an API key's usage: `scopix usage serve-metrics` (`scopix[metrics]`).

Every `interval` seconds the exporter reads the account's figures with `REFRESH_OPERATIONS`
(one request each, paced like any client's) and serves the last good ones, with the SDK's own
counters, at `/metrics` (OpenMetrics when the scraper asks for it, as Prometheus does). A failed
refresh never stops it: `scopix_up` drops to 0 and the other series keep their last values.

Given a client with a shared credit ledger (`--redis URL`), each scrape also reads who holds
the account's credits (`client.usage.holds()`, one Redis round trip, no API request): the
credits held, live holds, reservations waiting and credits per owner.

prometheus-client is imported only when the exporter serves or is scraped.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from . import _spec
from .observe import Stats

if TYPE_CHECKING:
    from prometheus_client.metrics_core import CounterMetricFamily, GaugeMetricFamily, Metric
    from prometheus_client.registry import CollectorRegistry

    from . import SyncScopix
    from . import types as t

__all__ = [
    "DEFAULT_INTERVAL",
    "HOLD_SERIES",
    "MAX_BUDGET_SHARE",
    "REFRESH_OPERATIONS",
    "SERIES",
    "UsageExporter",
    "budget_share",
    "min_interval",
    "serve",
]

REFRESH_OPERATIONS = ("get_breakdown", "get_plan", "get_monthly_tokens", "get_top_endpoints")
"""What one refresh calls, one request each."""
DEFAULT_INTERVAL = 60.0
MAX_BUDGET_SHARE = 0.5
"""The refresh may take at most this share of the key's rate limit: the floor on `interval`."""

# name: (type, help). Labels are in the help; docs/observability.md's table is this text.
SERIES: dict[str, tuple[str, str]] = {
    "scopix_up": ("gauge", "1 if the last refresh read every figure, 0 if it failed (the other "
                  "API series then keep their last values)"),
    "scopix_last_refresh_timestamp_seconds": ("gauge", "When the figures were last read"),
    "scopix_refresh_failures": ("counter", "Refreshes that failed"),
    "scopix_credits_used": ("gauge", "Credits used in the current billing period"),
    "scopix_credits_remaining": ("gauge", "Credits left in the current billing period"),
    "scopix_credit_limit": ("gauge", "Credits allowed in the billing period"),
    "scopix_credits_usage_percent": ("gauge", "Credits used, percent of the limit"),
    "scopix_billing_period_end_timestamp_seconds": ("gauge", "When the credits reset"),
    "scopix_operation_credits_used": ("gauge", "Credits used this billing period per "
                                      "operation_type"),
    "scopix_plan_info": ("gauge", "The plan (plan_id, plan_name labels); always 1"),
    "scopix_plan_feature_limit": ("gauge", "The plan's limit of each feature (feature, unit "
                                  "labels) this month"),
    "scopix_plan_feature_used": ("gauge", "Use of each feature (feature, unit labels) this month"),
    "scopix_projected_credits": ("gauge", "Credits projected by the end of the month at the "
                                 "current pace"),
    "scopix_projected_usage_percent": ("gauge", "Projected credits, percent of the limit"),
    "scopix_will_exceed_limit": ("gauge", "1 if the projection exceeds the limit, else 0"),
    "scopix_daily_average_credits": ("gauge", "Credits per day so far this month"),
    "scopix_monthly_input_tokens": ("gauge", "Input tokens in the current billing period"),
    "scopix_monthly_output_tokens": ("gauge", "Output tokens in the current billing period"),
    "scopix_endpoint_requests": ("gauge", "Requests this billing period to each of the top "
                                 "endpoints (endpoint label)"),
    "scopix_client_requests": ("counter", "HTTP requests the exporter's client sent"),
    "scopix_client_rate_limited": ("counter", "Of those, answered 429 Too Many Requests"),
    "scopix_client_retries": ("counter", "Requests that were retries"),
    "scopix_client_errors": ("counter", "Calls that failed after their retries"),
    "scopix_client_pacing_wait_seconds": ("counter", "Seconds the client waited for the "
                                          "rate limit"),
    "scopix_client_retry_wait_seconds": ("counter", "Seconds the client slept between retries"),
    "scopix_ledger_up": ("gauge", "1 if this scrape read the shared credit ledger (--redis), 0 "
                         "if it could not (the hold series are then left out)"),
    "scopix_credits_held": ("gauge", "Credits held by live reservations on the shared ledger"),
    "scopix_holds": ("gauge", "Live holds on the shared ledger"),
    "scopix_reservations_waiting": ("gauge", "Reservations queued for credits on the shared "
                                    "ledger"),
    "scopix_owner_credits_held": ("gauge", "Credits held by each holder (owner label: "
                                  "host:pid) on the shared ledger"),
}  # fmt: skip
HOLD_SERIES = ("scopix_ledger_up", "scopix_credits_held", "scopix_holds",
               "scopix_reservations_waiting", "scopix_owner_credits_held")  # fmt: skip
"""Served only when the exporter reads a shared ledger (`holds=True`)."""


def _buckets() -> dict[str, tuple[int, _spec.RateLimitSpec]]:
    calls: Counter[str] = Counter()
    limits: dict[str, _spec.RateLimitSpec] = {}
    for operation_id in REFRESH_OPERATIONS:
        rl = _spec.operation(operation_id).rate_limit
        calls[rl.bucket] += 1
        limits[rl.bucket] = rl
    return {b: (n, limits[b]) for b, n in calls.items()}


def budget_share(interval: float) -> float:
    """The share of the key's rate limit one refresh every `interval` seconds takes (the spec's
    `x-rate-limit` of the refresh's operations; the busiest bucket counts)."""
    return max(n / (rl.limit * interval / rl.window_seconds) for n, rl in _buckets().values())


def min_interval(max_share: float = MAX_BUDGET_SHARE) -> float:
    """The shortest interval at which the refresh takes at most `max_share` of the budget."""
    return max(n * rl.window_seconds / (rl.limit * max_share) for n, rl in _buckets().values())


def refresh_requests() -> int:
    return len(REFRESH_OPERATIONS)


@dataclass(frozen=True, slots=True)
class Figures:
    """What one successful refresh read."""

    breakdown: t.UsageBreakdown
    plan: t.PlanUtilization
    tokens: t.MonthlyTokenUsage
    top: t.TopEndpoints
    read_at: float


class UsageExporter:
    """A prometheus-client collector: the last figures read by `refresh()` and the counters of
    `stats` (the observer of `client`); with `holds=True`, the holds on the client's credit
    ledger (`client.usage.holds()`) as each scrape finds them."""

    def __init__(
        self, client: SyncScopix, stats: Stats, *, top: int = 10, holds: bool = False
    ) -> None:
        self.client = client
        self.stats = stats
        self.top = top
        self.holds = holds
        self.figures: Figures | None = None
        self.up = False
        self.failures = 0

    def refresh(self) -> Exception | None:
        """Read every figure; on an error keep the previous ones, mark down and return it."""
        usage = self.client.usage
        try:
            breakdown = usage.get_breakdown()
            plan = usage.get_plan()
            tokens = usage.get_monthly_tokens()
            top = usage.get_top_endpoints(
                limit=self.top,
                start_date=breakdown.billing_period.start,
                end_date=breakdown.billing_period.end,
            )
        except Exception as exc:
            self.up = False
            self.failures += 1
            return exc
        self.figures = Figures(breakdown, plan, tokens, top, time.time())
        self.up = True
        return None

    def collect(self) -> Iterator[Metric]:
        from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

        def family(
            name: str, labels: tuple[str, ...] = ()
        ) -> CounterMetricFamily | GaugeMetricFamily:
            kind, text = SERIES[name]
            if kind == "counter":
                return CounterMetricFamily(name, text, labels=labels)
            return GaugeMetricFamily(name, text, labels=labels)

        def one(name: str, value: float) -> Metric:
            metric = family(name)
            metric.add_metric((), float(value))
            return metric

        yield one("scopix_up", 1 if self.up else 0)
        yield one("scopix_refresh_failures", self.failures)
        figures = self.figures
        if figures is not None:
            yield from _api_series(figures, family, one)
        s = self.stats.as_dict()
        yield one("scopix_client_requests", s["requests"])
        yield one("scopix_client_rate_limited", s["rate_limited"])
        yield one("scopix_client_retries", s["retries"])
        yield one("scopix_client_errors", s["errors"])
        yield one("scopix_client_pacing_wait_seconds", s["pacing_wait"])
        yield one("scopix_client_retry_wait_seconds", s["retry_wait"])
        if self.holds:
            yield from self._hold_series(family, one)

    def _hold_series(self, family: _Family, one: _One) -> Iterator[Metric]:
        from ._errors import CreditLedgerUnavailableError

        try:
            seen = self.client.usage.holds()
        except CreditLedgerUnavailableError:
            yield one("scopix_ledger_up", 0)  # holds change by the second: no stale values
            return
        yield one("scopix_ledger_up", 1)
        yield one("scopix_credits_held", seen.credits)
        yield one("scopix_holds", len(seen.holds))
        yield one("scopix_reservations_waiting", seen.waiting)
        by_owner: Counter[str] = Counter()
        for hold in seen.holds:
            by_owner[hold.owner] += hold.required_credits
        owners = family("scopix_owner_credits_held", ("owner",))
        for owner, credits in sorted(by_owner.items()):
            owners.add_metric((owner,), credits)
        yield owners


class _Family(Protocol):
    """A metric family of SERIES, with label names."""

    def __call__(
        self, name: str, labels: tuple[str, ...] = ()
    ) -> CounterMetricFamily | GaugeMetricFamily: ...


_One = Callable[[str, float], "Metric"]  # a label-less series with its one value


def _api_series(f: Figures, family: _Family, one: _One) -> Iterator[Metric]:
    b = f.breakdown
    yield one("scopix_last_refresh_timestamp_seconds", f.read_at)
    yield one("scopix_credits_used", b.total_credits_used)
    yield one("scopix_credits_remaining", b.credits_remaining)
    yield one("scopix_credit_limit", b.credit_limit)
    yield one("scopix_credits_usage_percent", b.usage_percentage)
    yield one("scopix_billing_period_end_timestamp_seconds", b.billing_period.end.timestamp())
    by_op = family("scopix_operation_credits_used", ("operation_type",))
    for item in b.by_operation:
        op = item.operation_type
        by_op.add_metric((str(getattr(op, "value", op)),), item.credits_used)
    yield by_op
    details = f.plan.plan_details
    if details is not None:
        info = family("scopix_plan_info", ("plan_id", "plan_name"))
        info.add_metric((details.plan_id, details.plan_name), 1)
        yield info
    limits = family("scopix_plan_feature_limit", ("feature", "unit"))
    used = family("scopix_plan_feature_used", ("feature", "unit"))
    for feat in f.plan.feature_limits:
        labels = (feat.feature, feat.unit or "")
        if feat.limit is not None:
            limits.add_metric(labels, feat.limit)
        used.add_metric(labels, feat.used)
    yield limits
    yield used
    p = f.plan.projections
    if p is not None:
        yield one("scopix_projected_credits", p.projected_credits)
        yield one("scopix_projected_usage_percent", p.projected_usage_percentage)
        yield one("scopix_will_exceed_limit", 1 if p.will_exceed_limit else 0)
        if p.daily_average_credits is not None:
            yield one("scopix_daily_average_credits", p.daily_average_credits)
    yield one("scopix_monthly_input_tokens", f.tokens.total_input_tokens)
    yield one("scopix_monthly_output_tokens", f.tokens.total_output_tokens)
    endpoints = family("scopix_endpoint_requests", ("endpoint",))
    for ep in f.top.endpoints:
        endpoints.add_metric((ep.endpoint,), ep.request_count)
    yield endpoints


def registry_for(exporter: UsageExporter) -> CollectorRegistry:
    from prometheus_client import CollectorRegistry

    registry = CollectorRegistry(auto_describe=False)
    registry.register(exporter)
    return registry


def serve(
    exporter: UsageExporter,
    *,
    host: str = "127.0.0.1",
    port: int = 9464,
    interval: float = DEFAULT_INTERVAL,
    stop: threading.Event,
    say: Callable[[str], None],
) -> None:
    """Serve /metrics on host:port and refresh every `interval` seconds until `stop` is set.
    `say` gets the "serving on" line (with the port really bound) and one line per failure."""
    from prometheus_client import start_http_server

    server, thread = start_http_server(port, addr=host, registry=registry_for(exporter))
    try:
        bound = server.server_address[1]
        shown = f"[{host}]" if ":" in host else host
        say(f"serving on http://{shown}:{bound}/metrics (refresh every {interval:g} s)")
        while not stop.is_set():
            error = exporter.refresh()
            if error is not None:
                say(
                    f"refresh failed ({type(error).__name__}: {error}); "
                    "serving the last figures with scopix_up 0"
                )
            stop.wait(interval)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
