"""The SDK's log lines, on the `scopix` logger. `SCOPIX_LOG=debug|info` prints them to stderr.

No line ever holds a header: the API key travels in one. Each record also carries its facts as
attributes (`logging`'s `extra=`), so a program reads them without parsing the text:

- every record of the SDK: `scopix_event` ("response", "failure" or "wait"), `operation` (the
  operation id, e.g. "get_breakdown"), `method`, `path`, `attempt` (1 for the first try),
  `max_attempts`;
- "response": `status_code`, `elapsed_ms`, `request_id`, `rate_limit_remaining`;
- "failure" (no answer): `error` (the httpx exception's class name);
- "wait": `reason` ("retry" or "rate_limit"), `wait_seconds`, `bucket` (the rate-limit bucket);
  `attempt` is the attempt the wait comes before; a retry's also has `status_code` (None after
  a failure) and `error` (None after an answer) of the attempt before it; a rate-limit wait has
  `limiter` ("memory" or "redis").
"""

from __future__ import annotations

import contextvars
import logging
import os
from dataclasses import dataclass
from typing import Any

import httpx

from ._policy import rate_limit_info
from ._ratelimit import LOG_WAIT_SECONDS

__all__ = [
    "PACING_WAIT",
    "PACING_WAIT_REDIS",
    "configure_from_env",
    "failure",
    "log",
    "pacing_wait",
    "response",
    "retry",
    "sending",
]

log = logging.getLogger("scopix")

# The texts of a limiter's rate-limit wait (`pacing_wait`).
PACING_WAIT = "waiting %.1f s for the %r rate limit"
PACING_WAIT_REDIS = "waiting %.1f s for the %r rate limit (Redis)"


@dataclass(frozen=True, slots=True)
class _Attempt:
    operation: str
    method: str
    path: str
    attempt: int  # 0-based, as the shells count
    max_retries: int

    def fields(self, *, next_attempt: bool = False) -> dict[str, Any]:
        return {
            "operation": self.operation,
            "method": self.method,
            "path": self.path,
            "attempt": self.attempt + (2 if next_attempt else 1),
            "max_attempts": self.max_retries + 1,
        }


# The attempt this thread or task is sending (operation, request, attempt, max_retries): a
# limiter's wait record names its operation. Kept raw: made into fields only when logged.
_Sending = tuple[str, httpx.Request, int, int]
_current: contextvars.ContextVar[_Sending | None] = contextvars.ContextVar(
    "scopix_attempt", default=None
)


def pacing_wait(seconds: float, bucket: str, limiter: str) -> None:
    """A limiter's rate-limit wait (`limiter`: "memory" or "redis"), with the operation whose
    slot it waits for."""
    current = _current.get()
    fields: dict[str, Any] = _attempt(*current).fields() if current else {}
    fields.update(
        scopix_event="wait",
        reason="rate_limit",
        wait_seconds=float(seconds),
        bucket=bucket,
        limiter=limiter,
    )
    text = PACING_WAIT_REDIS if limiter == "redis" else PACING_WAIT
    log.info(text, seconds, bucket, extra=fields)


def configure_from_env() -> None:
    level = os.environ.get("SCOPIX_LOG", "").strip().upper()
    if level not in ("DEBUG", "INFO") or any(
        getattr(h, "_scopix_env", False) for h in log.handlers
    ):
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    handler._scopix_env = True  # type: ignore[attr-defined]
    log.addHandler(handler)
    log.setLevel(level)


class sending:
    """Around the wait for a request's slot: the limiters' records then name its operation.
    A class, not a generator: it runs on every attempt."""

    __slots__ = ("_sending", "_token")

    def __init__(
        self, operation: str, request: httpx.Request, attempt: int, max_retries: int
    ) -> None:
        self._sending = (operation, request, attempt, max_retries)

    def __enter__(self) -> None:
        self._token = _current.set(self._sending)

    def __exit__(self, *exc: object) -> None:
        _current.reset(self._token)


def _attempt(operation: str, request: httpx.Request, attempt: int, max_retries: int) -> _Attempt:
    return _Attempt(operation, request.method, request.url.path, attempt, max_retries)


def response(
    operation: str,
    request: httpx.Request,
    response: httpx.Response,
    attempt: int,
    max_retries: int,
) -> None:
    if not log.isEnabledFor(logging.INFO):
        return
    remaining = rate_limit_info(response.headers).remaining
    elapsed_ms = response.elapsed.total_seconds() * 1000
    request_id = response.headers.get("x-request-id")
    fields = _attempt(operation, request, attempt, max_retries).fields()
    fields.update(
        scopix_event="response",
        status_code=response.status_code,
        elapsed_ms=elapsed_ms,
        request_id=request_id,
        rate_limit_remaining=remaining,
    )
    log.info(
        "%s %s -> %d in %.0f ms (attempt %d, rate-limit remaining %s, request id %s)",
        request.method,
        request.url.path,
        response.status_code,
        elapsed_ms,
        attempt + 1,
        "?" if remaining is None else remaining,
        request_id or "?",
        extra=fields,
    )


def failure(
    operation: str, request: httpx.Request, exc: Exception, attempt: int, max_retries: int
) -> None:
    if log.isEnabledFor(logging.INFO):
        fields = _attempt(operation, request, attempt, max_retries).fields()
        fields.update(scopix_event="failure", error=type(exc).__name__)
        path = request.url.path
        log.info(
            "%s %s -> %s (attempt %d)",
            request.method,
            path,
            type(exc).__name__,
            attempt + 1,
            extra=fields,
        )


def retry(
    operation: str,
    request: httpx.Request,
    delay: float,
    attempt: int,
    max_retries: int,
    *,
    bucket: str,
    after: httpx.Response | Exception,
) -> None:
    """A retry's wait, after attempt `attempt` (0-based) got `after`: at INFO when over a
    second (a caller sees that as a stall), else DEBUG."""
    level = logging.INFO if delay > LOG_WAIT_SECONDS else logging.DEBUG
    if log.isEnabledFor(level):
        fields = _attempt(operation, request, attempt, max_retries).fields(next_attempt=True)
        answered = isinstance(after, httpx.Response)
        fields.update(
            scopix_event="wait",
            reason="retry",
            wait_seconds=delay,
            bucket=bucket,
            status_code=after.status_code if isinstance(after, httpx.Response) else None,
            error=None if answered else type(after).__name__,
        )
        log.log(level, "retrying in %.2f s", delay, extra=fields)
