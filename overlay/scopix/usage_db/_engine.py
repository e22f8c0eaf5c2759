"""One kind's run: what to ask the pager for, what each page commits, when the run is done.
The flavours' loops (`_run`) only fetch pages and hand them here."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from enum import Enum

from .. import Page, Position
from ._database import Database
from ._errors import DatabaseURLError
from ._plan import events_window, overlap_position, reaches_floor, recency
from ._postgres import PostgresDatabase
from ._report import KindReport, PageProgress
from ._sqlite import SQLiteDatabase
from ._state import Scope
from ._tables import KINDS
from ._url import parse_url

__all__ = ["LISTINGS", "KindRun", "Options", "Step", "open_database"]

# The client.usage pager of each kind.
LISTINGS = {
    "events": "get_all_details",
    "files": "get_all_file_tokens",
    "conversations": "get_all_conversation_tokens",
}


class Step(Enum):
    CONTINUE = "continue"
    DONE = "done"  # the run is complete (committed with its last page)
    RESTART = "restart"  # the listing moved under the resumed position: walk the window again


@dataclass(frozen=True)
class Options:
    since: dt.datetime | None
    lag: dt.timedelta
    page_size: int


def open_database(url: str, lock_wait: float) -> Database:
    """The database of `url`, locked for this sync and migrated to this SDK's schema."""
    target = parse_url(url)
    db: Database
    if target.dialect == "sqlite":
        assert target.path is not None
        db = SQLiteDatabase(target.path)
    elif target.dialect == "postgresql":
        db = PostgresDatabase(target)
    else:  # pragma: no cover - parse_url knows no other
        raise DatabaseURLError(f"no driver for {target.dialect}")
    try:
        db.lock(lock_wait)
        db.migrate()
        db.check_writable()
    except BaseException:
        db.close()
        raise
    return db


class KindRun:
    def __init__(self, db: Database, kind: str, scope: Scope, options: Options) -> None:
        self.db = db
        self.table = KINDS[kind]
        self.options = options
        self.state = db.load_state(kind, scope)
        self.report = KindReport(kind, self.table.name, resumed=self.state.under_way)
        self.checking = self.state.under_way and self.state.last_id is not None
        if not self.state.under_way:
            self._plan()
        # Files and conversations: items older than this were synced by a complete run.
        self.floor = None
        if kind != "events" and self.state.watermark is not None:
            self.floor = self.state.watermark - options.lag
        self.report.window_start = self.state.run_start
        self.report.window_end = self.state.run_end
        self._walks = 0
        self._step = Step.CONTINUE
        self._asked = time.monotonic()

    def _plan(self) -> None:
        state, now = self.state, dt.datetime.now(dt.UTC)
        if self.table.kind == "events":
            state.run_start, state.run_end = events_window(
                state.watermark, self.options.since, self.options.lag, now
            )

    @property
    def listing(self) -> str:
        return LISTINGS[self.table.kind]

    def pager_args(self) -> dict[str, object]:
        """The keywords of this run's `get_all_*` call."""
        args: dict[str, object] = {"page_size": self.options.page_size}
        position = self.state.position
        if position is not None:
            args["resume_from"] = overlap_position(position) if self.checking else position
        elif self.table.kind == "events":
            args["start_date"], args["end_date"] = self.state.run_start, self.state.run_end
        return args

    def walk_again(self) -> bool:
        """Whether a (new) walk of the listing is due: the first, or after a RESTART."""
        due = self._walks == 0 or self._step is Step.RESTART
        self._walks += 1
        self._step = Step.CONTINUE
        self._asked = time.monotonic()
        return due

    @property
    def walking(self) -> bool:
        return self._step is Step.CONTINUE

    def take(self, page: Page[object], position: Position) -> PageProgress | None:
        """Commit one page: its rows and the state after it, in one transaction. Its progress,
        or None when the listing moved under a resumed position (walk again from the start)."""
        waited = max(time.monotonic() - self._asked - page.elapsed, 0.0)
        items, state, table = page.items, self.state, self.table
        if self.checking:
            self.checking = False
            if state.last_id not in [getattr(item, table.key) for item in items]:
                state.position = state.last_id = None  # walk the same window from the start
                self.report.restarts += 1
                self._step = Step.RESTART
                return None
        if table.kind != "events":  # the newest item seen: the next run's watermark
            seen = [r for item in items if (r := recency(table, item)) is not None]
            if seen:
                state.run_high = max(seen if state.run_high is None else [*seen, state.run_high])
        done = bool(position["done"]) or reaches_floor(table, items, self.floor)
        if done:
            state.complete(dt.datetime.now(dt.UTC))
            self._step = Step.DONE
        else:
            state.position = position
            if items:
                state.last_id = getattr(items[-1], table.key)
        inserted, updated = self.db.write_page(table, items, state)
        report = self.report
        report.pages += 1
        report.rows_seen += len(items)
        report.rows_inserted += inserted
        report.rows_updated += updated
        report.waited += waited
        report.complete = done
        self._asked = time.monotonic()
        return PageProgress(
            table.kind, report.pages, len(items), inserted, updated, page.total,
            page.rate_limit, waited, done,
        )  # fmt: skip

    def finish(self) -> KindReport:
        self.report.watermark = self.state.watermark
        self.report.position = self.state.position
        return self.report
