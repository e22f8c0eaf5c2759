"""Bad arguments raise a clear ScopixError (and ValueError or TypeError) before anything is sent."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

import scopix

from .driver import Driver

AWARE = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)

# method, keywords, error class, words the message must contain
BAD: list[tuple[str, dict[str, Any], type[Exception], list[str]]] = [
    ("get_details", {"limit": 0}, ValueError, ["limit", "1 to 100", "got 0"]),
    ("get_details", {"limit": 101}, ValueError, ["limit", "1 to 100"]),
    ("get_details", {"offset": -1}, ValueError, ["offset", "from 0"]),
    ("get_details", {"limit": True}, TypeError, ["limit", "int", "bool"]),
    ("get_details", {"limit": "10"}, TypeError, ["limit", "int", "str"]),
    ("get_details", {"limit": 10**30}, ValueError, ["limit"]),
    ("get_details", {"operation_type": "teleport"}, ValueError, ["operation_type", "'chat'"]),
    ("get_details", {"start_date": dt.datetime(2026, 1, 1)}, ValueError, ["start_date", "naive"]),
    ("get_details", {"start_date": "2026-01-01"}, TypeError, ["start_date", "datetime"]),
    ("get_details", {"api_key_id": ""}, ValueError, ["api_key_id", "1 to 128"]),
    ("get_details", {"api_key_id": 5}, TypeError, ["api_key_id", "str"]),
    (
        "get_details",
        {"start_date": AWARE, "end_date": AWARE - dt.timedelta(days=1)},
        ValueError,
        ["start_date", "end_date"],
    ),
    ("get_top_endpoints", {"limit": 51}, ValueError, ["limit", "1 to 50"]),
    ("get_top_endpoints", {"limit": 0}, ValueError, ["limit", "1 to 50"]),
    ("get_file_tokens", {"limit": 101}, ValueError, ["limit", "1 to 100"]),
    ("get_conversation_tokens", {"offset": -5}, ValueError, ["offset"]),
    ("get_summary", {"period": "fortnight"}, ValueError, ["period", "'day', 'week', 'month'"]),
    ("get_summary", {"period": None, "end_date": 3}, TypeError, ["end_date"]),
    ("get_by_period", {"period_type": "week"}, ValueError, ["period_type", "'hour', 'day'"]),
    (
        "get_dashboard_analytics",
        {"period": "day"},
        ValueError,
        ["period", "'week', 'month', 'year'"],
    ),
    ("get_plan", {"period": "decade"}, ValueError, ["period", "'quarter'"]),
    ("get_plan", {"include_projections": "yes"}, TypeError, ["include_projections", "bool"]),
    ("check", {"item_count": 0}, ValueError, ["item_count", "1 to 10000"]),
    ("check", {"analysis_level": "deep"}, ValueError, ["analysis_level", "'thorough'"]),
    ("check", {"content_category": "x" * 101}, ValueError, ["content_category"]),
    ("get_monthly_tokens", {"start_date": AWARE}, TypeError, ["start_date", "datetime.date"]),
    ("get_monthly_tokens", {"end_date": "2026-11-30"}, TypeError, ["end_date", "date"]),
    (
        "get_monthly_tokens",
        {"start_date": dt.date(2026, 11, 2), "end_date": dt.date(2026, 11, 1)},
        ValueError,
        ["start_date", "end_date"],
    ),
    ("get_all_details", {"page_size": 0}, ValueError, ["page_size", "1 to 100"]),
    ("get_all_details", {"operation_type": "x"}, ValueError, ["operation_type"]),
    ("get_all_file_tokens", {"page_size": 101}, ValueError, ["page_size", "1 to 100"]),
    ("get_all_conversation_tokens", {"page_size": 1.5}, TypeError, ["page_size", "int"]),
    ("check", {"max_retries": -1}, ValueError, ["max_retries"]),
]


@pytest.mark.parametrize(("method", "kwargs", "kind", "words"), BAD)
def test_rejected_before_sending(
    httpserver: HTTPServer,
    driver: Driver,
    method: str,
    kwargs: dict[str, Any],
    kind: type[Exception],
    words: list[str],
) -> None:
    with pytest.raises(scopix.ScopixError) as caught:
        driver.call(method, **kwargs)
    assert isinstance(caught.value, kind)
    for word in words:
        assert word in str(caught.value)
    assert httpserver.log == []


def test_the_error_names_the_parameter(driver: Driver) -> None:
    with pytest.raises(scopix.InvalidParameterError) as caught:
        driver.call("get_details", limit=0)
    assert caught.value.parameter == "limit"


def test_enum_members_are_accepted(httpserver: HTTPServer, driver: Driver) -> None:
    httpserver.expect_request(
        "/v1/usage/details", query_string={"operation_type": "chat", "limit": "50", "offset": "0"}
    ).respond_with_json({"events": [], "total": 0, "limit": 50, "offset": 0, "has_more": False})
    driver.call("get_details", operation_type=scopix.types.OperationType.CHAT)


def test_odd_strings_are_sent_url_encoded(httpserver: HTTPServer, driver: Driver) -> None:
    odd = "key'; DROP TABLE events;--&x=1 ü/?#"
    httpserver.expect_request(
        "/v1/usage/summary", query_string={"period": "month", "api_key_id": odd}
    ).respond_with_json({"error": "unused"}, status=404)
    with pytest.raises(scopix.NotFoundError):
        driver.call("get_summary", api_key_id=odd)
    assert httpserver.log[0][0].args["api_key_id"] == odd
