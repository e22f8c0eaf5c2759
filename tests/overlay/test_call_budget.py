"""The call path's cost, counted rather than timed: the Python function calls one
`get_details(limit=50)` makes (a 50-event page from an httpx.MockTransport, pacing off) stay under a
budget, so a change that makes every call do more work fails here rather than only in
`python -m bench percall`.

Each count runs in a fresh interpreter (`python -m tests.overlay.test_call_budget FLAVOUR PARSER`):
with the `fast` extra's decoder, and as an install without msgspec (its import blocked before
the first call), which parses with the pure-Python parser. A fresh process also keeps the count
clear of whatever other tests did to this one (a body with an unknown field turns a schema's fast
path off for the process).
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

import httpx
import pytest

from tests.bodies import example, page

# Counts of one call, scopix code and httpx together, on 7 December 2026: 564 sync and 610 async
# with the fast decoder, 570 and 616 with the pure parser (715 and 761 before date-times, enums
# and arrays of objects were parsed inline). The budgets leave about 5 %: one more Python call
# per event (50 on this page) fails them.
BUDGET = {
    ("sync", "fast"): 590,
    ("async", "fast"): 640,
    ("sync", "pure"): 600,
    ("async", "pure"): 645,
}
BASE = "http://127.0.0.1:8"
ROOT = Path(__file__).resolve().parents[2]


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


def _count_sync() -> int:
    from scopix import SyncScopix

    with SyncScopix(
        api_key="scopix_budget_key",
        base_url=BASE,
        pacing=False,
        http_client=httpx.Client(transport=_transport()),
    ) as client:
        client.usage.get_details(limit=50)  # warm: compiled parsers, imports, caches
        return _count(lambda: client.usage.get_details(limit=50))


def _count_async() -> int:
    from scopix import Scopix

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
    return calls


def _counted(flavour: str, parser: str) -> tuple[int, bool]:
    """The count in a fresh interpreter, and whether msgspec decoded the page there."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.overlay.test_call_budget", flavour, parser],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    return found["calls"], found["fast"]


@pytest.mark.parametrize("parser", ["fast", "pure"])
@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_call_stays_within_its_function_call_budget(flavour: str, parser: str) -> None:
    calls, fast = _counted(flavour, parser)
    assert fast == (parser == "fast"), f"the {parser} run decoded with msgspec: {fast}"
    budget = BUDGET[(flavour, parser)]
    assert calls <= budget, f"{calls} function calls per get_details(limit=50), budget {budget}"


def main(flavour: str, parser: str) -> None:
    if parser == "pure":
        sys.modules["msgspec"] = None  # type: ignore[assignment]  # as if not installed
    calls = _count_sync() if flavour == "sync" else _count_async()
    print(json.dumps({"calls": calls, "fast": "scopix._parse_fast" in sys.modules}))


if __name__ == "__main__":
    main(*sys.argv[1:])
