"""The SDK against the sandbox over real HTTP: all 14 methods in both flavours, full pagination,
and aggregates that agree with each other."""

from __future__ import annotations

import collections
import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from scopix import Scopix, types
from scopix_sandbox.server import Sandbox
from tests.overlay.driver import Driver

NOW = dt.datetime(2026, 11, 20, 14, 30, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    from scopix_sandbox.server import start

    sb = start(
        now=NOW, events=3_000, rate_limit=False, record_requests=False, validate_responses=True
    )
    yield sb
    failures = sb.call(lambda app: app.validation_failures_total)
    sb.stop()
    assert failures == 0


@pytest.fixture(params=["sync", "async"])
def sdk(sandbox: Sandbox, request: pytest.FixtureRequest) -> Iterator[Driver]:
    driver = Driver(request.param, api_key=sandbox.api_key, base_url=sandbox.base_url, pacing=False)
    yield driver
    driver.close()


METHODS: list[tuple[str, dict[str, Any], str]] = [
    ("check", {"analysis_level": "thorough", "item_count": 10}, "UsageCheckResult"),
    ("get_breakdown", {}, "UsageBreakdown"),
    ("get_summary", {}, "UsageSummary"),
    ("get_details", {"limit": 20}, "UsageDetails"),
    ("get_by_period", {"period_type": "day"}, "UsageByPeriod"),
    ("get_top_endpoints", {"limit": 5}, "TopEndpoints"),
    ("get_dashboard_analytics", {"period": "week"}, "DashboardAnalytics"),
    ("get_plan", {}, "PlanUtilization"),
    ("get_monthly_tokens", {}, "MonthlyTokenUsage"),
    ("get_file_tokens", {"limit": 10}, "FileTokenUsageList"),
    ("get_conversation_tokens", {"limit": 10}, "ConversationTokenUsageList"),
]


@pytest.mark.parametrize(("method", "kwargs", "schema"), METHODS)
def test_every_method(sdk: Driver, method: str, kwargs: dict[str, Any], schema: str) -> None:
    assert type(sdk.call(method, **kwargs)) is getattr(types, schema)


def test_documented_attributes_make_sense(sdk: Driver) -> None:
    breakdown = sdk.call("get_breakdown")
    assert breakdown.usage_percentage >= 0
    assert breakdown.reset_date > NOW
    plan = sdk.call("get_plan")
    assert plan.plan_details is not None
    assert plan.plan_details.plan_name
    assert plan.projections is not None
    tokens = sdk.call("get_monthly_tokens")
    assert tokens.total_tokens == tokens.total_input_tokens + tokens.total_output_tokens
    week = sdk.call("get_dashboard_analytics", period="week")
    assert len(week.daily_activity) >= 7


@pytest.mark.parametrize(
    ("pager", "lister", "items"),
    [
        ("get_all_details", "get_details", "events"),
        ("get_all_file_tokens", "get_file_tokens", "files"),
        ("get_all_conversation_tokens", "get_conversation_tokens", "conversations"),
    ],
)
def test_full_pagination_matches_the_pages(
    sdk: Driver, pager: str, lister: str, items: str
) -> None:
    everything = sdk.collect(pager, page_size=100)
    first = sdk.call(lister, limit=100)
    assert len(everything) == first.total > 100
    key = {"events": "id", "files": "file_id", "conversations": "conversation_id"}[items]
    ids = [getattr(x, key) for x in everything]
    assert len(set(ids)) == len(ids)
    assert ids[:100] == [getattr(x, key) for x in getattr(first, items)]
    second = sdk.call(lister, limit=100, offset=100)
    assert ids[100:200] == [getattr(x, key) for x in getattr(second, items)]


def test_events_are_newest_first_and_filters_hold(sdk: Driver) -> None:
    start = NOW - dt.timedelta(days=10)
    events = sdk.collect("get_all_details", start_date=start, end_date=NOW, operation_type="chat")
    assert events
    assert all(e.operation_type == types.OperationType.CHAT for e in events)
    assert all(start <= e.timestamp < NOW for e in events)
    stamps = [e.timestamp for e in events]
    assert stamps == sorted(stamps, reverse=True)


def test_period_series_sums_to_the_summary(sdk: Driver) -> None:
    start, end = NOW - dt.timedelta(days=30), NOW
    series = sdk.call("get_by_period", period_type="day", start_date=start, end_date=end)
    summary = sdk.call("get_summary", start_date=start, end_date=end)
    assert sum(point.value for point in series.data) == summary.total_requests > 0
    hourly = sdk.call("get_by_period", period_type="hour", start_date=start, end_date=end)
    assert sum(point.value for point in hourly.data) == summary.total_requests


def test_breakdown_adds_up(sdk: Driver) -> None:
    breakdown = sdk.call("get_breakdown")
    assert sum(item.credits_used for item in breakdown.by_operation) == breakdown.total_credits_used
    assert breakdown.credits_remaining == breakdown.credit_limit - breakdown.total_credits_used


def test_top_endpoints_rank_the_events_details_pages_through(sdk: Driver) -> None:
    start, end = NOW - dt.timedelta(days=20), NOW
    counts = collections.Counter(
        e.endpoint for e in sdk.collect("get_all_details", start_date=start, end_date=end)
    )
    top = sdk.call("get_top_endpoints", limit=50, start_date=start, end_date=end)
    assert {ep.endpoint: ep.request_count for ep in top.endpoints} == dict(counts)
    assert [ep.request_count for ep in top.endpoints] == sorted(counts.values(), reverse=True)


@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_an_export_is_stable_while_the_server_records_requests(
    scopix_sandbox_factory: Any, flavour: str
) -> None:
    live = scopix_sandbox_factory(events=1_500, rate_limit=False, record_requests=True)
    driver = Driver(flavour, api_key=live.api_key, base_url=live.base_url, pacing=False)
    seen: list[str] = []
    try:
        if isinstance(driver.client, Scopix):
            client = driver.client

            async def export() -> None:
                async for event in client.usage.get_all_details(page_size=50):
                    seen.append(event.id)
                    if len(seen) % 50 == 0:
                        await client.usage.get_breakdown()  # recorded as the newest event

            driver.run(export())
        else:
            for event in driver.client.usage.get_all_details(page_size=50):
                seen.append(event.id)
                if len(seen) % 50 == 0:
                    driver.client.usage.get_breakdown()
    finally:
        driver.close()
    assert len(seen) == len(set(seen))
    assert len(seen) >= 1_500
