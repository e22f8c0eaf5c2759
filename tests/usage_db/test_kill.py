"""SIGKILL a sync anywhere, then run it again: no event lost, none twice. A sync in a child
process is killed at every page boundary (it waits there for the parent), at random moments
(pages slowed by the sandbox), and, in PostgreSQL, inside a page's transaction (held on a table
lock); after each kill the database holds exactly the pages committed before it."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from scopix import SyncScopix
from scopix.usage_db import KINDS, sync_usage
from scopix_sandbox.server import Sandbox, start
from tests.usage_db.conftest import expected, query, table_rows

CHILD = Path(__file__).with_name("sync_child.py")
PAGE = 40


@pytest.fixture(scope="module")
def still_sandbox() -> Iterator[Sandbox]:
    """The data does not move (served requests not recorded): every kill is checked against one
    listing."""
    sb = start(events=300, rate_limit=False, record_requests=False, validate_responses=True)
    yield sb
    sb.stop()


@pytest.fixture
def client(still_sandbox: Sandbox) -> Iterator[SyncScopix]:
    with SyncScopix(
        api_key=still_sandbox.api_key, base_url=still_sandbox.base_url, pacing=False
    ) as c:
        yield c


def child(url: str, sb: Sandbox, *, step: bool) -> subprocess.Popen[str]:
    """A sync in a child process, once it is about to start."""
    args = [sys.executable, str(CHILD), url, sb.base_url, str(PAGE)] + (["--step"] if step else [])
    proc = subprocess.Popen(
        args,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "SCOPIX_API_KEY": sb.api_key},
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    return proc


def assert_committed_prefix(url: str, order: dict[str, list[str]]) -> None:
    """Each table holds exactly the listing's items before the position its state committed."""
    for kind, keys in order.items():
        count = committed(url, kind)
        count = len(keys) if count < 0 else count
        try:
            rows = table_rows(url, kind)
        except Exception:  # killed before it made the tables
            rows = {}
        assert sorted(rows) == sorted(keys[:count]), kind


def kill(proc: subprocess.Popen[str]) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    for stream in (proc.stdin, proc.stdout):
        if stream is not None:
            stream.close()


def listings(client: SyncScopix) -> dict[str, list[str]]:
    """Each kind's keys in listing order (the order pages are committed in)."""
    return {kind: list(expected(client, kind)) for kind in KINDS}


def committed(url: str, kind: str) -> int:
    """How many items of the listing the state says are in: up to its position; -1: all."""
    sql = f"SELECT position, runs_completed FROM scopix_sync_state WHERE kind = '{kind}'"
    try:
        rows = query(url, sql)
    except Exception:  # no database or tables yet
        return 0
    if not rows:
        return 0
    [state] = rows
    if state["position"] is not None:
        offset: int = state["position"]["offset"]
        return offset
    return -1 if state["runs_completed"] else 0


def assert_complete(client: SyncScopix, url: str, order: dict[str, list[str]]) -> None:
    for kind, keys in order.items():
        rows = table_rows(url, kind)
        assert list(rows) == list(dict.fromkeys(rows))  # keys are unique by construction
        assert sorted(rows) == sorted(keys)
        assert rows == expected(client, kind)


def test_a_kill_at_every_page_boundary_loses_and_repeats_nothing(
    client: SyncScopix, still_sandbox: Sandbox, url: str
) -> None:
    order = listings(client)
    kills = 0
    while True:  # each child resumes, commits one new page, and is killed at that boundary
        complete = {kind for kind in order if committed(url, kind) < 0}
        proc = child(url, still_sandbox, step=True)
        assert proc.stdout is not None
        assert proc.stdin is not None
        while (line := proc.stdout.readline().strip()) and line != "done":
            if json.loads(line)["kind"] not in complete:
                break
            proc.stdin.write("\n")  # a kind synced already (its incremental page): go on
            proc.stdin.flush()
        if line in ("done", ""):
            proc.wait(30)
            break
        kill(proc)
        kills += 1
        for kind, keys in order.items():  # exactly the items before the committed position
            count = committed(url, kind)
            assert sorted(table_rows(url, kind)) == sorted(
                keys[: len(keys) if count < 0 else count]
            )
    pages = sum(len(keys) // PAGE + 1 for keys in order.values())
    assert kills >= pages - len(KINDS)
    assert_complete(client, url, order)


def test_kills_at_random_moments_lose_and_repeat_nothing(
    client: SyncScopix, still_sandbox: Sandbox, url: str
) -> None:
    order = listings(client)
    still_sandbox.set_faults(latency_ms=(2, 15), seed=11)  # pages take a while: kills land anywhere
    rng = random.Random(2026)
    try:
        for _ in range(12):
            proc = child(url, still_sandbox, step=False)
            time.sleep(rng.uniform(0.0, 0.5))  # the kill lands anywhere in the run
            if proc.poll() is not None:
                break
            kill(proc)
            assert_committed_prefix(url, order)
    finally:
        still_sandbox.set_faults()
    sync_usage(client, url, page_size=PAGE)
    assert_complete(client, url, order)


@pytest.mark.parametrize("dialect", ["postgresql"])
@pytest.mark.parametrize("locked", ["usage_events", "scopix_sync_state"])
def test_a_kill_inside_a_page_transaction_leaves_no_trace(
    client: SyncScopix, still_sandbox: Sandbox, url: str, locked: str
) -> None:
    """Held before its rows are written (usage_events locked), or after they are and before the
    state is (scopix_sync_state locked): killed there, the page leaves nothing."""
    import psycopg

    order = listings(client)
    sync_usage(client, url, kinds="files")  # the tables exist; events not synced yet
    with psycopg.connect(url) as holder:
        holder.execute(f"LOCK TABLE {locked} IN EXCLUSIVE MODE")  # reads pass, writes wait
        proc = child(url, still_sandbox, step=False)
        backend = wait_for_blocked_sync(url)
        kill(proc)
        holder.rollback()  # the lock goes; the killed sync's transaction can only roll back
    wait_until_gone(url, backend)
    assert table_rows(url, "events") == {}
    # Neither the page's rows nor a state for it: the run had not committed anything.
    assert query(url, "SELECT * FROM scopix_sync_state WHERE kind = 'events'") == []
    sync_usage(client, url, page_size=PAGE)
    assert_complete(client, url, order)


def wait_for_blocked_sync(url: str) -> int:
    """The server process of a sync waiting on a lock inside its page transaction."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        rows = query(
            url,
            "SELECT pid FROM pg_stat_activity WHERE application_name = 'scopix usage sync' "
            "AND wait_event_type = 'Lock' AND state = 'active'",
        )
        if rows:
            pid: int = rows[0]["pid"]
            return pid
    raise AssertionError("the sync never waited inside its transaction")


def wait_until_gone(url: str, backend: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if not query(url, f"SELECT 1 FROM pg_stat_activity WHERE pid = {backend}"):
            return
    raise AssertionError(f"server process {backend} outlived its killed client")
