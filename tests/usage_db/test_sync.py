"""A sync against the sandbox, into SQLite and a real PostgreSQL: what lands in the tables is
what an independent listing of the API says, runs after the first fetch only what is new, late
events inside the lag are picked up, and a stopped run goes on where it stopped."""

from __future__ import annotations

import asyncio
import datetime as dt
import math
import threading
import time
from typing import Any

import pytest
import trio

from scopix import Scopix, SyncScopix
from scopix.usage_db import (
    KINDS,
    LARGEST_PAGE,
    DatabaseUnavailableError,
    PageProgress,
    SchemaVersionError,
    SyncLockedError,
    SyncReport,
    async_sync_usage,
    sync_usage,
)
from scopix_sandbox.server import Sandbox
from tests.openapi import spec
from tests.usage_db.conftest import (
    MakeUrl,
    details_requests,
    execute,
    expected,
    query,
    record_event,
    table_rows,
)

PAGE = 50
HOUR = dt.timedelta(hours=1)


def pages_for(n: int) -> int:
    """Requests a walk of n items takes: a short page ends it, a full last one needs one more."""
    return math.ceil(n / PAGE) + (n % PAGE == 0)


def assert_synced(client: SyncScopix, url: str, end: dt.datetime) -> None:
    """Every table equals the API's listing (events up to the window's end): ids and fields."""
    assert table_rows(url, "events") == expected(client, "events", end_date=end)
    for kind in ("files", "conversations"):
        assert table_rows(url, kind) == expected(client, kind)


def events_of(report: SyncReport) -> Any:
    events = report.kinds["events"]
    assert events.watermark is not None
    return events


def test_the_default_page_is_the_largest_the_spec_allows() -> None:
    params = spec()["paths"]["/v1/usage/details"]["get"]["parameters"]
    [limit] = [p for p in params if p.get("name") == "limit"]
    assert limit["schema"]["maximum"] == LARGEST_PAGE


def test_a_first_sync_equals_an_independent_listing(client: SyncScopix, url: str) -> None:
    events = events_of(sync_usage(client, url, page_size=PAGE))
    assert events.complete
    assert events.window_start is None
    listing = expected(client, "events", end_date=events.watermark)
    assert events.rows_inserted == len(listing) > 300
    assert events.pages == pages_for(len(listing))
    assert_synced(client, url, events.watermark)
    # Nothing left to resume; the state says where the next run starts, and holds no key.
    state = query(url, "SELECT * FROM scopix_sync_state ORDER BY kind")
    assert [s["kind"] for s in state] == ["conversations", "events", "files"]
    assert all(s["position"] is None for s in state)
    assert all(s["runs_completed"] == 1 for s in state)
    assert {s["base_url"] for s in state} == {client.base_url}
    assert all(client._config.api_key not in str(s) for s in state)


def test_the_next_run_fetches_only_the_new_pages(
    client: SyncScopix, url: str, live_sandbox: Sandbox
) -> None:
    first = events_of(sync_usage(client, url, page_size=PAGE))
    for _ in range(130):  # each served request is recorded as a new usage event
        client.usage.get_breakdown()
    live_sandbox.reset()  # the request counters from zero
    second = events_of(sync_usage(client, url, page_size=PAGE))
    stats = live_sandbox.stats()["by_operation"]
    new = expected(client, "events", start_date=first.watermark, end_date=second.window_end)
    assert len(new) >= 130
    assert stats["get_details"] == second.pages <= math.ceil(len(new) / PAGE) + 2
    assert second.rows_inserted >= 130
    assert second.rows_updated == 0
    assert_synced(client, url, second.window_end)
    # Files and conversations did not change: one page each shows it.
    assert stats["get_file_tokens"] == stats["get_conversation_tokens"] == 1


def test_late_events_inside_the_lag_are_picked_up(
    client: SyncScopix, url: str, live_sandbox: Sandbox
) -> None:
    lag = dt.timedelta(minutes=30)
    first = events_of(sync_usage(client, url, page_size=PAGE, lag=lag))
    record_event(live_sandbox, first.watermark - dt.timedelta(minutes=10))  # inside the lag
    record_event(live_sandbox, first.watermark - dt.timedelta(minutes=50))  # older: outside it
    listing = expected(client, "events", end_date=first.watermark)
    late = listing.keys() - table_rows(url, "events").keys()
    inside, outside = sorted(late, key=lambda i: listing[i]["timestamp"], reverse=True)
    second = events_of(sync_usage(client, url, page_size=PAGE, lag=lag))
    assert second.window_start == first.watermark - lag
    ids = table_rows(url, "events").keys()
    assert inside in ids
    assert outside not in ids  # the lag is how late an event may come


