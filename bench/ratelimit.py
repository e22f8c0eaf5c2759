"""Pacing under real limiters: elapsed against the ideal time, 429s and calls lost, each row
the median and the worst of several runs (a single run hides a one-in-three lost window).

    python -m bench.ratelimit                       # every row, 10 runs each (about 25 min)
    python -m bench.ratelimit --runs 3 --only cluster,haproxy
    python -m bench.ratelimit --real                # also 6 x 20 at the real 30 per 60 s
    python -m bench.ratelimit --arrivals            # fleets through a proxy logging arrivals
    python -m bench ratelimit                       # the same rows in the bench table

The sandbox's limiter (an exact sliding window, by arrival) is the independent count of what
arrived: a 429 there is a window the fleet overfilled. Rows against the sandbox (10 requests per
2 s unless the row says): the SDK in one process; 4 processes over Redis; a naive client
(backoff on 429); 6 processes making exactly 6 windows' budget; 6 processes filling exactly two
6 s windows, and the same while each process's event loop is blocked 3 x 0.3 s as its second
window opens; one process of 120 threads over Redis; 60 coroutines over a Redis pool of 20;
Redis down for three windows in a 6-process run; a server answering 1 s late; 6 processes on a
3-master Redis Cluster; 6 processes on Sentinel with the master SIGKILLed mid-run (429s inside
and outside the failover's window). Rows against gateways, counted on the gateway's own log:
HAProxy's stick-table http_req_rate (429 without headers, denied requests count) told its limit
with the evenly spaced shape, against its own ideal (one request every window / limit), and for
context with the exact-window shape; nginx limit_req (leaky bucket, burst = rate, nodelay) told
its rate, against its ideal (burst + 1 at once, then one per 1 / rate). docs/fleet-topologies.md
has the numbers.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench._common import Result, SandboxProcess, sandbox_process
from bench.fleet import FleetRun, Stalls, fleet_pool, run_fleet
from scopix import APIError, Scopix, SyncScopix
from scopix.pacing import BucketLimit, RateLimits, SyncRedisLimiter
from tests.redis_server import RedisServer
from tests.topology.daemons import wait_until
from tests.topology.departures import max_in_window
from tests.topology.gateways import HAProxy, Hit, Nginx
from tests.topology.redis_cluster import RedisCluster
from tests.topology.redis_sentinel import MASTER_NAME, RedisSentinel
from tests.topology.workers import Topology

__all__ = ["RUNS", "Row", "Run", "main", "results", "run"]

N, WINDOW, CALLS = 10, 2.0, 50
RUNS = 10
PACING = RateLimits({"usage": BucketLimit(N, WINDOW), "check": BucketLimit(2 * N, WINDOW)})


@dataclass(frozen=True)
class Run:
    elapsed: float
    ideal: float
    rate_limited: int
    calls: int
    lost: int = 0  # calls that ended in an error
    outside: int = 0  # 429s outside a failover's window (the failover row)
    most: int = -1  # the most arrivals at the proxy in any window (--arrivals), else -1

    @property
    def ratio(self) -> float:
        return self.elapsed / self.ideal


@dataclass
class Row:
    name: str
    limit: str  # "10/2 s"
    median_max: float | None = None  # the targets; None: context only
    worst_max: float | None = None
    runs: list[Run] = field(default_factory=list)
    failover: bool = False  # 429s inside the failover's window are allowed

    @property
    def ratios(self) -> list[float]:
        return [r.ratio for r in self.runs]

    @property
    def median(self) -> float:
        return statistics.median(self.ratios)

    @property
    def worst(self) -> float:
        return max(self.ratios)

    @property
    def rate_limited(self) -> int:
        return sum(r.rate_limited for r in self.runs)

    @property
    def lost(self) -> int:
        return sum(r.lost for r in self.runs)

    @property
    def refused_outside(self) -> int:
        return sum(r.outside for r in self.runs) if self.failover else self.rate_limited

    @property
    def targeted(self) -> bool:
        return self.median_max is not None or self.worst_max is not None or self.failover

    @property
    def passed(self) -> bool:
        ok = self.lost == 0 and self.refused_outside == 0
        if self.median_max is not None:
            ok = ok and self.median <= self.median_max
        if self.worst_max is not None:
            ok = ok and self.worst <= self.worst_max
        return ok


def ideal_seconds(calls: int, n: int = N, window: float = WINDOW) -> float:
    """The last of `calls` can leave (ceil(calls / n) - 1) windows after the first."""
    return (math.ceil(calls / n) - 1) * window


def sandbox(
    *extra: str, n: int = N, window: float = WINDOW, rate_limit: bool = True
) -> AbstractContextManager[SandboxProcess]:
    if not rate_limit:
        return sandbox_process(2_000, *extra)
    limits = ("--window", str(window), "--limit", f"usage={n}", "--limit", f"check={2 * n}")
    return sandbox_process(2_000, *limits, *extra, rate_limit=True)


def stats(sb: SandboxProcess) -> dict[str, int]:
    reply: dict[str, int] = httpx.get(f"{sb.base_url}/_sandbox/stats").json()
    return reply


def reset(sb: SandboxProcess) -> None:
    """Empty the sandbox's windows and counters between runs."""
    httpx.post(f"{sb.base_url}/_sandbox/reset").raise_for_status()


