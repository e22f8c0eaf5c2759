"""A fault run: many calls over every operation against a sandbox that faults 30% of answers."""

from __future__ import annotations

import asyncio
import collections
import datetime as dt
import random
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import httpx

import scopix
from scopix import Scopix, SyncScopix
from scopix.pacing import BucketLimit, RateLimits

from .remote import RemoteSandbox

PINNED = dt.datetime(2026, 11, 20, 14, 30, tzinfo=dt.UTC)
LIMITS = {"usage": 400, "check": 800}
PACING = RateLimits({b: BucketLimit(n, 1.0) for b, n in LIMITS.items()})
FAULTS: dict[str, Any] = {
    "error_500": 0.05,
    "error_502": 0.05,
    "error_503": 0.05,
    "rate_limit": 0.05,
    "disconnect": 0.05,
    "slow": 0.05,
    "slow_ms": 2500,
    "retry_after": 0,
    "seed": 11,
}
TIMEOUT = httpx.Timeout(1.0, connect=1.0)
SANDBOX_FLAGS = (
    f"--now={PINNED.isoformat()}",
    "--events=1000",
    "--window=1",
    f"--limit-usage={LIMITS['usage']}",
    f"--limit-check={LIMITS['check']}",
    "--no-record",
)

CALLS: list[tuple[str, dict[str, Any]]] = [
    ("check", {"analysis_level": "thorough", "item_count": 10}),
    ("get_breakdown", {}),
    ("get_summary", {"period": "week"}),
    ("get_details", {"limit": 50, "offset": 100}),
    ("get_by_period", {"period_type": "day"}),
    ("get_top_endpoints", {"limit": 5}),
    ("get_dashboard_analytics", {"period": "week"}),
    ("get_plan", {}),
    ("get_monthly_tokens", {}),
    ("get_file_tokens", {"limit": 20}),
    ("get_conversation_tokens", {"limit": 20}),
]
PAGERS: list[tuple[str, str]] = [
    ("get_all_details", "id"),
    ("get_all_file_tokens", "file_id"),
    ("get_all_conversation_tokens", "conversation_id"),
]
END = PINNED  # get_all_details pins its end at "now"; the sandbox clock is pinned, so pass it


@dataclass
class Counts:
    calls: int = 0
    requests: int = 0
    retries: int = 0
    successes: int = 0
    wrong: int = 0
    errors: collections.Counter[str] = field(default_factory=collections.Counter)
    unexpected: list[str] = field(default_factory=list)

    def line(self) -> str:
        errors = ", ".join(f"{k}: {v}" for k, v in sorted(self.errors.items())) or "none"
        return (
            f"calls {self.calls}, requests {self.requests}, retries {self.retries}, "
            f"successes {self.successes}, wrong results {self.wrong}, errors by class: {errors}, "
            f"other exceptions: {len(self.unexpected)}"
        )


def client_settings(sandbox: RemoteSandbox) -> dict[str, Any]:
    """The same client for both runs: five retries, a short timeout, scaled pacing."""
    return {
        "api_key": sandbox.api_key,
        "base_url": sandbox.base_url,
        "max_retries": 5,
        "timeout": TIMEOUT,
        "pacing": PACING,
    }


def pager_kwargs(method: str) -> dict[str, Any]:
    return {"page_size": 100, **({"end_date": END} if method == "get_all_details" else {})}


async def expected_answers(sandbox: RemoteSandbox) -> dict[str, Any]:
    """What every call must return, read with faults off."""
    async with Scopix(api_key=sandbox.api_key, base_url=sandbox.base_url, pacing=False) as c:
        answers: dict[str, Any] = {}
        for method, kwargs in CALLS:
            answers[method] = (await getattr(c.usage, method)(**kwargs)).to_dict()
        for method, key in PAGERS:
            pager = getattr(c.usage, method)(**pager_kwargs(method))
            answers[method] = [getattr(item, key) async for item in pager]
        return answers


