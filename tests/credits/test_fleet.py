"""End to end: worker processes on one sandbox account, spending through `/_sandbox/spend`
inside their holds on a Redis ledger; a worker SIGKILLed inside its hold."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import datetime

import pytest
import redis

from scopix import InsufficientCreditsError, SyncScopix
from scopix.credits import SyncRedisLedger
from scopix_sandbox import Sandbox
from tests.credits.fleet import COST, ROOT, run_fleet
from tests.redis_server import RedisServer

JOBS_COVERED = 20


def _env(sb: Sandbox, server: RedisServer) -> dict[str, str]:
    return {**sb.env, "FLEET_REDIS_URL": server.url, "FLEET_PREFIX": f"test:{uuid.uuid4().hex}"}


@pytest.mark.scopix_sandbox(remaining_credits={"acct_main": JOBS_COVERED * COST})
def test_twelve_processes_never_overspend_together(
    scopix_sandbox: Sandbox, redis_server: RedisServer
) -> None:
    run = run_fleet(_env(scopix_sandbox, redis_server), "reserve", processes=12, jobs=3)
    with SyncScopix(base_url=scopix_sandbox.base_url, api_key=scopix_sandbox.api_key) as c:
        left = c.usage.get_breakdown().credits_remaining
    overspent = run.spent - JOBS_COVERED * COST
    assert overspent <= 0, f"{run}: {overspent} credits overspent"
    assert run.granted >= JOBS_COVERED - 1, run
    assert run.granted + run.refused == 36
    assert left == JOBS_COVERED * COST - run.spent


@pytest.mark.scopix_sandbox(remaining_credits={"acct_main": 30})
def test_a_killed_workers_credits_come_back_within_its_lease(
    scopix_sandbox: Sandbox, redis_server: RedisServer
) -> None:
    env = _env(scopix_sandbox, redis_server)
    ttl = 2.0
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.credits.fleet", "hold", "10", str(ttl)],  # all 30
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT,
        env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        word, expires = proc.stdout.readline().split()
        assert word == "held"
        ledger = SyncRedisLedger(
            redis.Redis.from_url(redis_server.url, socket_timeout=5), prefix=env["FLEET_PREFIX"]
        )
        with SyncScopix(base_url=scopix_sandbox.base_url, api_key=scopix_sandbox.api_key,
                        credits=ledger) as client:  # fmt: skip
            with (
                pytest.raises(InsufficientCreditsError),  # held by the worker
                client.usage.reserve(analysis_level="thorough", item_count=1),
            ):
                pass
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
            killed = time.time()
            with client.usage.reserve(
                analysis_level="thorough", item_count=1, wait=3 * ttl
            ) as hold:
                back = time.time()
            assert hold.required_credits == COST
        # Back once the last renewal's lease ran out: at most one ttl after the kill (and a
        # second for the waiter to notice and ask check() again on a busy machine).
        assert back - killed <= ttl + 1.0
        assert back >= datetime.fromisoformat(expires).timestamp() - 0.05
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
