"""Throughput with pacing off: 10,000 `check()` requests from 100 coroutines on one `Scopix`,
against a raw `httpx.AsyncClient` sending the same requests (and decoding the JSON), against one
sandbox in its own process. Both use the same pool limits (100 connections, all kept alive).

The 10,000 requests of each client go in 5 alternating rounds of 2,000 (each client keeps its
warm pool across rounds), so both see the same machine; the ratio is the median of the per-round
ratios. httpx's pool (httpcore) scans every connection for every request, so with 100
connections most of the client CPU goes there, in both clients alike.

    python -m bench throughput
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from bench._common import Result, at_least, median, paired_ratio, sandbox_process
from scopix import Scopix

REQUESTS, CONCURRENCY, ROUNDS = 10_000, 100, 5
LIMITS = httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY)
LEVEL, ITEMS = "thorough", 10


async def rate(call: Callable[[], Awaitable[Any]], requests: int) -> float:
    """Requests per second: `requests` calls shared by CONCURRENCY coroutines."""
    per_worker = requests // CONCURRENCY

    async def worker() -> None:
        for _ in range(per_worker):
            await call()

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    return per_worker * CONCURRENCY / (time.perf_counter() - start)


async def run(base_url: str, api_key: str, rounds: int) -> dict[str, list[float]]:
    headers = {"Authorization": f"Bearer {api_key}"}
    async with (
        Scopix(
            api_key=api_key,
            base_url=base_url,
            pacing=False,
            http_client=httpx.AsyncClient(limits=LIMITS),
        ) as sdk,
        httpx.AsyncClient(base_url=base_url, headers=headers, limits=LIMITS) as raw,
    ):

        async def sdk_call() -> Any:
            return await sdk.usage.check(analysis_level=LEVEL, item_count=ITEMS)

        async def raw_call() -> Any:
            params: dict[str, str | int] = {"analysis_level": LEVEL, "item_count": ITEMS}
            response = await raw.get("/v1/usage/check", params=params)
            response.raise_for_status()
            return json.loads(response.content)

        contenders = {"sdk": sdk_call, "raw_httpx": raw_call}
        samples: dict[str, list[float]] = {name: [] for name in contenders}
        for call in contenders.values():  # warm-up: open the pools, compile the parsers
            await rate(call, 2 * CONCURRENCY)
        for r in range(rounds):
            names = list(contenders)[:: 1 if r % 2 == 0 else -1]
            for name in names:
                samples[name].append(await rate(contenders[name], REQUESTS // rounds))
        return samples


def measure(rounds: int = ROUNDS) -> dict[str, list[float]]:
    with sandbox_process(20_000) as sb:
        return asyncio.run(run(sb.base_url, sb.api_key, rounds))


def results(samples: dict[str, list[float]] | None = None) -> list[Result]:
    s = samples if samples is not None else measure()
    return [
        at_least(
            f"throughput, pacing off, {CONCURRENCY} coroutines: SDK / raw httpx",
            paired_ratio(s["sdk"], s["raw_httpx"]),
            0.8,
            f"SDK {median(s['sdk']):,.0f} req/s, raw {median(s['raw_httpx']):,.0f} req/s "
            f"({REQUESTS:,} check() each, in {len(s['sdk'])} alternating rounds; medians)",
        )
    ]


def main() -> None:
    for row in results():
        print(f"{row.name}: {row.measured} ({row.target}: {row.verdict}) {row.raw}")


if __name__ == "__main__":
    main()
