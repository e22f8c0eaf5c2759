"""Model check of the fleet limiter: several processes sharing one budget through the real Lua
scripts on a real redis-server, driven by hypothesis in random interleavings on a virtual clock.

The scripts read the Redis server's clock (`TIME`); here that one call is swapped for a key the
model sets, so the server's time moves only when the model says (the rest of each script runs as
shipped). Each process has its own clock offset and a reply-delay asymmetry that its clock
mapping has to cope with. Rules: a request arrives (books), the clock moves, a holder wakes on
time or late, a holder gives up, the server sends rate-limit headers or a 429 block.

Invariants:
- in the log of actual departures, no window of the server's length holds more than N;
- nothing leaves while a 429 blocks the bucket;
- a holder leaves at most its own lateness plus one (pacing) window after the instant it was
  first booked for, plus whatever the server imposed meanwhile (blocks, headers): never a
  requeue at the back of the queue;
- every key the scripts write expires within a few windows.

`make test-model` runs the long version (SCOPIX_MODEL_STEPS, >= 100,000 steps).
"""

from __future__ import annotations

import bisect
import os
import uuid
from dataclasses import dataclass, field
from typing import Any, ClassVar

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

from scopix._ratelimit import ClockOffset, late_wake_tolerance, pacing_window
from scopix._redis_scripts import CANCEL, LEARN, RESERVE
from tests.redis_server import RedisServer

US = 1_000_000
SERVER_CLOCK = (
    "local t = redis.call('TIME')\nlocal now = tonumber(t[1]) * 1000000 + tonumber(t[2])\n"
)
MODEL_CLOCK_KEY = "scopix-model:now"
MODEL_CLOCK = f"local now = tonumber(redis.call('GET', '{MODEL_CLOCK_KEY}'))\n"
MAX_HOLDERS = 24
LATENCY_MARGIN = 0.05  # the limiter's default
# A duration: a few us to a few hundred ms, plus a fraction (or a few) of the pacing window
DURATIONS = st.tuples(
    st.one_of(st.just(0), st.integers(1, 1_000), st.integers(0, 400_000)),
    st.one_of(st.just(0.0), st.floats(0.0, 1.2), st.floats(0.0, 4.0)),
)


def on_model_clock(source: str) -> str:
    assert source.count(SERVER_CLOCK) == 1, "the script no longer reads TIME the way it did"
    return source.replace(SERVER_CLOCK, MODEL_CLOCK)


@dataclass
class Holder:
    """One request in one process: from its booking until it leaves, gives up or is refused."""

    process: int
    member: str
    due: int = 0  # server us: when it wakes, by its process's mapping of the server's clock
    target: int = 0  # server us: the instant it was told to wake at
    first_booked: int | None = None  # server us: the instant of its first booking
    booked: int = 0  # server us: the instant of its current booking
    late: int = 0  # us it woke after its due, summed over its wakes
    excused: int = 0  # us the server imposed meanwhile (blocks, headers)
    mapped: int = 0  # server us: the booked instant as its process's clock maps it
    attempt: int = 0
    reserving: bool = True  # its next wake books (again) rather than checks its slot


@dataclass
class Process:
    offset: int  # us: its monotonic clock minus the server's
    asymmetry: int  # us: reply delay minus request delay (its clock mapping errs by half)
    clocks: ClockOffset = field(default_factory=ClockOffset)
    peer: str = field(default_factory=lambda: uuid.uuid4().hex)


