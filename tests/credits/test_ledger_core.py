"""The ledger's rules (scopix._ledger), without a server: grants, waits, refusals, leases, and
a state machine of workers whose `check()` answers go stale while others spend."""

from __future__ import annotations

import pickle

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from scopix import InsufficientCreditsError, ScopixError
from scopix._ledger import Ledger, Verdict


def reserve(ledger: Ledger, hid: str, required: int, available: int, **kw: object) -> Verdict:
    args: dict[str, object] = {
        "required": required,
        "available": available,
        "can_proceed": available >= required,
        "checked_at": 0.0,
        "now": 0.0,
        "ttl": 30.0,
        "may_wait": False,
    }
    args.update(kw)
    return ledger.reserve(hid, **args).verdict  # type: ignore[arg-type]


def test_live_holds_are_subtracted_from_the_answer() -> None:
    ledger = Ledger()
    assert reserve(ledger, "a", 60, 100) is Verdict.GRANT
    assert reserve(ledger, "b", 50, 100) is Verdict.REFUSE
    assert reserve(ledger, "c", 40, 100) is Verdict.GRANT


def test_a_spend_after_the_answer_was_asked_for_is_subtracted() -> None:
    ledger = Ledger()
    reserve(ledger, "a", 60, 100, now=1.0)
    assert ledger.release("a", now=2.0, credits_used=60)
    # An answer asked for at 1.5 cannot include the spend released at 2.0: ask again ...
    assert reserve(ledger, "b", 50, 100, checked_at=1.5, now=3.0) is Verdict.RECHECK
    # ... one asked for after it does (its 40 available already lack the 60).
    assert reserve(ledger, "b", 40, 40, checked_at=2.5, now=3.0) is Verdict.GRANT


def test_settle_distrusts_answers_just_after_a_spend() -> None:
    ledger = Ledger(settle=5.0)
    reserve(ledger, "a", 60, 100)
    ledger.release("a", now=2.0, credits_used=60)
    assert reserve(ledger, "b", 50, 100, checked_at=4.0, now=4.0) is Verdict.RECHECK
    assert reserve(ledger, "b", 40, 40, checked_at=7.5, now=8.0) is Verdict.GRANT


def test_release_without_credits_used_counts_all_that_was_held() -> None:
    ledger = Ledger()
    reserve(ledger, "a", 30, 100)
    ledger.release("a", now=1.0)
    assert ledger.reserve(
        "b", required=71, available=100, can_proceed=True, checked_at=0.5, now=1.0, ttl=1,
        may_wait=False,
    ).unseen == 30  # fmt: skip


def test_a_lapsed_lease_counts_as_spent_and_cannot_be_released() -> None:
    ledger = Ledger()
    reserve(ledger, "a", 60, 100, ttl=10.0)
    assert ledger.renew("a", now=5.0, ttl=10.0) == 15.0
    assert ledger.expire(14.9) == []
    assert ledger.expire(15.0) == ["a"]
    assert not ledger.release("a", now=16.0, credits_used=0)
    assert ledger.renew("a", now=16.0, ttl=10.0) is None
    assert reserve(ledger, "b", 50, 100, checked_at=14.0, now=16.0) is Verdict.RECHECK


def test_waiters_are_served_in_arrival_order() -> None:
    ledger = Ledger()
    reserve(ledger, "a", 80, 100)
    assert reserve(ledger, "big", 50, 100, may_wait=True) is Verdict.WAIT
    # 20 are free, but "big" is ahead: a small late-comer does not overtake it.
    assert reserve(ledger, "small", 10, 100, may_wait=True) is Verdict.WAIT
    ledger.release("a", now=1.0, credits_used=0)
    # Now the credits cover "big" and "small" both: "small" goes, still keeping big's share.
    assert reserve(ledger, "small", 10, 100, now=1.0) is Verdict.GRANT
    assert reserve(ledger, "big", 50, 100, now=1.0) is Verdict.GRANT
    assert reserve(ledger, "late", 50, 100, now=1.0, may_wait=True) is Verdict.WAIT
    ledger.leave("late")
    assert ledger.queue == {}


def test_waiting_is_refused_when_nothing_can_free_credits() -> None:
    ledger = Ledger()
    assert reserve(ledger, "a", 10, 5, may_wait=True) is Verdict.REFUSE  # the server says no
    reserve(ledger, "b", 50, 100)
    ledger.release("b", now=1.0, credits_used=50)
    # Only a spend stands in the way: waiting is pointless (spends never come back), but a
    # fresh answer may show it cost less: ask again.
    assert reserve(ledger, "c", 60, 100, now=1.0, may_wait=True) is Verdict.RECHECK
    assert ledger.queue == {}
    # When live holds leave too little whatever a fresh answer says, there is no reason to.
    assert reserve(ledger, "e", 30, 100, checked_at=1.0, now=1.0) is Verdict.GRANT
    assert reserve(ledger, "d", 60, 80, checked_at=0.5, now=1.0) is Verdict.REFUSE


def test_an_answer_older_than_the_memory_of_spends_is_not_used() -> None:
    ledger = Ledger(memory=60.0)
    assert reserve(ledger, "a", 1, 100, checked_at=0.0, now=61.0) is Verdict.RECHECK
    assert "a" not in ledger.holds


