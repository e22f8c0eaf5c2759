"""The export's progress bar on stderr: items, pages, the rate limit (what is left, the waits)."""

from __future__ import annotations

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from .. import RateLimitInfo
from .formats import plural

__all__ = ["Reporter"]


class Reporter:
    """The progress bar: items, pages, and the rate limit (what is left, and the waits)."""

    def __init__(self, console: Console, noun: str, *, enabled: bool) -> None:
        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("[bold]{task.description}"),
            BarColumn(bar_width=16),
            MofNCompleteColumn(),
            TextColumn("{task.fields[pages]}"),
            TextColumn("{task.fields[status]}"),
            TimeElapsedColumn(),
            console=console,
            disable=not enabled,
        )
        self.task: TaskID = self.progress.add_task(
            noun, total=None, pages=plural(0, "page"), status=""
        )
        self.pages = 0
        self.waited = 0.0
        self.rate: RateLimitInfo | None = None

    def __enter__(self) -> Reporter:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def before_page(self) -> None:
        rate = self.rate
        if rate and rate.remaining == 0 and rate.reset:
            self._status(f"waiting ~{rate.reset:.0f}s for the rate limit")

    def after_page(self, *, total: int | None, rate: RateLimitInfo, waited: float) -> None:
        self.pages += 1
        self.waited += waited
        self.rate = rate
        left = "" if rate.remaining is None else f"rate limit {rate.remaining}/{rate.limit} left"
        self.progress.update(self.task, total=total, pages=plural(self.pages, "page"))
        self._status(left + (f", waited {self.waited:.0f}s" if self.waited >= 1 else ""))

    def advance(self, done: int) -> None:
        self.progress.update(self.task, completed=done)

    def _status(self, text: str) -> None:
        self.progress.update(self.task, status=text)