class OldDesign:
    """The Redis limiter's acquire loop as shipped before the protocol change (its shell's
    `acquire`, step by step): book a future slot; a holder that wakes later than the tolerance
    gives the slot back and books again, at most three times."""

    MAX_REBOOKINGS = 3
    BOOKED, TOO_FAR_AHEAD, BLOCKED = 0, 1, 2

    def __init__(self, model: FleetModel) -> None:
        self.m = model
        self.scripts = {
            name: model.redis.register_script(on_model_clock(src))
            for name, src in (("reserve", RESERVE), ("cancel", CANCEL), ("learn", LEARN))
        }
        self.tolerance = int(late_wake_tolerance(model.window, LATENCY_MARGIN) * US)

    def run(self, name: str, args: list[Any]) -> Any:
        return self.scripts[name](keys=self.m.keys, args=args)

    def reserve(self, h: Holder) -> str:
        """Book; returns "sleep" (h.due set) or "refused"."""
        m, p = self.m, self.m.processes[h.process]
        args = [m.n, m.window_us, m.horizon_us, h.member, -1, p.peer]
        at, server_now, status, _ = (int(x) for x in self.run("reserve", args))
        if status == self.BLOCKED:
            return "refused"
        h.target = at - m.horizon_us if status == self.TOO_FAR_AHEAD else at
        h.mapped = m.mapped(p, h.target, server_now)
        h.due = max(m.now, h.mapped)
        if status == self.BOOKED:
            h.booked = at
            h.first_booked = at if h.first_booked is None else h.first_booked
            h.reserving = False
        return "sleep"

    def arrive(self, h: Holder) -> str:
        return self.reserve(h)

    def wake(self, h: Holder) -> str:
        """Returns "depart", "sleep" or "refused"."""
        if h.reserving:
            return self.reserve(h)
        # the shell compares its own clock with the booked instant mapped onto it
        late = self.m.now - h.mapped
        if late <= self.tolerance or h.attempt == self.MAX_REBOOKINGS:
            return "depart"
        h.attempt += 1
        self.run("cancel", [h.member, "1"])
        h.reserving = True
        return self.reserve(h)

    def cancel(self, h: Holder) -> None:
        self.run("cancel", [h.member, "0"])

    def learn(self, remaining: int, reset_us: int, block_us: int) -> None:
        m = self.m
        args = [m.n, m.window_us, remaining, reset_us, block_us, uuid.uuid4().hex, m.horizon_us]
        self.run("learn", args)


