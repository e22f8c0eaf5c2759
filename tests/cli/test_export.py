"""`scopix usage export`: every item, JSON Lines or CSV, equal to the SDK's auto-paging iterators;
an interrupted export (Ctrl-C, a hard kill, an API error) leaves whole lines and `--resume` ends
it with no duplicate and no gap."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from scopix import Page, SyncScopix
from scopix.cli import export as exports
from scopix_sandbox.server import Sandbox
from tests.cli.conftest import NOW, Run, Runner, invoke
from tests.cli.holding_proxy import holding_proxy

FAST = ["--no-pacing", "--no-progress"]  # the shared sandbox has no rate limit


def lines_of(path: Path) -> list[dict[str, Any]]:
    text = path.read_text("utf-8")
    assert text == "" or text.endswith("\n")  # whole lines only
    return [json.loads(line) for line in text.splitlines()]


def state_of(path: Path) -> exports.State:
    return exports.State.load(exports.state_path(path))


@pytest.fixture(scope="module")
def all_events(cli_sandbox: Sandbox) -> list[dict[str, Any]]:
    """The shared sandbox's events through the SDK's iterator (the data never moves)."""
    with SyncScopix(api_key=cli_sandbox.api_key, base_url=cli_sandbox.base_url) as client:
        return [event.to_dict() for event in client.usage.get_all_details(page_size=100)]


def test_full_export_is_get_all_details(
    run: Runner, sdk: SyncScopix, all_events: list[dict[str, Any]], tmp_path: Path
) -> None:
    out = tmp_path / "events.jsonl"
    done = run("usage", "export", str(out), *FAST)
    assert done.code == 0, done.err
    total = sdk.usage.get_details(limit=1).total
    assert f"Exported {total:,} events to {out} (27 pages" in done.out
    exported = lines_of(out)
    assert len(exported) == total
    assert exported == all_events
    assert not exports.state_path(out).exists()  # done: no state left behind


def test_csv_export(run: Runner, all_events: list[dict[str, Any]], tmp_path: Path) -> None:
    out = tmp_path / "events.csv"
    done = run("usage", "export", str(out), "--page-size", "64", *FAST)
    assert done.code == 0, done.err
    with out.open(newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == list(all_events[0])  # the model's fields, in order
    assert len(rows) == len(all_events)
    for row, event in zip(rows, all_events, strict=True):
        assert row == {k: "" if v is None else str(v) for k, v in event.items()}


def test_filtered_export(run: Runner, sdk: SyncScopix, tmp_path: Path) -> None:
    out = tmp_path / "chat.jsonl"
    done = run(
        "usage", "export", str(out), "--api-key-id", "key_02", "--operation-type", "chat",
        "--start-date", "2025-04-01", *FAST,
    )  # fmt: skip
    assert done.code == 0, done.err
    expected = sdk.usage.get_all_details(
        api_key_id="key_02",
        operation_type="chat",
        start_date=dt.datetime(2025, 4, 1, tzinfo=dt.UTC),
        page_size=100,
    )
    assert lines_of(out) == [event.to_dict() for event in expected]


@pytest.mark.parametrize("kind", ["files", "conversations"])
def test_token_exports(run: Runner, sdk: SyncScopix, tmp_path: Path, kind: str) -> None:
    out = tmp_path / f"{kind}.jsonl"
    done = run("usage", "export", str(out), "--kind", kind, "--page-size", "40", *FAST)
    assert done.code == 0, done.err
    pager = (
        sdk.usage.get_all_file_tokens(page_size=100)
        if kind == "files"
        else sdk.usage.get_all_conversation_tokens(page_size=100)
    )
    assert lines_of(out) == [item.to_dict() for item in pager]


@pytest.fixture
def stop_at_page(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """Make the export's N-th page request raise (Ctrl-C by default), once."""

    def arm(page: int, exc: BaseException | Callable[[], None] | None = None) -> None:
        real = exports.Export._next
        calls = {"n": 0}

        def next_page(self: exports.Export, pages: Iterator[Page[Any]]) -> Any:
            calls["n"] += 1
            if calls["n"] == page:
                if exc is None:
                    raise KeyboardInterrupt
                if isinstance(exc, BaseException):
                    raise exc
                exc()
            return real(self, pages)

        monkeypatch.setattr(exports.Export, "_next", next_page)

    return arm


