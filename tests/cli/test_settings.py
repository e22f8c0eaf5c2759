"""Where a command's key and server come from: the options, else the environment, looked up as
the SDK looks them up (one lookup in the codebase), and a missing key told before any request."""

from __future__ import annotations

from typing import Any

from scopix_sandbox.server import Sandbox
from tests.cli.conftest import Runner, invoke

NO_ENV: dict[str, Any] = {"SCOPIX_API_KEY": None, "SCOPIX_BASE_URL": None}


def test_no_key_anywhere_is_exit_3_before_any_request(cli_sandbox: Sandbox) -> None:
    served = cli_sandbox.stats()["requests"]
    done = invoke(["usage", "breakdown"], base_url=cli_sandbox.base_url, env=NO_ENV)
    assert (done.code, done.out) == (3, "")
    assert "no API key: pass --api-key or set SCOPIX_API_KEY" in done.err
    assert cli_sandbox.stats()["requests"] == served


def test_key_and_server_from_the_environment(cli_sandbox: Sandbox) -> None:
    env = {"SCOPIX_API_KEY": cli_sandbox.api_key, "SCOPIX_BASE_URL": cli_sandbox.base_url + "/"}
    done = invoke(["usage", "breakdown", "--json"], env=env)
    assert done.code == 0, done.err
    assert '"usage_percentage"' in done.out


def test_the_option_wins_over_the_environment(run: Runner, cli_sandbox: Sandbox) -> None:
    wrong = {"SCOPIX_API_KEY": "scopix_not_a_key_of_this_sandbox"}
    assert run("usage", "breakdown", "--json", env=wrong).code == 0
    assert run("usage", "breakdown", api_key=None, env=wrong).code == 3  # the wrong key: 401
