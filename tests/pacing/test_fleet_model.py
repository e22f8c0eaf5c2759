"""Model check of the fleet limiter: several processes sharing one budget through the real Lua
scripts on a real redis-server, driven by hypothesis in random interleavings on a virtual clock.

Each holder is driven by the limiter's own protocol (`_redis_protocol.Booking`: the argument
vectors, reply decoding, clamps and decisions the shells run), talking to the shipped scripts.
The scripts read the Redis server's clock (`TIME`); here that one line is swapped for a key the
model sets, so the server's time moves only when the model says (the rest of each script runs as
shipped). Each process has its own clock offset and a reply-delay asymmetry its clock mapping
has to cope with. Rules: a request arrives, the clock moves, a holder wakes on time or late, a
process is busy between its go-ahead and its send, a holder gives up, the server sends
rate-limit headers or a 429.

Invariants:
- in the log of actual departures, no window of the server's length holds more than N;
- nothing is let go while a 429 blocks the bucket;
- a holder is let go at most one (pacing) window after the instant first booked for it, plus its
  own lateness, plus what others imposed meanwhile: the latest another busy holder woke (a
  holder behind one that left late waits that much), the others' clock-mapping slack (half a
  round trip each), the time processes were busy between their go-ahead and their send, the
  server's blocks and headers. Never a requeue at the back;
- a holder that wakes when told to is let go then, unless someone held it up meanwhile (a
  blocking 429, headers, a busy process, a holder ahead told to wait longer): a place in the
  line is kept, not taken by holders behind it;
- every key the scripts write expires within a few windows.

`make test-model` runs the long version (>= 100,000 steps in a random order).
"""

from __future__ import annotations

import bisect
import itertools
import math
import os
import uuid
from dataclasses import dataclass, field
from typing import Any, ClassVar, cast

import pytest
import redis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from scopix import _redis_protocol as protocol
from scopix._ratelimit import (
    BucketLimit,
    ClockOffset,
    Pacer,
    RateLimits,
    Waiter,
    WaitTooLong,
    block_seconds,
    pacing_window,
    window_log,
)
from scopix._redis_scripts import CANCEL, CONFIRM, DEPART, LEARN, RESERVE, SERVER_NOW
from tests.redis_server import RedisServer

US = protocol.US
MODEL_CLOCK_KEY = "scopix-model:now"
MODEL_CLOCK = f"local now = tonumber(redis.call('GET', '{MODEL_CLOCK_KEY}'))\n"
SCRIPTS = {"reserve": RESERVE, "confirm": CONFIRM, "cancel": CANCEL, "depart": DEPART}
SCRIPTS["learn"] = LEARN
MAX_HOLDERS = 24
LATENCY_MARGIN = 0.05  # the limiter's default
MAX_AHEAD_WINDOWS = 10.0  # the limiter's default
# How long a process may be busy between its go-ahead and its send, in pacing windows: the
# departure is then stamped again when the request really leaves.
MAX_STALL = 0.5
# A duration: a few us to a few hundred ms, plus a fraction (or a few) of the pacing window
DURATIONS = st.tuples(
    st.one_of(st.just(0), st.integers(1, 1_000), st.integers(0, 400_000)),
    st.one_of(st.just(0.0), st.floats(0.0, 1.2), st.floats(0.0, 4.0)),
)


def on_model_clock(source: str) -> str:
    assert source.count(SERVER_NOW) == 1, "the script no longer reads TIME the way it did"
    return source.replace(SERVER_NOW, MODEL_CLOCK)


@dataclass
class Process:
    offset: int  # us: its monotonic clock minus the server's
    asymmetry: int  # us: reply delay minus request delay (its clock mapping errs by half)
    # s: the send margin its departures hold (what its `SendDelay` learned; processes differ)
    margin: float = 0.05
    clocks: ClockOffset = field(default_factory=ClockOffset)
    peer: str = field(default_factory=lambda: uuid.uuid4().hex)