def _progress(row: Row) -> None:
    last = row.runs[-1]
    outside = f" ({last.outside} outside the failover)" if row.failover else ""
    most = f", at most {last.most} arrivals in a window" if last.most >= 0 else ""
    print(
        f"  {row.name}: run {len(row.runs)}: x{last.ratio:.3f} ({last.elapsed:.2f} s / "
        f"{last.ideal:.2f} s), {last.rate_limited} 429s{outside}, {last.lost} lost{most}",
        file=sys.stderr,
        flush=True,
    )


def _add(row: Row, one: Run) -> None:
    row.runs.append(one)
    _progress(row)


# -- one process --------------------------------------------------------------------------------


async def _gather(client: Scopix, calls: int) -> int:
    outcomes = await asyncio.gather(
        *(client.usage.get_breakdown() for _ in range(calls)), return_exceptions=True
    )
    errors = [o for o in outcomes if isinstance(o, BaseException)]
    if any(not isinstance(e, APIError) for e in errors):
        raise next(e for e in errors if not isinstance(e, APIError))
    return len(errors)


def _timed_gather(base_url: str, api_key: str, pacing: object, calls: int) -> tuple[float, int]:
    async def main() -> tuple[float, int]:
        async with Scopix(api_key=api_key, base_url=base_url, pacing=pacing) as client:  # type: ignore[arg-type]
            start_at = time.monotonic()
            lost = await _gather(client, calls)
            return time.monotonic() - start_at, lost

    return asyncio.run(main())


def sdk_one_process(runs: int) -> Row:
    row = Row("SDK, 1 process, 50 coroutines", f"{N}/{WINDOW:g} s", 1.05)
    with sandbox() as sb:
        for _ in range(runs):
            reset(sb)
            elapsed, lost = _timed_gather(sb.base_url, sb.api_key, PACING, CALLS)
            _add(row, Run(elapsed, ideal_seconds(CALLS), stats(sb)["rate_limited"], CALLS, lost))
    return row


def naive(runs: int) -> Row:
    row = Row("naive client (backoff on 429)", f"{N}/{WINDOW:g} s")

    async def call(client: httpx.AsyncClient) -> None:
        delay = 0.5
        while True:
            response = await client.get("/v1/usage/breakdown")
            if response.status_code != 429:
                response.raise_for_status()
                return
            await asyncio.sleep(float(response.headers.get("retry-after", delay)))
            delay = min(delay * 2, 8.0)

    async def main(sb: SandboxProcess) -> float:
        headers = {"Authorization": f"Bearer {sb.api_key}"}
        async with httpx.AsyncClient(base_url=sb.base_url, headers=headers) as client:
            start_at = time.monotonic()
            await asyncio.gather(*(call(client) for _ in range(CALLS)))
            return time.monotonic() - start_at

    with sandbox() as sb:
        for _ in range(runs):
            reset(sb)
            elapsed = asyncio.run(main(sb))
            _add(row, Run(elapsed, ideal_seconds(CALLS), stats(sb)["rate_limited"], CALLS))
    return row


def more_callers_than_the_pool(redis_url: str, runs: int, callers: int = 60) -> Row:
    """60 coroutines in one process over a Redis pool of 20 connections."""
    import redis.asyncio

    from scopix.pacing import AsyncRedisLimiter

    row = Row(f"SDK, {callers} coroutines, Redis pool of 20", f"{N}/{WINDOW:g} s", 1.05)
    with sandbox() as sb:
        for _ in range(runs):
            reset(sb)

            async def main() -> tuple[float, int]:
                client = redis.asyncio.from_url(redis_url, max_connections=20, socket_timeout=1.0)
                limiter = AsyncRedisLimiter(client, limits=PACING, prefix=_prefix())
                async with Scopix(api_key=sb.api_key, base_url=sb.base_url, pacing=limiter) as c:
                    start_at = time.monotonic()
                    lost = await _gather(c, callers)
                    elapsed = time.monotonic() - start_at
                await client.aclose()
                return elapsed, lost

            elapsed, lost = asyncio.run(main())
            ideal = ideal_seconds(callers)
            _add(row, Run(elapsed, ideal, stats(sb)["rate_limited"], callers, lost))
    return row


