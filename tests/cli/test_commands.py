"""Every `scopix usage` command: `--json` is the SDK's result in its dict form, the tables fit in
80 columns, `check` answers with its exit status, dates are ISO."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from rich.cells import cell_len

from scopix import SyncScopix
from scopix_sandbox.server import Sandbox
from tests.cli.conftest import WIDTH, Runner

UTC = dt.UTC

# (command line, the same through the SDK)
CASES: list[tuple[list[str], Callable[[SyncScopix], Any]]] = [
    (
        ["check", "--analysis-level", "thorough", "--items", "10"],
        lambda c: c.usage.check(analysis_level="thorough", item_count=10),
    ),
    (["breakdown"], lambda c: c.usage.get_breakdown()),
    (["summary"], lambda c: c.usage.get_summary()),
    (
        ["summary", "--period", "week", "--api-key-id", "key_02"],
        lambda c: c.usage.get_summary(period="week", api_key_id="key_02"),
    ),
    (["plan"], lambda c: c.usage.get_plan()),
    (
        ["plan", "--period", "quarter", "--no-projections"],
        lambda c: c.usage.get_plan(period="quarter", include_projections=False),
    ),
    (["tokens"], lambda c: c.usage.get_monthly_tokens()),
    (
        ["tokens", "--start-date", "2025-03-01", "--end-date", "2025-05-31"],
        lambda c: c.usage.get_monthly_tokens(
            start_date=dt.date(2025, 3, 1), end_date=dt.date(2025, 5, 31)
        ),
    ),
    (
        ["tokens", "files", "--limit", "7", "--offset", "3"],
        lambda c: c.usage.get_file_tokens(limit=7, offset=3),
    ),
    (["tokens", "conversations"], lambda c: c.usage.get_conversation_tokens(limit=20)),
    (["top", "--limit", "5"], lambda c: c.usage.get_top_endpoints(limit=5)),
    (["by-period"], lambda c: c.usage.get_by_period()),
    (
        ["by-period", "--period-type", "month", "--api-key-id", "key_01"],
        lambda c: c.usage.get_by_period(period_type="month", api_key_id="key_01"),
    ),
    (["details"], lambda c: c.usage.get_details(limit=20)),
    (
        ["details", "--limit", "5", "--offset", "40", "--operation-type", "chat"],
        lambda c: c.usage.get_details(limit=5, offset=40, operation_type="chat"),
    ),
    (["dashboard"], lambda c: c.usage.get_dashboard_analytics()),
    (["dashboard", "--period", "year"], lambda c: c.usage.get_dashboard_analytics(period="year")),
]


def _id(case: tuple[list[str], Any]) -> str:
    return " ".join(case[0])


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_json_is_the_sdk_result(
    run: Runner, sdk: SyncScopix, case: tuple[list[str], Callable[[SyncScopix], Any]]
) -> None:
    args, call = case
    done = run("usage", *args, "--json")
    assert done.code == 0, done.err
    assert json.loads(done.out) == call(sdk).to_dict()


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_tables_fit_80_columns(run: Runner, case: tuple[list[str], Any]) -> None:
    done = run("usage", *case[0])
    assert done.code == 0, done.err
    assert done.err == ""
    lines = done.out.splitlines()
    assert len(lines) >= 2
    too_wide = [line for line in lines if cell_len(line) > WIDTH]
    assert not too_wide


def test_details_table_shows_the_page(run: Runner, sdk: SyncScopix) -> None:
    page = sdk.usage.get_details(limit=5, offset=10)
    out = run("usage", "details", "--limit", "5", "--offset", "10").out
    assert f"events 11\u201315 of {page.total:,}" in out  # an en dash
    for event in page.events:
        assert event.timestamp.strftime("%Y-%m-%d %H:%M") in out


def test_check_exit_status_is_the_verdict(run: Runner, cli_sandbox: Sandbox) -> None:
    ok = run("usage", "check", "--analysis-level", "thorough", "--items", "10")
    assert ok.code == 0
    assert "Can proceed" in ok.out

    too_many = run("usage", "check", "--analysis-level", "thorough", "--items", "10000")
    assert too_many.code == 1
    assert "Cannot proceed" in too_many.out
    assert too_many.err == ""  # a verdict, not an error

    as_json = run("usage", "check", "--items", "10000", "--analysis-level", "thorough", "--json")
    assert as_json.code == 1
    assert json.loads(as_json.out)["can_proceed"] is False

    exhausted = cli_sandbox.api_keys["key_04"]  # the Starter account, past its limit
    assert run("usage", "check", "--items", "10", api_key=exhausted).code == 1
    no_plan = cli_sandbox.api_keys["key_05"]
    assert run("usage", "check", api_key=no_plan).code == 1


def test_iso_dates(run: Runner, sdk: SyncScopix) -> None:
    # A date alone is UTC midnight; as an end it includes that day (the API's end is exclusive).
    done = run(
        "usage", "summary", "--start-date", "2025-06-01", "--end-date", "2025-06-10", "--json"
    )
    expected = sdk.usage.get_summary(
        start_date=dt.datetime(2025, 6, 1, tzinfo=UTC),
        end_date=dt.datetime(2025, 6, 11, tzinfo=UTC),
    )
    assert json.loads(done.out) == expected.to_dict()

    # A date-time keeps its offset; without one it is UTC.
    done = run(
        "usage",
        "top",
        "--start-date",
        "2025-06-01T08:00:00+02:00",
        "--end-date",
        "2025-06-20T12:30",
        "--json",
    )
    expected_top = sdk.usage.get_top_endpoints(
        start_date=dt.datetime(2025, 6, 1, 6, tzinfo=UTC),
        end_date=dt.datetime(2025, 6, 20, 12, 30, tzinfo=UTC),
    )
    assert json.loads(done.out) == expected_top.to_dict()


def test_environment_configures_the_client(run: Runner, cli_sandbox: Sandbox) -> None:
    env = {"SCOPIX_API_KEY": cli_sandbox.api_key, "SCOPIX_BASE_URL": cli_sandbox.base_url}
    done = run("usage", "breakdown", "--json", api_key=None, base_url=None, env=env)
    assert done.code == 0, done.err


def test_options_before_the_command_too(run: Runner, cli_sandbox: Sandbox) -> None:
    done = run(
        "--api-key", cli_sandbox.api_key, "--base-url", cli_sandbox.base_url,
        "usage", "breakdown", "--json", api_key=None, base_url=None,
    )  # fmt: skip
    assert done.code == 0, done.err


def test_verbose_logs_one_line_per_request_without_the_key(
    run: Runner, cli_sandbox: Sandbox
) -> None:
    done = run("usage", "breakdown", "--json", "-v")
    assert done.code == 0
    lines = [line for line in done.err_lines if "scopix INFO" in line]
    assert len(lines) == 1
    assert "GET /v1/usage/breakdown -> 200" in lines[0]
    assert "attempt 1" in lines[0]
    assert "rate-limit remaining" in lines[0]
    assert cli_sandbox.api_key not in done.err
    json.loads(done.out)  # the log stays off stdout

    quiet = run("usage", "breakdown", "--json")
    assert quiet.err == ""  # the handler of the previous run is gone

    by_env = run("usage", "breakdown", "--json", env={"SCOPIX_LOG": "info"})
    assert len([ln for ln in by_env.err_lines if "GET /v1/usage/breakdown" in ln]) == 1