@dataclass
class Holder:
    """One request in one process: from its arrival until it leaves, gives up or is refused."""

    process: Process
    booking: protocol.Booking
    due: int = 0  # server us: when it wakes (its process's clock says the instant has come)
    target: int = 0  # server us: the instant it was told
    first_booked: int | None = None  # server us: the instant first booked for it
    late: int = 0  # us it woke after the instants it was told, summed over its wakes
    excused: int = 0  # us others imposed meanwhile (blocks, headers, busy senders)
    others_late: int = 0  # us: the latest another (busy) holder woke meanwhile
    others_mapping: int = 0  # us: others' clock-mapping lateness meanwhile, summed
    # since it was last told an instant: others' clock slack, and whether anyone held it up
    mapping_since: int = 0
    disturbed: bool = False
    on_time: bool = False  # it woke (last) when told
    go: protocol.Go | None = None  # let go, not yet sent (its process is busy)
    went: int = 0  # server us: when it was let go
    send_by: int = 0  # server us: its process is busy until then at the latest
    ident: str = ""  # its booking's id: the end of its member in Redis
    granted: float = 0.0  # its process's clock when it sent the script that let it go


class FleetModel(RuleBasedStateMachine):
    redis_url: ClassVar[str]
    steps_run: ClassVar[int] = 0

    def __init__(self) -> None:
        super().__init__()
        self.redis = redis.Redis.from_url(self.redis_url)
        self.now = 10**15  # server us (a plausible epoch time)
        self.redis.set(MODEL_CLOCK_KEY, self.now)
        self.scripts = {
            name: self.redis.register_script(on_model_clock(src)) for name, src in SCRIPTS.items()
        }
        self.waiting: list[Holder] = []
        self.leaving: list[Holder] = []
        self.departures: list[int] = []  # server us, sorted
        self.blocked_until = 0
        self.gone: set[str] = set()  # the ids of holders let go
        self.lessons: set[str] = set()  # the prefixes of LEARN's phantom departures
        self.plan: protocol.Plan | None = None
        # a limit the server stated lower than n (LEARN shares it in Redis), and from when on
        # every window must hold it: once the holders let go before it have all sent
        self.stated: int | None = None
        self.stated_from = 0

    def teardown(self) -> None:
        self.redis.close()

    # -- setup ---------------------------------------------------------------------------

    @initialize(
        n=st.integers(1, 4),
        window=st.sampled_from([10.0, 60.0]),
        processes=st.lists(
            st.tuples(
                st.integers(-(10**9), 10**9),
                st.integers(-2_000, 2_000),
                st.sampled_from([0.0, protocol.SendDelay.FLOOR, 0.02, LATENCY_MARGIN]),
            ),
            min_size=1,
            max_size=3,
        ),
    )
    def setup(self, n: int, window: float, processes: list[tuple[Any, ...]]) -> None:
        # (offset, asymmetry[, margin]): a margin left out is the ceiling, `latency_margin`
        self.n, self.window = n, window
        keys = protocol.bucket_keys(f"scopix:model:{uuid.uuid4().hex}", "digest", "usage")
        self.plan = protocol.plan(keys, BucketLimit(n, window), LATENCY_MARGIN, MAX_AHEAD_WINDOWS)
        self.window_us = self.plan.window_us
        self.processes = [Process(*process) for process in processes]

    # -- talking to Redis as a process would -----------------------------------------------

    def run(self, step: protocol.Run) -> Any:
        return self.scripts[step.script](keys=step.keys, args=step.args)

    def exchange(self, h: Holder, step: protocol.Run) -> None:
        """Run `step` for `h` and take in the answer (the round trip costs no model time; the
        process's clock sees it as a round trip with its asymmetry)."""
        p = h.process
        raw = self.run(step)
        sent = (self.now + p.offset - 500 - max(0, -p.asymmetry)) / US
        received = (self.now + p.offset + 500 + max(0, p.asymmetry)) / US
        reply = protocol.decode(raw)
        try:
            answer = h.booking.answer(raw, sent, received)
        except WaitTooLong:
            self.waiting.remove(h)
            return
        if isinstance(answer, protocol.Go):
            h.first_booked = self.now if h.first_booked is None else h.first_booked
            h.granted = sent
            self.let_go(h, answer)
            return
        if reply.status == protocol.WAIT and h.on_time and step.script == "confirm":
            # woke when told and told to wait again: only others can have cost it that
            slack = h.mapping_since + 10  # us: others' clock slack, and float rounding
            assert h.disturbed or reply.instant - h.target <= slack, (
                f"told to leave at {h.target}, on time, and then told to wait "
                f"{(reply.instant - h.target) / US:.6f} s more though nobody held it up"
            )
        if step.script == "confirm" and reply.instant > h.target:
            for other in self.waiting:  # those behind it may have counted on its old instant
                other.disturbed = other.disturbed or other is not h
        h.target = reply.instant
        h.disturbed, h.mapping_since = False, 0
        if reply.status == protocol.TOO_FAR:
            h.target -= self.plan_().horizon_us
        elif h.first_booked is None:
            h.first_booked = reply.instant
        h.due = max(self.now, round(answer.until * US) - p.offset)
        assert h.due >= h.target, "a process woke before the server's clock got there"

    def plan_(self) -> protocol.Plan:
        assert self.plan is not None
        return self.plan

    def tick_to(self, instant: int) -> None:
        """Time passes; a busy process sends at the latest when its stall is over."""
        for h in sorted(self.leaving, key=lambda h: h.send_by):
            if h.send_by <= instant:
                self.set_now(h.send_by)
                self.send(h)
        self.set_now(instant)

    def set_now(self, instant: int) -> None:
        if instant > self.now:
            self.now = instant
            self.redis.set(MODEL_CLOCK_KEY, self.now)

    def let_go(self, h: Holder, go: protocol.Go) -> None:
        assert self.now >= self.blocked_until, (
            f"let go at {self.now} while a 429 blocks the bucket until {self.blocked_until}"
        )
        assert h.first_booked is not None
        others = h.others_late + h.others_mapping
        bound = h.first_booked + h.late + others + self.window_us + h.excused
        assert self.now <= bound, (
            f"a holder booked for {h.first_booked} was let go "
            f"{(self.now - h.first_booked) / US:.3f} s later, {h.late / US:.3f} s of it its own "
            f"lateness, {others / US:.3f} s others', {h.excused / US:.3f} s "
            "imposed by others: "
            f"{(self.now - bound) / US:.3f} s more than one window"
        )
        self.waiting.remove(h)
        self.gone.add(h.ident)
        h.go, h.went = go, self.now
        h.send_by = self.now + int(MAX_STALL * self.window_us)
        self.leaving.append(h)

    def send(self, h: Holder) -> None:
        """The request leaves now: its departure is stamped again if it left later than the
        scripts' window allows for (as the shells decide), and logged."""
        assert h.go is not None
        self.leaving.remove(h)
        local_now = (self.now + h.process.offset) / US
        if protocol.departs_late(h.granted, local_now, h.go.margin):
            self.run(protocol.depart(self.plan_(), h.go.member))
            self.excuse(self.now - h.went)  # moving a stamp later can hold others up that long
        t = self.now
        bisect.insort(self.departures, t)
        window = int(self.window * US)
        lo = bisect.bisect_right(self.departures, t - window)
        hi = bisect.bisect_left(self.departures, t + window)
        around = self.departures[lo:hi]
        for i, start in enumerate(around):  # every window [start, start + W) holding t
            inside = bisect.bisect_left(around, start + window) - i
            assert inside <= self.n, f"{inside} departures within {self.window} s from {start}"
            if self.stated is not None and start > self.stated_from:
                assert inside <= self.stated, (
                    f"{inside} departures within {self.window} s from {start}, though the "
                    f"server stated {self.stated} (shared since {self.stated_from})"
                )

    def wake(self, h: Holder) -> None:
        # Its process knows the server's clock to half a round trip: it wakes up to that much
        # after the instant it was told (never before). Beyond that it is busy.
        mapping, busy = max(0, h.due - h.target), max(0, self.now - max(h.due, h.target))
        h.late += mapping + busy
        h.on_time = busy == 0
        for other in self.waiting:  # the holders behind it wait for its departure that late
            if other is not h:
                other.others_late = max(other.others_late, busy)
                other.others_mapping += mapping  # adds up along a line (one per hop)
                other.mapping_since += mapping
                other.disturbed = other.disturbed or busy > 0
        self.exchange(h, h.booking.woke())

    def excuse(self, us: int) -> None:
        for h in self.waiting:
            h.excused += us
            h.disturbed = h.disturbed or us > 0

    # -- rules ---------------------------------------------------------------------------

    @precondition(lambda self: len(self.waiting) + len(self.leaving) < MAX_HOLDERS)
    @rule(process=st.integers(0, 2))
    def arrive(self, process: int) -> None:
        p = self.processes[process % len(self.processes)]
        ident = uuid.uuid4().hex
        booking = protocol.Booking(self.plan_(), ident, p.peer, float("inf"), p.clocks, p.margin)
        # the places ahead may still be planned at instants that others' stalls have made
        # stale (they are re-planned when their holders confirm): a newcomer booked behind
        # them inherits what was imposed on them and not yet absorbed
        inherited = max((other.excused for other in self.waiting), default=0)
        h = Holder(p, booking, ident=ident, excused=inherited)
        self.waiting.append(h)
        self.exchange(h, booking.start())

    @precondition(lambda self: len(self.waiting) + len(self.leaving) < MAX_HOLDERS)
    @rule(process=st.integers(0, 2), pick=st.one_of(st.none(), st.integers(0, MAX_HOLDERS)))
    def give_up_before_the_reply(self, process: int, pick: int | None) -> None:
        """Cancelled while a script's reply is on its way: a newcomer's RESERVE (pick None) or a
        holder's CONFIRM ran, maybe stamping it to leave, and the caller never learns what it
        got. Its give-back must free whatever that was."""
        if pick is None or not self.waiting:
            p = self.processes[process % len(self.processes)]
            ident = uuid.uuid4().hex
            booking = protocol.Booking(self.plan_(), ident, p.peer, math.inf, p.clocks, p.margin)
            self.run(booking.start())
        else:
            h = self.waiting.pop(pick % len(self.waiting))
            booking = h.booking
            self.run(booking.woke())
        step = booking.give_back()
        assert step is not None, "gave up with a reply on its way and gave nothing back"
        self.run(step)

    @rule(dt=DURATIONS)
    def tick(self, dt: tuple[int, float]) -> None:
        """Time passes; holders due meanwhile are late by however much it overshoots."""
        self.tick_to(self.now + self.duration(dt))

    @precondition(lambda self: bool(self.waiting))
    @rule()
    def wake_next_on_time(self) -> None:
        h = min(self.waiting, key=lambda h: h.due)
        self.tick_to(h.due)
        if h in self.waiting:
            self.wake(h)

    @precondition(lambda self: bool(self.waiting))
    @rule(pick=st.integers(0, MAX_HOLDERS), lateness=DURATIONS)
    def wake_late(self, pick: int, lateness: tuple[int, float]) -> None:
        """A busy process: one holder wakes that long after its due (others may be due too)."""
        h = self.waiting[pick % len(self.waiting)]
        self.tick_to(h.due + self.duration(lateness))
        if h in self.waiting:
            self.wake(h)

    @precondition(lambda self: bool(self.leaving))
    @rule(pick=st.integers(0, MAX_HOLDERS))
    def send_now(self, pick: int) -> None:
        self.send(self.leaving[pick % len(self.leaving)])

    @precondition(lambda self: bool(self.waiting))
    @rule(pick=st.integers(0, MAX_HOLDERS))
    def give_up(self, pick: int) -> None:
        h = self.waiting[pick % len(self.waiting)]
        step = h.booking.give_back()
        if step is not None:
            self.run(step)
        self.waiting.remove(h)

    @rule(remaining=st.integers(0, 4), reset=st.floats(0.0, 1.5))
    def headers(self, remaining: int, reset: float) -> None:
        plan = self.plan_()
        reset_s = reset * plan.reset_us / US
        self.excuse(min(int(reset_s * US), plan.reset_us))
        step = protocol.learn(plan, remaining, reset_s, None, self.lesson())
        assert step is not None
        self.run(step)

    @rule(block=st.one_of(st.none(), st.floats(0.01, 12.0)))
    def too_many_requests(self, block: float | None) -> None:
        """A 429: with a wait (in pacing windows), or saying nothing (one window)."""
        plan = self.plan_()
        seconds = self.window if block is None else block * plan.reset_us / US
        block_us = min(int(seconds * US), plan.horizon_us)
        self.blocked_until = max(self.blocked_until, self.now + block_us)
        self.excuse(block_us)
        step = protocol.learn(plan, None, None, seconds, self.lesson())
        assert step is not None
        self.run(step)

    @rule(limit=st.integers(1, 5))
    def server_states_a_limit(self, limit: int) -> None:
        """A response's `X-RateLimit-Limit`: lower than n, every process books with it (the
        holders waiting may wait that much longer: up to their place in line / limit windows);
        not lower, the shared one is forgotten. (Redis expires it on its own clock, seconds of
        real time: in the model it lasts the run.)"""
        plan = self.plan_()
        step = protocol.learn(plan, None, None, None, self.lesson(), stated=limit)
        assert step is not None
        self.run(step)
        if limit >= self.n:
            self.stated = None
            return
        if self.stated is None or limit < self.stated:
            # the holders let go before it may still send within their stall
            self.stated_from = self.now + int(MAX_STALL * self.window_us)
        self.stated = limit
        self.excuse(len(self.waiting) * self.window_us // limit + self.window_us)

    def duration(self, dt: tuple[int, float]) -> int:
        us, windows = dt
        return us + int(windows * self.window_us)

    def lesson(self) -> str:
        """The prefix of the phantom departures a LEARN may write."""
        prefix = uuid.uuid4().hex
        self.lessons.add(prefix)
        return prefix

    # -- invariants ----------------------------------------------------------------------

    @invariant()
    def redis_holds_only_what_the_model_knows(self) -> None:
        """Places belong to holders still waiting, departures to holders let go (or to the
        server's headers): nothing given up lingers to hold the line."""
        if self.plan is None:
            return
        sent, queue = (
            [m.decode() for m in cast(list[bytes], self.redis.zrange(key, 0, -1))]
            for key in self.plan.keys[:2]
        )
        waiting = {h.ident for h in self.waiting}
        for member in queue:
            assert member.split(":", 1)[1] in waiting, f"a place of nobody waiting: {member}"
        for member in sent:
            gone = member.split(":", 1)[1] in self.gone
            assert gone or member.rsplit(":", 1)[0] in self.lessons, f"a stray departure {member}"

    @invariant()
    def keys_expire_within_a_few_windows(self) -> None:
        FleetModel.steps_run += 1
        if self.plan is None:
            return
        # the queue: its last place (the horizon at most) and three windows, + 1 s
        ceiling_ms = -(-(self.plan.horizon_us + 3 * self.plan.window_us) // 1000) + 1000
        with self.redis.pipeline(transaction=False) as pipe:
            for key in self.plan.keys:
                pipe.pttl(key)
            ttls = pipe.execute()
        for key, ttl in zip(self.plan.keys, ttls, strict=True):
            assert ttl == -2 or 0 < ttl <= ceiling_ms, f"{key} expires in {ttl} ms"


class InProcessModel(RuleBasedStateMachine):
    """The in-process log and its FIFO queue (`_ratelimit.Pacer`) on the same kind of clock:
    waiters join, the head polls on time or late, waiters give up, granted requests leave after
    a while (counted as in flight until then), the server sends headers or a 429."""

    steps_run: ClassVar[int] = 0

    def __init__(self) -> None:
        super().__init__()
        self.now = 0.0
        self.queue: list[Waiter[None]] = []  # in arrival order
        self.due: dict[int, float] = {}  # id(waiter) -> when its last poll said to wake
        self.in_flight: list[float] = []  # when each was granted
        self.departures: list[float] = []
        self.blocked_until = 0.0
        self.held_until = 0.0  # a server's headers hold the budget until then at most
        self.pacer: Pacer[None] | None = None

    @initialize(n=st.integers(1, 5), window=st.sampled_from([1.0, 60.0]), even=st.booleans())
    def setup(self, n: int, window: float, even: bool) -> None:
        self.n, self.window, self.even = n, window, even
        limit = BucketLimit(n, window, shape="even" if even else "window")
        self.pacer = Pacer(RateLimits({"usage": limit}))
        self.paced = window_log(limit).window  # the window the log keeps

    def p(self) -> Pacer[None]:
        assert self.pacer is not None
        return self.pacer

    def poll(self, waiter: Waiter[None]) -> None:
        queue_before = list(self.queue)
        delay = self.p().poll(waiter, self.now)
        if delay is None:
            assert queue_before[0] is waiter, "granted out of arrival order"
            assert self.now >= self.blocked_until, "granted while a 429 blocks the bucket"
            self.queue.remove(waiter)
            self.in_flight.append(self.now)
            return
        if waiter is queue_before[0] and delay < math.inf:
            # the head waits at most one window beyond what the server imposed
            imposed = max(self.blocked_until, self.held_until) - self.now
            assert delay <= max(imposed, 0.0) + self.paced + 1e-9
        self.due[id(waiter)] = self.now + delay

    @precondition(lambda self: self.pacer is not None and len(self.queue) < MAX_HOLDERS)
    @rule()
    def arrive(self) -> None:
        waiter = self.p().join("usage", None)
        self.queue.append(waiter)
        self.poll(waiter)

    @precondition(lambda self: bool(self.queue))
    @rule(lateness=st.one_of(st.just(0.0), st.floats(0.0, 0.01), st.floats(0.0, 3.0)))
    def head_wakes(self, lateness: float) -> None:
        """The head wakes when its poll said (times the window: 0 is on time), or later."""
        head = self.queue[0]
        due = self.due.get(id(head), self.now)
        if due < math.inf:
            self.now = max(self.now, due + lateness * self.window)
        self.poll(head)

    @precondition(lambda self: bool(self.queue))
    @rule(pick=st.integers(0, MAX_HOLDERS))
    def give_up(self, pick: int) -> None:
        waiter = self.queue.pop(pick % len(self.queue))
        self.p().leave(waiter)

    @precondition(lambda self: bool(self.in_flight))
    @rule(pick=st.integers(0, MAX_HOLDERS), after=st.floats(0.0, 2.0))
    def leaves(self, pick: int, after: float) -> None:
        """A granted request leaves (headers sent) a while later: it counts from then."""
        granted = self.in_flight.pop(pick % len(self.in_flight))
        self.now = max(self.now, granted + after * self.window)
        self.p().finish("usage", self.now)
        bisect.insort(self.departures, self.now)
        i = bisect.bisect_left(self.departures, self.now)
        inside = [t for t in self.departures if self.now - self.window < t <= self.now]
        assert len(inside) <= self.n, f"{len(inside)} departures within {self.window} s"
        for a, b in itertools.pairwise(self.departures[max(0, i - 1) : i + 2]):
            if self.even:
                assert b - a >= self.window / self.n, f"evenly spaced sends {b - a} s apart"

    @rule(dt=st.floats(0.0, 3.0))
    def tick(self, dt: float) -> None:
        self.now += dt * self.window

    @precondition(lambda self: self.pacer is not None)
    @rule(remaining=st.integers(0, 4), reset=st.floats(0.0, 1.5))
    def headers(self, remaining: int, reset: float) -> None:
        self.p().observe("usage", (self.n, remaining, reset * self.window), self.now)
        longest = pacing_window(self.window)  # a reset is believed for one window at most
        self.held_until = max(self.held_until, self.now + min(reset * self.window, longest))

    @precondition(lambda self: self.pacer is not None)
    @rule(block=st.one_of(st.none(), st.floats(0.0, 3.0)))
    def too_many_requests(self, block: float | None) -> None:
        seconds = block_seconds(429, None if block is None else block * self.window, self.window)
        assert seconds is not None
        self.blocked_until = max(self.blocked_until, self.now + seconds)
        self.p().block("usage", self.now + seconds)

    @invariant()
    def count(self) -> None:
        InProcessModel.steps_run += 1


def model_settings(examples: int, steps: int) -> settings:
    return settings(
        max_examples=examples,
        stateful_step_count=steps,
        deadline=None,
        database=None,
        derandomize=os.environ.get("SCOPIX_MODEL_RANDOM") != "1",
        report_multiple_bugs=False,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )


def test_fleet_model(redis_server: RedisServer) -> None:
    """CI-sized: a few thousand steps in a fixed order; `make test-model` runs >= 100,000 in a
    random one (SCOPIX_MODEL_STEPS, SCOPIX_MODEL_RANDOM=1)."""
    total = int(os.environ.get("SCOPIX_MODEL_STEPS", "6000"))
    steps = 60
    FleetModel.redis_url = redis_server.url
    FleetModel.steps_run = 0
    examples = max(1, total // steps)
    run_state_machine_as_test(FleetModel, settings=model_settings(examples, steps))
    while os.environ.get("SCOPIX_MODEL_RANDOM") == "1" and FleetModel.steps_run < total:
        run_state_machine_as_test(FleetModel, settings=model_settings(examples, steps))
    print(f"fleet model: {FleetModel.steps_run} steps")


if __name__ == "__main__":  # pragma: no cover
    pytest.main([__file__, "-q", "-s"])


def test_in_process_model() -> None:
    """The same kind of run for the in-process log (no Redis: fast, so more steps)."""
    total = int(os.environ.get("SCOPIX_MODEL_STEPS", "10000"))
    steps = 60
    InProcessModel.steps_run = 0
    examples = max(1, total // steps)
    run_state_machine_as_test(InProcessModel, settings=model_settings(examples, steps))
    while os.environ.get("SCOPIX_MODEL_RANDOM") == "1" and InProcessModel.steps_run < total:
        run_state_machine_as_test(InProcessModel, settings=model_settings(examples, steps))
    print(f"in-process model: {InProcessModel.steps_run} steps")


def test_the_line_ahead_keeps_its_places_when_a_block_ends(redis_server: RedisServer) -> None:
    """Two per window; a 429 blocks the line. Waking on time, the two ahead are told the
    block's end, the last one a window later: the line keeps its order. Woken early at the
    block's end anyway (its process's clock jumped), the last one is told to wait: the two ahead
    take that window, and it follows a window later."""
    FleetModel.redis_url = redis_server.url
    model = FleetModel()
    try:
        model.setup(n=2, window=10.0, processes=[(0, 0)])
        for _ in range(5):
            model.arrive(process=0)  # two leave at once, two in a window, one in the next
        *ahead, last = model.waiting
        model.too_many_requests(block=3.0)  # until three windows from now
        for h in model.waiting:
            model.tick_to(h.due)
            model.wake(h)
        assert [h.target for h in ahead] == [model.blocked_until] * 2
        # a window after the two ahead leave, and the send margin their departures hold
        spacing = model.window_us + int(model.processes[0].margin * US)
        assert last.target == model.blocked_until + spacing
        model.tick_to(model.blocked_until + 1_000)
        model.wake(last)
        assert last in model.waiting  # told to wait: the two ahead take this window
        for h in ahead:
            model.wake(h)
            assert h not in model.waiting
            model.send(h)
        for _ in range(2):  # on time: its instant, or the remainder after the two ahead
            if last in model.waiting:
                model.wake_next_on_time()
        assert last not in model.waiting
        assert last.went - ahead[0].went == pytest.approx(spacing, abs=2_000)
    finally:
        model.teardown()


def test_a_later_grant_waits_for_an_earlier_sender_s_margin(redis_server: RedisServer) -> None:
    """One per window: a process whose margin is 50 ms leaves and sends 40 ms after its stamp
    (within its margin: no DEPART); a process of 5 ms margin is let go a window after that
    send, not a window after the stamp (which would put two sends within 10 s)."""
    FleetModel.redis_url = redis_server.url
    model = FleetModel()
    try:
        model.setup(n=1, window=10.0, processes=[(0, 0, 0.05), (0, 0, 0.005)])
        model.arrive(process=0)
        first = model.leaving[0]
        model.tick_to(model.now + 40_000)
        model.send(first)
        model.arrive(process=1)
        model.wake_next_on_time()
        second = model.leaving[0]
        model.send(second)  # the model's invariant: no two sends within 10 s
        assert second.went - first.went >= 10 * US + 40_000
    finally:
        model.teardown()


def test_a_stated_limit_paces_those_who_book_after_it(redis_server: RedisServer) -> None:
    """Two per window configured, the server states one: the three who arrive after it leave
    a window apart (on the configured two, two of them would leave together)."""
    FleetModel.redis_url = redis_server.url
    model = FleetModel()
    try:
        model.setup(n=2, window=10.0, processes=[(0, 0), (5_000, 300)])
        model.server_states_a_limit(limit=1)
        model.tick_to(model.stated_from + 1)
        for process in (0, 1, 0):
            model.arrive(process=process)
        while model.waiting or model.leaving:
            if model.leaving:
                model.send(model.leaving[0])  # the invariant: at most one in any window
            else:
                model.wake_next_on_time()
        assert len(model.departures) == 3
    finally:
        model.teardown()