def threads_over_redis(redis_url: str, runs: int, threads: int = 120, n: int = 30) -> Row:
    """One SyncScopix, 120 threads, one call each, over Redis: 30 per 2 s, four windows."""
    import redis

    row = Row(f"SDK, 1 process, {threads} threads over Redis", f"{n}/{WINDOW:g} s", 1.10)
    limits = RateLimits({"usage": BucketLimit(n, WINDOW), "check": BucketLimit(2 * n, WINDOW)})
    with sandbox(n=n) as sb:
        for _ in range(runs):
            reset(sb)
            client = redis.from_url(redis_url, socket_timeout=2.0, max_connections=threads)
            limiter = SyncRedisLimiter(client, limits=limits, prefix=_prefix())

            def one(sdk: SyncScopix) -> int:
                try:
                    sdk.usage.get_breakdown()
                except APIError:
                    return 1
                return 0

            with (
                SyncScopix(api_key=sb.api_key, base_url=sb.base_url, pacing=limiter) as sdk,
                ThreadPoolExecutor(threads) as pool,
            ):
                list(pool.map(lambda _: 0, range(threads)))  # every thread started
                start_at = time.monotonic()
                lost = sum(pool.map(lambda _: one(sdk), range(threads)))
                elapsed = time.monotonic() - start_at
            client.close()
            ideal = ideal_seconds(threads, n)
            _add(row, Run(elapsed, ideal, stats(sb)["rate_limited"], threads, lost))
    return row


def slow_server(redis_url: str | None, runs: int, latency: float = 1.0, calls: int = 30) -> Row:
    """Every answer 1 s late: 30 coroutines, in-process or over Redis. Ideal: the last batch
    leaves (calls / N - 1) windows after the first and is answered `latency` later."""
    from scopix.pacing import AsyncRedisLimiter

    where = "in-process" if redis_url is None else "over Redis"
    row = Row(f"SDK, server {latency:g} s late, {where}", f"{N}/{WINDOW:g} s", 1.10)
    with sandbox("--fault-latency-ms", str(int(latency * 1000))) as sb:
        for _ in range(runs):
            reset(sb)
            pacing: object = PACING
            if redis_url is not None:
                pacing = AsyncRedisLimiter(redis_url, limits=PACING, prefix=_prefix())
            elapsed, lost = _timed_gather(sb.base_url, sb.api_key, pacing, calls)
            ideal = ideal_seconds(calls) + latency
            _add(row, Run(elapsed, ideal, stats(sb)["rate_limited"], calls, lost))
    return row


# -- fleets of processes ------------------------------------------------------------------------


def _prefix() -> str:
    """Each run books under its own prefix: nothing carried over from the run before."""
    return f"bench:{uuid.uuid4().hex[:8]}"


@dataclass(frozen=True)
class FleetShape:
    name: str
    processes: int
    calls: int
    n: int = N
    window: float = WINDOW
    kind: str = "sync"
    stalls: tuple[float, ...] = ()  # offsets of each process's stalls after the start
    stall_seconds: float = 0.0
    median_max: float | None = None
    worst_max: float | None = None

    @property
    def ideal(self) -> float:
        # a process's stalls can hold back its own last call by at most their sum
        stall = len(self.stalls) * self.stall_seconds
        return ideal_seconds(self.processes * self.calls, self.n, self.window) + stall


Act = Callable[[SandboxProcess, float], int]
Setup = Callable[[], AbstractContextManager[tuple[Topology, "Act | None"]]]


def _fixed(topology: Topology, during: Act | None = None) -> Setup:
    @contextmanager
    def setup() -> Iterator[tuple[Topology, Act | None]]:
        yield topology, during

    return setup


ARRIVALS = False  # --arrivals: fleets reach the sandbox through a proxy that logs arrivals


