"""Hand-written methods of `client.usage`: `reserve()`, credits held for a block of work so
that concurrent workers cannot overspend together (the rules are `_ledger`'s)."""

from __future__ import annotations

import contextlib
import logging
import math
import os
import socket
import time
import uuid
from datetime import datetime
from types import TracebackType
from typing import TYPE_CHECKING, Unpack

from .._errors import (
    CreditLedgerUnavailableError,
    InsufficientCreditsError,
    InvalidParameterError,
    InvalidParameterTypeError,
)
from .._flavours import async_shielded
from .._generated.literals import AnalysisLevelValue
from .._ledger import Decision, HeldCredits, Verdict
from .._options import RequestOptions, strict_keywords
from .._redis_ledger import ledger_down
from .._renewal import AsyncRenewal
from ..observe import HoldEvent, HoldEventKind, Observer, report_hold
from .credit_ledger import AsyncLocalLedger, AsyncRedisLedger, async_local_ledger
from .resource import AsyncResource

if TYPE_CHECKING:
    from ..types import AnalysisLevel, UsageCheckResult

__all__ = ["AsyncHold", "AsyncReservation", "UsageMethods"]

log = logging.getLogger("scopix")
DEFAULT_TTL = 60.0
MIN_TTL = 0.5  # shorter leases would be renewed more often than a round trip takes
RENEWALS_PER_TTL = 3  # a lease is renewed this often per ttl, so one late renewal is harmless


