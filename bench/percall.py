"""Per-call CPU of `get_details(limit=50)`: the SDK (sync and async), the generated call, and a
plain httpx get + json.loads, all on one in-process httpx.MockTransport serving the same page.

    python -m bench.percall
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from typing import Any

import httpx

from scopix import Scopix, SyncScopix
from scopix_api.api.usage import get_details as generated_get_details
from scopix_api.client import AuthenticatedClient
from tests.bodies import example, page

KEY = "scopix_bench_key"
BASE = "http://127.0.0.1:8"


def body(events: int) -> bytes:
    items = []
    for i in range(events):
        event = example("UsageEvent")
        event.update(id=f"evt_{i:06d}", credits_used=i % 7, latency_ms=100.0 + i)
        items.append(event)
    return json.dumps(page("UsageDetails", "events", items, offset=0, has_more=True)).encode()


def transport(content: bytes) -> httpx.MockTransport:
    headers = {"content-type": "application/json", "x-request-id": "req_1"}
    return httpx.MockTransport(
        lambda request: httpx.Response(200, content=content, headers=headers)
    )


def per_call(fn: Callable[[], Any], seconds: float = 1.0) -> float:
    """Median CPU seconds per call over a few rounds."""
    for _ in range(20):
        fn()
    rounds = []
    for _ in range(5):
        n, start = 0, time.process_time()
        while time.process_time() - start < seconds / 5:
            fn()
            n += 1
        rounds.append((time.process_time() - start) / n)
    return sorted(rounds)[len(rounds) // 2]


def measure(events: int = 50) -> dict[str, float]:
    content = body(events)
    sdk = SyncScopix(
        api_key=KEY,
        base_url=BASE,
        pacing=False,
        http_client=httpx.Client(transport=transport(content)),
    )
    generated = AuthenticatedClient(
        base_url=BASE, token=KEY, httpx_args={"transport": transport(content)}
    )
    plain = httpx.Client(
        transport=transport(content), base_url=BASE, headers={"Authorization": f"Bearer {KEY}"}
    )

    def plain_call() -> None:
        json.loads(plain.get("/v1/usage/details", params={"limit": 50, "offset": 0}).content)

    results = {
        "sdk_sync": per_call(lambda: sdk.usage.get_details(limit=50)),
        "generated": per_call(
            lambda: generated_get_details.sync_detailed(client=generated, limit=50)
        ),
        "plain_httpx": per_call(plain_call),
    }

    async def async_rounds() -> float:
        client = Scopix(
            api_key=KEY,
            base_url=BASE,
            pacing=False,
            http_client=httpx.AsyncClient(transport=transport(content)),
        )
        for _ in range(20):
            await client.usage.get_details(limit=50)
        rounds = []
        for _ in range(5):
            n, start = 0, time.process_time()
            while time.process_time() - start < 0.2:
                await client.usage.get_details(limit=50)
                n += 1
            rounds.append((time.process_time() - start) / n)
        return sorted(rounds)[2]

    results["sdk_async"] = asyncio.run(async_rounds())
    return results


def main() -> None:
    r = measure()
    print("Per-call CPU, get_details(limit=50), 50-event page on httpx.MockTransport")
    for name, value in r.items():
        print(f"  {name:12} {value * 1e6:8.1f} us   x{value / r['plain_httpx']:.2f} of plain httpx")
    print(f"  SDK sync over generated: {r['sdk_sync'] / r['generated']:.3f}")


if __name__ == "__main__":
    main()