@contextmanager
def _arrival_log(sb: SandboxProcess) -> Iterator[Nginx | None]:
    """With --arrivals, nginx without a limit in front of the sandbox, logging each request's
    arrival: the independent count of what the fleet sent, by arrival at the proxy."""
    if not ARRIVALS:
        yield None
        return
    proxy = Nginx(_port(sb.base_url), rate=None)
    proxy.start()
    try:
        yield proxy
    finally:
        proxy.stop()


def fleet(shape: FleetShape, setup: Setup, runs: int, failover: bool = False) -> Row:
    """`shape` run `runs` times against one sandbox, on the processes of one pool. `setup()`
    gives each run its topology and an action `during(sandbox, go)` that may act on it mid-run
    and returns the 429s the sandbox had refused when the run's failover window ended."""
    row = Row(shape.name, f"{shape.n}/{shape.window:g} s", shape.median_max, shape.worst_max)
    row.failover = failover
    with (
        sandbox(n=shape.n, window=shape.window) as sb,
        _arrival_log(sb) as proxy,
        fleet_pool(shape.processes) as pool,
    ):
        base_url = proxy.base_url if proxy is not None else sb.base_url
        for _ in range(runs):
            reset(sb)
            stalls = [
                Stalls(tuple(at + 0.02 * i for at in shape.stalls), shape.stall_seconds)
                for i in range(shape.processes)
            ]
            answered_before = _answered(proxy)
            with setup() as (topology, during):
                orders = FleetRun(
                    topology, base_url, sb.api_key, shape.n, shape.window, shape.calls,
                    _prefix(), shape.kind, stalls,
                )  # fmt: skip
                inside: list[int] = []
                started: list[float] = []

                def act(
                    go: float,
                    during: Act | None = during,
                    inside: list[int] = inside,
                    started: list[float] = started,
                ) -> None:
                    started.append(go)
                    if during is not None:
                        inside.append(during(sb, go))

                elapsed, lost = run_fleet(pool, orders, act)
            refused = stats(sb)["rate_limited"]
            total = shape.processes * shape.calls
            outside = refused - sum(inside) if failover else refused
            most = -1
            if proxy is not None:
                hits = proxy.answered(answered_before + total - lost)
                most = max_in_window([h.at for h in hits if h.at >= started[0]], shape.window)
            _add(row, Run(elapsed, shape.ideal, refused, total, lost, outside, most))
    return row


def _answered(proxy: Nginx | None) -> int:
    return 0 if proxy is None else sum(h.status == 200 for h in proxy.hits())


def _redis(url: str) -> Setup:
    return _fixed(Topology("redis", url=url))


