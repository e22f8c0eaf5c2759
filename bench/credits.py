"""Credits reserved before work: what `reserve()` prevents and what it costs.

    python -m bench.credits               # every row, 10 runs each (a few minutes)
    python -m bench.credits --runs 3 --only cost
    python -m bench credits               # the same rows in the bench table

Fleet rows: 12 worker processes x 3 jobs on one sandbox account whose credits cover 20 jobs
(3 credits each), every job spending through `/_sandbox/spend` at the end of its work (50 ms).
`naive` checks, then works if `can_proceed`; `reserve` works inside `client.usage.reserve()`
on a Redis ledger (wait up to 30 s). Each: credits overspent (spent beyond the 60 there were),
jobs granted, wall time from the start signal to the last report; median and worst of the runs.

Cost rows, one process, sandbox in its own process: a bare `check()` against `with
reserve(): pass` on the in-process ledger and on the Redis ledger (pacing off, so only the
calls are timed), rounds of 50 alternating calls; the extra microseconds of the median call
(median and worst round) and the Redis round trips per reservation (commands the client sent).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import redis

from bench._common import Result, SandboxProcess, sandbox_process
from scopix import SyncScopix
from scopix.credits import SyncRedisLedger
from tests.credits.fleet import COST, run_fleet
from tests.redis_server import RedisServer

__all__ = ["RUNS", "main", "results"]

RUNS = 10
PROCESSES, JOBS, COVERED = 12, 3, 20
CALLS = 50


def _set_credits(sb: SandboxProcess, credits: int) -> None:
    reply = httpx.post(
        f"{sb.base_url}/_sandbox/config", json={"remaining_credits": {"acct_main": credits}}
    )
    reply.raise_for_status()


def _worst(values: list[float], *, high: bool = True) -> float:
    return max(values) if high else min(values)


def _fleet_rows(sb: SandboxProcess, server: RedisServer, runs: int) -> list[Result]:
    rows = []
    for mode in ("naive", "reserve"):
        over: list[float] = []
        granted: list[float] = []
        wall: list[float] = []
        for i in range(runs):
            _set_credits(sb, COVERED * COST)
            env = {
                "SCOPIX_BASE_URL": sb.base_url,
                "SCOPIX_API_KEY": sb.api_key,
                "FLEET_REDIS_URL": server.url,
                "FLEET_PREFIX": f"bench:{uuid.uuid4().hex}",
            }
            run = run_fleet(env, mode, processes=PROCESSES, jobs=JOBS)
            over.append(max(0, run.spent - COVERED * COST))
            granted.append(run.granted)
            wall.append(run.wall)
            print(f"bench credits: {mode} run {i + 1}/{runs}: {run}", file=sys.stderr, flush=True)
        name = f"credits: {PROCESSES} processes x {JOBS} jobs, credits for {COVERED}, {mode}"
        measured = (
            f"{statistics.median(over):.0f} credits overspent (worst {max(over):.0f}), "
            f"{statistics.median(granted):.0f} jobs granted (fewest {min(granted):.0f})"
        )
        if mode == "reserve":
            target, passed = "0 overspent, >= 19 granted", max(over) == 0 and min(granted) >= 19
        else:
            target, passed = "", None
        raw = (
            f"wall {statistics.median(wall):.2f} s (worst {max(wall):.2f} s) over {runs} runs; "
            f"overspent {[int(x) for x in over]}, granted {[int(x) for x in granted]}"
        )
        rows.append(Result(name, measured, target, passed, raw))
    return rows


class _Counting(redis.Connection):
    """A connection that counts the commands it sends: each is a round trip (no pipelines)."""

    sent = 0

    def send_command(self, *args: Any, **kwargs: Any) -> None:
        type(self).sent += 1
        super().send_command(*args, **kwargs)  # type: ignore[no-untyped-call]


def _per_call(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _cost_rows(sb: SandboxProcess, server: RedisServer, runs: int) -> list[Result]:
    _set_credits(sb, 1_000_000)
    pool = redis.ConnectionPool.from_url(server.url, connection_class=_Counting, socket_timeout=5)
    ledger = SyncRedisLedger(redis.Redis(connection_pool=pool), prefix=f"bench:{uuid.uuid4().hex}")
    plain = SyncScopix(base_url=sb.base_url, api_key=sb.api_key, pacing=False)
    shared = plain.with_options(credits=ledger)

    def reserve_on(client: SyncScopix) -> Callable[[], object]:
        def once() -> None:
            with client.usage.reserve(item_count=1):
                pass

        return once

    contenders: dict[str, Callable[[], object]] = {
        "check": lambda: plain.usage.check(item_count=1),
        "local": reserve_on(plain),
        "redis": reserve_on(shared),
    }
    for fn in contenders.values():
        fn()  # connections made, scripts loaded
    sent = _Counting.sent
    for _ in range(10):
        contenders["redis"]()
    trips = (_Counting.sent - sent) / 10
    # Per round: the median call of each, the calls alternating (a shared machine's noise
    # falls on all three alike).
    medians: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(runs):
        calls: dict[str, list[float]] = {name: [] for name in contenders}
        for _ in range(CALLS):
            for name, fn in contenders.items():
                calls[name].append(_per_call(fn))
        for name in contenders:
            medians[name].append(statistics.median(calls[name]))
    rows = []
    for name, label, where in (
        ("local", "in-process ledger", "1 HTTP, 0 Redis"),
        ("redis", "Redis ledger", f"1 HTTP, {trips:g} Redis"),
    ):
        extra = [(a - b) * 1e6 for a, b in zip(medians[name], medians["check"], strict=True)]
        rows.append(
            Result(
                f"credits: reserve() over a bare check(), {label}",
                f"+{statistics.median(extra):.0f} µs (worst round +{max(extra):.0f} µs)",
                "",
                None,
                f"round trips per reservation: {where}; check() "
                f"{statistics.median(medians['check']) * 1e6:.0f} µs, reserve "
                f"{statistics.median(medians[name]) * 1e6:.0f} µs (medians of {runs} rounds "
                f"of {CALLS} alternating calls)",
            )
        )
    plain.close()
    return rows


def results(runs: int = RUNS, only: tuple[str, ...] = ("cost", "fleet")) -> list[Result]:
    with tempfile.TemporaryDirectory(prefix="bench-credits-") as tmp:
        server = RedisServer(Path(tmp))
        server.start()
        try:
            with sandbox_process(300) as sb:
                rows = _cost_rows(sb, server, runs) if "cost" in only else []
                return rows + (_fleet_rows(sb, server, runs) if "fleet" in only else [])
        finally:
            server.stop()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.credits", description=__doc__)
    p.add_argument("--runs", type=int, default=RUNS, help="runs per row (default %(default)s)")
    p.add_argument("--only", choices=["cost", "fleet"], action="append", help="these rows only")
    a = p.parse_args(argv)
    for row in results(a.runs, tuple(a.only or ("cost", "fleet"))):
        print(f"| {row.name} | {row.measured} | {row.target or '-'} | {row.verdict} | {row.raw} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