class FleetModel(RuleBasedStateMachine):
    redis_url: ClassVar[str]
    steps_run: ClassVar[int] = 0

    def __init__(self) -> None:
        super().__init__()
        self.redis = redis.Redis.from_url(self.redis_url)
        self.now = 10**15  # server us (a plausible epoch time)
        self.redis.set(MODEL_CLOCK_KEY, self.now)
        self.holders: list[Holder] = []
        self.departures: list[int] = []  # server us, sorted
        self.blocked_until = 0
        self.design: OldDesign | None = None

    def teardown(self) -> None:
        self.redis.close()

    # -- setup ---------------------------------------------------------------------------

    @initialize(
        n=st.integers(1, 4),
        window=st.sampled_from([10.0, 60.0]),
        processes=st.lists(
            st.tuples(st.integers(-(10**9), 10**9), st.integers(-2_000, 2_000)),
            min_size=1,
            max_size=3,
        ),
    )
    def setup(self, n: int, window: float, processes: list[tuple[int, int]]) -> None:
        self.n, self.window = n, window
        self.window_us = int((pacing_window(window) + LATENCY_MARGIN) * US)
        self.horizon_us = int(self.window_us * 10.0)
        base = f"scopix:model:{uuid.uuid4().hex}:usage"
        self.keys = [f"{base}:log", f"{base}:blocked", f"{base}:peers"]
        self.processes = [Process(offset, asym) for offset, asym in processes]
        self.design = OldDesign(self)

    # -- the model's own bookkeeping -----------------------------------------------------

    def tick_to(self, instant: int) -> None:
        if instant > self.now:
            self.now = instant
            self.redis.set(MODEL_CLOCK_KEY, self.now)

    def mapped(self, p: Process, at: int, server_now: int) -> int:
        """Server instant `at` as a process maps it onto its own clock (ClockOffset, from a
        round trip with that process's asymmetry), expressed back in server us."""
        sent = (self.now + p.offset - 500 - max(0, -p.asymmetry)) / US
        received = (self.now + p.offset + 500 + max(0, p.asymmetry)) / US
        local = p.clocks.local(at, server_now, sent, received)
        return round(local * US) - p.offset

    def settle(self, h: Holder, outcome: str) -> None:
        assert self.design is not None
        if outcome == "sleep" and h.due <= self.now and h.target <= self.now and h.late == 0:
            outcome = self.design.wake(h)  # told to go now: a sleep of 0, then on
        if outcome == "sleep":
            return
        self.holders.remove(h)
        if outcome == "depart":
            self.depart(h)

    def depart(self, h: Holder) -> None:
        t = self.now
        assert t >= self.blocked_until, (
            f"left at {t} while a 429 blocks the bucket until {self.blocked_until}"
        )
        bisect.insort(self.departures, t)
        window = int(self.window * US)
        lo = bisect.bisect_right(self.departures, t - window)
        hi = bisect.bisect_left(self.departures, t + window)
        around = self.departures[lo:hi]
        for i, start in enumerate(around):  # every window [start, start + W) holding t
            inside = bisect.bisect_left(around, start + window) - i
            assert inside <= self.n, f"{inside} departures within {self.window} s from {start}"
        assert h.first_booked is not None
        bound = h.first_booked + h.late + self.window_us + h.excused
        assert t <= bound, (
            f"a holder booked for {h.first_booked} left {(t - h.first_booked) / US:.3f} s later, "
            f"{h.late / US:.3f} s of it its own lateness, {h.excused / US:.3f} s imposed by the "
            f"server: {(t - bound) / US:.3f} s more than one window"
        )
        self.departures = self.departures[bisect.bisect_right(self.departures, t - window) :]

    def duration(self, dt: tuple[int, float]) -> int:
        us, windows = dt
        return us + int(windows * self.window_us)

    def wake(self, h: Holder) -> None:
        assert self.design is not None
        h.late += max(0, self.now - h.target)  # its own lateness, its clock mapping's included
        self.settle(h, self.design.wake(h))

    def excuse(self, us: int) -> None:
        for h in self.holders:
            h.excused += us

    def due(self) -> list[Holder]:
        return [h for h in self.holders if h.due <= self.now]

    # -- rules ---------------------------------------------------------------------------

    @precondition(lambda self: len(self.holders) < MAX_HOLDERS)
    @rule(process=st.integers(0, 2))
    def arrive(self, process: int) -> None:
        assert self.design is not None
        h = Holder(process % len(self.processes), uuid.uuid4().hex)
        self.holders.append(h)
        self.settle(h, self.design.arrive(h))

    @rule(dt=DURATIONS)
    def tick(self, dt: tuple[int, float]) -> None:
        """Time passes; holders due meanwhile are late by however much it overshoots."""
        self.tick_to(self.now + self.duration(dt))

    @precondition(lambda self: bool(self.holders))
    @rule()
    def wake_next_on_time(self) -> None:
        h = min(self.holders, key=lambda h: h.due)
        self.tick_to(h.due)
        self.wake(h)

    @precondition(lambda self: bool(self.holders))
    @rule(pick=st.integers(0, MAX_HOLDERS), lateness=DURATIONS)
    def wake_late(self, pick: int, lateness: tuple[int, float]) -> None:
        """A busy process: one holder wakes that long after its due (others may be due too)."""
        h = self.holders[pick % len(self.holders)]
        self.tick_to(h.due + self.duration(lateness))
        self.wake(h)

    @precondition(lambda self: bool(self.holders))
    @rule(pick=st.integers(0, MAX_HOLDERS))
    def give_up(self, pick: int) -> None:
        assert self.design is not None
        h = self.holders[pick % len(self.holders)]
        self.design.cancel(h)
        self.holders.remove(h)

    @rule(remaining=st.integers(0, 4), reset=st.floats(0.0, 1.5))
    def headers(self, remaining: int, reset: float) -> None:
        assert self.design is not None
        reset_us = int(min(reset * self.window_us, self.window_us))
        self.excuse(reset_us)
        self.design.learn(remaining, reset_us, 0)

    @rule(block=st.floats(0.01, 12.0))
    def too_many_requests(self, block: float) -> None:
        assert self.design is not None
        block_us = min(int(block * self.window_us), self.horizon_us)
        self.blocked_until = max(self.blocked_until, self.now + block_us)
        self.excuse(block_us)
        self.design.learn(-1, 0, block_us)

    # -- invariants ----------------------------------------------------------------------

    @invariant()
    def keys_expire_within_a_few_windows(self) -> None:
        FleetModel.steps_run += 1
        if self.design is None:
            return
        ceiling_ms = (self.horizon_us + 3 * self.window_us) // 1000 + 1000
        with self.redis.pipeline(transaction=False) as pipe:
            for key in self.keys:
                pipe.pttl(key)
            ttls = pipe.execute()
        for key, ttl in zip(self.keys, ttls, strict=True):
            assert ttl == -2 or 0 < ttl <= ceiling_ms, f"{key} expires in {ttl} ms"


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


@pytest.mark.xfail(
    strict=True,
    reason="the shipped design gives a late slot back and books again behind everyone",
)
def test_fleet_model(redis_server: RedisServer) -> None:
    """CI-sized: a few thousand steps in a fixed order; `make test-model` runs >= 100,000 in a
    random one (SCOPIX_MODEL_STEPS, SCOPIX_MODEL_RANDOM=1)."""
    total = int(os.environ.get("SCOPIX_MODEL_STEPS", "3000"))
    steps = 60
    FleetModel.redis_url = redis_server.url
    FleetModel.steps_run = 0
    run_state_machine_as_test(FleetModel, settings=model_settings(max(1, total // steps), steps))
    print(f"fleet model: {FleetModel.steps_run} steps")