def _seconds(name: str, value: object, *, least: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidParameterTypeError(name, f"{name} must be a number of seconds, got {value!r}")
    if not math.isfinite(value) or value < least:
        raise InvalidParameterError(
            name, f"{name} must be a finite number of seconds >= {least:g}, got {value!r}"
        )
    return float(value)


class AsyncHold:
    """Credits held for a block of work: `check` (the answer it was granted on),
    `required_credits`, `expires_at` (when the lease ends unless renewed: an aware UTC
    datetime, moved on by every renewal while the block runs) and `lease_lost` (True once a
    renewal found the hold gone: its lease lapsed, so its credits count as spent and the work
    should stop spending)."""

    def __init__(
        self, ledger: AsyncLocalLedger | AsyncRedisLedger, hold_id: str, check: UsageCheckResult,
        ttl: float, expires_at: float, observers: tuple[Observer, ...] = (), owner: str = "",
    ) -> None:  # fmt: skip
        self._ledger = ledger
        self._ttl = ttl
        self._observers = observers
        self._owner = owner
        self._granted = time.monotonic()
        self.id = hold_id
        self.check = check
        self.required_credits: int = check.required_credits
        self.expires_at: datetime = ledger.wall(expires_at)
        self.lease_lost = False
        self.released = False
        self._renewal = AsyncRenewal(self._renew, ttl / RENEWALS_PER_TTL)

    async def _renew(self) -> bool:
        """One renewal of the lease; False stops them (the hold has ended)."""
        try:
            until = await self._ledger.renew(self.id, self._ttl)
        except Exception as exc:  # never into the block's work: logged, tried again
            log.warning("scopix: could not renew the lease of a credit hold: %s", exc)
            return True
        if until is None:
            if not self.released:
                self.lease_lost = True
                log.warning(
                    "scopix: the lease of a hold of %d credits lapsed: they count as spent",
                    self.required_credits,
                )
                self._report("lease_lost", None)
            return False
        self.expires_at = self._ledger.wall(until)
        return True

    async def release(self, *, credits_used: int | None = None) -> None:
        """End the hold now, with what the work really cost (all it held when not told)."""
        if credits_used is not None and (
            isinstance(credits_used, bool) or not isinstance(credits_used, int) or credits_used < 0
        ):
            raise InvalidParameterError(
                "credits_used", f"credits_used must be an int >= 0 or None, got {credits_used!r}"
            )
        if not self.released:
            self.released = True
            try:
                await self._renewal.stop()  # not shielded: its task group's scope exits first
            finally:  # even when the block is being cancelled
                await async_shielded(self._end, credits_used)
                if not self.lease_lost:  # a lost lease was reported as such
                    self._report("released", credits_used)

    def _report(self, kind: HoldEventKind, credits_used: int | None) -> None:
        if self._observers:
            report_hold(self._observers, HoldEvent(
                kind, self.id, self._owner, self.required_credits, None, None, 0.0,
                time.monotonic() - self._granted, credits_used, None,
                isinstance(self._ledger, AsyncRedisLedger),
            ))  # fmt: skip

    async def _end(self, credits_used: int | None) -> None:
        try:
            await self._ledger.release(self.id, credits_used)
        except CreditLedgerUnavailableError as exc:
            log.warning("scopix: %s; the hold ends when its lease does", exc)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(required_credits={self.required_credits})"


class AsyncReservation:
    """`async with client.usage.reserve(...) as hold:` (see `UsageMethods.reserve`)."""

    def __init__(
        self, resource: AsyncResource, args: dict[str, object], wait: float, ttl: float,
        options: RequestOptions,
    ) -> None:  # fmt: skip
        client = resource._client
        self._client = client
        base_url, api_key = client._config.base_url, client._config.api_key
        shared: AsyncRedisLedger | None = client._credits
        self._ledger: AsyncLocalLedger | AsyncRedisLedger = (
            async_local_ledger(base_url, api_key)
            if shared is None
            else shared.for_account(base_url, api_key)
        )
        self._args = args
        self._wait = wait
        self._ttl = ttl
        self._options = options
        self._observers: tuple[Observer, ...] = client._observers
        self._hold: AsyncHold | None = None

    async def __aenter__(self) -> AsyncHold:
        started = time.monotonic()
        try:
            hold = await self._enter(self._ledger)
        except CreditLedgerUnavailableError as exc:
            if self._observers:
                report_hold(self._observers, HoldEvent(
                    "unavailable", "", _owner(), None, None, None, time.monotonic() - started,
                    None, None, None, True, exc,
                ))  # fmt: skip
            fallback = self._ledger.fallback
            if fallback is None or not ledger_down(exc.__cause__):
                raise
            log.warning("scopix: %s; holding on this process's ledger", exc)
            hold = await self._enter(fallback)
        await hold._renewal.start()
        self._hold = hold
        return hold

    async def _enter(self, ledger: AsyncLocalLedger | AsyncRedisLedger) -> AsyncHold:
        hold_id = uuid.uuid4().hex
        owner = _owner()
        started = time.monotonic()
        deadline = ledger.clock() + self._wait
        try:
            while True:
                checked_at = await ledger.now()
                answer: UsageCheckResult = await self._client._call(
                    "check", self._args, raw=False, options=self._options
                )
                while True:
                    left = deadline - ledger.clock()
                    decision = await ledger.reserve(
                        hold_id, required=answer.required_credits,
                        available=answer.available_credits, can_proceed=answer.can_proceed,
                        checked_at=checked_at, ttl=self._ttl, may_wait=left > 0, owner=owner,
                    )  # fmt: skip
                    if decision.verdict is Verdict.GRANT:
                        assert decision.expires_at is not None
                        hold = AsyncHold(
                            ledger, hold_id, answer, self._ttl, decision.expires_at,
                            self._observers, owner,
                        )  # fmt: skip
                        self._decided(ledger, decision, hold_id, owner, started, hold.expires_at)
                        return hold
                    if decision.verdict is Verdict.REFUSE:
                        held = decision.held + decision.unseen + decision.ahead
                        refused = InsufficientCreditsError(
                            f"{decision.message}: {decision.free} free",
                            required=decision.required,
                            available=decision.available,
                            held=held,
                        )
                        self._decided(ledger, decision, hold_id, owner, started, None, refused)
                        raise refused
                    if decision.verdict is Verdict.RECHECK:
                        break
                    # Asked again within the waiter's lease, which keeps its place.
                    await ledger.wait_for_change(min(left, self._ttl / RENEWALS_PER_TTL))
        except BaseException:
            await async_shielded(self._leave, ledger, hold_id)
            raise

    def _decided(
        self, ledger: AsyncLocalLedger | AsyncRedisLedger, decision: Decision, hold_id: str,
        owner: str, started: float, expires_at: datetime | None,
        error: InsufficientCreditsError | None = None,
    ) -> None:  # fmt: skip
        if self._observers:
            report_hold(self._observers, HoldEvent(
                "refused" if error else "granted", hold_id, owner, decision.required,
                decision.available, decision.held + decision.unseen + decision.ahead,
                time.monotonic() - started, None, None, expires_at,
                isinstance(ledger, AsyncRedisLedger), error,
            ))  # fmt: skip

    @staticmethod
    async def _leave(ledger: AsyncLocalLedger | AsyncRedisLedger, hold_id: str) -> None:
        with contextlib.suppress(CreditLedgerUnavailableError):  # its place lapses with its lease
            await ledger.leave(hold_id)

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._hold is not None:
            await self._hold.release()


def _owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class UsageMethods(AsyncResource):
    """What `client.usage` has beside the spec's operations."""

    @strict_keywords
    def reserve(
        self,
        *,
        analysis_level: AnalysisLevelValue | AnalysisLevel = "standard",
        item_count: int = 1,
        content_category: str | None = None,
        wait: float = 0,
        ttl: float = DEFAULT_TTL,
        **options: Unpack[RequestOptions],
    ) -> AsyncReservation:
        """Hold the credits of an operation (`check()`'s keywords) for the block of work that
        spends them: `async with client.usage.reserve(item_count=10) as hold: ...`.

        On entry `check()` is asked, and its `required_credits` are held if the credits it shows,
        less every live hold of the account and every spend it cannot have seen yet, cover them;
        otherwise `InsufficientCreditsError` is raised and nothing is held. `wait=` seconds to
        wait, in arrival order, for other holds to end (0: decide at once). `ttl=` the hold's
        lease in seconds (at least 0.5), renewed every ttl/3 while the block runs: a worker
        that dies or hangs loses its hold when the lease ends (its credits count as spent).
        The hold ends when the block does (counted as spending all it held) or earlier by
        `hold.release(credits_used=...)` with what the work cost.
        """
        args: dict[str, object] = {
            "analysis_level": analysis_level,
            "item_count": item_count,
            "content_category": content_category,
        }
        return AsyncReservation(
            self,
            args,
            _seconds("wait", wait, least=0),
            _seconds("ttl", ttl, least=MIN_TTL),
            options,
        )

    async def holds(self) -> HeldCredits:
        """The account's live holds on this client's ledger (this process's, or the shared
        one of `credits=`): `.holds` (id, required_credits, expires_at, owner as host:pid),
        `.credits` (their sum) and `.waiting` (reservations queued). Raises
        `CreditLedgerUnavailableError` when a shared ledger cannot be reached."""
        client = self._client
        base_url, api_key = client._config.base_url, client._config.api_key
        shared: AsyncRedisLedger | None = client._credits
        if shared is None:
            return await async_local_ledger(base_url, api_key).holds()
        return await shared.for_account(base_url, api_key).holds()
