"""The Redis limiter's protocol, the pure part: key names, the scripts' argument vectors, reply
decoding, clamps, and every decision (what to do after a reply, a wake, an error, a response).
The shells (async and sync) only run what this asks for, sleep and wake.

One acquire is a `Booking`: `start()` gives the first script to run; each reply goes to
`answer()`, which says to leave now (`Go`), to sleep until an instant of the local clock and
then ask `woke()` for the next script (`Sleep`), or raises `WaitTooLong`. A booking keeps its
place in the line however late its holder wakes: waking, it confirms, and leaves at once if the
window allows, else after the remainder (never behind everyone again).
"""

from __future__ import annotations

import functools
import math
import threading
from collections import deque
from dataclasses import dataclass
from typing import Any, Literal

from ._ratelimit import BucketLimit, ClockOffset, WaitTooLong, pacing_window

__all__ = [
    "BLOCKED",
    "GO",
    "TOO_FAR",
    "US",
    "WAIT",
    "Booking",
    "Go",
    "Plan",
    "PoolWait",
    "RedisHealth",
    "RedisPacingError",
    "RedisUnavailable",
    "Reply",
    "Run",
    "SendDelay",
    "Sleep",
    "bucket_keys",
    "cancel",
    "decode",
    "depart",
    "departs_late",
    "failure",
    "learn",
    "plan",
    "redis_errors",
    "timeout_warning",
    "window_us",
]

US = 1_000_000
GO, WAIT, TOO_FAR, BLOCKED = 0, 1, 2, 3  # the scripts' statuses
# A Redis that stops answering (no error, no reply) would stall every caller: clients made from a
# URL get these socket timeouts; one of your own should have `socket_timeout=` set.
REDIS_SOCKET_TIMEOUT = 2.0
# The window the scripts keep is the paced one (the server's + 2 %, `pacing_window`): that part
# covers the jitter between a send and the server counting it, which on a loaded machine grows
# with the burst the server handles one request after another (a fixed 10 ms lost a window in
# 1 of 10 runs of 30 per 6 s; see docs/redis-pacing.md). A server that counts later still says
# so in its reset, and LEARN moves the departures (up to `Plan.lag_cap_us`). The go-ahead-to-send
# delay is each departure's own margin, learned per process (`SendDelay`).


class RedisPacingError(RuntimeError):
    """The Redis client given to the limiter cannot run its scripts (a wrong password, a
    read-only replica, a proxy that drops scripts, keys split over cluster slots, ...). Raised
    at the first call, with the cause: pacing alone while other processes book in Redis would
    break the shared budget without a word."""


class RedisUnavailable(Exception):
    """Redis cannot be reached or answer now (down, restarting, failing over, a timeout): pace
    in-process at this process's share until it answers again."""


def bucket_keys(prefix: str, digest: str, bucket: str) -> tuple[str, ...]:
    """The keys of one bucket of one API key (its digest): sent, queue, blocked, peers, lagged,
    learned. The `{...}` hash tag puts them in one Redis Cluster slot, as a script's keys must
    be."""
    base = f"{prefix}:{{{digest}:{bucket}}}"
    names = ("sent", "queue", "blocked", "peers", "lagged", "learned")
    return tuple(f"{base}:{name}" for name in names)


@dataclass(frozen=True, slots=True)
class Plan:
    """One bucket's numbers as the scripts take them. An evenly spaced bucket is a window of one
    request per window / limit."""

    keys: tuple[str, ...]
    limit: int
    window_us: int  # the window the scripts keep (the server's + margins, or one spacing)
    horizon_us: int  # how far ahead a place may be booked, and the longest block kept
    reset_us: int  # the longest a server's reset is believed: one (pacing) window
    even: bool
    server_window_us: int = 0  # the server's own window (the configured one), us
    latency_margin_us: int = 0  # the longest a go-ahead's trip to the send is allowed for, us
    # the most a lag a server's reset reveals moves the departures: the margin of a window
    # shape (2 % of the window + `latency_margin`), so a slow answer costs one margin at most
    lag_cap_us: int = 0


def window_us(limit: BucketLimit, latency_margin: float) -> int:
    """The window the scripts keep, us. A window shape: the paced one, each departure holding
    its own send margin besides. An even one: one spacing of the paced window plus
    `latency_margin` (its departures hold none)."""
    if limit.shape == "even":
        return int((pacing_window(limit.window) + latency_margin) / limit.limit * US)
    return int(pacing_window(limit.window) * US)


