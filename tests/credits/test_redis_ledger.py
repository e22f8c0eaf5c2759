"""`credits=SyncRedisLedger(...)` / `AsyncRedisLedger(...)` on a real redis-server against the
sandbox: holds shared by clients that share nothing else, leases renewed while a block runs, a
lost lease seen, and Redis out of reach failing closed unless told otherwise."""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import redis
import redis.asyncio

from scopix import (
    CreditLedgerUnavailableError,
    InsufficientCreditsError,
    InvalidParameterError,
    InvalidParameterTypeError,
    Scopix,
    SyncScopix,
)
from scopix.credits import AsyncRedisLedger, SyncRedisLedger
from scopix_sandbox import Sandbox
from tests.redis_server import RedisServer

pytestmark = pytest.mark.scopix_sandbox(remaining_credits={"acct_main": 100})


def _ledger(server: RedisServer, prefix: str = "", **kw: object) -> SyncRedisLedger:
    client = redis.Redis.from_url(server.url, socket_timeout=5)
    prefix = prefix or f"test:{uuid.uuid4().hex}"
    return SyncRedisLedger(client, prefix=prefix, **kw)  # type: ignore[arg-type]


def _client(sb: Sandbox, ledger: SyncRedisLedger | None) -> SyncScopix:
    return SyncScopix(base_url=sb.base_url, api_key=sb.api_key, pacing=False, credits=ledger)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def test_two_clients_share_holds_through_redis(
    scopix_sandbox: Sandbox, redis_server: RedisServer
) -> None:
    prefix = f"test:{uuid.uuid4().hex}"
    # Two clients with nothing in common but the keys in Redis, as two processes would be.
    with (
        _client(scopix_sandbox, _ledger(redis_server, prefix)) as one,
        _client(scopix_sandbox, _ledger(redis_server, prefix)) as two,
    ):
        with one.usage.reserve(analysis_level="thorough", item_count=20) as hold:  # 60 of 100
            assert hold.required_credits == 60
            with (
                pytest.raises(InsufficientCreditsError) as refused,
                two.usage.reserve(analysis_level="thorough", item_count=20),
            ):
                pytest.fail("granted beyond the credits")
            assert (refused.value.available, refused.value.held) == (100, 60)
            with two.usage.reserve(analysis_level="thorough", item_count=13):  # 39 fit
                pass
            scopix_sandbox.spend(30)  # the work spent half of what it held
            hold.release(credits_used=30)
        # Every hold has ended and the server has counted the spend: all 70 left are free.
        with two.usage.reserve(analysis_level="basic", item_count=70) as last:
            assert last.check.available_credits == 70


def test_a_block_longer_than_its_lease_keeps_its_hold(
    scopix_sandbox: Sandbox, redis_server: RedisServer
) -> None:
    ledger = _ledger(redis_server)
    with (
        _client(scopix_sandbox, ledger) as client,
        client.usage.reserve(analysis_level="thorough", item_count=30, ttl=1.0) as hold,
    ):
        first = hold.expires_at
        deadline = time.monotonic() + 30
        while hold.expires_at < first + timedelta(seconds=2.5):  # 2.5 leases on
            assert time.monotonic() < deadline, "the lease was never renewed"
            time.sleep(0.05)
        # Three leases later the hold is still live: nothing else fits.
        with (
            pytest.raises(InsufficientCreditsError),
            client.usage.reserve(analysis_level="basic", item_count=11),
        ):
            pass
        assert not hold.lease_lost


def test_a_lost_lease_is_reported(scopix_sandbox: Sandbox, redis_server: RedisServer) -> None:
    ledger = _ledger(redis_server)
    raw = redis.Redis.from_url(redis_server.url)
    with (
        _client(scopix_sandbox, ledger) as client,
        client.usage.reserve(item_count=1, ttl=1.0) as hold,
    ):
        holds_key = ledger.for_account(client.base_url, scopix_sandbox.api_key)._keys[0]
        raw.hdel(holds_key, hold.id)  # as if the lease had lapsed while the worker hung
        deadline = time.monotonic() + 30
        while not hold.lease_lost:
            assert time.monotonic() < deadline
            time.sleep(0.02)


def test_redis_out_of_reach_fails_closed(scopix_sandbox: Sandbox) -> None:
    port = _closed_port()
    down = redis.Redis(host="127.0.0.1", port=port, socket_timeout=1, socket_connect_timeout=1)
    with _client(scopix_sandbox, SyncRedisLedger(down)) as client:
        with (
            pytest.raises(CreditLedgerUnavailableError, match=f"127.0.0.1:{port}") as error,
            client.usage.reserve(item_count=1),
        ):
            pytest.fail("granted without the ledger")
        assert isinstance(error.value.__cause__, redis.ConnectionError)
        assert "nothing was held" in str(error.value)


