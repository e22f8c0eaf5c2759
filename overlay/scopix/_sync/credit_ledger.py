# Generated from _async/credit_ledger.py by scripts/unasync.py; edit that, then make generate.
"""The in-process credit ledger (the default): one per account (base URL and API key) in this
process, shared by every client, thread and coroutine on it.

Its holds last until their block ends: a process that dies takes its holds with it, so no lease
is needed here (the shared ledgers have one).
"""

from __future__ import annotations

import math
import threading
import time

from .._flavours import SyncWake
from .._ledger import Decision, Ledger
from .._ratelimit import key_digest

__all__ = ["SyncLocalLedger", "sync_local_ledger"]


class SyncLocalLedger:
    def __init__(self) -> None:
        self._ledger = Ledger()
        self._lock = threading.Lock()  # never held across a wait
        self._wakes: set[SyncWake] = set()

    def clock(self) -> float:
        return time.monotonic()

    def now(self) -> float:
        return self.clock()

    def reserve(
        self, hold_id: str, *, required: int, available: int, can_proceed: bool,
        checked_at: float, ttl: float, may_wait: bool,
    ) -> Decision:  # fmt: skip
        with self._lock:
            return self._ledger.reserve(
                hold_id, required=required, available=available, can_proceed=can_proceed,
                checked_at=checked_at, now=self.clock(), ttl=math.inf, may_wait=may_wait,
            )  # fmt: skip

    def release(self, hold_id: str, credits_used: int | None) -> bool:
        with self._lock:
            ended = self._ledger.release(hold_id, now=self.clock(), credits_used=credits_used)
        self._wake_all()
        return ended

    def leave(self, hold_id: str) -> None:
        with self._lock:
            self._ledger.leave(hold_id)
        self._wake_all()

    def renew(self, hold_id: str, ttl: float) -> float | None:
        return None  # in-process holds need no lease

    def wait_for_change(self, seconds: float) -> None:
        wake = SyncWake()
        self._wakes.add(wake)
        try:
            wake.wait(seconds)
        finally:
            self._wakes.discard(wake)

    def _wake_all(self) -> None:
        for wake in list(self._wakes):
            wake.set()


_LEDGERS: dict[tuple[str, str], SyncLocalLedger] = {}
_LEDGERS_LOCK = threading.Lock()


def sync_local_ledger(base_url: str, api_key: str) -> SyncLocalLedger:
    """This process's ledger of the account."""
    with _LEDGERS_LOCK:
        return _LEDGERS.setdefault((base_url, key_digest(api_key)), SyncLocalLedger())