async def run(sandbox: RemoteSandbox, calls: int, concurrency: int = 100, seed: int = 0) -> Counts:
    answers = await expected_answers(sandbox)
    sandbox.set_faults(FAULTS)
    counts = Counts()

    async def on_request(request: httpx.Request) -> None:
        counts.requests += 1
        if "x-scopix-retry-count" in request.headers:
            counts.retries += 1

    http = httpx.AsyncClient(event_hooks={"request": [on_request]})
    rng = random.Random(seed)
    # one call in ten walks a whole listing (about ten pages each)
    plan = [
        len(CALLS) + rng.randrange(len(PAGERS)) if rng.random() < 0.1 else rng.randrange(len(CALLS))
        for _ in range(calls)
    ]
    queue: asyncio.Queue[int] = asyncio.Queue()
    for item in plan:
        queue.put_nowait(item)
    client = Scopix(**client_settings(sandbox), http_client=http)

    async def one(index: int) -> None:
        counts.calls += 1
        try:
            if index < len(CALLS):
                method, kwargs = CALLS[index]
                got: Any = (await getattr(client.usage, method)(**kwargs)).to_dict()
            else:
                method, key = PAGERS[index - len(CALLS)]
                pager = getattr(client.usage, method)(**pager_kwargs(method))
                got = [getattr(item, key) async for item in pager]
        except scopix.ScopixError as exc:
            counts.errors[type(exc).__name__] += 1
            return
        except Exception as exc:  # anything else is a bug
            counts.unexpected.append(repr(exc))
            return
        if got == answers[method]:
            counts.successes += 1
        else:
            counts.wrong += 1

    async def worker() -> None:
        while not queue.empty():
            await one(queue.get_nowait())

    try:
        await asyncio.gather(*(worker() for _ in range(concurrency)))
    finally:
        sandbox.set_faults()
        pool = http._transport._pool  # type: ignore[attr-defined]
        counts_open = len(pool.connections)
        await client.aclose()
        await http.aclose()
    assert counts_open <= 100, f"{counts_open} connections open (pool size 100)"
    return counts


def run_sync(sandbox: RemoteSandbox, calls: int, threads: int = 16, seed: int = 0) -> Counts:
    """The same run on one SyncScopix shared by many threads."""
    answers = asyncio.run(expected_answers(sandbox))
    sandbox.set_faults(FAULTS)
    counts = Counts()
    lock = threading.Lock()

    def on_request(request: httpx.Request) -> None:
        with lock:
            counts.requests += 1
            counts.retries += "x-scopix-retry-count" in request.headers

    rng = random.Random(seed)
    plan = [rng.randrange(len(CALLS) + len(PAGERS)) for _ in range(calls)]
    http = httpx.Client(event_hooks={"request": [on_request]})
    client = SyncScopix(**client_settings(sandbox), http_client=http)

    def one(index: int) -> str:
        try:
            if index < len(CALLS):
                method, kwargs = CALLS[index]
                got: Any = getattr(client.usage, method)(**kwargs).to_dict()
            else:
                method, key = PAGERS[index - len(CALLS)]
                pager = getattr(client.usage, method)(**pager_kwargs(method))
                got = [getattr(item, key) for item in pager]
        except scopix.ScopixError as exc:
            return type(exc).__name__
        except Exception as exc:
            return f"unexpected {exc!r}"
        return "ok" if got == answers[method] else "wrong"

    try:
        with ThreadPoolExecutor(threads) as pool:
            outcomes = list(pool.map(one, plan))
    finally:
        sandbox.set_faults()
        client.close()
        http.close()
    counts.calls = len(outcomes)
    for outcome in outcomes:
        if outcome == "ok":
            counts.successes += 1
        elif outcome == "wrong":
            counts.wrong += 1
        elif outcome.startswith("unexpected"):
            counts.unexpected.append(outcome)
        else:
            counts.errors[outcome] += 1
    return counts
