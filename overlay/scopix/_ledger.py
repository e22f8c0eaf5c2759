"""The credit ledger's rules, without I/O: which holds are live, what a `check()` answer can
still be trusted for, and whether a reservation is granted, waits or is refused.

A `check()` answer says how many credits the server had when it was asked. Two things can make
that figure too high by the time a reservation is decided: holds that are live now (their work
may spend up to what they hold), and spends of holds that ended after the answer was asked for
(the server may not have counted them yet). Both are subtracted, so granted work never spends
more than the server had, however stale the answer. Both errs on the safe side: credits a live
hold has already spent count twice until the hold ends.

A hold whose lease lapses (its worker died) counts as having spent everything it held. Waiters
are served in arrival order: a reservation is granted only if the credits also cover every
waiter queued ahead of it. A waiter keeps its place by asking again within its lease (the
hold's ttl); one that stops asking (it died) leaves the queue when that lapses. Times are
seconds on one clock, passed in by the caller (the Redis ledger uses the Redis server's; its
Lua scripts, `_redis_ledger`, are these rules transcribed, and a test holds the two equal).
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass, field, replace
from datetime import datetime

__all__ = [
    "Decision",
    "HeldCredits",
    "HoldState",
    "HoldView",
    "Ledger",
    "Spend",
    "Verdict",
    "WaiterState",
]


class Verdict(enum.Enum):
    GRANT = "grant"
    WAIT = "wait"
    REFUSE = "refuse"
    RECHECK = "recheck"  # ask check() again: the answer is too old, or missed spends that matter


@dataclass(frozen=True)
class Decision:
    verdict: Verdict
    required: int
    available: int  # what the answer showed
    held: int  # credits of live holds
    unseen: int  # spent after the answer was asked for
    ahead: int  # credits wanted by waiters queued ahead
    expires_at: float | None = None  # of the hold, when granted

    @property
    def free(self) -> int:
        return self.available - self.held - self.unseen - self.ahead

    @property
    def message(self) -> str:
        return (
            f"{self.required} credits required; {self.available} available, {self.held} held,"
            f" {self.unseen} spent since the check, {self.ahead} wanted by earlier waiters"
        )


@dataclass(frozen=True)
class HoldState:
    required: int
    expires_at: float
    owner: str = ""  # who holds it (host:pid), for people watching


@dataclass(frozen=True)
class HoldView:
    """A live hold as `client.usage.holds()` shows it."""

    id: str
    required_credits: int
    expires_at: datetime
    owner: str


@dataclass(frozen=True)
class HeldCredits:
    """The holds of an account now: `holds` (live, soonest to end first) and `waiting` (the
    reservations queued for credits)."""

    holds: tuple[HoldView, ...]
    waiting: int

    @property
    def credits(self) -> int:
        return sum(h.required_credits for h in self.holds)

    def to_dict(self) -> dict[str, object]:
        return {
            "credits": self.credits,
            "waiting": self.waiting,
            "holds": [
                {
                    "id": h.id,
                    "required_credits": h.required_credits,
                    "expires_at": h.expires_at.isoformat(),
                    "owner": h.owner,
                }
                for h in self.holds
            ],
        }


@dataclass(frozen=True)
class WaiterState:
    required: int
    expires_at: float


@dataclass(frozen=True)
class Spend:
    credits: int
    at: float


@dataclass
class Ledger:
    """The state of one account's credits: live holds, recent spends and the waiting queue.

    `settle`: seconds after a hold ends before a `check()` answer is trusted to include its
    spend (0 for a server that counts a spend before answering the request that made it).
    `memory`: seconds spends are remembered; an answer older than that is not used.
    """

    settle: float = 0.0
    memory: float = 600.0
    holds: dict[str, HoldState] = field(default_factory=dict)
    spends: list[Spend] = field(default_factory=list)
    queue: dict[str, WaiterState] = field(default_factory=dict)  # in arrival order

    def __post_init__(self) -> None:
        if not (math.isfinite(self.settle) and self.settle >= 0):
            raise ValueError(f"settle must be a finite number >= 0, got {self.settle!r}")
        if not (math.isfinite(self.memory) and self.memory > self.settle):
            raise ValueError(f"memory must be finite and > settle, got {self.memory!r}")

    def expire(self, now: float) -> list[str]:
        """End the holds whose lease has lapsed, as if each spent all it held."""
        lapsed = [hid for hid, h in self.holds.items() if h.expires_at <= now]
        for hid in lapsed:
            hold = self.holds.pop(hid)
            self.spends.append(Spend(hold.required, hold.expires_at))
        for wid in [wid for wid, w in self.queue.items() if w.expires_at <= now]:
            del self.queue[wid]
        cutoff = now - self.memory
        self.spends = [s for s in self.spends if s.at >= cutoff]
        return lapsed

    def reserve(
        self,
        hold_id: str,
        *,
        required: int,
        available: int,
        can_proceed: bool,
        checked_at: float,
        now: float,
        ttl: float,
        may_wait: bool,
        owner: str = "",
    ) -> Decision:
        """Decide for `hold_id` given a `check()` answer asked for at `checked_at`. A grant
        holds `required` until `now + ttl`; a wait queues the caller until `now + ttl` (keeping
        its place when it was queued already); a refusal or a grant takes it out of the queue."""
        self.expire(now)
        held = sum(h.required for h in self.holds.values())
        unseen = sum(s.credits for s in self.spends if s.at + self.settle > checked_at)
        ahead = 0
        for wid, waiter in self.queue.items():
            if wid == hold_id:
                break
            ahead += waiter.required
        decision = Decision(Verdict.REFUSE, required, available, held, unseen, ahead)
        if now - checked_at > self.memory - self.settle:
            return replace(decision, verdict=Verdict.RECHECK)
        if not can_proceed or available < required:
            self.queue.pop(hold_id, None)
            return decision
        if decision.free >= required:
            self.queue.pop(hold_id, None)
            self.holds[hold_id] = HoldState(required, now + ttl, owner)
            return replace(decision, verdict=Verdict.GRANT, expires_at=now + ttl)
        # Spends the answer may not have seen stand in the way: a fresh answer counts them as
        # they really were (a hold ended spending all it held may have spent less).
        if unseen > 0 and decision.free + unseen >= required:
            return replace(decision, verdict=Verdict.RECHECK)
        # Only live holds (which may end spending less) and earlier waiters (who may leave)
        # can free credits; spends already made never come back.
        if may_wait and (held > 0 or ahead > 0):
            self.queue[hold_id] = WaiterState(required, now + ttl)  # an update keeps its place
            return replace(decision, verdict=Verdict.WAIT)
        self.queue.pop(hold_id, None)
        return decision

    def renew(self, hold_id: str, *, now: float, ttl: float) -> float | None:
        """Extend a live hold's lease; None when it has already ended."""
        self.expire(now)
        hold = self.holds.get(hold_id)
        if hold is None:
            return None
        self.holds[hold_id] = replace(hold, expires_at=now + ttl)
        return now + ttl

    def release(self, hold_id: str, *, now: float, credits_used: int | None = None) -> bool:
        """End a hold, recording what its work spent (all it held when not told). False when
        it had already ended (released, or its lease lapsed)."""
        if credits_used is not None and (
            isinstance(credits_used, bool) or not isinstance(credits_used, int) or credits_used < 0
        ):
            raise ValueError(f"credits_used must be an int >= 0 or None, got {credits_used!r}")
        self.expire(now)
        hold = self.holds.pop(hold_id, None)
        if hold is None:
            return False
        spent = hold.required if credits_used is None else credits_used
        if spent:
            self.spends.append(Spend(spent, now))
        return True

    def leave(self, hold_id: str) -> None:
        """A waiter gives up (cancelled, or its wait ran out)."""
        self.queue.pop(hold_id, None)

    def next_expiry(self) -> float | None:
        return min((h.expires_at for h in self.holds.values()), default=None)