def test_bad_settings_and_credits_used_are_refused_by_name() -> None:
    with pytest.raises(ValueError, match="settle"):
        Ledger(settle=-1)
    with pytest.raises(ValueError, match="memory"):
        Ledger(settle=10, memory=5)
    ledger = Ledger()
    reserve(ledger, "a", 1, 100)
    for bad in (-1, 1.5, True, "3"):
        with pytest.raises(ValueError, match="credits_used"):
            ledger.release("a", now=1.0, credits_used=bad)  # type: ignore[arg-type]
    assert "a" in ledger.holds


def test_the_refusal_pickles_with_its_fields() -> None:
    error = InsufficientCreditsError("too few", required=30, available=20, held=5)
    back = pickle.loads(pickle.dumps(error))
    assert isinstance(back, InsufficientCreditsError)
    assert isinstance(back, ScopixError)
    assert (back.required, back.available, back.held, back.message, str(back)) == (
        30,
        20,
        5,
        "too few",
        "too few",
    )


class Fleet(RuleBasedStateMachine):
    """Workers check (answers fetched at any time, so stale), reserve, spend any part of what
    they hold, release, crash or renew; the server's credits are the truth."""

    def __init__(self) -> None:
        super().__init__()
        self.ledger = Ledger()
        self.credits = 100  # what the server has left
        self.now = 0.0
        self.answers: dict[str, tuple[int, float]] = {}  # worker -> (available, asked at)
        self.live: dict[str, int] = {}  # worker -> credits it holds and may still spend
        self.granted_spend = 0
        self.start = self.credits
        self.refused_with_room = 0

    workers = st.sampled_from([f"w{i}" for i in range(5)])

    @rule(dt=st.floats(0.0, 20.0))
    def tick(self, dt: float) -> None:
        self.now += dt

    @rule(worker=workers)
    def check(self, worker: str) -> None:
        self.answers[worker] = (self.credits, self.now)

    @precondition(lambda self: bool(self.answers))
    @rule(data=st.data(), required=st.integers(1, 60), may_wait=st.booleans())
    def reserve(self, data: st.DataObject, required: int, may_wait: bool) -> None:
        worker = data.draw(st.sampled_from(sorted(self.answers)))
        if worker in self.live:
            return
        available, asked = self.answers[worker] if may_wait else self.answers.pop(worker)
        decision = self.ledger.reserve(
            worker,
            required=required,
            available=available,
            can_proceed=available >= required,
            checked_at=asked,
            now=self.now,
            ttl=30.0,
            may_wait=may_wait,
        )
        if decision.verdict is Verdict.GRANT:
            self.live[worker] = required
            self.answers.pop(worker, None)
        # A refusal on a fresh answer with nothing held, spent since or queued: the server
        # really lacks the credits.
        idle = decision.held == decision.unseen == decision.ahead == 0
        if decision.verdict is Verdict.REFUSE and idle and self.credits >= required:
            self.refused_with_room += 1

    @precondition(lambda self: bool(self.live))
    @rule(data=st.data())
    def spend(self, data: st.DataObject) -> None:
        worker = data.draw(st.sampled_from(sorted(self.live)))
        if worker not in self.ledger.holds or self.ledger.holds[worker].expires_at <= self.now:
            return  # lease lapsed: a well-behaved worker stops spending
        credits = data.draw(st.integers(0, self.live[worker]))
        self.live[worker] -= credits
        self.credits -= credits
        self.granted_spend += credits

    @precondition(lambda self: bool(self.live))
    @rule(data=st.data(), crash=st.booleans())
    def finish(self, data: st.DataObject, crash: bool) -> None:
        worker = data.draw(st.sampled_from(sorted(self.live)))
        left = self.live.pop(worker)
        if not crash and worker in self.ledger.holds:
            required = self.ledger.holds[worker].required
            self.ledger.release(worker, now=self.now, credits_used=required - left)

    @precondition(lambda self: bool(self.live))
    @rule(data=st.data())
    def renew(self, data: st.DataObject) -> None:
        worker = data.draw(st.sampled_from(sorted(self.live)))
        self.ledger.renew(worker, now=self.now, ttl=30.0)

    @precondition(lambda self: bool(self.ledger.queue))
    @rule(data=st.data())
    def leave(self, data: st.DataObject) -> None:
        worker = data.draw(st.sampled_from(sorted(self.ledger.queue)))
        self.ledger.leave(worker)
        self.answers.pop(worker, None)

    @invariant()
    def never_overspent(self) -> None:
        assert self.credits >= 0, f"granted work spent {self.granted_spend} of {self.start}"

    @invariant()
    def lapsed_waiters_leave_the_queue(self) -> None:
        self.ledger.expire(self.now)
        if self.ledger.queue:
            assert all(w.expires_at > self.now for w in self.ledger.queue.values())

    @invariant()
    def no_refusal_with_room(self) -> None:
        assert self.refused_with_room == 0


TestFleet = Fleet.TestCase
TestFleet.settings = settings(max_examples=300, stateful_step_count=40, deadline=None)
