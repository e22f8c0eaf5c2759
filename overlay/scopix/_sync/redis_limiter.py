# Generated from _async/redis_limiter.py by scripts/unasync.py; edit that, then make generate.
from __future__ import annotations

import contextlib
import logging
import math
import time
import uuid
from collections.abc import Callable
from typing import Any

import httpx

from .. import _policy
from .. import _redis_protocol as protocol
from .._flavours import sync_redis_from_url, sync_shielded, sync_sleep
from .._logs import pacing_wait
from .._ratelimit import LOG_WAIT_SECONDS, ClockOffset, RateLimits, Slot
from .._redis_scripts import CANCEL, CONFIRM, DEPART, LEARN, RESERVE
from .limiter import SyncLimiter

__all__ = ["SyncRedisLimiter"]

log = logging.getLogger("scopix")


class SyncRedisLimiter(SyncLimiter):
    """Pacing shared through Redis by every process and machine that uses the same API key.

    Same guarantee as the in-process limiter (at most N requests in any W seconds per bucket),
    kept atomically by Lua scripts on the Redis server's clock. A request takes a place in line;
    when its time comes it confirms and is stamped as it leaves, so a process that wakes late
    keeps its place and costs only its own lateness. If Redis cannot be reached, the client
    falls back to in-process pacing (logged as a warning) at its share of the budget (1/P of
    it, P the processes seen booking on the key lately) and tries Redis again a few seconds
    later; it never wedges on a Redis restart. A connection pool with no free connection is
    waited for, not taken for an outage. A client that cannot run the scripts (a read-only
    replica, a proxy that drops scripts) raises `RedisPacingError` at the first call.

    Pass a `redis.asyncio.Redis` or `redis.asyncio.cluster.RedisCluster` (the sync limiter takes
    a `redis.Redis` or `redis.cluster.RedisCluster`; Sentinel's `master_for` clients are
    `Redis` ones) or a URL: `redis://`, `rediss://`, `unix://`, `redis+sentinel://`,
    `redis+cluster://`, or `rediss+sentinel://` / `rediss+cluster://` for TLS (docs/redis-urls.md).
    A URL's client connects at the first call, so a limiter made while Redis (or every node of
    a cluster) is away paces in-process until it answers. A client of your own should have a
    `socket_timeout` (a URL gets 2 s): without one, a Redis that stops answering stalls
    callers. Needs `scopix[redis]`.
    """

    def __init__(
        self,
        redis: Any,
        *,
        limits: RateLimits | None = None,
        prefix: str = "scopix:pacing",
        max_ahead_windows: float = 10.0,
        retry_redis_after: float = 5.0,
        latency_margin: float = 0.05,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(limits or RateLimits.from_spec(), clock)
        if isinstance(redis, str):
            timeout = protocol.REDIS_SOCKET_TIMEOUT
            redis = sync_redis_from_url(
                redis, socket_timeout=timeout, socket_connect_timeout=timeout
            )
        else:
            warning = protocol.timeout_warning(redis)
            if warning:
                log.warning(warning)
        self._redis = redis
        self._prefix = prefix
        self._max_ahead_windows = max_ahead_windows
        self._latency_margin = latency_margin
        self._health = protocol.RedisHealth(retry_redis_after)
        self._send_delay = protocol.SendDelay(latency_margin)
        self._peer = uuid.uuid4().hex
        self._peers: dict[str, int] = {}  # bucket -> processes seen booking on its key
        self._clocks = ClockOffset()
        self._scripts = {
            name: redis.register_script(source)
            for name, source in (
                ("reserve", RESERVE),
                ("confirm", CONFIRM),
                ("cancel", CANCEL),
                ("depart", DEPART),
                ("learn", LEARN),
            )
        }

    def _fresh(self) -> SyncRedisLimiter:
        return SyncRedisLimiter(
            self._redis,
            limits=self.limits,
            prefix=self._prefix,
            max_ahead_windows=self._max_ahead_windows,
            retry_redis_after=self._health.retry_after,
            latency_margin=self._latency_margin,
            clock=self._clock,
        )

    def _plan(self, bucket: str) -> protocol.Plan:
        keys = protocol.bucket_keys(self._prefix, str(self._key), bucket)
        limit = self.limits.buckets[bucket]
        return protocol.plan(keys, limit, self._latency_margin, self._max_ahead_windows)

    def _use_redis(self, bucket: str) -> bool:
        return self._pacer.paces(bucket) and self._health.usable(self._clock())

    def _run(self, step: protocol.Run) -> tuple[Any, float]:
        """Run a script: its reply, and the local instant the attempt that ran it was sent (the
        script's clock reads no earlier; the waits for a pooled connection before it do not
        count). A pool with no free connection is waited for (it is not Redis going away); an
        outage raises RedisUnavailable; a client that cannot run the scripts raises
        RedisPacingError."""
        pool = protocol.PoolWait(self._clock(), self._health.retry_after)
        while True:
            sent = self._clock()
            try:
                reply = self._scripts[step.script](keys=step.keys, args=step.args)
            except protocol.redis_errors() as exc:
                delay = pool.next_delay(self._clock())
                if protocol.failure(exc) == "down" or delay is None:
                    self._down(exc)
                    raise protocol.RedisUnavailable(exc) from exc
            else:
                if self._health.answered():
                    log.info("scopix: Redis pacing is back; sharing the budget again")
                    with self._lock:
                        for bucket in self._peers:
                            self._pacer.share(bucket, 1)
                return reply, sent
            sync_sleep(delay)

    def _down(self, exc: BaseException) -> None:
        if self._health.failed(self._clock()):
            log.warning("scopix: Redis pacing unavailable (%s); pacing in-process", exc)
        with self._lock:
            for bucket, peers in self._peers.items():
                self._pacer.share(bucket, peers)

    def acquire(self, bucket: str, max_wait: float = math.inf) -> Slot | None:
        if not self._use_redis(bucket):
            return super().acquire(bucket, max_wait)
        plan = self._plan(bucket)
        margin = self._send_delay.margin()
        booking = protocol.Booking(
            plan, uuid.uuid4().hex, self._peer, max_wait, self._clocks, margin
        )
        step: protocol.Run | protocol.Sleep | protocol.Go = booking.start()
        logged = False
        sent = self._clock()
        try:
            while not isinstance(step, protocol.Go):
                if isinstance(step, protocol.Run):
                    reply, sent = self._run(step)
                    step = booking.answer(reply, sent, self._clock())
                    if booking.peers is not None:
                        self._peers[bucket] = booking.peers
                    continue
                wait = step.until - self._clock()
                if not logged and wait > LOG_WAIT_SECONDS:
                    pacing_wait(wait, bucket, "redis")
                    logged = True
                sync_sleep(max(0.0, wait))
                step = booking.woke()
        except protocol.RedisUnavailable:
            return super().acquire(bucket, max_wait)
        except BaseException:
            sync_shielded(self._give_back, booking)
            raise
        with self._lock:  # counted here too: pacing in-process knows this process's sends
            self._pacer.record(bucket)
        return Slot(bucket, step.booked, step.member, granted=sent, margin=step.margin)

    def _run_if_up(self, step: protocol.Run | None) -> None:
        """Run a script that Redis being away makes moot: a given-back place is taken for gone
        a few windows later; sends and lessons are counted in-process meanwhile."""
        if step is not None:
            with contextlib.suppress(protocol.RedisUnavailable):
                self._run(step)

    def _give_back(self, booking: protocol.Booking) -> None:
        self._run_if_up(booking.give_back())

    def _departed(self, slot: Slot | None) -> None:
        """The request left: stamped in-process, and in Redis at the server's now when it left
        later than its departure's margin allows for (a process busy in between). The delay
        since its go-ahead was asked for teaches the margins of the next ones."""
        if slot is None or slot.stamped:
            return
        self.depart(slot)
        now = self._clock()
        if slot.granted is not None:
            self._send_delay.observe(now - slot.granted)
        late = protocol.departs_late(slot.granted, now, slot.margin)
        if slot.member is not None and late and self._use_redis(slot.bucket):
            self._run_if_up(protocol.depart(self._plan(slot.bucket), slot.member))

    def learn(
        self,
        bucket: str,
        response: httpx.Response,
        answered: float | None = None,
        sent: float | None = None,
    ) -> None:
        super().learn(bucket, response, answered, sent)
        if not self._use_redis(bucket):
            return
        info = _policy.rate_limit_info(response.headers)
        block = self._block(bucket, response)
        age = 0.0 if answered is None else self._clock() - answered
        plan = self._plan(bucket)
        ident = uuid.uuid4().hex
        step = protocol.learn(plan, info.remaining, info.reset, block, ident, age, info.limit)
        self._run_if_up(step)
