"""Per-call CPU of `get_details(limit=50)`: the SDK (with the `fast` extra's msgspec decoder, and
on the pure-Python parser a process without the extra uses), the generated call and a plain httpx
get + json.loads, sync and async, all on one in-process httpx.MockTransport serving the same
50-event page. The contenders run in alternating rounds (order rotated each round); each ratio is
the median of the per-round ratios.

    python -m bench percall
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from bench._common import Result, at_most, cpu_per_call, info, interleaved, median, paired_ratio
from scopix import Scopix, SyncScopix, _parse_fast
from scopix_api.api.usage import get_details as generated_get_details
from scopix_api.client import AuthenticatedClient
from tests.bodies import example, page

KEY = "scopix_bench_key"
BASE = "http://127.0.0.1:8"
PATH = "/v1/usage/details"
ROUNDS, BATCH = 15, 150


def body(events: int) -> bytes:
    """A `UsageDetails` page of `events` distinct events, as the server would send it."""
    items = []
    for i in range(events):
        event = example("UsageEvent")
        event.update(
            id=f"evt_{i:06d}",
            timestamp=f"2026-11-20T14:{i // 60 % 60:02d}:{i % 60:02d}.{i % 1000:03d}Z",
            credits_used=i % 7,
            latency_ms=100.0 + i,
        )
        items.append(event)
    return json.dumps(page("UsageDetails", "events", items, offset=0, has_more=True)).encode()


def transport(content: bytes) -> httpx.MockTransport:
    headers = {"content-type": "application/json", "x-request-id": "req_1"}
    return httpx.MockTransport(
        lambda request: httpx.Response(200, content=content, headers=headers)
    )


def async_cpu_per_call(
    loop: asyncio.AbstractEventLoop, fn: Callable[[], Awaitable[Any]], n: int
) -> Callable[[], float]:
    async def calls() -> None:
        for _ in range(n):
            await fn()

    def run() -> float:
        start = time.process_time()
        loop.run_until_complete(calls())
        return (time.process_time() - start) / n

    return run


def pure(run: Callable[[], float]) -> Callable[[], float]:
    """A contender on the pure parser: the fast path off for its batch, as without the extra."""

    def measured() -> float:
        _parse_fast._pure_only.add("UsageDetails")
        _parse_fast.decoder_for.cache_clear()
        try:
            return run()
        finally:
            _parse_fast._pure_only.discard("UsageDetails")
            _parse_fast.decoder_for.cache_clear()

    return measured


def measure(rounds: int = ROUNDS, batch: int = BATCH) -> dict[str, list[float]]:
    """CPU seconds per call of each contender, one sample per round."""
    content = body(50)
    auth = {"Authorization": f"Bearer {KEY}"}
    loop = asyncio.new_event_loop()

    sdk = SyncScopix(
        api_key=KEY,
        base_url=BASE,
        pacing=False,
        http_client=httpx.Client(transport=transport(content)),
    )
    asdk = Scopix(
        api_key=KEY,
        base_url=BASE,
        pacing=False,
        http_client=httpx.AsyncClient(transport=transport(content)),
    )
    generated = AuthenticatedClient(
        base_url=BASE, token=KEY, httpx_args={"transport": transport(content)}
    )
    plain = httpx.Client(transport=transport(content), base_url=BASE, headers=auth)
    aplain = httpx.AsyncClient(transport=transport(content), base_url=BASE, headers=auth)
    params = {"limit": 50, "offset": 0}
    empty = body(0)  # the call path alone: no models to build
    sdk_empty = SyncScopix(
        api_key=KEY,
        base_url=BASE,
        pacing=False,
        http_client=httpx.Client(transport=transport(empty)),
    )
    plain_empty = httpx.Client(transport=transport(empty), base_url=BASE, headers=auth)

    def plain_call() -> Any:
        return json.loads(plain.get(PATH, params=params).content)

    async def aplain_call() -> Any:
        return json.loads((await aplain.get(PATH, params=params)).content)

    contenders = {
        "sdk_sync": cpu_per_call(lambda: sdk.usage.get_details(limit=50), batch),
        "sdk_pure_sync": pure(cpu_per_call(lambda: sdk.usage.get_details(limit=50), batch)),
        "generated_sync": cpu_per_call(
            lambda: generated_get_details.sync_detailed(client=generated, limit=50), batch
        ),
        "plain_sync": cpu_per_call(plain_call, batch),
        "sdk_async": async_cpu_per_call(loop, lambda: asdk.usage.get_details(limit=50), batch),
        "sdk_pure_async": pure(
            async_cpu_per_call(loop, lambda: asdk.usage.get_details(limit=50), batch)
        ),
        "generated_async": async_cpu_per_call(
            loop,
            lambda: generated_get_details.asyncio_detailed(client=generated, limit=50),
            batch,
        ),
        "plain_async": async_cpu_per_call(loop, aplain_call, batch),
        "sdk_sync_empty": cpu_per_call(lambda: sdk_empty.usage.get_details(limit=50), batch),
        "plain_sync_empty": cpu_per_call(
            lambda: json.loads(plain_empty.get(PATH, params=params).content), batch
        ),
    }
    try:
        interleaved(contenders, 2)  # warm-up: connections, compiled parsers, caches
        return interleaved(contenders, rounds)
    finally:
        sdk.close()
        plain.close()
        sdk_empty.close()
        plain_empty.close()
        loop.run_until_complete(asdk.aclose())
        loop.run_until_complete(aplain.aclose())
        loop.run_until_complete(generated.get_async_httpx_client().aclose())
        generated.get_httpx_client().close()
        loop.close()


def results(samples: dict[str, list[float]] | None = None) -> list[Result]:
    s = samples if samples is not None else measure()

    def us(name: str) -> str:
        return f"{median(s[name]) * 1e6:.0f} us"

    def worst(a: str, b: str) -> str:
        """The highest of the per-round ratios (the row's figure is their median)."""
        return f"worst round x{max(x / y for x, y in zip(s[a], s[b], strict=True)):.2f}"

    rows = []
    for flavour in ("sync", "async"):
        sdk, gen, plain = f"sdk_{flavour}", f"generated_{flavour}", f"plain_{flavour}"
        rows.append(
            at_most(
                f"per-call CPU, {flavour}: SDK / generated",
                paired_ratio(s[sdk], s[gen]),
                1.10,
                f"SDK {us(sdk)}, generated {us(gen)}",
            )
        )
        rows.append(
            at_most(
                f"per-call CPU, {flavour}: SDK [fast] / plain httpx+json",
                paired_ratio(s[sdk], s[plain]),
                1.2,
                f"SDK {us(sdk)}, plain {us(plain)}, {worst(sdk, plain)}",
            )
        )
        pure_sdk = f"sdk_pure_{flavour}"
        rows.append(
            info(
                f"per-call CPU, {flavour}: SDK without [fast] (pure parser) / plain httpx+json",
                paired_ratio(s[pure_sdk], s[plain]),
                f"SDK pure {us(pure_sdk)}, plain {us(plain)}, {worst(pure_sdk, plain)}",
            )
        )
    rows.append(
        at_most(
            "per-call CPU, sync, empty page (the call path alone): SDK / plain httpx+json",
            paired_ratio(s["sdk_sync_empty"], s["plain_sync_empty"]),
            1.2,
            f"SDK {us('sdk_sync_empty')}, plain {us('plain_sync_empty')}, "
            f"{worst('sdk_sync_empty', 'plain_sync_empty')}",
        )
    )
    return rows


def main() -> None:
    samples = measure()
    print("Per-call CPU, get_details(limit=50), 50-event page on httpx.MockTransport (median)")
    for name, values in samples.items():
        print(f"  {name:16} {median(values) * 1e6:8.1f} us (worst {max(values) * 1e6:.1f})")
    for row in results(samples):
        print(f"  {row.name:55} {row.measured:>6}  (target {row.target}: {row.verdict})")
        print(f"  {'':55} {row.raw}")


if __name__ == "__main__":
    main()