def plan(
    keys: tuple[str, ...], limit: BucketLimit, latency_margin: float, max_ahead_windows: float
) -> Plan:
    """A booking is made a round trip (and maybe a busy event loop) before the request leaves:
    a window shape's departures each hold the margin their process needs for that (at most
    `latency_margin`); an even shape's window is longer by `latency_margin`."""
    margined = pacing_window(limit.window) + latency_margin
    even = limit.shape == "even"
    return Plan(
        keys=keys,
        limit=1 if even else limit.limit,
        window_us=window_us(limit, latency_margin),
        horizon_us=int(margined * max_ahead_windows * US),
        reset_us=int(margined * US),
        even=even,
        server_window_us=int(limit.window * US),
        latency_margin_us=int(latency_margin * US),
        lag_cap_us=int((margined - limit.window) * US),
    )


class SendDelay:
    """How long after asking for its go-ahead this process sends a request's headers, learned
    from its sends: the margin a departure holds in Redis for that trip, so the window the
    fleet keeps is what its processes need rather than a guess. The longest of the last
    `SAMPLES` delays plus a quarter, between `FLOOR` and the ceiling (`latency_margin`); `START`
    before any send. A send later than its margin moves its stamp (DEPART), so an estimate too
    short costs a round trip, never the window; one too long costs every window it (a burst
    booked at start-up holds its first margin throughout: the ceiling cost 50 ms a window)."""

    SAMPLES = 32
    FLOOR = 0.005
    START = 0.010

    def __init__(self, ceiling: float) -> None:
        self.ceiling = ceiling
        self._recent: deque[float] = deque(maxlen=self.SAMPLES)
        self._lock = threading.Lock()  # the sync limiter's threads share it

    def margin(self) -> float:
        with self._lock:
            longest = 1.25 * max(self._recent) if self._recent else self.START
        return min(self.ceiling, max(self.FLOOR, longest))

    def observe(self, delay: float) -> None:
        with self._lock:
            self._recent.append(max(0.0, delay))


@dataclass(frozen=True, slots=True)
class Run:
    """Run a script: `script` names one of `_redis_scripts`."""

    script: Literal["reserve", "confirm", "cancel", "depart", "learn"]
    keys: tuple[str, ...]
    args: tuple[int | str, ...]


@dataclass(frozen=True, slots=True)
class Sleep:
    """Sleep until `until` on the local monotonic clock, then ask `Booking.woke()`."""

    until: float


@dataclass(frozen=True, slots=True)
class Go:
    """Leave now. `booked`: the departure stamp on the Redis server's clock (seconds since the
    epoch); `member`: the departure's name in Redis (to move its stamp when it really leaves);
    `margin`: how long after its go-ahead was asked for it may send without moving its stamp."""

    booked: float
    member: str
    margin: float = 0.0


@dataclass(frozen=True, slots=True)
class Reply:
    instant: int  # us on the server's clock
    now: int  # the server's clock when the script ran
    status: int
    peers: int  # RESERVE only (else 0)
    member: str


def decode(raw: Any) -> Reply:
    """A script's reply, checked: anything else means the client is not talking to the scripts
    (a proxy rewriting replies, another program's keys)."""
    try:
        instant, now, status, peers, member = raw
        if isinstance(member, bytes):
            member = member.decode()
        reply = Reply(int(instant), int(now), int(status), int(peers), str(member))
    except (TypeError, ValueError) as exc:
        raise RedisPacingError(f"unexpected reply from a pacing script: {raw!r}") from exc
    if reply.status not in (GO, WAIT, TOO_FAR, BLOCKED):
        raise RedisPacingError(f"unexpected status from a pacing script: {raw!r}")
    return reply