def test_redis_out_of_reach_holds_locally_when_chosen(
    scopix_sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    down = redis.Redis(host="127.0.0.1", port=_closed_port(), socket_timeout=1)
    with _client(scopix_sandbox, SyncRedisLedger(down, unreachable="local")) as client:
        with (
            caplog.at_level(logging.WARNING, logger="scopix"),
            client.usage.reserve(analysis_level="thorough", item_count=20),
            pytest.raises(InsufficientCreditsError),  # the local ledger still guards us
            client.usage.reserve(analysis_level="thorough", item_count=20),
        ):
            pass
        assert "holding on this process's ledger" in caplog.text


def test_a_client_that_cannot_run_the_scripts_refuses_even_when_local_was_chosen(
    scopix_sandbox: Sandbox, redis_server: RedisServer
) -> None:
    """`unreachable="local"` is for Redis out of reach; a wrong password is a setting to fix,
    and holding alone would let every process spend the same credits."""
    wrong = redis.Redis.from_url(redis_server.url, username="nobody", password="wrong")
    with _client(scopix_sandbox, SyncRedisLedger(wrong, unreachable="local")) as client:
        with (
            pytest.raises(CreditLedgerUnavailableError, match="failed") as error,
            client.usage.reserve(item_count=1),
        ):
            pytest.fail("held on the process's ledger")
        assert isinstance(error.value.__cause__, redis.AuthenticationError)


def test_bad_ledger_settings_are_refused_by_name(redis_server: RedisServer) -> None:
    client = redis.Redis.from_url(redis_server.url)
    with pytest.raises(InvalidParameterError, match="'refuse', 'local'"):
        SyncRedisLedger(client, unreachable="open")
    with pytest.raises(InvalidParameterError, match="settle"):
        SyncRedisLedger(client, settle=-1)
    with pytest.raises(InvalidParameterTypeError, match="credits must be a SyncRedisLedger"):
        SyncScopix(api_key="scopix_x", credits=AsyncRedisLedger(client))  # type: ignore[arg-type]


def test_async_holds_through_redis(scopix_sandbox: Sandbox, redis_server: RedisServer) -> None:
    async def main() -> None:
        r = redis.asyncio.Redis.from_url(redis_server.url, socket_timeout=5)
        ledger = AsyncRedisLedger(r, prefix=f"test:{uuid.uuid4().hex}")
        url, key = scopix_sandbox.base_url, scopix_sandbox.api_key
        async with (
            Scopix(base_url=url, api_key=key, credits=ledger) as one,
            Scopix(base_url=url, api_key=key, credits=ledger) as two,
        ):
            granted = asyncio.Event()

            async def waiter() -> None:
                async with two.usage.reserve(analysis_level="thorough", item_count=20, wait=30):
                    granted.set()

            async with one.usage.reserve(analysis_level="thorough", item_count=20, ttl=1.0) as hold:
                task = asyncio.create_task(waiter())
                first = hold.expires_at
                # Renewals move expires_at and signal nothing else: watch it.
                while hold.expires_at < first + timedelta(seconds=2.5):  # noqa: ASYNC110
                    await asyncio.sleep(0.05)
                assert not granted.is_set()  # renewed: the waiter still waits
            await asyncio.wait_for(task, 30)
            assert granted.is_set()
        await r.aclose()

    asyncio.run(main())


def test_sync_waiters_across_threads_are_served(
    scopix_sandbox: Sandbox, redis_server: RedisServer
) -> None:
    ledger = _ledger(redis_server)
    with _client(scopix_sandbox, ledger) as client:
        done: list[int] = []

        def work(i: int) -> None:
            with client.usage.reserve(analysis_level="thorough", item_count=20, wait=60):
                done.append(i)

        threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert sorted(done) == [0, 1, 2, 3]


def test_holds_show_who_holds_what_across_processes(
    scopix_sandbox: Sandbox, redis_server: RedisServer
) -> None:
    import os
    import socket
    import subprocess
    import sys

    from tests.credits.fleet import ROOT

    prefix = f"test:{uuid.uuid4().hex}"
    env = {**os.environ, **scopix_sandbox.env, "PYTHONPATH": str(ROOT),
           "FLEET_REDIS_URL": redis_server.url, "FLEET_PREFIX": prefix}  # fmt: skip
    other = subprocess.Popen(
        [sys.executable, "-m", "tests.credits.fleet", "hold", "10", "30"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        assert other.stdout is not None
        assert other.stdout.readline().startswith("held ")
        with (
            _client(scopix_sandbox, _ledger(redis_server, prefix)) as client,
            client.usage.reserve(analysis_level="thorough", item_count=5, ttl=30) as mine,
        ):
            seen = client.usage.holds()
            assert seen.credits == 45
            assert seen.waiting == 0
            owners = {h.owner: h.required_credits for h in seen.holds}
            host = socket.gethostname()
            assert owners == {f"{host}:{other.pid}": 30, f"{host}:{os.getpid()}": 15}
            assert {h.id for h in seen.holds} >= {mine.id}
            assert all(h.expires_at > datetime.now(UTC) for h in seen.holds)
        other.kill()
        other.wait()
        left = client.usage.holds()
        assert [h.owner for h in left.holds] == [f"{host}:{other.pid}"]  # until its lease ends
    finally:
        if other.poll() is None:
            other.kill()
            other.wait()


def test_one_redis_serves_pacing_and_credits(
    scopix_sandbox: Sandbox, redis_server: RedisServer
) -> None:
    from scopix.pacing import SyncRedisLimiter

    shared = redis.Redis.from_url(redis_server.url, socket_timeout=5)
    pacing_prefix, credits_prefix = f"p:{uuid.uuid4().hex}", f"c:{uuid.uuid4().hex}"
    with SyncScopix(
        base_url=scopix_sandbox.base_url,
        api_key=scopix_sandbox.api_key,
        pacing=SyncRedisLimiter(shared, prefix=pacing_prefix),
        credits=SyncRedisLedger(shared, prefix=credits_prefix),
    ) as client:
        with client.usage.reserve(analysis_level="thorough", item_count=20):
            assert client.usage.holds().credits == 60
        names = {k.decode() for k in shared.scan_iter(match="[pc]:*")}
    assert any(n.startswith(pacing_prefix) for n in names), names  # the check was paced there
    assert any(n.startswith(credits_prefix) for n in names), names
    assert all(n.startswith((pacing_prefix, credits_prefix)) for n in names)