def test_a_stopped_run_goes_on_where_it_stopped(
    client: SyncScopix, url: str, live_sandbox: Sandbox
) -> None:
    def stop_after_three(progress: PageProgress) -> None:
        if progress.pages == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        sync_usage(client, url, page_size=PAGE, on_page=stop_after_three)
    assert len(table_rows(url, "events")) == 3 * PAGE
    [state] = query(url, "SELECT * FROM scopix_sync_state")
    assert state["position"]["offset"] == 3 * PAGE
    assert state["run_end"] is not None
    live_sandbox.reset()
    report = events_of(sync_usage(client, url, kinds="events", page_size=PAGE))
    requests = details_requests(live_sandbox)
    assert report.resumed
    assert report.restarts == 0
    assert report.window_end == state["run_end"]  # the interrupted run's snapshot
    total = len(expected(client, "events", end_date=state["run_end"]))
    assert report.rows_inserted == total - 3 * PAGE
    # From one item before the committed position: the check of the last item, then the rest.
    assert requests == pages_for(total - 3 * PAGE + 1)
    assert table_rows(url, "events") == expected(client, "events", end_date=state["run_end"])


def test_a_resume_walks_again_when_the_listing_moved_under_it(
    client: SyncScopix, url: str, live_sandbox: Sandbox
) -> None:
    def stop_after_two(progress: PageProgress) -> None:
        if progress.pages == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        sync_usage(client, url, kinds="events", page_size=PAGE, on_page=stop_after_two)
    [state] = query(url, "SELECT * FROM scopix_sync_state")
    # More late events than a page, newer than everything committed: the last committed item
    # moves further down than the overlapping first page reaches.
    for i in range(PAGE + 5):
        record_event(live_sandbox, state["run_end"] - dt.timedelta(seconds=1 + i))
    report = events_of(sync_usage(client, url, kinds="events", page_size=PAGE))
    assert report.resumed
    assert report.restarts == 1
    assert report.complete
    assert table_rows(url, "events") == expected(client, "events", end_date=state["run_end"])


def test_both_flavours_write_the_same_rows(
    client: SyncScopix, live_sandbox: Sandbox, new_url: MakeUrl
) -> None:
    sync_url, asyncio_url, trio_url = new_url(), new_url(), new_url()
    end = dt.datetime.now(dt.UTC)

    async def run(url: str) -> None:
        key, base = live_sandbox.api_key, live_sandbox.base_url
        async with Scopix(api_key=key, base_url=base, pacing=False) as c:
            await async_sync_usage(c, url, page_size=PAGE)

    asyncio.run(run(asyncio_url))
    trio.run(run, trio_url)
    sync_usage(client, sync_url, page_size=PAGE)
    for kind in KINDS:
        rows = [table_rows(u, kind) for u in (sync_url, asyncio_url, trio_url)]
        if kind == "events":  # each run also sees the requests of those before it
            rows = [{i: r for i, r in run.items() if r["timestamp"] < end} for run in rows]
        assert rows[0]
        assert rows[0] == rows[1] == rows[2]


def test_accounts_and_keys_share_one_database(live_sandbox: Sandbox, url: str) -> None:
    keys, ends = live_sandbox.api_keys, {}
    for key_id in ("key_01", "key_04", "key_02"):  # key_02 is of key_01's account
        with SyncScopix(api_key=keys[key_id], base_url=live_sandbox.base_url, pacing=False) as c:
            ends[key_id] = events_of(sync_usage(c, url, kinds="events")).watermark
    state = query(url, "SELECT key_digest FROM scopix_sync_state")
    assert len({s["key_digest"] for s in state}) == 3
    rows = table_rows(url, "events")
    for key_id in ("key_01", "key_04"):
        with SyncScopix(api_key=keys[key_id], base_url=live_sandbox.base_url, pacing=False) as c:
            listing = expected(c, "events", end_date=ends[key_id])
        assert listing
        assert {i: rows[i] for i in listing} == listing


def test_a_second_sync_at_once_is_refused_naming_the_holder(client: SyncScopix, url: str) -> None:
    refusals: list[str] = []

    def second_sync(progress: PageProgress) -> None:
        if progress.pages == 1 and progress.kind == "events":
            with pytest.raises(SyncLockedError) as caught:
                sync_usage(client, url)
            refusals.append(str(caught.value))

    sync_usage(client, url, page_size=PAGE, on_page=second_sync)
    [message] = refusals
    assert "another scopix usage sync is writing to" in message
    assert "process" in message
    assert "since" in message
    [state] = query(url, "SELECT runs_completed FROM scopix_sync_state WHERE kind = 'events'")
    assert state["runs_completed"] == 1  # the refused one did not run


