"""The SDK's log lines, on the `scopix` logger. `SCOPIX_LOG=debug|info` prints them to stderr.

No line ever holds a header: the API key travels in one.
"""

from __future__ import annotations

import logging
import os

import httpx

from ._policy import rate_limit_info
from ._ratelimit import LOG_WAIT_SECONDS

__all__ = ["configure_from_env", "failure", "log", "response", "retry"]

log = logging.getLogger("scopix")


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


def response(request: httpx.Request, response: httpx.Response, attempt: int) -> None:
    if not log.isEnabledFor(logging.INFO):
        return
    remaining = rate_limit_info(response.headers).remaining
    log.info(
        "%s %s -> %d in %.0f ms (attempt %d, rate-limit remaining %s, request id %s)",
        request.method,
        request.url.path,
        response.status_code,
        response.elapsed.total_seconds() * 1000,
        attempt + 1,
        "?" if remaining is None else remaining,
        response.headers.get("x-request-id", "?"),
    )


def failure(request: httpx.Request, exc: Exception, attempt: int) -> None:
    if log.isEnabledFor(logging.INFO):
        path = request.url.path
        log.info("%s %s -> %s (attempt %d)", request.method, path, type(exc).__name__, attempt + 1)


def retry(delay: float) -> None:
    """A retry's wait: at INFO when over a second (a caller sees that as a stall), else DEBUG."""
    level = logging.INFO if delay > LOG_WAIT_SECONDS else logging.DEBUG
    if log.isEnabledFor(level):
        log.log(level, "retrying in %.2f s", delay)
