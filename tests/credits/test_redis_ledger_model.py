"""The Redis ledger's Lua scripts on a real redis-server, step by step beside the pure core
(`scopix._ledger`): every reply must be the core's decision at the instant the script ran (its
reply says when, on the Redis clock), and a fleet of workers with stale `check()` answers,
spends, releases, crashes, renewals and waiters never overspends and is never refused while
enough credits are free and unheld.

Time is the Redis server's own and cannot be held still: the machine lets it run (short sleeps
between steps) with leases of tens of milliseconds, so leases lapse within a run. The core
runs on the same integer microseconds, so both compare exactly.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import redis
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from scopix._ledger import Decision, Ledger, Verdict
from scopix._redis_ledger import (
    LEAVE,
    RELEASE,
    RENEW,
    RESERVE,
    Timing,
    account_keys,
    decode_release,
    decode_renew,
    decode_reserve,
    release_args,
    renew_args,
    reserve_args,
)
from tests.redis_server import RedisServer

US = 1_000_000
TTL = 0.04  # seconds
SETTLE, MEMORY = 0.005, 0.5
WORKERS = [f"w{i}" for i in range(5)]


class Scripts:
    """The four scripts against one account's keys, replies kept whole."""

    def __init__(self, client: redis.Redis, keys: list[str]) -> None:
        self.keys = keys
        self.timing = Timing(SETTLE, MEMORY)
        self._run = {
            name: client.register_script(src)
            for name, src in (("reserve", RESERVE), ("renew", RENEW), ("release", RELEASE),
                              ("leave", LEAVE))
        }  # fmt: skip

    def __call__(self, name: str, args: list[object]) -> list[Any]:
        reply: list[Any] = self._run[name](keys=self.keys, args=[str(a) for a in args])
        return reply


@pytest.fixture(scope="module")
def redis_client(redis_server: RedisServer) -> redis.Redis:
    return redis.Redis.from_url(redis_server.url, socket_timeout=5)


def _now(reply: list[Any]) -> int:
    return int(reply[-1])