def test_a_second_sync_with_a_lock_wait_runs_after_the_first(
    client: SyncScopix, url: str, dialect: str
) -> None:
    results: list[SyncReport] = []
    threads: list[threading.Thread] = []

    def start_second(progress: PageProgress) -> None:
        if progress.pages == 1 and not threads:
            thread = threading.Thread(
                target=lambda: results.append(sync_usage(client, url, kinds="events", lock_wait=60))
            )
            thread.start()
            threads.append(thread)
            if dialect == "postgresql":
                wait_for_lock_waiter(url)

    first = events_of(sync_usage(client, url, kinds="events", page_size=PAGE, on_page=start_second))
    threads[0].join(60)
    [second] = results
    # It read from the first one's watermark: it ran after it, not beside it.
    assert events_of(second).window_start == first.watermark - HOUR


def wait_for_lock_waiter(url: str) -> None:
    """Until PostgreSQL shows a session waiting for the advisory lock."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if query(url, "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"):
            return
    raise AssertionError("no session waited for the sync lock")


def test_a_newer_schema_is_refused_and_left_alone(client: SyncScopix, url: str) -> None:
    sync_usage(client, url, kinds="files")
    execute(url, "UPDATE scopix_schema SET version = 99")
    before = query(url, "SELECT * FROM scopix_sync_state")
    with pytest.raises(SchemaVersionError, match="schema version 99, newer than this SDK's 1"):
        sync_usage(client, url)
    assert query(url, "SELECT * FROM scopix_sync_state") == before


def test_tables_scopix_did_not_make_are_refused(client: SyncScopix, url: str) -> None:
    execute(url, "CREATE TABLE usage_events (id TEXT)")
    with pytest.raises(DatabaseUnavailableError, match="usage_events that scopix did not make"):
        sync_usage(client, url)
    assert query(url, "SELECT COUNT(*) AS n FROM usage_events") == [{"n": 0}]
    assert not query(url, "SELECT 1 FROM usage_events")


def test_a_conversation_that_grew_is_updated_in_place(
    client: SyncScopix, url: str, live_sandbox: Sandbox
) -> None:
    sync_usage(client, url, kinds="conversations")
    before = query(url, "SELECT * FROM conversation_token_usage")
    oldest = min(before, key=lambda r: r["last_message_at"])

    def new_message(app: Any) -> None:  # its latest message now: it moves to the front
        now_us = int(dt.datetime.now(dt.UTC).timestamp() * 1_000_000)
        app.store.db.execute(
            "UPDATE conversations SET message_count = message_count + 1, out_tok = out_tok + 7, "
            "last_ts = ? WHERE id = ?",
            (now_us, int(oldest["conversation_id"].removeprefix("conv_"))),
        )

    live_sandbox.call(new_message)
    live_sandbox.reset()
    report = sync_usage(client, url, kinds="conversations").kinds["conversations"]
    assert (report.rows_inserted, report.rows_updated, report.pages) == (0, 1, 1)
    assert table_rows(url, "conversations") == expected(client, "conversations")
    [after] = query(
        url,
        "SELECT * FROM conversation_token_usage "
        f"WHERE conversation_id = '{oldest['conversation_id']}'",
    )
    assert after["message_count"] == oldest["message_count"] + 1
    assert after["first_synced_at"] == oldest["first_synced_at"]
    assert after["synced_at"] > oldest["synced_at"]
    unchanged = [r for r in before if r["conversation_id"] != oldest["conversation_id"]]
    now = {r["conversation_id"]: r for r in query(url, "SELECT * FROM conversation_token_usage")}
    assert all(now[r["conversation_id"]]["synced_at"] == r["synced_at"] for r in unchanged)


def test_a_cancelled_async_sync_releases_the_database_and_resumes(
    client: SyncScopix, live_sandbox: Sandbox, url: str
) -> None:
    async def cancelled_after_two_pages() -> None:
        key, base = live_sandbox.api_key, live_sandbox.base_url
        async with Scopix(api_key=key, base_url=base, pacing=False) as c:
            with trio.CancelScope() as scope:

                def on_page(progress: PageProgress) -> None:
                    if progress.pages == 2:
                        scope.cancel()

                await async_sync_usage(c, url, kinds="events", page_size=PAGE, on_page=on_page)
            assert scope.cancelled_caught

    trio.run(cancelled_after_two_pages)
    [state] = query(url, "SELECT position, run_end FROM scopix_sync_state")
    assert state["position"]["offset"] >= 2 * PAGE  # the pages before the cancellation stay
    report = events_of(sync_usage(client, url, kinds="events", page_size=PAGE))  # not locked
    assert report.resumed
    assert table_rows(url, "events") == expected(client, "events", end_date=state["run_end"])
