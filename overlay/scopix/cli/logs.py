"""The SDK's log lines (the `scopix` logger) on the CLI's stderr console: -v, -vv, SCOPIX_LOG."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console

__all__ = ["logging_to"]

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


@contextmanager
def logging_to(console: Console, verbose: int | None) -> Iterator[None]:
    """-v: one line per request (INFO), -vv: also retries (DEBUG); else as SCOPIX_LOG says.
    The lines go through `console`; the previous logger setup is back afterwards."""
    env = os.environ.get("SCOPIX_LOG", "").strip().upper()
    if verbose:
        level = logging.DEBUG if verbose > 1 else logging.INFO
    elif env in ("DEBUG", "INFO"):
        level = logging.getLevelName(env)
    else:
        yield
        return
    handler, previous = _ConsoleHandler(console), sdk_log.level
    sdk_log.addHandler(handler)
    sdk_log.setLevel(level)
    try:
        yield
    finally:
        sdk_log.removeHandler(handler)
        sdk_log.setLevel(previous)
