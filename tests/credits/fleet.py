"""A fleet of worker processes running paid jobs on one sandbox account, for the end-to-end
tests and `bench/credits.py`.

Each worker runs `jobs` jobs one after the other. A job costs `cost` credits (a thorough
analysis of `cost // 3` items) and spends them through `POST /_sandbox/spend` at the end of
its work, as real work is billed when it is done:

- `naive`: `check()`, then the work if `can_proceed` (the pattern the docs warn about);
- `reserve`: the work inside `client.usage.reserve(...)` on a Redis ledger, releasing with
  what it spent.

    python -m tests.credits.fleet worker MODE JOBS   # env: SCOPIX_*, FLEET_REDIS_URL, ...

A worker prints `ready` once it is set up, starts when it reads a line on stdin (so the whole
fleet starts together), and prints one JSON line: granted, refused, spent.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
COST = 3  # one thorough item
WORK_SECONDS = 0.05


def _spend(base_url: str, api_key: str, credits: int) -> None:
    import httpx

    reply = httpx.post(
        f"{base_url}/_sandbox/spend", json={"api_key": api_key, "credits": credits}, timeout=30
    )
    reply.raise_for_status()


def worker(mode: str, jobs: int) -> dict[str, int]:
    import redis

    from scopix import InsufficientCreditsError, SyncScopix
    from scopix.credits import SyncRedisLedger

    base_url, api_key = os.environ["SCOPIX_BASE_URL"], os.environ["SCOPIX_API_KEY"]
    ledger = None
    if mode == "reserve":
        ledger = SyncRedisLedger(
            redis.Redis.from_url(os.environ["FLEET_REDIS_URL"], socket_timeout=5),
            prefix=os.environ["FLEET_PREFIX"],
        )
    client = SyncScopix(credits=ledger)
    wait = float(os.environ.get("FLEET_WAIT", "30"))
    print("ready", flush=True)
    sys.stdin.readline()
    granted = refused = spent = 0
    for _ in range(jobs):
        if mode == "naive":
            if not client.usage.check(analysis_level="thorough", item_count=1).can_proceed:
                refused += 1
                continue
            time.sleep(WORK_SECONDS)  # the work
            _spend(base_url, api_key, COST)
        else:
            try:
                with client.usage.reserve(
                    analysis_level="thorough", item_count=1, wait=wait
                ) as hold:
                    time.sleep(WORK_SECONDS)  # the work
                    _spend(base_url, api_key, COST)
                    hold.release(credits_used=COST)
            except InsufficientCreditsError:
                refused += 1
                continue
        granted += 1
        spent += COST
    return {"granted": granted, "refused": refused, "spent": spent}


@dataclass(frozen=True)
class FleetRun:
    granted: int
    refused: int
    spent: int
    wall: float  # seconds from the start signal to the last worker's report


def run_fleet(env: dict[str, str], mode: str, *, processes: int = 12, jobs: int = 3) -> FleetRun:
    """Start `processes` workers, wait until every one is ready, start them together."""
    full = {**os.environ, **env, "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.credits.fleet", "worker", mode, str(jobs)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=full,
            cwd=ROOT,
            text=True,
        )
        for _ in range(processes)
    ]
    try:
        for p in procs:
            assert p.stdout is not None
            line = p.stdout.readline()
            if line.strip() != "ready":
                raise RuntimeError(f"a fleet worker did not start: {line!r}")
        start = time.monotonic()
        for p in procs:
            assert p.stdin is not None
            p.stdin.write("go\n")
            p.stdin.flush()
        reports = []
        for p in procs:
            out, _ = p.communicate(timeout=300)
            if p.returncode != 0:
                raise RuntimeError(f"a fleet worker failed ({p.returncode}): {out!r}")
            reports.append(json.loads(out.strip().splitlines()[-1]))
        wall = time.monotonic() - start
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
    return FleetRun(
        granted=sum(r["granted"] for r in reports),
        refused=sum(r["refused"] for r in reports),
        spent=sum(r["spent"] for r in reports),
        wall=wall,
    )


def holder(items: int, ttl: float) -> None:
    """Hold `items` thorough items' credits, say `held EXPIRES_AT`, then hang until killed."""
    import redis

    from scopix import SyncScopix
    from scopix.credits import SyncRedisLedger

    ledger = SyncRedisLedger(
        redis.Redis.from_url(os.environ["FLEET_REDIS_URL"], socket_timeout=5),
        prefix=os.environ["FLEET_PREFIX"],
    )
    client = SyncScopix(credits=ledger)
    with client.usage.reserve(analysis_level="thorough", item_count=items, ttl=ttl) as hold:
        print("held", hold.expires_at.isoformat(), flush=True)
        sys.stdin.readline()  # the test kills us here


if __name__ == "__main__":
    if sys.argv[1:2] == ["worker"]:
        print(json.dumps(worker(sys.argv[2], int(sys.argv[3]))), flush=True)
    elif sys.argv[1:2] == ["hold"]:
        holder(int(sys.argv[2]), float(sys.argv[3]))
