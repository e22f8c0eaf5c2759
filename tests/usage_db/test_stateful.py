"""Hypothesis drives a live sandbox and a sync with any mix of steps (the account used, events
arriving late inside the lag, syncs with any page size, syncs stopped after a few pages) and
checks the invariant after each: every row in the database is the API's row for that id, and a
completed sync leaves nothing of its window out. SQLite and a real PostgreSQL."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from scopix import SyncScopix
from scopix.usage_db import PageProgress, sync_usage
from scopix_sandbox.server import Sandbox
from tests.usage_db.conftest import MakeUrl, expected, query, table_rows

LAG = dt.timedelta(minutes=10)
SETTINGS = settings(
    max_examples=6,
    stateful_step_count=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


class Stop(Exception):
    """Ends a sync after some pages, as a crash would (the pages before it are committed)."""


def test_syncs_keep_the_database_equal_to_the_api(
    client: SyncScopix, live_sandbox: Sandbox, new_url: MakeUrl
) -> None:
    markers = itertools.count(1)

    class Sync(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.url = new_url()
            self.late: dict[float, bool] = {}  # late events (by their latency): came mid-run?
            self.under_way: set[float] | None = None  # late events that came during a run

        @rule(n=st.integers(1, 40))
        def use_the_account(self, n: int) -> None:
            for _ in range(n):  # every request is recorded: n new events, stamped now
                client.usage.get_breakdown()

        @rule(ago=st.integers(0, int(LAG.total_seconds()) - 5))
        def an_event_arrives_late(self, ago: int) -> None:
            marker = 1000.0 + next(markers)
            when = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=ago)

            def add(app: Any) -> None:
                key = app.store.keys["key_01"]
                app.store.record(int(when.timestamp() * 1e6), key, "/v1/search", "GET", 200, marker)
                app.store.flush()

            live_sandbox.call(add)
            if self.under_way is not None:
                self.under_way.add(marker)

        @rule(page=st.sampled_from([7, 30, 100]), stop_after=st.none() | st.integers(1, 4))
        def sync(self, page: int, stop_after: int | None) -> None:
            def on_page(progress: PageProgress) -> None:
                if stop_after is not None and progress.pages >= stop_after:
                    raise Stop

            try:
                report = sync_usage(client, self.url, page_size=page, lag=LAG, on_page=on_page)
            except Stop:
                if self.under_way is None and self.run_under_way():
                    self.under_way = set()
                return
            events = report.kinds["events"]
            assert events.complete
            assert events.watermark is not None
            # Nothing of the window is left out, but late events that came while the run was
            # under way and behind its position (the next run's lag covers those).
            listing = expected(client, "events", end_date=events.watermark)
            missing = listing.keys() - table_rows(self.url, "events").keys()
            allowed = self.under_way or set()
            assert {listing[i]["latency_ms"] for i in missing} <= allowed
            self.under_way = None
            for kind in ("files", "conversations"):
                assert table_rows(self.url, kind) == expected(client, kind)

        def run_under_way(self) -> bool:
            rows = query(self.url, "SELECT position FROM scopix_sync_state WHERE kind = 'events'")
            return bool(rows) and rows[0]["position"] is not None

        @invariant()
        def every_row_is_the_apis(self) -> None:
            try:
                rows = table_rows(self.url, "events")
            except Exception:  # no sync yet: no tables
                return
            api = expected(client, "events")
            assert {i: api.get(i) for i in rows} == rows

    run_state_machine_as_test(Sync, settings=SETTINGS)


@pytest.fixture(autouse=True)
def _quiet_sandbox(live_sandbox: Sandbox) -> None:
    """Hypothesis runs many examples on one sandbox: its counters are not what is checked."""
    live_sandbox.reset()
