"""Observers hear of credit holds (`on_hold`): granted, refused, released, lease lost and a
shared ledger out of reach, against the sandbox and a real redis-server, async and sync."""

from __future__ import annotations

import asyncio
import os
import socket
import threading
import time
import uuid
from typing import Any

import pytest
import redis
import redis.asyncio

from scopix import (
    CreditLedgerUnavailableError,
    InsufficientCreditsError,
    Scopix,
    SyncScopix,
)
from scopix.credits import AsyncRedisLedger, SyncRedisLedger
from scopix.observe import CallInfo, HoldEvent, Stats
from scopix_sandbox import Sandbox
from tests.redis_server import RedisServer

pytestmark = pytest.mark.scopix_sandbox(remaining_credits={"acct_main": 100})
OWNER = f"{socket.gethostname()}:{os.getpid()}"
DEADLINE = 30.0


class Recorder:
    def __init__(self) -> None:
        self.events: list[HoldEvent] = []
        self.changed = threading.Condition()

    def on_call(self, info: CallInfo) -> None:
        pass

    def on_hold(self, event: HoldEvent) -> None:
        with self.changed:
            self.events.append(event)
            self.changed.notify_all()

    def kinds(self) -> list[str]:
        return [e.kind for e in self.events]

    def wait_for(self, kind: str) -> HoldEvent:
        with self.changed:
            assert self.changed.wait_for(
                lambda: any(e.kind == kind for e in self.events), DEADLINE
            ), self.kinds()
            return next(e for e in self.events if e.kind == kind)


