"""`scopix usage sync` as a user runs it: a process of its own, its exit status, its output; the
database checked with the test's own SQL."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from scopix import SyncScopix
from scopix_sandbox.server import Sandbox
from tests.usage_db.conftest import expected, query, table_rows

MAIN = [sys.executable, "-m", "scopix.cli"]


def scopix(
    sb: Sandbox, *args: str, cwd: Path | None = None, prefix: list[str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*(prefix or []), *MAIN, *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=cwd,
        env={**os.environ, **sb.env, "COLUMNS": "80"},
    )


def test_a_sync_then_an_incremental_one(
    client: SyncScopix, live_sandbox: Sandbox, url: str
) -> None:
    first = scopix(live_sandbox, "usage", "sync", url, "--json")
    assert first.returncode == 0, first.stderr
    summary = json.loads(first.stdout)
    assert summary["database"] == url
    events = summary["kinds"]["events"]
    assert events["complete"] is True
    assert events["position"] is None
    assert summary["rows_inserted"] == sum(k["rows_inserted"] for k in summary["kinds"].values())
    listing = expected(client, "events", end_date=dt.datetime.fromisoformat(events["watermark"]))
    assert table_rows(url, "events") == listing
    assert events["rows_inserted"] == len(listing)
    second = scopix(live_sandbox, "usage", "sync", url)
    assert second.returncode == 0, second.stderr
    lines = second.stdout.splitlines()
    assert lines[0].startswith("events: ")  # the first run's own requests are new events
    assert "files: 0 new, 0 updated (1 page) in file_token_usage" in lines
    assert lines[-1].startswith("Synced into ")


def test_the_default_database_is_a_file_in_the_current_folder(
    live_sandbox: Sandbox, tmp_path: Path
) -> None:
    done = scopix(live_sandbox, "usage", "sync", "--kind", "files", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir())[0] == "scopix-usage.db"
    assert (
        query(
            f"sqlite:///{tmp_path / 'scopix-usage.db'}",
            "SELECT COUNT(*) AS n FROM file_token_usage",
        )[0]["n"]
        > 0
    )


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["mysql://db/usage"], "DatabaseURLError: database URL scheme 'mysql' is not supported"),
        (["usage.db"], "DatabaseURLError: database URL 'usage.db' has no scheme"),
        (["--lag", "soon"], "'soon' is not a duration (seconds, or 90s, 15m, 1h, 2d)"),
        (["--since", "yesterday"], "'yesterday' is not an ISO date"),
        (["--since", "2999-01-01"], "InvalidParameterError: `since` (2999-01-01"),
        (["--page-size", "500"], "500 is not in the range 1<=x<=100"),
        (["--kind", "calls"], "'calls' is not one of 'all', 'events', 'files', 'conversations'"),
    ],
)
def test_bad_input_is_exit_2_and_writes_nothing(
    live_sandbox: Sandbox, tmp_path: Path, args: list[str], says: str
) -> None:
    done = scopix(live_sandbox, "usage", "sync", *args, cwd=tmp_path)
    assert done.returncode == 2
    assert says in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1  # one line, no traceback
    assert list(tmp_path.iterdir()) == []


def test_an_unreachable_server_is_exit_2_naming_host_and_cause(live_sandbox: Sandbox) -> None:
    port = closed_port()
    done = scopix(live_sandbox, "usage", "sync", f"postgresql://sync:secret@127.0.0.1:{port}/u")
    assert done.returncode == 2
    assert done.stderr.startswith(
        f"DatabaseUnavailableError: cannot connect to PostgreSQL at 127.0.0.1:{port}: "
    )
    assert "refused" in done.stderr
    assert "secret" not in done.stderr


def test_a_missing_driver_is_exit_2_naming_the_extra(live_sandbox: Sandbox) -> None:
    hide = "import sys; sys.modules['psycopg'] = None; from scopix.cli import main; main()"
    done = subprocess.run(
        [sys.executable, "-c", hide, "usage", "sync", "postgresql://sync@127.0.0.1/usage"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, **live_sandbox.env},
    )
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "DriverMissingError: syncing into PostgreSQL needs the psycopg driver: "
        "pip install 'scopix[postgres]'"
    )


def test_a_read_only_file_is_exit_2_and_left_alone(live_sandbox: Sandbox, tmp_path: Path) -> None:
    db = tmp_path / "usage.db"
    assert (
        scopix(live_sandbox, "usage", "sync", f"sqlite:///{db}", "--kind", "files").returncode == 0
    )
    db.chmod(0o444)
    before = db.read_bytes(), sorted(p.name for p in tmp_path.iterdir())
    # Root may write anything: its child runs without the capability that allows it.
    prefix = (
        ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"] if os.geteuid() == 0 else []
    )
    done = scopix(live_sandbox, "usage", "sync", f"sqlite:///{db}", prefix=prefix)
    assert done.returncode == 2
    assert (
        done.stderr.strip() == f"DatabaseUnavailableError: cannot write {db}: the file is read-only"
    )
    assert (db.read_bytes(), sorted(p.name for p in tmp_path.iterdir())) == before


def test_a_second_sync_at_once_is_exit_2_saying_who_holds_it(
    live_sandbox: Sandbox, url: str
) -> None:
    live_sandbox.set_faults(latency_ms=300, seed=1)  # the first one takes a while
    try:
        first = subprocess.Popen(
            [*MAIN, "usage", "sync", url, "--page-size", "20", "--no-progress"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, **live_sandbox.env},
        )
        wait_for_a_committed_page(url)
        second = scopix(live_sandbox, "usage", "sync", url)
        first.send_signal(signal.SIGINT)
        assert first.wait(60) == 130
    finally:
        live_sandbox.set_faults()
    assert second.returncode == 2
    assert second.stderr.startswith("SyncLockedError: another scopix usage sync is writing to ")


def test_ctrl_c_stops_at_a_page_and_the_next_run_goes_on(
    client: SyncScopix, live_sandbox: Sandbox, url: str
) -> None:
    live_sandbox.set_faults(latency_ms=200, seed=1)
    try:
        proc = subprocess.Popen(
            [*MAIN, "usage", "sync", url, "--kind", "events", "--page-size", "20"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, **live_sandbox.env},
        )
        wait_for_a_committed_page(url)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        live_sandbox.set_faults()
    assert proc.returncode == 130
    assert "Sync stopped: the pages committed so far are in the database" in err
    [state] = query(url, "SELECT position, run_end FROM scopix_sync_state")
    assert state["position"] is not None
    again = scopix(live_sandbox, "usage", "sync", url, "--kind", "events", "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["kinds"]["events"]["resumed"] is True
    assert table_rows(url, "events") == expected(client, "events", end_date=state["run_end"])


def wait_for_a_committed_page(url: str) -> None:
    """Until the database's state shows a run under way with a committed page."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            rows = query(url, "SELECT position FROM scopix_sync_state WHERE kind = 'events'")
        except Exception:  # not made yet
            rows = []
        if rows and rows[0]["position"] is not None:
            return
    raise AssertionError("no page was committed")


