"""The SDK's log lines (the `scopix` logger) on the CLI's stderr console: -v, -vv, SCOPIX_LOG;
without them, one notice per wait of 2 s or more (pacing, or before a retry), unless --quiet."""

from __future__ import annotations

import http
import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rich.console import Console

__all__ = ["NOTICE_SECONDS", "Notices", "logging_to"]

NOTICE_SECONDS = 2.0
sdk_log = logging.getLogger("scopix")

# The SDK's own lines that tell of an attempt and of a wait (scopix/_logs.py and the limiters).
# Their texts are matched here; tests/cli/test_waits.py fails if they change.
_RESPONSE = "%s %s -> %d in %.0f ms (attempt %d, rate-limit remaining %s, request id %s)"
_FAILURE = "%s %s -> %s (attempt %d)"
_RETRY = "retrying in %.2f s"
_PACING = ("waiting %.1f s for the %r rate limit", "waiting %.1f s for the %r rate limit (Redis)")


class _ConsoleHandler(logging.Handler):
    """One plain line per record through the rich console (so it stays above a progress bar)."""

    _scopix_env = True  # the SDK's SCOPIX_LOG setup sees a handler in place and adds none

    def __init__(self, console: Console) -> None:
        super().__init__()
        self.console = console
        self.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record)
            self.console.print(line, markup=False, highlight=False, soft_wrap=True, style="dim")
        except Exception:
            self.handleError(record)


class Notices(logging.Handler):
    """Says in one line what the client waits for, when it waits `NOTICE_SECONDS` or more:
    `Waiting 4.0 s to retry GET /v1/usage/breakdown after 429 Too Many Requests (attempt 2 of
    3)`, `Waiting 12.3 s for the rate limit of usage requests`. Other records are dropped."""

    _scopix_env = True

    def __init__(self, console: Console) -> None:
        super().__init__(logging.INFO)
        self.console = console
        self.max_retries: int | None = None  # the client's, once it is made
        self._last = threading.local()  # this thread's latest attempt: (request, outcome, n)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self._notice(record)
            if line is not None:
                self.console.print(line, markup=False, highlight=False, soft_wrap=True)
        except Exception:
            self.handleError(record)

    def _notice(self, record: logging.LogRecord) -> str | None:
        args: tuple[Any, ...] = record.args if isinstance(record.args, tuple) else ()
        if record.msg == _RESPONSE:
            method, path, status, _, attempt, *_ = args
            self._last.attempt = (f"{method} {path}", _status(int(status)), int(attempt))
        elif record.msg == _FAILURE:
            method, path, error, attempt = args
            self._last.attempt = (f"{method} {path}", str(error), int(attempt))
        elif record.msg == _RETRY and float(args[0]) >= NOTICE_SECONDS:
            return self._retry_notice(float(args[0]))
        elif record.msg in _PACING and float(args[0]) >= NOTICE_SECONDS:
            return f"Waiting {float(args[0]):.1f} s for the rate limit of {args[1]} requests"
        return None

    def _retry_notice(self, delay: float) -> str:
        last = getattr(self._last, "attempt", None)
        if last is None:
            return f"Waiting {delay:.1f} s to retry"
        request, outcome, attempt = last
        of = f" of {self.max_retries + 1}" if self.max_retries is not None else ""
        return (
            f"Waiting {delay:.1f} s to retry {request} after {outcome} (attempt {attempt + 1}{of})"
        )


def _status(code: int) -> str:
    try:
        return f"{code} {http.HTTPStatus(code).phrase}"
    except ValueError:
        return str(code)


@contextmanager
def logging_to(console: Console, verbose: int | None, *, quiet: bool = False) -> Iterator[Notices]:
    """-v: one line per request (INFO), -vv: also retries (DEBUG); else as SCOPIX_LOG says; else,
    unless `quiet`, the notices of long waits. The lines go through `console`; the previous
    logger setup is back afterwards. Yields the notices (set their `max_retries`)."""
    env = os.environ.get("SCOPIX_LOG", "").strip().upper()
    notices = Notices(console)
    handler: logging.Handler
    if verbose:
        level, handler = logging.DEBUG if verbose > 1 else logging.INFO, _ConsoleHandler(console)
    elif env in ("DEBUG", "INFO"):
        level, handler = logging.getLevelName(env), _ConsoleHandler(console)
    elif not quiet:
        level, handler = logging.INFO, notices  # the records a notice is made of are INFO
    else:
        yield notices
        return
    previous = sdk_log.level
    sdk_log.addHandler(handler)
    sdk_log.setLevel(level)
    try:
        yield notices
    finally:
        sdk_log.removeHandler(handler)
        sdk_log.setLevel(previous)