def resume(run: Runner, out: Path, *args: str) -> Run:
    return run("usage", "export", str(out), "--resume", *args, *FAST)


def test_ctrl_c_then_resume(
    run: Runner,
    all_events: list[dict[str, Any]],
    tmp_path: Path,
    stop_at_page: Callable[..., None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = tmp_path / "events.jsonl"
    stop_at_page(4)  # three pages of 50 are written, then Ctrl-C while asking for the fourth
    done = run("usage", "export", str(out), "--page-size", "50", *FAST)
    assert done.code == 130
    assert done.err_lines[-1] == "Interrupted"
    assert f"Export stopped: 150 of {len(all_events):,} events in {out}" in done.err
    assert "--resume" in done.err
    assert lines_of(out) == all_events[:150]
    assert state_of(out).count == 150

    monkeypatch.undo()
    again = resume(run, out)
    assert again.code == 0, again.err
    assert "resumed after 150" in again.out
    assert lines_of(out) == all_events  # no duplicate, no gap


def test_ctrl_c_while_writing_leaves_whole_lines(
    run: Runner,
    all_events: list[dict[str, Any]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = tmp_path / "events.csv"
    real_line = exports._line
    written = {"n": 0}

    def line(*args: Any) -> bytes:
        written["n"] += 1
        if written["n"] == 175:  # in the middle of the fourth page
            raise KeyboardInterrupt
        return real_line(*args)

    monkeypatch.setattr(exports, "_line", line)
    done = run("usage", "export", str(out), "--page-size", "50", *FAST)
    assert done.code == 130
    with out.open(newline="") as f:
        assert len(list(csv.DictReader(f))) == 150  # cut back to the last whole page
    monkeypatch.undo()

    assert resume(run, out).code == 0
    with out.open(newline="") as f:
        assert [row["id"] for row in csv.DictReader(f)] == [e["id"] for e in all_events]


def test_resume_after_a_hard_kill(
    run: Runner, all_events: list[dict[str, Any]], tmp_path: Path, stop_at_page: Callable[..., None]
) -> None:
    out = tmp_path / "events.jsonl"
    stop_at_page(3)
    assert run("usage", "export", str(out), "--page-size", "100", *FAST).code == 130
    with out.open("ab") as f:  # what a kill during a write leaves: lines past the state, cut
        f.write(json.dumps(all_events[200]).encode() + b"\n" + b'{"id": "evt_0')
    assert resume(run, out).code == 0
    assert lines_of(out) == all_events


def test_api_error_mid_export_then_resume(
    run: Runner,
    cli_sandbox: Sandbox,
    all_events: list[dict[str, Any]],
    tmp_path: Path,
    stop_at_page: Callable[..., None],
) -> None:
    out = tmp_path / "events.jsonl"
    stop_at_page(3, lambda: cli_sandbox.set_faults(error_503=1.0, operations=["get_details"]))
    try:
        done = run("usage", "export", str(out), "--page-size", "50", "--max-retries", "0", *FAST)
    finally:
        cli_sandbox.set_faults()
    assert done.code == 6
    assert done.err_lines[-1].startswith("InternalServerError: status 503: ")
    assert "Export stopped: 100 of" in done.err
    assert lines_of(out) == all_events[:100]
    assert resume(run, out).code == 0
    assert lines_of(out) == all_events


@pytest.fixture
def own_sandbox(scopix_sandbox_factory: Callable[..., Sandbox]) -> Sandbox:
    return scopix_sandbox_factory(now=NOW, events=500, rate_limit=False)


# Started as from a terminal, with Ctrl-C's default meaning, even when this test runs under a
# parent that ignores SIGINT (a background job of a script): Python keeps an inherited "ignore".
AS_FROM_A_TERMINAL = (
    "import runpy, signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
    "sys.argv[0] = 'scopix'; runpy.run_module('scopix.cli', run_name='__main__')"
)


def test_sigint_to_a_real_process_then_resume(own_sandbox: Sandbox, tmp_path: Path) -> None:
    sb = own_sandbox
    out = tmp_path / "events.jsonl"

    def page_11(path: str, query: dict[str, list[str]]) -> bool:
        return path.endswith("/usage/details") and query.get("offset") == ["100"]

    # The 11th page is held open: Ctrl-C comes once the process has committed ten pages and is
    # waiting for the next one, never before it started nor after it finished.
    with holding_proxy(sb.base_url, hold=page_11) as proxy:
        command = [
            sys.executable, "-c", AS_FROM_A_TERMINAL, "usage", "export", str(out),
            "--page-size", "10", "--api-key", sb.api_key, "--base-url", proxy.url, *FAST,
        ]  # fmt: skip
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            if not proxy.arrived.wait(timeout=120):
                proc.kill()
                raise AssertionError(f"the export never asked for page 11: {proc.communicate()}")
            assert state_of(out).count == 100  # ten pages committed
            proc.send_signal(signal.SIGINT)
            _, err = proc.communicate(timeout=120)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    assert proc.returncode == 130, err
    assert b"Traceback" not in err
    assert err.decode().splitlines()[-1] == "Interrupted"
    assert len(lines_of(out)) == state_of(out).count == 100

    done = invoke(
        ["usage", "export", str(out), "--resume", *FAST], api_key=sb.api_key, base_url=sb.base_url
    )
    assert done.code == 0, done.err
    with SyncScopix(api_key=sb.api_key, base_url=sb.base_url, pacing=False) as client:
        expected = [e.to_dict() for e in client.usage.get_all_details(page_size=100)]
    exported = lines_of(out)
    assert exported == expected
    assert len({e["id"] for e in exported}) == len(exported) == 675


@pytest.fixture
def interrupted(
    run: Runner, tmp_path: Path, stop_at_page: Callable[..., None], monkeypatch: pytest.MonkeyPatch
) -> Path:
    out = tmp_path / "events.jsonl"
    stop_at_page(2)
    assert run("usage", "export", str(out), "--page-size", "50", *FAST).code == 130
    monkeypatch.undo()
    return out


def test_resume_keeps_the_export_as_it_started(run: Runner, interrupted: Path) -> None:
    for args in (["--format", "csv"], ["--page-size", "20"], ["--operation-type", "chat"]):
        done = resume(run, interrupted, *args)
        assert done.code == 2
        assert done.err.startswith("ResumeError: --resume continues the export as it started")
    same = resume(run, interrupted, "--format", "jsonl", "--page-size", "50")
    assert same.code == 0, same.err


def test_an_export_pins_its_end_when_it_starts_and_resumes_with_it(
    run: Runner, tmp_path: Path, stop_at_page: Callable[..., None], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without --end-date the export is a snapshot as `get_all_details` makes one: its end is
    pinned to the moment it starts and kept in its state, which a resume continues."""
    out = tmp_path / "events.jsonl"
    stop_at_page(2)
    before = dt.datetime.now(dt.UTC)
    assert run("usage", "export", str(out), "--page-size", "50", *FAST).code == 130
    after = dt.datetime.now(dt.UTC)
    monkeypatch.undo()
    pinned = state_of(out).filters["end_date"]
    assert pinned is not None
    assert before <= dt.datetime.fromisoformat(pinned) <= after
    assert resume(run, out).code == 0


def test_resume_refuses_a_listing_that_moved(run: Runner, interrupted: Path) -> None:
    state = state_of(interrupted)
    state.last_id = "evt_that_is_not_there"
    state.save(exports.state_path(interrupted))
    done = resume(run, interrupted)
    assert done.code == 2
    assert done.err.startswith("ResumeError: cannot resume: the last exported item")
    assert len(lines_of(interrupted)) == 50  # untouched


def test_refusals(run: Runner, tmp_path: Path, interrupted: Path) -> None:
    done = run("usage", "export", str(interrupted), *FAST)
    assert done.code == 2
    assert done.err == f"FileExistsError: {interrupted} exists (--resume continues it)\n"

    other = tmp_path / "other.jsonl"
    nothing = run("usage", "export", str(other), "--resume", *FAST)
    assert nothing.code == 2
    assert nothing.err == (
        f"ResumeError: nothing to resume: no {other.name}.scopix-export.json beside {other}\n"
    )

    both = run("usage", "export", str(interrupted), "--resume", "--overwrite", *FAST)
    assert both.code == 2
    assert both.err == "UsageError: --resume and --overwrite exclude each other (see --help)\n"

    filtered = run("usage", "export", str(tmp_path / "f.jsonl"), "--kind", "files",
                   "--operation-type", "chat", *FAST)  # fmt: skip
    assert filtered.code == 2

    existing = tmp_path / "existing.jsonl"
    existing.write_text("keep me\n")
    assert run("usage", "export", str(existing), *FAST).code == 2
    assert existing.read_text() == "keep me\n"
    assert run("usage", "export", str(existing), "--overwrite", "--kind", "files", *FAST).code == 0

    over = run("usage", "export", str(interrupted), "--overwrite", *FAST)
    assert over.code == 0
    assert not exports.state_path(interrupted).exists()


def test_a_failed_start_leaves_nothing(run: Runner, tmp_path: Path) -> None:
    out = tmp_path / "events.jsonl"
    done = run("usage", "export", str(out), *FAST, api_key="scopix_sandbox_" + "0" * 32)
    assert done.code == 3
    assert not out.exists()
    assert not exports.state_path(out).exists()


def test_progress_shows_items_pages_and_the_rate_limit_wait(
    scopix_sandbox_factory: Callable[..., Sandbox], tmp_path: Path
) -> None:
    # 3 requests a second: the 4th page gets a 429 with Retry-After 1, and the SDK retries.
    sb = scopix_sandbox_factory(now=NOW, events=200, limits={"usage": 3}, window_seconds=1)
    out = tmp_path / "events.jsonl"
    done = invoke(
        ["usage", "export", str(out), "--page-size", "50", "--no-pacing"],
        api_key=sb.api_key,
        base_url=sb.base_url,
    )
    assert done.code == 0, done.err
    assert "270/270" in done.err  # 200 + 50 + 20 events on the account
    assert "6 pages" in done.err
    assert "rate limit" in done.err
    assert "waited" in done.out
    assert len(lines_of(out)) == 270
    os.remove(out)


def test_one_page_is_said_as_one_page(
    scopix_sandbox_factory: Callable[..., Sandbox], tmp_path: Path
) -> None:
    sb = scopix_sandbox_factory(now=NOW, events=20)
    out = tmp_path / "files.jsonl"
    done = invoke(["usage", "export", str(out), "--kind", "files", "--no-pacing"],
                  api_key=sb.api_key, base_url=sb.base_url)  # fmt: skip
    assert done.code == 0, done.err
    assert "(1 page" in done.out
    assert "1 pages" not in done.out
    assert "1 page " in done.err  # the bar
    assert "1 pages" not in done.err


def test_the_export_uses_only_the_public_pager() -> None:
    """The CLI walks listings as users can: get_all_*().pages() and position/resume_from."""
    source = Path(exports.__file__).read_text("utf-8")
    for private in ("_pagination", "OffsetPages", "with_raw_response", "http_response"):
        assert private not in source, private
    assert ".pages()" in source
    assert "resume_from=" in source