def test_a_progress_bar_per_kind_and_lag_sets_the_next_window(
    live_sandbox: Sandbox, url: str
) -> None:
    first = scopix(live_sandbox, "usage", "sync", url, "--page-size", "50")
    assert first.returncode == 0, first.stderr
    # One bar per kind on stderr, as export draws them: the table, items of the total, pages.
    for kind, table in (
        ("events", "usage_events"),
        ("files", "file_token_usage"),
        ("conversations", "conversation_token_usage"),
    ):
        rows = len(table_rows(url, kind))
        pages = rows // 50 + 1
        assert re.search(rf"{table} .*{rows}/{rows}\s+{pages} pages?\b", first.stderr), first.stderr
    [state] = query(url, "SELECT watermark FROM scopix_sync_state WHERE kind = 'events'")
    watermark = state["watermark"]
    if isinstance(watermark, str):  # SQLite keeps ISO 8601 text
        watermark = dt.datetime.fromisoformat(watermark)
    second = scopix(
        live_sandbox, "usage", "sync", url, "--kind", "events", "--lag", "20m", "--json"
    )
    assert second.returncode == 0, second.stderr
    assert second.stderr == ""  # --json: no bar
    summary = json.loads(second.stdout)
    assert set(summary) >= {"pages", "rows_inserted", "rows_updated", "waited", "kinds"}
    events = summary["kinds"]["events"]
    assert set(events) >= {"window_start", "window_end", "watermark", "position", "complete"}
    window_start = dt.datetime.fromisoformat(events["window_start"])
    assert window_start == watermark - dt.timedelta(minutes=20)
    assert events["watermark"] == events["window_end"]
    # Files and conversations stop at items synced before: their bars end full all the same.
    third = scopix(live_sandbox, "usage", "sync", url, "--page-size", "10")
    assert third.returncode == 0, third.stderr
    assert len(table_rows(url, "files")) > 10  # more than the one page read
    for table in ("usage_events", "file_token_usage", "conversation_token_usage"):
        assert re.search(rf"{table} .* (\d+)/\1\s+\d+ pages?\b", third.stderr), third.stderr
