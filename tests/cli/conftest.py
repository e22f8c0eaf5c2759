"""The CLI through click's test runner against the sandbox: a shared pinned-clock sandbox, an SDK
client on it, and `run(...)` that invokes `scopix` with its key and URL at 80 columns."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import pytest
from click.testing import CliRunner, Result

from scopix import SyncScopix
from scopix.cli.app import cli
from scopix_sandbox.server import Sandbox, start

# Before the real clock (an export pins its end to now), and fixed: the data never moves.
NOW = dt.datetime(2025, 6, 30, 12, 0, tzinfo=dt.UTC)
EVENTS = 2_000
WIDTH = 80


@pytest.fixture(scope="session")
def httpserver_listen_address() -> tuple[str, int]:
    """pytest-httpserver on 127.0.0.1 (its default, localhost, may be ::1), any free port."""
    return ("127.0.0.1", 0)


@pytest.fixture(scope="session")
def cli_sandbox() -> Iterator[Sandbox]:
    """No rate limit, no recording (the data stays put), response validation on."""
    sb = start(
        now=NOW, events=EVENTS, rate_limit=False, record_requests=False, validate_responses=True
    )
    try:
        yield sb
        failures = sb.call(lambda app: app.validation_failures_total)
    finally:
        sb.stop()
    assert failures == 0, f"{failures} sandbox responses did not match the spec"


@pytest.fixture
def sdk(cli_sandbox: Sandbox) -> Iterator[SyncScopix]:
    with SyncScopix(api_key=cli_sandbox.api_key, base_url=cli_sandbox.base_url) as client:
        yield client


@dataclass
class Run:
    """One `scopix` invocation: exit code, stdout, stderr."""

    code: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return self.err.splitlines()


Runner = Callable[..., Run]


def invoke(
    args: Sequence[str],
    *,
    api_key: str | None = None,
    base_url: str | None = None,
    env: dict[str, str] | None = None,
) -> Run:
    """`scopix ARGS [--api-key K] [--base-url U]` in-process, 80 columns wide."""
    tail: list[str] = []
    if api_key is not None:
        tail += ["--api-key", api_key]
    if base_url is not None:
        tail += ["--base-url", base_url]
    result: Result = CliRunner().invoke(
        cli, [*args, *tail], env={"COLUMNS": str(WIDTH), "SCOPIX_LOG": "", **(env or {})}
    )
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Run(result.exit_code, result.stdout, result.stderr)


@pytest.fixture
def run(cli_sandbox: Sandbox) -> Runner:
    """`run("usage", "breakdown", ...)` against the shared sandbox (key_01)."""

    def call(
        *args: str,
        api_key: str | None = cli_sandbox.api_key,
        base_url: str | None = cli_sandbox.base_url,
        env: dict[str, str] | None = None,
    ) -> Run:
        return invoke(args, api_key=api_key, base_url=base_url, env=env)

    return call