class Booking:
    """One acquire over Redis, from its first script to `Go` (see the module's docstring)."""

    def __init__(
        self,
        plan: Plan,
        ident: str,
        peer: str,
        max_wait: float,
        clocks: ClockOffset,
        margin: float | None = None,
    ) -> None:
        """`margin`: the send margin its departure holds (`SendDelay.margin()`), seconds;
        None: `latency_margin`. An even shape's window already holds it."""
        self.plan = plan
        ceiling = plan.latency_margin_us / US
        self._margin = ceiling if margin is None else min(max(margin, 0.0), ceiling)
        self._margin_us = 0 if plan.even else int(self._margin * US)
        self._ident = ident
        self._peer = peer
        self._longest_block = -1 if math.isinf(max_wait) else int(max_wait * US)
        self._clocks = clocks
        self.member: str | None = None  # its place in the line (while it holds one)
        self.peers: int | None = None  # the processes booking on this key lately
        self._next: Run | None = None
        # a script was handed out and its reply not taken in: if the caller gives up now, Redis
        # may hold a place (or a departure) for it that only its id names
        self._unanswered = False

    def _reserve(self) -> Run:
        p = self.plan
        ident, block = self._ident, self._longest_block
        args = (p.limit, p.window_us, p.horizon_us, ident, block, self._peer, self._margin_us)
        return Run("reserve", p.keys, args)

    def start(self) -> Run:
        self._unanswered = True
        return self._reserve()

    def answer(self, raw: Any, sent: float, received: float) -> Go | Sleep:
        """A script's reply, with the local clock when it was sent and when it came back."""
        self._unanswered = False
        reply = decode(raw)
        if reply.peers:
            self.peers = reply.peers
        if reply.status == BLOCKED:
            self.member = None  # the script gave the place up
            raise WaitTooLong((reply.instant - reply.now) / US)
        if reply.status == GO:
            self.member = None
            return Go(reply.now / US, reply.member, self._margin)
        local = self._clocks.not_before(reply.instant, reply.now, sent, received)
        if reply.status == TOO_FAR:  # nothing booked: ask again once the line is shorter
            self._next = self._reserve()
            return Sleep(local - self.plan.horizon_us / US)
        self.member = reply.member
        p = self.plan
        args = (p.limit, p.window_us, p.horizon_us, reply.member, self._longest_block)
        self._next = Run("confirm", p.keys, (*args, self._margin_us))
        return Sleep(local)

    def woke(self) -> Run:
        """Woken (on time or late): the script to run now."""
        assert self._next is not None, "woke() before a Sleep"
        self._unanswered = True
        return self._next

    def give_back(self) -> Run | None:
        """The caller gave up (cancelled, timed out) before leaving: free its place, if it holds
        one, and the departure its last script may have stamped for it (it never left). Given
        up while a script's reply was on its way, its place is found by its id."""
        member, unanswered = self.member, self._unanswered
        self.member, self._unanswered = None, False
        if member is not None:
            return cancel(self.plan, member)
        return cancel(self.plan, "", self._ident) if unanswered else None


def cancel(plan: Plan, member: str, ident: str = "") -> Run:
    """Free `member`'s place and departure; with no member, those whose member ends in `ident`."""
    return Run("cancel", plan.keys, (plan.window_us, plan.horizon_us, member, ident))


def depart(plan: Plan, member: str) -> Run:
    """The request of `member` really left: its stamp moves to the server's now if later."""
    return Run("depart", plan.keys, (plan.window_us, member))


def learn(
    plan: Plan,
    remaining: int | None,
    reset: float | None,
    block: float | None,
    ident: str,
    age: float = 0.0,
    stated: int | None = None,
) -> Run | None:
    """What a response teaches the fleet: `X-RateLimit-Remaining`/`-Reset` only lower the
    budget until the reset (believed for one window at most); `block` (seconds, from a 429)
    stops the bucket, for at most the horizon. None: nothing to tell Redis.

    A reset given with nothing remaining also says when the server counted its oldest request
    (it frees then, a window later): if that was later than its departure was stamped (a
    server busy or descheduled when a burst arrived), the script moves the window's departures
    that much later, so the next burst does not reach the server before it has room. `age`:
    seconds since the response's headers came in (the script reads the server's clock later).

    `stated`: the response's `X-RateLimit-Limit`. Lower than the configured limit, every process
    books with it until three windows after the last response that stated it (an even bucket
    keeps its spacing: its limit is not a count per window)."""
    if plan.even or stated is None or stated < 1:
        stated = -1
    tells_limit = stated > 0
    block_us = 0 if block is None else int(min(max(block, 0.0), plan.horizon_us / US) * US)
    reset_us = 0 if reset is None else int(min(max(reset, 0.0), plan.reset_us / US) * US)
    if remaining is not None and reset is not None and plan.even:
        # an evenly spaced bucket keeps no count to lower: nothing left means none until the reset
        if remaining <= 0:
            block_us = max(block_us, reset_us)
        remaining = None
    if remaining is None or reset is None:
        if not block_us and not tells_limit:
            return None
        remaining, reset_us = -1, 0
    args = (plan.limit, plan.window_us, max(remaining, -1), reset_us, block_us, ident)
    age_us = int(min(max(age, 0.0), plan.reset_us / US) * US)
    lag = (age_us, plan.server_window_us, plan.lag_cap_us)
    return Run("learn", plan.keys, (*args, plan.horizon_us, *lag, stated))


def departs_late(granted: float | None, now: float, margin: float) -> bool:
    """Whether a request's stamp must move to its real departure (a `DEPART`): its go-ahead
    was asked for at `granted` (local clock; the stamp is no earlier), and its departure holds
    a send up to `margin` (`Go.margin`) after the stamp. A process busy in between sends
    later: then it costs a round trip, never the fleet a window."""
    return granted is None or now - granted > margin


