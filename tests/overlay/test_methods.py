"""Each method, both flavours: the request it sends and the typed result it returns."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from scopix import types
from tests.bodies import example
from tests.conftest import API_KEY

from .driver import Driver

UTC = dt.UTC
START = dt.datetime(2026, 11, 1, tzinfo=UTC)
END = dt.datetime(2026, 11, 20, 12, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))

# method, keywords, path, query the server must see, response schema
CASES: list[tuple[str, dict[str, Any], str, dict[str, str], str]] = [
    (
        "check",
        {},
        "/v1/usage/check",
        {"analysis_level": "standard", "item_count": "1"},
        "UsageCheckResult",
    ),
    (
        "check",
        {"analysis_level": "thorough", "item_count": 10, "content_category": "documents"},
        "/v1/usage/check",
        {"analysis_level": "thorough", "item_count": "10", "content_category": "documents"},
        "UsageCheckResult",
    ),
    ("get_breakdown", {}, "/v1/usage/breakdown", {}, "UsageBreakdown"),
    ("get_summary", {}, "/v1/usage/summary", {"period": "month"}, "UsageSummary"),
    (
        "get_summary",
        {"start_date": START, "end_date": END, "period": "week", "api_key_id": "key_01"},
        "/v1/usage/summary",
        {
            "start_date": "2026-11-01T00:00:00+00:00",
            "end_date": "2026-11-20T12:30:00+02:00",
            "period": "week",
            "api_key_id": "key_01",
        },
        "UsageSummary",
    ),
    (
        "get_details",
        {"limit": 20},
        "/v1/usage/details",
        {"limit": "20", "offset": "0"},
        "UsageDetails",
    ),
    (
        "get_details",
        {"operation_type": "chat", "offset": 40, "api_key_id": "key_02", "start_date": START},
        "/v1/usage/details",
        {
            "operation_type": "chat",
            "limit": "50",
            "offset": "40",
            "api_key_id": "key_02",
            "start_date": "2026-11-01T00:00:00+00:00",
        },
        "UsageDetails",
    ),
    (
        "get_by_period",
        {"period_type": "day"},
        "/v1/usage/by-period",
        {"period_type": "day"},
        "UsageByPeriod",
    ),
    (
        "get_by_period",
        {"period_type": "hour", "end_date": END},
        "/v1/usage/by-period",
        {"period_type": "hour", "end_date": "2026-11-20T12:30:00+02:00"},
        "UsageByPeriod",
    ),
    ("get_top_endpoints", {"limit": 5}, "/v1/usage/top-endpoints", {"limit": "5"}, "TopEndpoints"),
    ("get_top_endpoints", {}, "/v1/usage/top-endpoints", {"limit": "10"}, "TopEndpoints"),
    (
        "get_dashboard_analytics",
        {"period": "week"},
        "/v1/usage/dashboard",
        {"period": "week"},
        "DashboardAnalytics",
    ),
    (
        "get_plan",
        {},
        "/v1/usage/plan",
        {"period": "month", "include_projections": "true"},
        "PlanUtilization",
    ),
    (
        "get_plan",
        {"period": "year", "include_projections": False},
        "/v1/usage/plan",
        {"period": "year", "include_projections": "false"},
        "PlanUtilization",
    ),
    ("get_monthly_tokens", {}, "/v1/usage/tokens/monthly", {}, "MonthlyTokenUsage"),
    (
        "get_monthly_tokens",
        {"start_date": dt.date(2026, 9, 1), "end_date": dt.date(2026, 11, 30)},
        "/v1/usage/tokens/monthly",
        {"start_date": "2026-09-01", "end_date": "2026-11-30"},
        "MonthlyTokenUsage",
    ),
    (
        "get_file_tokens",
        {"limit": 10},
        "/v1/usage/tokens/files",
        {"limit": "10", "offset": "0"},
        "FileTokenUsageList",
    ),
    (
        "get_conversation_tokens",
        {"limit": 10, "offset": 5},
        "/v1/usage/tokens/conversations",
        {"limit": "10", "offset": "5"},
        "ConversationTokenUsageList",
    ),
]


@pytest.mark.parametrize(("method", "kwargs", "path", "query", "schema"), CASES)
def test_request_and_typed_result(
    httpserver: HTTPServer,
    driver: Driver,
    method: str,
    kwargs: dict[str, Any],
    path: str,
    query: dict[str, str],
    schema: str,
) -> None:
    httpserver.expect_oneshot_request(
        path, method="GET", query_string=query, headers={"Authorization": f"Bearer {API_KEY}"}
    ).respond_with_json(example(schema), headers={"X-Request-Id": "req_1"})
    result = driver.call(method, **kwargs)
    httpserver.check_assertions()
    assert type(result) is getattr(types, schema)
    assert result.to_dict() == _normalised(example(schema))


def _normalised(body: Any) -> Any:
    """What to_dict() gives back: the generator writes date-times with isoformat()."""
    if isinstance(body, dict):
        return {k: _normalised(v) for k, v in body.items()}
    if isinstance(body, list):
        return [_normalised(v) for v in body]
    if isinstance(body, str) and len(body) == 20 and body.endswith("Z") and body[10] == "T":
        return body[:-1] + "+00:00"
    return body


def test_the_documented_attributes_have_the_documented_types(
    httpserver: HTTPServer, driver: Driver
) -> None:
    for schema, path in [
        ("UsageCheckResult", "/v1/usage/check"),
        ("UsageBreakdown", "/v1/usage/breakdown"),
        ("UsageSummary", "/v1/usage/summary"),
        ("PlanUtilization", "/v1/usage/plan"),
        ("MonthlyTokenUsage", "/v1/usage/tokens/monthly"),
        ("DashboardAnalytics", "/v1/usage/dashboard"),
    ]:
        httpserver.expect_request(path).respond_with_json(example(schema))
    check = driver.call("check", analysis_level="thorough", item_count=10)
    assert check.can_proceed is True
    assert isinstance(check.available_credits, int)
    breakdown = driver.call("get_breakdown")
    assert f"{breakdown.usage_percentage:.1f}" == "15.5"
    assert breakdown.reset_date.tzinfo is not None
    summary = driver.call("get_summary")
    assert summary.limits is not None
    assert summary.limits.remaining == 8450
    plan = driver.call("get_plan")
    assert plan.projections.will_exceed_limit is False
    assert isinstance(plan.plan_details.usage_percentage, float)
    tokens = driver.call("get_monthly_tokens")
    assert f"{tokens.total_tokens:,}" == "1,843,200"
    analytics = driver.call("get_dashboard_analytics", period="week")
    day = analytics.daily_activity[0]
    assert (day.date, day.files_uploaded, day.chat_messages) == (dt.date(2026, 11, 20), 4, 37)


def test_absent_optional_fields_read_as_none(httpserver: HTTPServer, driver: Driver) -> None:
    body = example("UsageSummary")
    for optional in ("limits", "plan", "total_tokens", "api_key_id"):
        del body[optional]
    httpserver.expect_request("/v1/usage/summary").respond_with_json(body)
    summary = driver.call("get_summary")
    assert summary.limits is None
    assert summary.plan is None
    assert summary.total_tokens is None
    assert not summary.limits  # `if summary.limits:` is the documented idiom


def test_null_optional_objects_read_as_none(httpserver: HTTPServer, driver: Driver) -> None:
    body = example("PlanUtilization")
    body["projections"] = None
    del body["plan_details"]
    httpserver.expect_request("/v1/usage/plan").respond_with_json(body)
    plan = driver.call("get_plan", include_projections=False)
    assert plan.projections is None
    assert plan.plan_details is None


def test_forward_compatible_with_new_fields_and_enum_values(
    httpserver: HTTPServer, driver: Driver
) -> None:
    body = example("UsageDetails")
    event = body["events"][0]
    event["operation_type"] = "hologram_analysis"
    event["carbon_grams"] = 0.2
    body["next_cursor"] = "abc"
    httpserver.expect_request("/v1/usage/details").respond_with_json(body)
    details = driver.call("get_details")
    assert details.events[0].operation_type == "hologram_analysis"
    assert details.events[0].additional_properties == {"carbon_grams": 0.2}
    assert details.additional_properties == {"next_cursor": "abc"}


def test_known_enum_values_become_enum_members(httpserver: HTTPServer, driver: Driver) -> None:
    httpserver.expect_request("/v1/usage/details").respond_with_json(example("UsageDetails"))
    event = driver.call("get_details").events[0]
    assert event.operation_type is types.OperationType.DOCUMENT_ANALYSIS
    assert event.timestamp == dt.datetime(2026, 11, 20, 14, 3, 11, tzinfo=UTC)


def test_date_times_without_offset_are_read_as_utc(httpserver: HTTPServer, driver: Driver) -> None:
    body = example("UsageBreakdown")
    body["reset_date"] = "2026-12-01T00:00:00"
    httpserver.expect_request("/v1/usage/breakdown").respond_with_json(body)
    assert driver.call("get_breakdown").reset_date == dt.datetime(2026, 12, 1, tzinfo=UTC)
