"""Watching the client: an observer hears of every finished call, with what it cost.

    from scopix import SyncScopix
    from scopix.observe import Stats

    stats = Stats()
    client = SyncScopix(observers=[stats])
    client.usage.get_breakdown()
    print(stats.requests, stats.rate_limited, stats.retries, stats.pacing_wait)

An observer is any object with `on_call(info: CallInfo) -> None`. It runs on the calling task
or thread once the call is over (answered, failed or cancelled), so it should be quick; an
observer that raises is logged on the `scopix` logger and never breaks the call. Without
observers the client does no more than read the clock around its pacing.

An observer that also has `on_hold(event: HoldEvent) -> None` hears of the credit holds of
`client.usage.reserve()`: granted, refused, released, lease lost, and a shared ledger out of
reach (`HoldEvent.kind`), with the credits, the owner (host:pid) and how long it waited.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal, Protocol, runtime_checkable

import httpx

from ._errors import InvalidParameterTypeError
from ._policy import rate_limit_info

if TYPE_CHECKING:
    from ._call import Call

__all__ = ["CallInfo", "HoldEvent", "HoldEventKind", "Observer", "Stats"]

_log = logging.getLogger("scopix")


@dataclass(frozen=True, slots=True)
class CallInfo:
    """One finished call of the API: every attempt it took and how it ended."""

    operation: str
    """The spec's operationId (`get_breakdown`)."""
    method: str
    url_template: str
    """The operation's path in the spec (`/v1/usage/breakdown`)."""
    url: str
    """The full URL of the request, query included (the API key travels in a header)."""
    statuses: tuple[int | None, ...]
    """The HTTP status of each attempt, in order; None where no answer came (a transport error)."""
    attempt_durations: tuple[float, ...]
    """Seconds each attempt took on the wire, from sending to its answer or error."""
    attempt_errors: tuple[str | None, ...]
    """For each attempt that got no answer, the exception's class name (`ConnectError`)."""
    pacing_wait: float
    """Seconds spent waiting for the client-side rate limit, over all attempts."""
    retry_wait: float
    """Seconds slept between attempts (backoff, Retry-After)."""
    duration: float
    """Seconds from the start of the call to its end, waits included."""
    start_time_ns: int
    """When the call began, nanoseconds since the epoch."""
    request_id: str | None
    """`X-Request-Id` of the last answer."""
    rate_limit_remaining: int | None
    """`X-RateLimit-Remaining` of the last answer."""
    error: BaseException | None
    """What the call raised (an `APIStatusError`, `APIConnectionError`, a cancellation), if any."""

    @property
    def attempts(self) -> int:
        return len(self.statuses)

    @property
    def retries(self) -> int:
        return max(0, len(self.statuses) - 1)

    @property
    def rate_limited(self) -> int:
        """Answers that were 429 Too Many Requests."""
        return sum(1 for s in self.statuses if s == 429)

    @property
    def status_code(self) -> int | None:
        """The status of the last answer (None when the last attempt got none)."""
        return self.statuses[-1] if self.statuses else None

    @property
    def error_type(self) -> str | None:
        """What went wrong, as OpenTelemetry's `error.type` wants it: the status code of an error
        answer, else the exception's class name; None for a successful call."""
        status = self.status_code
        if status is not None and status >= 400:
            return str(status)
        if self.error is not None:
            return type(self.error).__qualname__
        return None


HoldEventKind = Literal["granted", "refused", "released", "lease_lost", "unavailable"]


@dataclass(frozen=True, slots=True)
class HoldEvent:
    """What happened to one reservation of `client.usage.reserve()`, as `on_hold` hears it.

    `granted`: the credits are held (`expires_at` set). `refused`: too few credits
    (`InsufficientCreditsError`), nothing held. `released`: the block ended or called
    `release()` (`credits_used`, `held_for`). `lease_lost`: a renewal found the hold gone, its
    credits count as spent. `unavailable`: the shared ledger could not be reached, nothing held
    (`CreditLedgerUnavailableError`; with `unreachable="local"` a `granted` on this process's
    ledger follows, `shared` False)."""

    kind: HoldEventKind
    hold_id: str
    """The hold's id, as `client.usage.holds()` lists it."""
    owner: str
    """Who asked: `host:pid`."""
    required_credits: int | None
    """What the operation needs (None when no `check()` answer came: `unavailable`)."""
    available_credits: int | None
    """What the `check()` answer showed (granted, refused)."""
    held_credits: int | None
    """Credits standing in the way when decided: live holds, spends the answer cannot have
    seen and earlier waiters (granted, refused)."""
    waited: float
    """Seconds from entering `reserve()` to the decision, `check()` included."""
    held_for: float | None
    """Seconds from the grant to the end (released, lease_lost)."""
    credits_used: int | None
    """What `release(credits_used=...)` said (released; None: all it held)."""
    expires_at: datetime | None
    """When the lease ends (granted), an aware UTC datetime."""
    shared: bool
    """True on a shared (Redis) ledger, False on this process's own."""
    error: BaseException | None = None
    """The `InsufficientCreditsError` (refused) or `CreditLedgerUnavailableError` (unavailable)."""


@runtime_checkable
class Observer(Protocol):
    """Hears of every finished call of the clients it was passed to (`observers=[...]`)."""

    def on_call(self, info: CallInfo) -> None: ...


