"""Hand-written methods of `client.usage`: `reserve()`, credits held for a block of work so
that concurrent workers cannot overspend together (the rules are `_ledger`'s)."""

from __future__ import annotations

import math
import uuid
from types import TracebackType
from typing import TYPE_CHECKING, Unpack

from .._errors import InsufficientCreditsError, InvalidParameterError, InvalidParameterTypeError
from .._flavours import async_shielded
from .._generated.literals import AnalysisLevelValue
from .._ledger import Verdict
from .._options import RequestOptions
from .credit_ledger import AsyncLocalLedger, async_local_ledger
from .resource import AsyncResource

if TYPE_CHECKING:
    from ..types import AnalysisLevel, UsageCheckResult

__all__ = ["AsyncHold", "AsyncReservation", "UsageMethods"]

DEFAULT_TTL = 60.0


def _seconds(name: str, value: object, *, zero_ok: bool) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidParameterTypeError(name, f"{name} must be a number of seconds, got {value!r}")
    if not math.isfinite(value) or value < 0 or (value == 0 and not zero_ok):
        bound = ">= 0" if zero_ok else "> 0"
        raise InvalidParameterError(name, f"{name} must be a finite number {bound}, got {value!r}")
    return float(value)


class AsyncHold:
    """Credits held for a block of work: `check` (the answer it was granted on),
    `required_credits`, `expires_at` (the lease's end on the ledger's clock; None for the
    in-process ledger, whose holds last until their block ends)."""

    def __init__(
        self, ledger: AsyncLocalLedger, hold_id: str, check: UsageCheckResult,
        expires_at: float | None,
    ) -> None:  # fmt: skip
        self._ledger = ledger
        self.id = hold_id
        self.check = check
        self.required_credits: int = check.required_credits
        self.expires_at = None if expires_at is None or math.isinf(expires_at) else expires_at
        self.released = False

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
            await async_shielded(self._ledger.release, self.id, credits_used)

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
        self._ledger = async_local_ledger(client._config.base_url, client._config.api_key)
        self._args = args
        self._wait = wait
        self._ttl = ttl
        self._options = options
        self._hold: AsyncHold | None = None

    async def __aenter__(self) -> AsyncHold:
        ledger = self._ledger
        hold_id = uuid.uuid4().hex
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
                        checked_at=checked_at, ttl=self._ttl, may_wait=left > 0,
                    )  # fmt: skip
                    if decision.verdict is Verdict.GRANT:
                        self._hold = AsyncHold(ledger, hold_id, answer, decision.expires_at)
                        return self._hold
                    if decision.verdict is Verdict.REFUSE:
                        held = decision.held + decision.unseen + decision.ahead
                        raise InsufficientCreditsError(
                            f"{decision.message}: {decision.free} free",
                            required=decision.required,
                            available=decision.available,
                            held=held,
                        )
                    if decision.verdict is Verdict.RECHECK:
                        break
                    await ledger.wait_for_change(left)
        except BaseException:
            await async_shielded(ledger.leave, hold_id)
            raise

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._hold is not None:
            await self._hold.release()


class UsageMethods(AsyncResource):
    """What `client.usage` has beside the spec's operations."""

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
        lease on a shared ledger. The hold ends when the block does (counted as spending all it
        held) or earlier by `hold.release(credits_used=...)` with what the work cost.
        """
        args: dict[str, object] = {
            "analysis_level": analysis_level,
            "item_count": item_count,
            "content_category": content_category,
        }
        return AsyncReservation(
            self,
            args,
            _seconds("wait", wait, zero_ok=True),
            _seconds("ttl", ttl, zero_ok=False),
            options,
        )
