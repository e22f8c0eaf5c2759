"""The call path's cost, counted rather than timed: the Python function calls one
`get_details(limit=50)` makes (a 50-event page from an httpx.MockTransport, pacing off) stay under a
budget, so a change that makes every call do more work fails here rather than only in
`python -m bench percall`. The budgets are today's counts plus about 10 %."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Callable
from types import FrameType
from typing import Any

import httpx

from scopix import Scopix, SyncScopix
from tests.bodies import example, page

# Sync and async counts of one call, scopix code and httpx together: 576 and 622 on 6 December
# 2026 (715 and 761 before date-times, enums and arrays of objects were parsed inline).
BUDGET = {"sync": 635, "async": 685}
BASE = "http://127.0.0.1:8"


def _transport() -> httpx.MockTransport:
    events = [{**example("UsageEvent"), "id": f"evt_{i:03d}"} for i in range(50)]
    content = json.dumps(page("UsageDetails", "events", events, offset=0, has_more=True)).encode()
    headers = {"content-type": "application/json", "x-request-id": "req_1"}
    return httpx.MockTransport(lambda _: httpx.Response(200, content=content, headers=headers))


def _count(run: Callable[[], Any]) -> int:
    calls = 0

    def profile(frame: FrameType, event: str, arg: object) -> None:
        nonlocal calls
        if event == "call":
            calls += 1

    sys.setprofile(profile)
    try:
        run()
    finally:
        sys.setprofile(None)
    return calls


def test_sync_call_stays_within_its_function_call_budget() -> None:
    with SyncScopix(
        api_key="scopix_budget_key",
        base_url=BASE,
        pacing=False,
        http_client=httpx.Client(transport=_transport()),
    ) as client:
        client.usage.get_details(limit=50)  # warm: compiled parsers, imports, caches
        calls = _count(lambda: client.usage.get_details(limit=50))
    assert calls <= BUDGET["sync"], f"{calls} function calls per get_details(limit=50)"


def test_async_call_stays_within_its_function_call_budget() -> None:
    client = Scopix(
        api_key="scopix_budget_key",
        base_url=BASE,
        pacing=False,
        http_client=httpx.AsyncClient(transport=_transport()),
    )
    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(client.usage.get_details(limit=50))
        calls = _count(lambda: loop.run_until_complete(client.usage.get_details(limit=50)))
        loop.run_until_complete(client.aclose())
    finally:
        loop.close()
    assert calls <= BUDGET["async"], f"{calls} function calls per get_details(limit=50)"