class Stats:
    """Counts what the clients it observes did: calls, HTTP requests, 429s, retries, errors and
    the seconds spent waiting for the rate limit and between retries; and the credit holds of
    `reserve()`: granted, refused, released, leases lost and seconds waited for a decision.
    Safe across threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.calls = 0
        self.requests = 0
        self.rate_limited = 0
        self.retries = 0
        self.errors = 0
        self.pacing_wait = 0.0
        self.retry_wait = 0.0
        self.holds_granted = 0
        self.holds_refused = 0
        self.holds_released = 0
        self.leases_lost = 0
        self.hold_wait = 0.0

    def on_call(self, info: CallInfo) -> None:
        with self._lock:
            self.calls += 1
            self.requests += info.attempts
            self.rate_limited += info.rate_limited
            self.retries += info.retries
            self.errors += info.error is not None
            self.pacing_wait += info.pacing_wait
            self.retry_wait += info.retry_wait

    def on_hold(self, event: HoldEvent) -> None:
        with self._lock:
            self.holds_granted += event.kind == "granted"
            self.holds_refused += event.kind == "refused"
            self.holds_released += event.kind == "released"
            self.leases_lost += event.kind == "lease_lost"
            if event.kind in ("granted", "refused"):
                self.hold_wait += event.waited

    def as_dict(self) -> dict[str, float]:
        with self._lock:
            return {
                "calls": self.calls,
                "requests": self.requests,
                "rate_limited": self.rate_limited,
                "retries": self.retries,
                "errors": self.errors,
                "pacing_wait": self.pacing_wait,
                "retry_wait": self.retry_wait,
                "holds_granted": self.holds_granted,
                "holds_refused": self.holds_refused,
                "holds_released": self.holds_released,
                "leases_lost": self.leases_lost,
                "hold_wait": self.hold_wait,
            }

    def __repr__(self) -> str:
        return f"Stats({', '.join(f'{k}={v:g}' for k, v in self.as_dict().items())})"


def check_observers(observers: Iterable[Observer] | None) -> tuple[Observer, ...]:
    """`observers=` as a tuple; anything without a callable `on_call` is refused up front."""
    if observers is None:
        return ()
    if isinstance(observers, str | bytes) or not isinstance(observers, Iterable):
        raise InvalidParameterTypeError(
            "observers", "`observers` must be a list of objects with an on_call(info) method"
        )
    out = tuple(observers)
    for obs in out:
        if not callable(getattr(obs, "on_call", None)):
            raise InvalidParameterTypeError(
                "observers",
                f"`observers` must hold objects with an on_call(info) method, got {obs!r}",
            )
    return out


def report_hold(observers: tuple[Observer, ...], event: HoldEvent) -> None:
    """Tell the observers that have `on_hold`; one that raises is logged, never raised."""
    for observer in observers:
        on_hold = getattr(observer, "on_hold", None)
        if on_hold is None:
            continue
        try:
            on_hold(event)
        except Exception:
            _log.exception("observer %r failed on a hold %s", observer, event.kind)


class CallRecord:
    """What the send loop tells about one call while it runs (`paced` and `attempt` once per
    attempt), and the report to the observers when it ends. `NOT_RECORDED` stands in when
    nobody listens."""

    __slots__ = (
        "_call",
        "_durations",
        "_errors",
        "_last_end",
        "_observers",
        "_pacing",
        "_response",
        "_retry_wait",
        "_sent",
        "_start",
        "_start_ns",
        "_statuses",
    )

    def __init__(self, call: Call[Any] | None, observers: tuple[Observer, ...]) -> None:
        self._call = call
        self._observers = observers
        self._statuses: list[int | None] = []
        self._durations: list[float] = []
        self._errors: list[str | None] = []
        self._pacing = self._retry_wait = 0.0
        self._response: httpx.Response | None = None
        self._start_ns = time.time_ns()
        self._start = self._last_end = self._sent = time.monotonic()

    @classmethod
    def begin(cls, call: Call[Any], observers: tuple[Observer, ...]) -> CallRecord:
        return cls(call, observers) if observers else NOT_RECORDED

    def paced(self, start: float, end: float) -> None:
        """An attempt waited for the rate limit from `start` to `end` (monotonic seconds); the
        gap since the previous attempt ended was the retry sleep."""
        if not self._observers:
            return
        if self._statuses:
            self._retry_wait += max(0.0, start - self._last_end)
        self._pacing += end - start
        self._sent = end

    def attempt(self, outcome: httpx.Response | BaseException) -> None:
        """An attempt ended with an answer, or with an exception."""
        if not self._observers:
            return
        if isinstance(outcome, httpx.Response):
            self._response = outcome
            self._statuses.append(outcome.status_code)
            self._errors.append(None)
        else:
            self._statuses.append(None)
            self._errors.append(type(outcome).__qualname__)
        self._last_end = time.monotonic()
        self._durations.append(self._last_end - self._sent)

    def end(self, error: BaseException | None) -> None:
        if not self._observers or self._call is None:
            return
        call = self._call
        response = self._response
        info = CallInfo(
            operation=call.op.operation_id,
            method=call.op.method,
            url_template=call.op.path,
            url=str(
                httpx.URL(call.url, params=call.params).copy_with(username=None, password=None)
            ),
            statuses=tuple(self._statuses),
            attempt_durations=tuple(self._durations),
            attempt_errors=tuple(self._errors),
            pacing_wait=self._pacing,
            retry_wait=self._retry_wait,
            duration=time.monotonic() - self._start,
            start_time_ns=self._start_ns,
            request_id=None if response is None else response.headers.get("x-request-id"),
            rate_limit_remaining=(
                None if response is None else rate_limit_info(response.headers).remaining
            ),
            error=error,
        )
        for observer in self._observers:
            try:
                observer.on_call(info)
            except Exception:
                _log.exception("observer %r failed on %s", observer, info.operation)


NOT_RECORDED = CallRecord(None, ())
