"""The credit ledgers' shells: the in-process one (the default: one per account, base URL and
API key, in this process, shared by every client, thread and coroutine on it) and the Redis one
(shared by every process and machine that uses it). The rules are `_ledger`'s; the Redis
protocol (keys, scripts, arguments, replies) is `_redis_ledger`'s; these only hold state or
talk to Redis.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import UTC, datetime
from typing import Any

from .._errors import CreditLedgerUnavailableError, InvalidParameterError
from .._flavours import AsyncWake, async_redis_from_url, async_sleep
from .._ledger import Decision, HeldCredits, HoldView, Ledger
from .._ratelimit import key_digest
from .._redis_ledger import (
    LEAVE,
    NOW,
    RELEASE,
    RENEW,
    RESERVE,
    SNAPSHOT,
    Timing,
    Unreachable,
    account_keys,
    decode_now,
    decode_release,
    decode_renew,
    decode_reserve,
    decode_snapshot,
    redis_server_name,
    release_args,
    renew_args,
    reserve_args,
    unavailable_message,
    unreachable_mode,
)
from .._redis_protocol import redis_errors

__all__ = ["AsyncLocalLedger", "AsyncRedisLedger", "async_local_ledger"]

log = logging.getLogger("scopix")
REDIS_SOCKET_TIMEOUT = 2.0
POLL_SECONDS = 0.05  # how often a waiter on the Redis ledger asks again


class AsyncLocalLedger:
    def __init__(self) -> None:
        self._ledger = Ledger()
        self._lock = threading.Lock()  # never held across a wait
        self._wakes: set[AsyncWake] = set()
        self.fallback: AsyncLocalLedger | None = None  # nothing to fall back to

    def clock(self) -> float:
        return time.monotonic()

    async def now(self) -> float:
        return self.clock()

    def wall(self, at: float) -> datetime:
        return datetime.fromtimestamp(time.time() + at - self.clock(), UTC)

    async def reserve(
        self, hold_id: str, *, required: int, available: int, can_proceed: bool,
        checked_at: float, ttl: float, may_wait: bool, owner: str,
    ) -> Decision:  # fmt: skip
        with self._lock:
            return self._ledger.reserve(
                hold_id, required=required, available=available, can_proceed=can_proceed,
                checked_at=checked_at, now=self.clock(), ttl=ttl, may_wait=may_wait, owner=owner,
            )  # fmt: skip

    async def holds(self) -> HeldCredits:
        with self._lock:
            self._ledger.expire(self.clock())
            live = sorted(self._ledger.holds.items(), key=lambda item: item[1].expires_at)
            waiting = len(self._ledger.queue)
        views = (HoldView(i, h.required, self.wall(h.expires_at), h.owner) for i, h in live)
        return HeldCredits(tuple(views), waiting)

    async def release(self, hold_id: str, credits_used: int | None) -> bool:
        with self._lock:
            ended = self._ledger.release(hold_id, now=self.clock(), credits_used=credits_used)
        self._wake_all()
        return ended

    async def leave(self, hold_id: str) -> None:
        with self._lock:
            self._ledger.leave(hold_id)
        self._wake_all()

    async def renew(self, hold_id: str, ttl: float) -> float | None:
        with self._lock:
            return self._ledger.renew(hold_id, now=self.clock(), ttl=ttl)

    async def wait_for_change(self, seconds: float) -> None:
        with self._lock:  # a lease lapsing is a change too
            lapse = self._ledger.next_expiry()
        if lapse is not None:
            seconds = min(seconds, max(0.0, lapse - self.clock()) + 0.001)
        wake = AsyncWake()
        self._wakes.add(wake)
        try:
            await wake.wait(seconds)
        finally:
            self._wakes.discard(wake)

    def _wake_all(self) -> None:
        for wake in list(self._wakes):
            wake.set()


_LEDGERS: dict[tuple[str, str], AsyncLocalLedger] = {}
_LEDGERS_LOCK = threading.Lock()


def async_local_ledger(base_url: str, api_key: str) -> AsyncLocalLedger:
    """This process's ledger of the account."""
    with _LEDGERS_LOCK:
        return _LEDGERS.setdefault((base_url, key_digest(api_key)), AsyncLocalLedger())


