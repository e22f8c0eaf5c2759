"""`scopix usage run ... -- CMD` as a process: the command runs inside a hold and its exit
status is the run's; too few credits is one line and exit 1 (as `check`); runs sharing Redis
(SCOPIX_REDIS_URL) hold together; Redis out of reach is exit 5 and nothing runs.
`scopix usage holds` lists them."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from scopix_sandbox import Sandbox
from tests.redis_server import RedisServer

pytestmark = pytest.mark.scopix_sandbox(remaining_credits={"acct_main": 30})
RUN = [sys.executable, "-m", "scopix.cli", "usage", "run", "--analysis-level", "thorough"]
HOLDS = [sys.executable, "-m", "scopix.cli", "usage", "holds"]


def _env(sb: Sandbox, **more: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCOPIX_")}
    return {**env, **sb.env, **more}


def _scopix(sb: Sandbox, *args: str, **more: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*RUN, *args], env=_env(sb, **more), capture_output=True, text=True, timeout=120
    )


def test_the_commands_status_is_the_runs(scopix_sandbox: Sandbox) -> None:
    done = _scopix(
        scopix_sandbox, "--items", "5", "--", sys.executable, "-c",
        "import os, sys; print('held', os.environ['SCOPIX_HELD_CREDITS']); sys.exit(3)",
    )  # fmt: skip
    assert (done.returncode, done.stdout, done.stderr) == (3, "held 15\n", "")


def test_too_few_credits_is_one_line_and_exit_1(scopix_sandbox: Sandbox, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    refused = _scopix(scopix_sandbox, "--items", "11", "--", "touch", str(marker))
    assert refused.returncode == 1
    assert refused.stderr.startswith("InsufficientCreditsError: 33 credits required; 30 available")
    assert len(refused.stderr.splitlines()) == 1
    assert not marker.exists()


def test_a_missing_command_is_127(scopix_sandbox: Sandbox) -> None:
    missing = _scopix(scopix_sandbox, "--items", "1", "--", "no-such-command-here")
    assert (missing.returncode, missing.stderr) == (
        127, "OSError: no-such-command-here: command not found\n",
    )  # fmt: skip


def test_runs_sharing_redis_hold_together(
    scopix_sandbox: Sandbox, redis_server: RedisServer, tmp_path: Path
) -> None:
    # The ledger's keys name the account by base URL and key: this sandbox's port keeps them
    # apart from other tests'.
    url = redis_server.url
    started = tmp_path / "started"
    script = f"open({str(started)!r}, 'w').close(); input()"  # holds until told to go on
    first = subprocess.Popen(
        [*RUN, "--items", "6", "--", sys.executable, "-c", script],
        env=_env(scopix_sandbox, SCOPIX_REDIS_URL=url), stdin=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        while not started.exists():  # the first run's command is running inside its hold
            assert first.poll() is None, "the first run ended early"
            time.sleep(0.02)
        second = _scopix(scopix_sandbox, "--items", "6", "--", "true", SCOPIX_REDIS_URL=url)
        assert second.returncode == 1
        assert "18 held" in second.stderr
        listed = subprocess.run(
            [*HOLDS, "--json"], env=_env(scopix_sandbox, SCOPIX_REDIS_URL=url),
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert listed.returncode == 0, listed.stderr
        seen = json.loads(listed.stdout)
        assert (seen["credits"], seen["waiting"]) == (18, 0)
        (hold,) = seen["holds"]
        assert hold["owner"].endswith(f":{first.pid}")  # the run's own process holds it
        table = subprocess.run(
            HOLDS, env=_env(scopix_sandbox, SCOPIX_REDIS_URL=url), capture_output=True,
            text=True, timeout=60,
        )  # fmt: skip
        assert table.stdout.startswith("18 credits held by 1 hold, 0 waiting.")
        assert f"{hold['id'][:8]}\n" in table.stdout  # at 80 columns, nothing wrapped
        assert first.stdin is not None
        first.stdin.write("\n")
        first.stdin.close()
        assert first.wait(60) == 0
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    again = _scopix(scopix_sandbox, "--items", "6", "--", "true", SCOPIX_REDIS_URL=url)
    assert again.returncode == 0, again.stderr


def test_redis_out_of_reach_is_exit_5_and_nothing_runs(
    scopix_sandbox: Sandbox, tmp_path: Path
) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    marker = tmp_path / "ran"
    down = _scopix(
        scopix_sandbox, "--items", "1", "--redis", f"redis://127.0.0.1:{port}", "--",
        "touch", str(marker),
    )  # fmt: skip
    assert down.returncode == 5
    assert down.stderr.startswith(f"CreditLedgerUnavailableError: the credit ledger in Redis "
                                  f"(127.0.0.1:{port}) cannot be reached")  # fmt: skip
    assert not marker.exists()


@pytest.mark.parametrize("command", [[*RUN, "--items", "1"], HOLDS])
def test_a_redis_url_that_is_not_one_is_a_usage_error(
    scopix_sandbox: Sandbox, command: list[str], tmp_path: Path
) -> None:
    marker = tmp_path / "ran"
    work = [] if command is HOLDS else ["--", "touch", str(marker)]
    done = subprocess.run(
        [*command, "--redis", "nonsense", *work],
        env=_env(scopix_sandbox), capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    said = "UsageError: Invalid value for '--redis': Redis URL must "
    assert done.stderr.startswith(said), done.stderr
    assert "'nonsense'" in done.stderr
    assert not marker.exists()


def test_holds_needs_a_shared_ledger(scopix_sandbox: Sandbox) -> None:
    done = subprocess.run(
        HOLDS, env=_env(scopix_sandbox), capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert "pass --redis URL or set SCOPIX_REDIS_URL" in done.stderr
