"""The SDK's log lines (the `scopix` logger) on the CLI's stderr console: -v, -vv, SCOPIX_LOG;
without them, one notice per wait of 2 s or more (pacing, or before a retry), unless --quiet."""

from __future__ import annotations

import http
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console

__all__ = ["NOTICE_SECONDS", "Notices", "logging_to"]

NOTICE_SECONDS = 2.0
sdk_log = logging.getLogger("scopix")


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
    3)`, `Waiting 12.3 s for the rate limit of usage requests`. Made from the fields of the
    SDK's wait records (scopix/_logs.py), not from their text; other records are dropped."""

    _scopix_env = True

    def __init__(self, console: Console) -> None:
        super().__init__(logging.INFO)
        self.console = console

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = _notice(record)
            if line is not None:
                self.console.print(line, markup=False, highlight=False, soft_wrap=True)
        except Exception:
            self.handleError(record)


def _notice(record: logging.LogRecord) -> str | None:
    fields = vars(record)
    seconds = fields.get("wait_seconds")
    if fields.get("scopix_event") != "wait" or seconds is None or seconds < NOTICE_SECONDS:
        return None
    if fields.get("reason") == "rate_limit":
        return f"Waiting {seconds:.1f} s for the rate limit of {fields.get('bucket')} requests"
    status = fields.get("status_code")
    outcome = _status(status) if status is not None else fields.get("error")
    return (
        f"Waiting {seconds:.1f} s to retry {fields.get('method')} {fields.get('path')} after "
        f"{outcome} (attempt {fields.get('attempt')} of {fields.get('max_attempts')})"
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
    logger setup is back afterwards. Yields the notices."""
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