class RedisFleet(RuleBasedStateMachine):
    client: redis.Redis

    def __init__(self) -> None:
        super().__init__()
        self.scripts = Scripts(
            self.client, account_keys(f"test:{uuid.uuid4().hex}", "http://x", "scopix_k")
        )
        settle_us, memory_us = self.scripts.timing.args()
        self.model = Ledger(settle=settle_us, memory=memory_us)  # integer microseconds
        self.credits = 100  # the server's truth
        self.answers: dict[str, tuple[int, int]] = {}  # worker -> (available, asked at us)
        self.live: dict[str, int] = {}  # worker -> credits it may still spend
        self.refused_with_room = 0

    def _server_us(self) -> int:
        seconds, micros = self.client.time()
        return int(seconds) * US + int(micros)

    def _same(self, got: Decision, want: Decision) -> None:
        assert (got.verdict, got.held, got.unseen, got.ahead) == (
            want.verdict, want.held, want.unseen, want.ahead,
        ), f"Lua {got} != core {want}"  # fmt: skip

    @rule(ms=st.integers(0, 30))
    def tick(self, ms: int) -> None:
        # Time passing is the behaviour under test here (leases lapse): Redis's clock moves.
        import time

        time.sleep(ms / 1000)

    workers = st.sampled_from(WORKERS)

    @rule(worker=workers)
    def check(self, worker: str) -> None:
        self.answers[worker] = (self.credits, self._server_us())

    # No preconditions and no draws that depend on the state: the state depends on Redis's
    # clock, and hypothesis needs the same draws for the same choices. A step that does not
    # apply (a worker without an answer, or not holding) does nothing.
    @rule(worker=workers, required=st.integers(1, 60), may_wait=st.booleans(),
          stale=st.booleans())  # fmt: skip
    def reserve(self, worker: str, required: int, may_wait: bool, stale: bool) -> None:
        if worker in self.live:
            return
        if not stale or worker not in self.answers:
            self.check(worker)  # else the answer from its last check, however old
        available, asked = self.answers[worker]
        if not may_wait:
            del self.answers[worker]
        kw: dict[str, Any] = {
            "required": required, "available": available, "can_proceed": available >= required,
            "may_wait": may_wait,
        }  # fmt: skip
        args = reserve_args(self.scripts.timing, worker, checked_at=asked / US, ttl=TTL, **kw)
        reply = self.scripts("reserve", args)
        got = decode_reserve(reply, required, available)
        # The core on the very microseconds the script got (checked_at, ttl).
        checked_us, ttl_us = int(str(args[6])), int(str(args[7]))
        want = self.model.reserve(worker, checked_at=checked_us, now=_now(reply), ttl=ttl_us, **kw)
        self._same(got, want)
        if got.verdict is Verdict.GRANT:
            assert got.expires_at == pytest.approx(_now(reply) / US + TTL, abs=2e-6)
            self.live[worker] = required
            self.answers.pop(worker, None)
        idle = got.held == got.unseen == got.ahead == 0
        if got.verdict is Verdict.REFUSE and idle and self.credits >= required:
            self.refused_with_room += 1

    @rule(worker=workers, share=st.floats(0, 1))
    def spend(self, worker: str, share: float) -> None:
        if worker not in self.live:
            return
        # A well-behaved worker spends only while its lease is live: renew to know.
        args = renew_args(self.scripts.timing, worker, TTL)
        reply = self.scripts("renew", args)
        until = decode_renew(reply)
        model_until = self.model.renew(worker, now=_now(reply), ttl=int(str(args[3])))
        assert (until is None) == (model_until is None)
        if until is None:
            self.live.pop(worker)
            return
        credits = round(share * self.live[worker])
        self.live[worker] -= credits
        self.credits -= credits

    @rule(worker=workers, crash=st.booleans())
    def finish(self, worker: str, crash: bool) -> None:
        if worker not in self.live:
            return
        left = self.live.pop(worker)
        if crash:
            return  # its lease lapses
        hold = self.model.holds.get(worker)
        used = None if hold is None else hold.required - left
        reply = self.scripts("release", release_args(self.scripts.timing, worker, used))
        ended = self.model.release(worker, now=_now(reply), credits_used=used)
        assert decode_release(reply) is ended

    @rule(worker=workers)
    def leave(self, worker: str) -> None:
        if worker not in self.model.queue:
            return
        reply = self.scripts("leave", [*self.scripts.timing.args(), worker])
        self.model.expire(_now(reply))  # every script ends lapsed leases first
        self.model.leave(worker)
        self.answers.pop(worker, None)

    @invariant()
    def never_overspent(self) -> None:
        assert self.credits >= 0

    @invariant()
    def no_refusal_with_room(self) -> None:
        assert self.refused_with_room == 0

    @invariant()
    def same_holds_and_queue(self) -> None:
        holds: dict[bytes, bytes] = self.client.hgetall(self.scripts.keys[0])  # type: ignore[assignment]
        members: list[bytes] = self.client.zrange(self.scripts.keys[2], 0, -1)  # type: ignore[assignment]
        queue = [m.decode() for m in members]
        # Both saw the same steps at the same instants: the same holds, the same queue.
        assert {k.decode() for k in holds} == set(self.model.holds)
        assert queue == list(self.model.queue)


def test_the_lua_is_the_core_on_a_real_redis(redis_client: redis.Redis) -> None:
    RedisFleet.client = redis_client
    case = RedisFleet.TestCase
    # Generation only: a run depends on Redis's clock, so it cannot be replayed or shrunk; a
    # failure prints its steps as they happened.
    case.settings = settings(
        max_examples=100, stateful_step_count=50, deadline=None, database=None,
        phases=[Phase.generate], suppress_health_check=list(HealthCheck),
    )  # fmt: skip
    case().runTest()


def test_every_key_is_hash_tagged_and_expires(redis_client: redis.Redis) -> None:
    from redis.crc import key_slot

    keys = account_keys(f"test:{uuid.uuid4().hex}", "http://x", "scopix_k")
    assert len({key_slot(k.encode()) for k in keys}) == 1
    assert all("{" in k and "}" in k for k in keys)
    scripts = Scripts(redis_client, keys)
    timing = scripts.timing
    kw: dict[str, Any] = {"available": 100, "can_proceed": True, "ttl": 30.0}
    seconds, micros = redis_client.time()
    now = seconds + micros / US
    scripts("reserve", reserve_args(timing, "a", required=60, checked_at=now, may_wait=False,
                                    **kw))  # fmt: skip
    scripts("reserve", reserve_args(timing, "b", required=50, checked_at=now, may_wait=True,
                                    **kw))  # fmt: skip
    scripts("release", release_args(timing, "a", 10))
    assert all(redis_client.exists(k) for k in keys[1:]), "spends, queue and waiters written"
    for key in keys:
        if redis_client.exists(key):
            ttl_ms = redis_client.pttl(key)
            # The longest lease (30 s) and the memory of spends (0.5 s), and a second's margin.
            assert 0 < ttl_ms <= (30 + MEMORY + 1) * 1000 + 10, (key, ttl_ms)