class AsyncRedisLedger:
    """Credits held through Redis, shared by every process and machine that uses it:
    `Scopix(credits=AsyncRedisLedger(redis.asyncio.Redis(...)))` (`SyncRedisLedger` with a
    `redis.Redis` for `SyncScopix`), or a URL: `redis://`, `rediss://`, `unix://`,
    `redis+sentinel://`, `redis+cluster://`, or `rediss+sentinel://` / `rediss+cluster://` for
    TLS (docs/redis-urls.md); a URL's client connects at the first reservation, not when the
    ledger is made. Needs the `scopix[redis]` extra.

    Each step is one Lua script, atomic on the Redis server and timed by its clock; an
    account's keys share a hash tag (Redis Cluster) and all expire. The same Redis can serve
    pacing too (another `prefix`). When Redis cannot be reached a reservation raises
    `CreditLedgerUnavailableError` and holds nothing (`unreachable="refuse"`, the default:
    money fails closed), or holds on this process's own ledger, with a warning
    (`unreachable="local"`: the guarantee then covers this process only; a Redis that answers
    but cannot run the scripts, e.g. a wrong password, refuses either way). A hold whose
    release cannot reach Redis ends when its lease does (counted as spending all it held).

    `settle`: seconds after a hold ends before a `check()` answer is trusted to include its
    spend (0: the API counts a spend before it answers the request that made it). `memory`:
    seconds spends are remembered (keys live that long after the last hold).
    """

    def __init__(
        self,
        redis: Any,
        *,
        prefix: str = "scopix:credits",
        unreachable: str = "refuse",
        settle: float = 0.0,
        memory: float = 600.0,
    ) -> None:
        try:
            mode = unreachable_mode(unreachable)
            Ledger(settle=settle, memory=memory)  # the core checks both
        except ValueError as exc:
            name = str(exc).split()[0]
            raise InvalidParameterError(name, str(exc)) from None
        if isinstance(redis, str):
            redis = async_redis_from_url(
                redis,
                socket_timeout=REDIS_SOCKET_TIMEOUT,
                socket_connect_timeout=REDIS_SOCKET_TIMEOUT,
            )
        self._redis = redis
        self._prefix = prefix
        self._mode = mode
        self._timing = Timing(settle, memory)
        self._keys: list[str] = []
        self.fallback: AsyncLocalLedger | None = None
        self._scripts = {
            name: redis.register_script(source)
            for name, source in (
                ("reserve", RESERVE),
                ("renew", RENEW),
                ("release", RELEASE),
                ("leave", LEAVE),
                ("snapshot", SNAPSHOT),
                ("now", NOW),
            )
        }

    def for_account(self, base_url: str, api_key: str) -> AsyncRedisLedger:
        """This ledger, bound to the account's keys."""
        bound = object.__new__(type(self))
        bound.__dict__.update(self.__dict__)
        bound._keys = account_keys(self._prefix, base_url, api_key)
        if self._mode is Unreachable.LOCAL:
            bound.fallback = async_local_ledger(base_url, api_key)
        return bound

    def __repr__(self) -> str:
        return f"{type(self).__name__}(prefix={self._prefix!r}, unreachable={self._mode.value!r})"

    def _unavailable(self, exc: BaseException) -> CreditLedgerUnavailableError:
        return CreditLedgerUnavailableError(
            unavailable_message(redis_server_name(self._redis), exc)
        )

    async def _run(self, name: str, args: list[object]) -> Any:
        try:
            return await self._scripts[name](keys=self._keys, args=args)
        except redis_errors() as exc:  # Redis failed; a bug of ours raises as it is
            raise self._unavailable(exc) from exc

    def clock(self) -> float:
        return time.monotonic()

    async def now(self) -> float:
        """The clock of the node the account's scripts run on (one node, on Redis Cluster)."""
        return decode_now(await self._run("now", []))

    def wall(self, at: float) -> datetime:
        return datetime.fromtimestamp(at, UTC)  # the server's clock is Unix time

    async def reserve(
        self, hold_id: str, *, required: int, available: int, can_proceed: bool,
        checked_at: float, ttl: float, may_wait: bool, owner: str,
    ) -> Decision:  # fmt: skip
        args = reserve_args(
            self._timing, hold_id, required=required, available=available,
            can_proceed=can_proceed, checked_at=checked_at, ttl=ttl, may_wait=may_wait,
            owner=owner,
        )  # fmt: skip
        return decode_reserve(await self._run("reserve", args), required, available)

    async def holds(self) -> HeldCredits:
        return decode_snapshot(await self._run("snapshot", [*self._timing.args()]))

    async def release(self, hold_id: str, credits_used: int | None) -> bool:
        reply = await self._run("release", release_args(self._timing, hold_id, credits_used))
        return decode_release(reply)

    async def leave(self, hold_id: str) -> None:
        await self._run("leave", [*self._timing.args(), hold_id])

    async def renew(self, hold_id: str, ttl: float) -> float | None:
        return decode_renew(await self._run("renew", renew_args(self._timing, hold_id, ttl)))

    async def wait_for_change(self, seconds: float) -> None:
        await async_sleep(min(seconds, POLL_SECONDS))