TWO_WINDOWS = FleetShape(
    "SDK, 6 processes x 10, two 6 s windows", 6, 10, n=30, window=6.0, kind="async",
    median_max=1.05, worst_max=1.10,
)  # fmt: skip
# Each process's loop blocked 0.3 s three times as the second window opens (its wake due then).
BUSY = FleetShape(
    "SDK, 6 processes x 10, two 6 s windows, busy 3 x 0.3 s", 6, 10, n=30, window=6.0,
    kind="async", stalls=(5.85, 6.2, 6.55), stall_seconds=0.3, worst_max=1.15,
)  # fmt: skip
FOUR = FleetShape("SDK, 4 processes over Redis", 4, CALLS // 4 + 1, median_max=1.10)
EXACT = FleetShape("SDK, 6 processes x 10, exact windows", 6, 10, median_max=1.10)
REAL = FleetShape(
    "SDK, 6 processes x 20 at 30/60 s", 6, 20, n=30, window=60.0, median_max=1.03
)  # fmt: skip
CLUSTER = FleetShape(
    "SDK, 6 processes x 20, 3-master Redis Cluster", 6, 20, n=30, median_max=1.10
)  # fmt: skip
# 40 calls each: the run goes on for windows after the failover's window ends (else a count
# of 429s outside it would be empty).
FAILOVER = FleetShape("SDK, 6 processes x 40, Sentinel, master SIGKILLed", 6, 40, n=30)
OUTAGE = FleetShape("SDK, 6 processes, Redis down 3 windows", 6, 10)


def outage(server: RedisServer, runs: int) -> Row:
    """6 x 10 calls; Redis down from 2 s to 8 s into the run (three windows). Its window, as a
    failover's: until the clients have tried Redis again (1 s) and one window has passed."""

    def down(sb: SandboxProcess, go: float) -> int:
        time.sleep(max(0.0, go + 2.0 - time.time()))
        server.stop()
        time.sleep(max(0.0, go + 2.0 + 3 * WINDOW - time.time()))
        server.start()
        time.sleep(1.0 + WINDOW)
        return stats(sb)["rate_limited"]

    return fleet(OUTAGE, _fixed(Topology("redis", url=server.url), down), runs, failover=True)


def cluster(runs: int) -> Row:
    topology = RedisCluster()
    topology.start()
    try:
        return fleet(
            CLUSTER, _fixed(Topology("cluster", nodes=tuple(topology.startup_nodes))), runs
        )
    finally:
        topology.stop()


def failover(runs: int) -> Row:
    """Per run, a fresh master + replica + 3 sentinels; the master is SIGKILLed once the
    sandbox has served 40 requests. The failover's window: from the kill until the
    sentinels have promoted the replica, the clients' retry_redis_after (1 s) and one window."""

    @contextmanager
    def setup() -> Iterator[tuple[Topology, Act | None]]:
        topology = RedisSentinel()
        topology.start()
        try:
            nodes = tuple(topology.sentinel_addresses)
            yield Topology("sentinel", nodes=nodes, master=MASTER_NAME), _killer(topology)
        finally:
            topology.stop()

    return fleet(FAILOVER, setup, runs, failover=True)


def _killer(topology: RedisSentinel, kill_after: int = 40) -> Act:
    def act(sb: SandboxProcess, go: float) -> int:
        wait_until(lambda: stats(sb)["requests"] >= kill_after or None, "requests", timeout=300)
        topology.kill_master()
        killed = time.monotonic()
        topology.wait_failover()
        promoted = time.monotonic()
        settled = promoted + 1.0 + FAILOVER.window
        wait_until(lambda: time.monotonic() >= settled or None, "the failover's window")
        print(f"  failover: promoted {promoted - killed:.2f} s after the kill", file=sys.stderr)
        return stats(sb)["rate_limited"]

    return act


# -- gateways -----------------------------------------------------------------------------------


def _port(base_url: str) -> int:
    return int(base_url.rsplit(":", 1)[1])


def _gateway_run(gateway: HAProxy | Nginx, sb: SandboxProcess, limit: BucketLimit, calls: int,
                 ideal: float) -> Run:  # fmt: skip
    gateway.start()
    try:
        pacing = RateLimits({"usage": limit})
        elapsed, lost = _timed_gather(gateway.base_url, sb.api_key, pacing, calls)
        hits: list[Hit] = gateway.answered(calls - lost)
    finally:
        gateway.stop()
    refused = sum(1 for h in hits if h.status == 429)
    return Run(elapsed, ideal, refused, calls, lost)


def haproxy(
    runs: int, calls: int = 40, limit: int = 10, period: float = 2.0, shape: str = "even"
) -> Row:
    """One process, 40 calls at once, HAProxy http_req_rate(2s) > 10 -> 429, the SDK told 10 per
    2 s evenly spaced (or, for context, with the exact-window shape). Ideal: one request every
    period / limit."""
    how = "evenly spaced" if shape == "even" else "exact window (context)"
    target = 1.10 if shape == "even" else None
    row = Row(f"SDK, 1 process, {calls} calls, HAProxy, {how}", f"{limit}/{period:g} s",
              target, target)  # fmt: skip
    with sandbox(rate_limit=False) as sb:
        for _ in range(runs):
            gateway = HAProxy(_port(sb.base_url), limit=limit, period=period)
            told = BucketLimit(limit, period, shape=shape)
            ideal = (calls - 1) * period / limit
            _add(row, _gateway_run(gateway, sb, told, calls, ideal))
    return row


def nginx(runs: int, calls: int = 100, rate: int = 20) -> Row:
    """50 coroutines' worth of calls (100), nginx limit_req rate=20r/s burst=20 nodelay, the SDK
    told 20 per 1 s (its exact window). Ideal: burst + 1 at once, then one every 1 / rate."""
    row = Row(f"SDK, 1 process, {calls} calls, nginx limit_req", f"{rate}/1 s", 1.10, 1.10)
    with sandbox(rate_limit=False) as sb:
        for _ in range(runs):
            gateway = Nginx(_port(sb.base_url), rate=rate)
            ideal = (calls - rate - 1) / rate
            _add(row, _gateway_run(gateway, sb, BucketLimit(rate, 1.0), calls, ideal))
    return row


# -- the table ----------------------------------------------------------------------------------


@contextmanager
def _redis_server() -> Iterator[RedisServer]:
    with tempfile.TemporaryDirectory(prefix="bench-redis-") as folder:
        server = RedisServer(Path(folder))
        server.start()
        try:
            yield server
        finally:
            server.stop()


ROWS: dict[str, Callable[[RedisServer, int], Row]] = {
    "one-process": lambda s, r: sdk_one_process(r),
    "four-processes": lambda s, r: fleet(FOUR, _redis(s.url), r),
    "naive": lambda s, r: naive(r),
    "exact-windows": lambda s, r: fleet(EXACT, _redis(s.url), r),
    "two-windows": lambda s, r: fleet(TWO_WINDOWS, _redis(s.url), r),
    "busy": lambda s, r: fleet(BUSY, _redis(s.url), r),
    "threads": lambda s, r: threads_over_redis(s.url, r),
    "pool": lambda s, r: more_callers_than_the_pool(s.url, r),
    "outage": lambda s, r: outage(s, r),
    "slow-in-process": lambda s, r: slow_server(None, r),
    "slow-redis": lambda s, r: slow_server(s.url, r),
    "cluster": lambda s, r: cluster(r),
    "failover": lambda s, r: failover(r),
    "haproxy": lambda s, r: haproxy(r),
    "haproxy-window": lambda s, r: haproxy(r, shape="window"),
    "nginx": lambda s, r: nginx(r),
    "real-scale": lambda s, r: fleet(REAL, _redis(s.url), r),
}
REAL_SCALE = "real-scale"  # three minutes a run: only when asked (--real)


def run(runs: int = RUNS, only: list[str] | None = None, real: bool = False) -> list[Row]:
    names = only or [n for n in ROWS if n != REAL_SCALE or real]
    unknown = set(names) - set(ROWS)
    if unknown:
        raise ValueError(f"unknown row(s) {sorted(unknown)}; pick from {list(ROWS)}")
    rows = []
    with _redis_server() as server:
        for name in names:
            print(f"ratelimit: {name} ({runs} runs)", file=sys.stderr, flush=True)
            rows.append(ROWS[name](server, runs))
    return rows


def _result(row: Row) -> Result:
    ratios = ", ".join(f"{r:.2f}" for r in row.ratios)
    measured = (
        f"median x{row.median:.2f}, worst x{row.worst:.2f}, {row.rate_limited} 429s, "
        f"{row.lost} lost ({len(row.runs)} runs)"
    )
    if row.failover:
        measured += f", {row.refused_outside} outside the failover/outage"
    target_text = ""
    if row.targeted:
        parts = []
        if row.median_max is not None:
            parts.append(f"median <= {row.median_max:g}x")
        if row.worst_max is not None:
            parts.append(f"worst <= {row.worst_max:g}x")
        parts.append("0 429s outside the failover/outage" if row.failover else "0 429s")
        parts.append("0 lost")
        target_text = ", ".join(parts)
    ideal = row.runs[0].ideal
    raw = f"{row.runs[0].calls} calls, ideal {ideal:.2f} s; runs x {ratios}"
    if row.runs[0].most >= 0:
        raw += "; most arrivals in a window, at a proxy: " + ", ".join(
            str(r.most) for r in row.runs
        )
    return Result(
        f"rate limit ({row.limit}), {row.name}: elapsed / ideal",
        measured,
        target_text,
        row.passed if row.targeted else None,
        raw,
    )


def results(rows: list[Row] | None = None) -> list[Result]:
    return [_result(row) for row in (rows if rows is not None else run())]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.ratelimit", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    p.add_argument("--runs", type=int, default=RUNS, help=f"runs per row (default {RUNS})")
    p.add_argument("--only", default="", help="rows, comma-separated: " + ", ".join(ROWS))
    p.add_argument("--real", action="store_true", help="add 6 x 20 at 30/60 s (3 min a run)")
    p.add_argument(
        "--arrivals",
        action="store_true",
        help="fleets reach the sandbox through nginx logging arrivals (the most in any window)",
    )
    a = p.parse_args(argv)
    global ARRIVALS
    ARRIVALS = a.arrivals
    if a.runs < 1:
        p.error(f"--runs must be 1 or more, got {a.runs}")
    only = [n.strip() for n in a.only.split(",") if n.strip()] or None
    if only and set(only) - set(ROWS):
        p.error(f"--only: unknown row(s) {sorted(set(only) - set(ROWS))}; pick from {list(ROWS)}")
    rows = run(a.runs, only, a.real)
    print("| benchmark | measured | target | result | raw numbers |\n|---|---|---|---|---|")
    for r in results(rows):
        print(f"| {r.name} | {r.measured} | {r.target or '-'} | {r.verdict} | {r.raw} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
