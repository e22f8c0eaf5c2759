"""Throughput with pacing off: 10,000 `check()` requests from 100 coroutines on one `Scopix`,
against a raw `httpx.AsyncClient` sending the same requests (and decoding the JSON), against one
sandbox in its own process. Both use the same pool limits (100 connections, all kept alive).

The 10,000 requests of each client go in 20 alternating rounds of 500 (each client keeps its
warm pool across rounds), so both see the same machine; the ratio is the median of the per-round
ratios of requests per second. The client's CPU per request is reported alongside.

httpx's pool (httpcore) scans every connection for every request, so with 100 connections much
of the client's CPU goes there, in both clients alike.

    python -m bench throughput
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from bench._common import Result, at_least, median, paired_ratio, sandbox_process
from scopix import Scopix
from scopix.types import AnalysisLevelValue

REQUESTS, CONCURRENCY, ROUNDS = 10_000, 100, 20
LIMITS = httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY)
LEVEL: AnalysisLevelValue = "thorough"
ITEMS = 10


@dataclass
class Samples:
    rate: list[float] = field(default_factory=list)  # requests per second
    cpu: list[float] = field(default_factory=list)  # client CPU seconds per request


async def rate(call: Callable[[], Awaitable[Any]], requests: int, into: Samples) -> None:
    """`requests` calls shared by CONCURRENCY coroutines."""
    per_worker = requests // CONCURRENCY

    async def worker() -> None:
        for _ in range(per_worker):
            await call()

    start, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    done = per_worker * CONCURRENCY
    into.rate.append(done / (time.perf_counter() - start))
    into.cpu.append((time.process_time() - cpu) / done)


async def run(base_url: str, api_key: str, rounds: int) -> dict[str, Samples]:
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
        samples = {name: Samples() for name in contenders}
        for call in contenders.values():  # warm-up: open the pools, compile the parsers
            await rate(call, 2 * CONCURRENCY, Samples())
        for r in range(rounds):
            names = list(contenders)[:: 1 if r % 2 == 0 else -1]
            for name in names:
                await rate(contenders[name], REQUESTS // rounds, samples[name])
        return samples


def measure(rounds: int = ROUNDS) -> dict[str, Samples]:
    with sandbox_process(20_000) as sb:
        return asyncio.run(run(sb.base_url, sb.api_key, rounds))


def results(samples: dict[str, Samples] | None = None) -> list[Result]:
    s = samples if samples is not None else measure()
    sdk, raw = s["sdk"], s["raw_httpx"]
    return [
        at_least(
            f"throughput, pacing off, {CONCURRENCY} coroutines: SDK / raw httpx",
            paired_ratio(sdk.rate, raw.rate),
            0.8,
            f"SDK {median(sdk.rate):,.0f} req/s, raw {median(raw.rate):,.0f} req/s; client CPU "
            f"{median(sdk.cpu) * 1e6:,.0f} vs {median(raw.cpu) * 1e6:,.0f} us/request "
            f"({REQUESTS:,} check() each, {len(sdk.rate)} alternating rounds; medians)",
        )
    ]


def main() -> None:
    for row in results():
        print(f"{row.name}: {row.measured} ({row.target}: {row.verdict}) {row.raw}")


if __name__ == "__main__":
    main()
