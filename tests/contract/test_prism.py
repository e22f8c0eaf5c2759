"""The SDK against Prism, an independent mock of the same spec: every method parses what Prism
answers, and Prism finds nothing in the SDK's requests that violates the spec."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from scopix import types
from tests import openapi
from tests.conftest import API_KEY
from tests.overlay.driver import Driver

ROOT = Path(__file__).resolve().parents[2]
PRISM = ROOT / "node_modules" / ".bin" / "prism"

CALLS: list[tuple[str, dict[str, Any], str]] = [
    ("check", {"analysis_level": "thorough", "item_count": 10}, "UsageCheckResult"),
    ("get_breakdown", {}, "UsageBreakdown"),
    ("get_summary", {"period": "week", "api_key_id": "key_01"}, "UsageSummary"),
    ("get_details", {"limit": 20, "operation_type": "chat"}, "UsageDetails"),
    ("get_by_period", {"period_type": "hour"}, "UsageByPeriod"),
    ("get_top_endpoints", {"limit": 5}, "TopEndpoints"),
    ("get_dashboard_analytics", {"period": "week"}, "DashboardAnalytics"),
    ("get_plan", {"include_projections": False}, "PlanUtilization"),
    ("get_monthly_tokens", {}, "MonthlyTokenUsage"),
    ("get_file_tokens", {"limit": 10}, "FileTokenUsageList"),
    ("get_conversation_tokens", {"limit": 10, "offset": 3}, "ConversationTokenUsageList"),
]
PAGERS = [
    ("get_all_details", "UsageEvent"),
    ("get_all_file_tokens", "FileTokenUsage"),
    ("get_all_conversation_tokens", "ConversationTokenUsage"),
]


@pytest.fixture(scope="module")
def prism_url() -> Iterator[str]:
    if not PRISM.exists():
        pytest.fail("Prism is not installed: run `make install` (npm ci)")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen(
        [str(PRISM), "mock", str(openapi.SPEC_PATH), "-h", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                httpx.get(url + "/v1/usage/breakdown", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        else:
            pytest.fail("Prism did not start")
        yield url
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture(params=["sync", "async"])
def prism(prism_url: str, request: pytest.FixtureRequest) -> Iterator[Driver]:
    driver = Driver(request.param, api_key=API_KEY, base_url=prism_url, pacing=False)
    yield driver
    driver.close()


@pytest.mark.parametrize(("method", "kwargs", "schema"), CALLS)
def test_every_method_parses_prisms_answer_and_sends_a_valid_request(
    prism: Driver, method: str, kwargs: dict[str, Any], schema: str
) -> None:
    raw = prism.raw(method, **kwargs)
    assert raw.status_code == 200
    assert "sl-violations" not in raw.headers, raw.headers.get("sl-violations")
    assert type(raw.parse()) is getattr(types, schema)


@pytest.mark.parametrize(("method", "item"), PAGERS)
def test_every_pager_walks_prisms_pages(prism: Driver, method: str, item: str) -> None:
    items = prism.collect(method, page_size=25)
    assert items
    assert all(type(x) is getattr(types, item) for x in items)


def test_prism_does_flag_a_request_that_violates_the_spec(prism_url: str) -> None:
    response = httpx.get(
        prism_url + "/v1/usage/details",
        params={"limit": 0},
        headers={"Authorization": f"Bearer {API_KEY}"},
    )
    assert response.status_code == 422 or "sl-violations" in response.headers