@pytest.fixture(params=["local", "redis"])
def ledger(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _credits(kind: str, flavour: str, server: RedisServer) -> Any:
    if kind == "local":
        return None
    prefix = f"test:{uuid.uuid4().hex}"
    if flavour == "sync":
        return SyncRedisLedger(redis.Redis.from_url(server.url, socket_timeout=5), prefix=prefix)
    return AsyncRedisLedger(redis.asyncio.Redis.from_url(server.url), prefix=prefix)


def _kwargs(sb: Sandbox, *observers: object, credits: Any = None) -> dict[str, Any]:
    return dict(base_url=sb.base_url, api_key=sb.api_key, pacing=False, observers=list(observers),
                credits=credits)  # fmt: skip


def _more_than_half(sb: Sandbox) -> int:
    with SyncScopix(base_url=sb.base_url, api_key=sb.api_key, pacing=False) as client:
        answer = client.usage.check(analysis_level="thorough", item_count=1)
    assert answer.credits_per_item
    return answer.available_credits // answer.credits_per_item // 2 + 1


def test_granted_refused_released(
    scopix_sandbox: Sandbox, flavour: str, ledger: str, redis_server: RedisServer
) -> None:
    rec, stats = Recorder(), Stats()
    kw = _kwargs(scopix_sandbox, rec, stats, credits=_credits(ledger, flavour, redis_server))
    items = _more_than_half(scopix_sandbox)
    seen: dict[str, Any] = {}

    def sync() -> None:
        with (
            SyncScopix(**kw) as c,
            c.usage.reserve(analysis_level="thorough", item_count=items) as h,
        ):
            seen["hold"] = h
            with pytest.raises(InsufficientCreditsError) as refused:
                c.usage.reserve(analysis_level="thorough", item_count=items).__enter__()
            seen["refused"] = refused.value
            h.release(credits_used=0)

    async def main() -> None:
        async with (
            Scopix(**kw) as c,
            c.usage.reserve(analysis_level="thorough", item_count=items) as h,
        ):
            seen["hold"] = h
            with pytest.raises(InsufficientCreditsError) as refused:
                await c.usage.reserve(analysis_level="thorough", item_count=items).__aenter__()
            seen["refused"] = refused.value
            await h.release(credits_used=0)

    sync() if flavour == "sync" else asyncio.run(main())
    hold = seen["hold"]
    error: InsufficientCreditsError = seen["refused"]
    assert rec.kinds() == ["granted", "refused", "released"]
    granted, refused, released = rec.events
    assert (granted.hold_id, granted.owner) == (hold.id, OWNER)
    assert granted.required_credits == hold.required_credits > 0
    assert granted.available_credits == hold.check.available_credits
    assert granted.held_credits == 0
    assert granted.expires_at == hold.expires_at
    assert granted.waited > 0
    assert granted.shared is (ledger == "redis")
    assert refused.error is error
    assert refused.required_credits == error.required == hold.required_credits
    assert refused.held_credits == error.held == hold.required_credits
    assert refused.hold_id != hold.id
    assert released.hold_id == hold.id
    assert released.credits_used == 0
    assert released.held_for is not None
    assert released.held_for >= 0
    assert (stats.holds_granted, stats.holds_refused, stats.holds_released) == (1, 1, 1)
    assert stats.leases_lost == 0
    assert stats.hold_wait == pytest.approx(granted.waited + refused.waited)


def test_a_waiter_is_granted_after_the_release_it_waited_for(
    scopix_sandbox: Sandbox, flavour: str, ledger: str, redis_server: RedisServer
) -> None:
    rec = Recorder()
    kw = _kwargs(scopix_sandbox, rec, credits=_credits(ledger, flavour, redis_server))
    items = _more_than_half(scopix_sandbox)

    def sync() -> None:
        with SyncScopix(**kw) as c:
            first = c.usage.reserve(analysis_level="thorough", item_count=items)
            with first as hold:

                def wait() -> None:
                    with c.usage.reserve(analysis_level="thorough", item_count=items, wait=30):
                        pass

                waiter = threading.Thread(target=wait)
                waiter.start()
                end = time.monotonic() + DEADLINE
                while c.usage.holds().waiting != 1:  # the ledger reports it queued
                    assert time.monotonic() < end
                    time.sleep(0.01)
                hold.release(credits_used=0)
                waiter.join(DEADLINE)

    async def main() -> None:
        async def wait(c: Scopix) -> None:
            async with c.usage.reserve(analysis_level="thorough", item_count=items, wait=30):
                pass

        async with (
            Scopix(**kw) as c,
            c.usage.reserve(analysis_level="thorough", item_count=items) as hold,
        ):
            waiter = asyncio.create_task(wait(c))
            async with asyncio.timeout(DEADLINE):
                while (await c.usage.holds()).waiting != 1:  # noqa: ASYNC110 (the ledger's state)
                    await asyncio.sleep(0.01)
            await hold.release(credits_used=0)
            await waiter

    sync() if flavour == "sync" else asyncio.run(main())
    assert rec.kinds() == ["granted", "released", "granted", "released"]
    first, ended, second, _ = rec.events
    assert ended.hold_id == first.hold_id != second.hold_id
    assert second.held_credits == 0  # the first hold had ended when it was granted
    assert second.waited > 0


def test_a_lost_lease_is_reported_once_and_not_as_released(
    scopix_sandbox: Sandbox, flavour: str, redis_server: RedisServer
) -> None:
    rec, stats = Recorder(), Stats()
    credits = _credits("redis", flavour, redis_server)
    kw = _kwargs(scopix_sandbox, rec, stats, credits=credits)
    raw = redis.Redis.from_url(redis_server.url)

    def lose(hold_id: str) -> None:  # as if the lease had lapsed while the worker hung
        keys = credits.for_account(scopix_sandbox.base_url, scopix_sandbox.api_key)._keys
        assert raw.hdel(keys[0], hold_id) == 1

    def sync() -> None:
        with SyncScopix(**kw) as c, c.usage.reserve(item_count=1, ttl=0.6) as hold:
            lose(hold.id)
            rec.wait_for("lease_lost")
            assert hold.lease_lost

    async def main() -> None:
        async with Scopix(**kw) as c, c.usage.reserve(item_count=1, ttl=0.6) as hold:
            lose(hold.id)
            await asyncio.to_thread(rec.wait_for, "lease_lost")
            assert hold.lease_lost

    sync() if flavour == "sync" else asyncio.run(main())
    assert rec.kinds() == ["granted", "lease_lost"]
    lost = rec.events[1]
    assert lost.hold_id == rec.events[0].hold_id
    assert lost.held_for is not None
    assert lost.held_for > 0
    assert (stats.holds_granted, stats.leases_lost, stats.holds_released) == (1, 1, 0)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


@pytest.mark.parametrize("unreachable", ["refuse", "local"])
def test_a_ledger_out_of_reach_is_reported(
    scopix_sandbox: Sandbox, flavour: str, unreachable: str
) -> None:
    rec = Recorder()
    port = _closed_port()
    url = f"redis://127.0.0.1:{port}/0"
    ledger_type = SyncRedisLedger if flavour == "sync" else AsyncRedisLedger
    kw = _kwargs(scopix_sandbox, rec, credits=ledger_type(url, unreachable=unreachable))

    def sync() -> None:
        with SyncScopix(**kw) as c, c.usage.reserve(item_count=1):
            pass

    async def main() -> None:
        async with Scopix(**kw) as c, c.usage.reserve(item_count=1):
            pass

    if unreachable == "refuse":
        with pytest.raises(CreditLedgerUnavailableError):
            sync() if flavour == "sync" else asyncio.run(main())
        assert rec.kinds() == ["unavailable"]
    else:
        sync() if flavour == "sync" else asyncio.run(main())
        assert rec.kinds() == ["unavailable", "granted", "released"]
        assert rec.events[1].shared is False  # held on this process's own ledger
    down = rec.events[0]
    assert isinstance(down.error, CreditLedgerUnavailableError)
    assert f"127.0.0.1:{port}" in str(down.error)
    assert down.owner == OWNER
    assert down.required_credits is None
    assert down.waited > 0


def test_a_failing_on_hold_never_breaks_the_reservation(
    scopix_sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    class Broken:
        def on_call(self, info: CallInfo) -> None:
            pass

        def on_hold(self, event: HoldEvent) -> None:
            raise RuntimeError("observer bug")

    stats = Stats()
    with (
        SyncScopix(**_kwargs(scopix_sandbox, Broken(), stats)) as c,
        c.usage.reserve(item_count=1) as hold,
    ):
        assert hold.required_credits > 0
    assert (stats.holds_granted, stats.holds_released) == (1, 1)
    assert "observer bug" in caplog.text
