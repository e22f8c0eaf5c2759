"""The two flavours of a sync: the same steps, the pages fetched with `for` or `async for`,
the database's work done in a worker thread by the async one (so the event loop keeps going)."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable

from anyio.to_thread import run_sync as to_thread

from .. import Scopix, SyncScopix
from ._database import Database
from ._engine import KindRun, Options, open_database
from ._plan import (
    DEFAULT_LAG,
    LARGEST_PAGE,
    check_kinds,
    check_lag,
    check_page_size,
    check_since,
)
from ._report import PageProgress, SyncReport
from ._state import Scope, key_digest
from ._url import DEFAULT_URL, parse_url

__all__ = ["async_sync_usage", "sync_usage"]

OnPage = Callable[[PageProgress], object]


def _scope(client: SyncScopix | Scopix) -> Scope:
    # The SDK has no public accessor for the client's key; only its digest is kept.
    return Scope(key_digest(client._config.api_key), client.base_url)


def _prepare(
    client: SyncScopix | Scopix,
    kinds: str | Iterable[str],
    since: dt.date | dt.datetime | None,
    lag: dt.timedelta | float,
    page_size: int,
) -> tuple[list[str], Options, Scope]:
    """Every argument checked before the database is touched."""
    options = Options(check_since(since), check_lag(lag), check_page_size(page_size))
    return check_kinds(kinds), options, _scope(client)


def sync_usage(
    client: SyncScopix,
    database_url: str = DEFAULT_URL,
    *,
    kinds: str | Iterable[str] = "all",
    since: dt.date | dt.datetime | None = None,
    lag: dt.timedelta | float = DEFAULT_LAG,
    page_size: int = LARGEST_PAGE,
    lock_wait: float = 0.0,
    on_page: OnPage | None = None,
) -> SyncReport:
    """Sync the account's usage into `database_url` (SQLite file or PostgreSQL), incrementally
    and exactly once: each page's rows and the position after it are committed together, so a
    run stopped anywhere goes on where it stopped next time. Returns what it did."""
    names, options, scope = _prepare(client, kinds, since, lag, page_size)
    report, started = SyncReport(parse_url(database_url).shown), time.monotonic()
    db = open_database(database_url, lock_wait)
    try:
        for kind in names:
            run = KindRun(db, kind, scope, options)
            while run.walk_again():
                pager = getattr(client.usage, run.listing)(**run.pager_args())
                for page in pager.pages():
                    progress = run.take(page, pager.position)
                    if progress is not None and on_page is not None:
                        on_page(progress)
                    if not run.walking:
                        break
                pager.close()
            report.kinds[kind] = run.finish()
    finally:
        db.close()
    report.elapsed = time.monotonic() - started
    return report


async def async_sync_usage(
    client: Scopix,
    database_url: str = DEFAULT_URL,
    *,
    kinds: str | Iterable[str] = "all",
    since: dt.date | dt.datetime | None = None,
    lag: dt.timedelta | float = DEFAULT_LAG,
    page_size: int = LARGEST_PAGE,
    lock_wait: float = 0.0,
    on_page: OnPage | None = None,
) -> SyncReport:
    """`sync_usage` for the async client (asyncio or trio): the same steps and guarantees; the
    database is written from a worker thread. Cancelled in the middle of a page, the page's
    transaction still ends (committed or not) before the cancellation goes on."""
    names, options, scope = _prepare(client, kinds, since, lag, page_size)
    report, started = SyncReport(parse_url(database_url).shown), time.monotonic()
    db: Database = await to_thread(open_database, database_url, lock_wait)
    try:
        for kind in names:
            run = await to_thread(KindRun, db, kind, scope, options)
            while run.walk_again():
                pager = getattr(client.usage, run.listing)(**run.pager_args())
                async for page in pager.pages():
                    progress = await to_thread(run.take, page, pager.position)
                    if progress is not None and on_page is not None:
                        on_page(progress)
                    if not run.walking:
                        break
                await pager.aclose()
            report.kinds[kind] = run.finish()
    finally:
        db.close()  # here, not in a thread: it must run even when the task is cancelled
    report.elapsed = time.monotonic() - started
    return report
