"""The pure policy core: what a response means and what to do next. No I/O, no sleeping.

Everything the async and sync shells decide is decided here, so it is written and tested once.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import httpx

from . import _errors as e
from . import _spec
from ._connection import describe_transport_error
from ._json import JSON

__all__ = [
    "DEFAULT_MAX_RETRY_WAIT",
    "INITIAL_RETRY_DELAY",
    "MAX_RETRY_DELAY",
    "RETRYABLE_STATUSES",
    "UNIX_TIME_THRESHOLD",
    "RateLimitInfo",
    "Retry",
    "backoff",
    "decide_response",
    "decide_transport_error",
    "excerpt",
    "is_retryable_status",
    "longest_window",
    "rate_limit_info",
    "reset_seconds",
    "retry_after",
    "status_error",
    "transport_error",
    "validation_error",
    "wait_error",
]

INITIAL_RETRY_DELAY = 0.5
MAX_RETRY_DELAY = 8.0
DEFAULT_MAX_RETRY_WAIT = 60.0
RETRYABLE_STATUSES = frozenset({408, 409, 429})
# An `X-RateLimit-Reset` above this (September 2001) is a Unix timestamp, as some gateways send,
# not seconds to wait.
UNIX_TIME_THRESHOLD = 1e9

_STATUS_ERRORS: dict[int, type[e.APIStatusError]] = {
    400: e.BadRequestError,
    401: e.AuthenticationError,
    403: e.PermissionDeniedError,
    404: e.NotFoundError,
    409: e.ConflictError,
    422: e.UnprocessableEntityError,
}


@dataclass(frozen=True, slots=True)
class RateLimitInfo:
    """What the server said of the rate limit in `X-RateLimit-*` headers."""

    limit: int | None
    remaining: int | None
    reset: float | None  # seconds until the window frees a slot


def reset_seconds(value: float | None, now: float | None = None) -> float | None:
    """`X-RateLimit-Reset` as seconds from now, whether sent as seconds or as a Unix time."""
    if value is None or value <= UNIX_TIME_THRESHOLD:
        return value
    return max(0.0, value - (time.time() if now is None else now))


def _number(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        number = float(value.strip())
    except ValueError:
        return None
    return number if number >= 0 and number == number and number != float("inf") else None


def rate_limit_info(headers: Mapping[str, str]) -> RateLimitInfo:
    limit, remaining = (
        _number(headers.get("x-ratelimit-limit")),
        _number(headers.get("x-ratelimit-remaining")),
    )
    return RateLimitInfo(
        limit=None if limit is None else int(limit),
        remaining=None if remaining is None else int(remaining),
        reset=reset_seconds(_number(headers.get("x-ratelimit-reset"))),
    )


def retry_after(
    headers: Mapping[str, str], now: dt.datetime | None = None, *, reset: bool = True
) -> float | None:
    """Seconds the server asks us to wait: `Retry-After` (seconds or HTTP date), else (with
    `reset`, for a 429) `X-RateLimit-Reset`."""
    value = headers.get("retry-after")
    if value is not None:
        seconds = _number(value)
        if seconds is not None:
            return seconds
        import email.utils

        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            when = None
        if when is not None:
            if when.tzinfo is None:
                when = when.replace(tzinfo=dt.UTC)
            return max(0.0, (when - (now or dt.datetime.now(dt.UTC))).total_seconds())
    if not reset:
        return None
    seconds = reset_seconds(_number(headers.get("x-ratelimit-reset")))
    # A reset is believed for one window at most: one in milliseconds or far ahead would
    # otherwise lock the bucket for years (Retry-After, an explicit ask, is taken as sent).
    return None if seconds is None else min(seconds, longest_window())


@functools.cache
def longest_window() -> float:
    """The longest rate-limit window the spec states (`x-rate-limit`), in seconds."""
    return max(op.rate_limit.window_seconds for op in _spec.operations().values())


def is_retryable_status(status: int, headers: Mapping[str, str]) -> bool:
    hint = headers.get("x-should-retry")
    if hint == "true":
        return True
    if hint == "false":
        return False
    return status in RETRYABLE_STATUSES or status >= 500


def backoff(attempt: int, rand: Callable[[], float] = random.random) -> float:
    """Exponential backoff with jitter: 0.5 s doubling to 8 s, each wait drawn from 75-100%."""
    base = min(MAX_RETRY_DELAY, INITIAL_RETRY_DELAY * 2.0**attempt)
    return base * (1.0 - 0.25 * rand())


@dataclass(frozen=True, slots=True)
class Retry:
    """Retry after `delay` seconds."""

    delay: float


def decide_response(
    response: httpx.Response,
    *,
    attempt: int,
    max_retries: int,
    max_wait: float = DEFAULT_MAX_RETRY_WAIT,
    rand: Callable[[], float] = random.random,
) -> Retry | None:
    """None to accept the response (success or final error); Retry to try again.

    Rate-limit headers say when only on a 429: on a 5xx or 408 they describe the budget, not
    the failure (a gateway may send `X-RateLimit-Reset: 0` on every 500), so those back off
    exponentially unless `Retry-After` says otherwise."""
    status = response.status_code
    if status < 400 or attempt >= max_retries or not is_retryable_status(status, response.headers):
        return None
    asked = retry_after(response.headers, reset=status == 429)
    if asked is None:
        return Retry(backoff(attempt, rand))
    if asked > max_wait:
        return None  # too long to sleep through: the caller gets the error and decides
    return Retry(asked)


def wait_error(request: httpx.Request, seconds: float, max_wait: float) -> e.RateLimitError:
    """A pacing wait longer than the client may sleep: raised before anything is sent. Its
    `response` is a stand-in 429 for `request` (nothing was sent); `retry_after` is the time
    left until the rate limit frees a slot."""
    message = (
        f"Rate limit: the next request may leave in {seconds:.1f} s, longer than "
        f"max_retry_wait ({max_wait:g} s); nothing was sent"
    )
    response = httpx.Response(
        429, headers={"retry-after": str(math.ceil(seconds))}, request=request
    )
    return e.RateLimitError(message, response=response, body=None, retry_after=seconds)


def decide_transport_error(
    *, attempt: int, max_retries: int, rand: Callable[[], float] = random.random
) -> Retry | None:
    return Retry(backoff(attempt, rand)) if attempt < max_retries else None


def transport_error(exc: httpx.TransportError, request: httpx.Request) -> e.APIConnectionError:
    """The error for a request that got no full answer; its message names the host, the port
    and the cause (`cannot connect to api.example:443: DNS lookup failed (...)`)."""
    message = describe_transport_error(exc, request)
    if isinstance(exc, httpx.TimeoutException):
        return e.APITimeoutError(message, request=request)
    return e.APIConnectionError(message, request=request)


def excerpt(content: bytes, size: int = 200) -> str:
    text = content[:size].decode("utf-8", "replace")
    return text + ("..." if len(content) > size else "")


def _error_body(response: httpx.Response) -> JSON:
    try:
        body: JSON = json.loads(response.content)
        return body
    except ValueError:
        return excerpt(response.content) or None


def status_error(response: httpx.Response) -> e.APIStatusError:
    """The typed exception for an error status, whatever the body (JSON, HTML, text, nothing)."""
    status = response.status_code
    body = _error_body(response)
    server_message = body.get("message") if isinstance(body, dict) else None
    if not isinstance(server_message, str):
        server_message = body if isinstance(body, str) else response.reason_phrase
    message = f"Error code: {status} - {server_message}"
    request_id = response.headers.get("x-request-id")
    if request_id:
        message += f" (request id {request_id})"
    if status == 429:
        wait = retry_after(response.headers)
        return e.RateLimitError(message, response=response, body=body, retry_after=wait)
    cls = _STATUS_ERRORS.get(status)
    if cls is None:
        cls = e.InternalServerError if status >= 500 else e.APIStatusError
    return cls(message, response=response, body=body)


def validation_error(response: httpx.Response, reason: str) -> e.APIResponseValidationError:
    request_id = response.headers.get("x-request-id")
    message = f"Invalid response body (status {response.status_code}"
    message += f", request id {request_id}): {reason}" if request_id else f"): {reason}"
    return e.APIResponseValidationError(
        message, response=response, excerpt=excerpt(response.content), reason=reason
    )
