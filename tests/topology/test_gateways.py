"""The SDK behind real rate-limiting gateways that are not exact sliding windows, checked on
the gateway's own log of what arrived (HAProxy's and nginx's lines, not the client's count)."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable

import httpx

from scopix import APIError, Scopix
from scopix.pacing import BucketLimit, RateLimits
from scopix_sandbox.server import Sandbox

from .departures import leaky_bucket_excess, max_in_window
from .gateways import HAProxy, Hit, Nginx

MakeSandbox = Callable[..., Sandbox]


async def _calls(base_url: str, api_key: str, pacing: RateLimits, calls: int) -> int:
    """`calls` concurrent get_breakdown() calls; returns how many failed."""
    async with Scopix(api_key=api_key, base_url=base_url, pacing=pacing) as client:
        outcomes = await asyncio.gather(
            *(client.usage.get_breakdown() for _ in range(calls)), return_exceptions=True
        )
    failed = [o for o in outcomes if isinstance(o, BaseException)]
    assert all(isinstance(o, APIError) for o in failed), failed
    return len(failed)


def _statuses(hits: list[Hit]) -> dict[int, int]:
    out: dict[int, int] = {}
    for hit in hits:
        out[hit.status] = out.get(hit.status, 0) + 1
    return out


def test_haproxy_told_its_limit_evenly_spaced_zero_429s(
    scopix_sandbox_factory: MakeSandbox, haproxy_factory: Callable[..., HAProxy]
) -> None:
    """HAProxy's http_req_rate(2s) > 10 -> 429 weights the previous period and counts denied
    requests: a burst of 10 then 10 more when a sliding window frees them reads as 11 or more.
    Told the limit with the evenly spaced shape, 20 coroutines get every call through and the
    gateway refuses none."""
    sandbox = scopix_sandbox_factory(rate_limit=False, record_requests=False)
    gateway = haproxy_factory(sandbox.port, limit=10, period=2.0)
    pacing = RateLimits({"usage": BucketLimit(10, 2.0, shape="even")})
    lost = asyncio.run(_calls(gateway.base_url, sandbox.api_key, pacing, 20))
    hits = gateway.answered(20 - lost)
    assert lost == 0
    assert _statuses(hits) == {200: 20}


def test_nginx_told_its_rate_zero_429s(
    scopix_sandbox_factory: MakeSandbox, nginx_factory: Callable[..., Nginx]
) -> None:
    """nginx limit_req, 10 r/s with burst 10 and nodelay (a leaky bucket), and the SDK's exact
    window told 10 per second: 50 coroutines, every call through, none refused, and nginx's log
    of arrivals never over its bucket (nor more than 10 in any second)."""
    sandbox = scopix_sandbox_factory(rate_limit=False, record_requests=False)
    gateway = nginx_factory(sandbox.port, rate=10)
    pacing = RateLimits({"usage": BucketLimit(10, 1.0)})
    lost = asyncio.run(_calls(gateway.base_url, sandbox.api_key, pacing, 50))
    hits = gateway.answered(50 - lost)
    arrived = [hit.at for hit in hits]
    assert lost == 0
    assert _statuses(hits) == {200: 50}
    assert leaky_bucket_excess(arrived, rate=10) <= 10
    assert max_in_window(arrived, 1.0) <= 10


def test_paced_retries_after_a_headerless_429_wait_for_the_window(
    scopix_sandbox_factory: MakeSandbox, haproxy_factory: Callable[..., HAProxy]
) -> None:
    """Told HAProxy's numbers with the exact-window shape (10 per 2 s: a batch of 10 at once),
    the next batch reads as 11 or more on HAProxy's smoothed counter and meets 429s that carry
    no Retry-After nor rate-limit headers. The retries are paced like any request (the refused
    sends count in the window), so they do not feed a limiter that counts denied requests:
    after the first 429, the gateway sees nothing but the rest of that batch (already on its
    way) until the window frees. (Unpaced, retries follow 0.4 s later.)"""
    window = 2.0
    sandbox = scopix_sandbox_factory(rate_limit=False, record_requests=False)
    gateway = haproxy_factory(sandbox.port, limit=10, period=window)
    pacing = RateLimits({"usage": BucketLimit(10, window)})
    lost = asyncio.run(_calls(gateway.base_url, sandbox.api_key, pacing, 20))
    hits = gateway.answered(20 - lost)
    first_429 = next(hit.at for hit in hits if hit.status == 429)
    in_flight = first_429 + 0.3  # the rest of its batch, sent before the 429 came back
    early = [round(h.at - first_429, 3) for h in hits if in_flight < h.at < first_429 + window]
    assert early == []


def test_a_headerless_429_on_a_key_spent_elsewhere_waits_a_window(
    scopix_sandbox_factory: MakeSandbox, haproxy_factory: Callable[..., HAProxy]
) -> None:
    """Another machine spent the key's 10 per 2 s at HAProxy; this client's log is empty, so
    its first call meets a headerless 429. Its retries wait a configured window each (not
    0.5 s, 1 s: each would be refused and counted again), and the call gets through within
    max_retries=2."""
    window = 2.0
    sandbox = scopix_sandbox_factory(rate_limit=False, record_requests=False)
    gateway = haproxy_factory(sandbox.port, limit=10, period=window)
    headers = {"Authorization": f"Bearer {sandbox.api_key}"}
    with httpx.Client(base_url=gateway.base_url, headers=headers) as elsewhere:
        spent = [elsewhere.get("/v1/usage/breakdown").status_code for _ in range(10)]
    assert spent == [200] * 10
    pacing = RateLimits({"usage": BucketLimit(10, window)})
    lost = asyncio.run(_calls(gateway.base_url, sandbox.api_key, pacing, 1))
    attempts = [hit.at for hit in gateway.answered(10 + 1 - lost)][10:]
    gaps = [round(b - a, 3) for a, b in itertools.pairwise(attempts)]
    assert lost == 0
    assert all(gap >= window for gap in gaps), gaps