@functools.cache
def redis_errors() -> tuple[type[BaseException], ...]:
    """What a Redis call raises when Redis, not our code, failed (redis-py imported on first
    use: `scopix.pacing` does not need the `redis` extra until a Redis limiter is made)."""
    import redis.exceptions

    return (redis.exceptions.RedisError, redis.exceptions.RedisClusterException, OSError)


# redis-py strips the reply's code (READONLY, NOSCRIPT, NOPERM) from the errors it maps to a class:
# match the class name, and the code for the replies it leaves as a ResponseError.
_HINTS = {
    "CROSSSLOT": "the client splits a script's keys over cluster slots",
    "NoScriptError": "the server does not keep loaded scripts (a proxy spreading calls over "
    "servers?)",
    "ReadOnlyError": "the client talks to a read-only replica: give it the master (Sentinel: "
    "master_for)",
    "NoPermissionError": "the Redis user may not run scripts on these keys",
    "unknown command": "the server does not run Lua scripts (EVALSHA)",
}


_CLUSTER_AWAY = ("Redis Cluster cannot be connected", "All slots are not covered")


def failure(exc: BaseException) -> Literal["pool", "down"]:
    """What a Redis error means. "pool": every connection of the pool is busy (Redis is fine:
    wait for one). "down": Redis is out of reach or failing over (pace in-process meanwhile).
    Anything else raises RedisPacingError: this client cannot run the scripts, and pacing alone
    would break the shared budget."""
    import redis.exceptions as e

    if isinstance(exc, e.MaxConnectionsError) or "Too many connections" in str(exc):
        return "pool"
    unreachable = (e.ConnectionError, e.TimeoutError, OSError, e.BusyLoadingError)
    failing_over = (e.ClusterDownError, e.TryAgainError, e.SlotNotCoveredError)
    # a bare ClusterError: redis-py gave up on every node ("TTL exhausted"); no node of a cluster
    # answers, or they do not cover its slots yet: RedisClusterUnreachableError (redis-py 6+) or,
    # in 5.x, a bare RedisClusterException saying so
    gave_up = type(exc) is e.ClusterError or (
        isinstance(exc, e.RedisClusterException)
        and (
            type(exc).__name__ == "RedisClusterUnreachableError"
            or any(text in str(exc) for text in _CLUSTER_AWAY)
        )
    )
    if not isinstance(exc, e.AuthenticationError) and (
        isinstance(exc, (*unreachable, *failing_over)) or gave_up
    ):
        return "down"
    cause = f"{type(exc).__name__}: {exc}"
    hint = next((h for key, h in _HINTS.items() if key in cause), "")
    cause += f" ({hint})" if hint else ""
    raise RedisPacingError(f"the Redis client cannot run the pacing scripts: {cause}") from exc


class PoolWait:
    """Waiting for a pooled connection (more callers than connections): short doubling sleeps,
    given up (taken for an outage) after `patience` seconds."""

    def __init__(self, now: float, patience: float) -> None:
        self._delay = 0.002
        self._deadline = now + patience

    def next_delay(self, now: float) -> float | None:
        if now > self._deadline:
            return None
        delay, self._delay = self._delay, min(2 * self._delay, 0.05)
        return delay


class RedisHealth:
    """Whether to use Redis now, and what an outage changes: after a failure, pace in-process
    (at this process's share of the budget) for `retry_after` seconds, then try Redis again."""

    def __init__(self, retry_after: float) -> None:
        self.retry_after = retry_after
        self._down_until = -math.inf
        self.sharing = False

    def usable(self, now: float) -> bool:
        return now >= self._down_until

    def failed(self, now: float) -> bool:
        """Redis failed at `now`. True when this starts an outage (worth a warning); a retry
        that fails again is the same outage (a fleet would otherwise warn every retry_after)."""
        first = not self.sharing
        self._down_until = now + self.retry_after
        self.sharing = True
        return first

    def answered(self) -> bool:
        """Redis answered. True when that ends an outage (pace at the whole budget again)."""
        was, self.sharing = self.sharing, False
        return was


def timeout_warning(client: Any) -> str | None:
    """A warning when a Redis client has no socket timeout (a Redis that stops answering would
    then stall every caller). Reads plain, Sentinel and both cluster clients' settings."""
    kwargs: Any = None
    getter = getattr(client, "get_connection_kwargs", None)
    if callable(getter):
        kwargs = getter()
    if not isinstance(kwargs, dict):
        kwargs = getattr(getattr(client, "connection_pool", None), "connection_kwargs", None)
    if not isinstance(kwargs, dict) or kwargs.get("socket_timeout") is not None:
        return None
    return (
        "scopix: the Redis client has no socket_timeout: a Redis that stops answering would "
        f"stall callers; pass socket_timeout= (e.g. {REDIS_SOCKET_TIMEOUT:g} s)"
    )
