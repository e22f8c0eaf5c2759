"""The sandbox from a shell and from async tests, exactly as sandbox/README.md shows: `eval
"$(scopix-sandbox --detach)"` in a real `sh` exports the variables and leaves a server running
that `kill "$SCOPIX_SANDBOX_PID"` stops; the README's `@pytest.mark.anyio` test passes as is."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import anyio
import pytest

pytest_plugins = ["pytester"]

SANDBOX = str(Path(sys.executable).with_name("scopix-sandbox"))
README = Path(__file__).resolve().parents[1] / "README.md"
DEADLINE = 30.0
# Run in the shell after the eval: what a program started from it sees.
CHILD = (
    "import json, os, httpx; "
    "r = httpx.get(os.environ['SCOPIX_BASE_URL'] + '/v1/usage/check', "
    "headers={'Authorization': 'Bearer ' + os.environ['SCOPIX_API_KEY']}); "
    "print(json.dumps({**{k: v for k, v in os.environ.items() if k.startswith('SCOPIX_')}, "
    "'status': r.status_code}))"
)


def sh(script: str) -> subprocess.CompletedProcess[str]:
    shell = shutil.which("sh")
    assert shell is not None
    return subprocess.run(
        [shell, "-c", script], capture_output=True, text=True, timeout=DEADLINE, check=False
    )


def refused(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except ConnectionRefusedError:
        return True
    return False


@pytest.fixture
def pids() -> Iterator[list[int]]:
    """Background sandboxes a test started: killed if the test did not stop them."""
    started: list[int] = []
    yield started
    for pid in started:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def test_eval_in_sh_exports_the_variables_and_kill_stops_it(pids: list[int]) -> None:
    done = sh(
        f'eval "$({SANDBOX} --detach --events 300 --no-record)" || exit 9\n'
        'echo "pid=$SCOPIX_SANDBOX_PID" >&2\n'
        f'{sys.executable} -c "{CHILD}"\n'
    )
    pids.extend(int(pid) for pid in re.findall(r"^pid=(\d+)$", done.stderr, re.M))
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    assert set(seen) == {"SCOPIX_BASE_URL", "SCOPIX_API_KEY", "SCOPIX_SANDBOX_PID", "status"}
    assert seen["status"] == 200  # the server outlived the eval and answers with that key
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", seen["SCOPIX_BASE_URL"])
    assert seen["SCOPIX_API_KEY"].startswith("scopix_sandbox_")
    assert f"# key_01 acct_main Production: {seen['SCOPIX_API_KEY']}" in done.stderr
    port = int(seen["SCOPIX_BASE_URL"].rsplit(":", 1)[1])
    assert not refused(port)

    stopped = sh(f'SCOPIX_SANDBOX_PID={seen["SCOPIX_SANDBOX_PID"]}; kill "$SCOPIX_SANDBOX_PID"')
    assert stopped.returncode == 0, stopped.stderr
    end = time.monotonic() + DEADLINE
    while not refused(port):  # the server closes its port as it exits
        assert time.monotonic() < end, f"port {port} still open after kill"
        time.sleep(0.05)


def test_the_detached_form_is_sh_syntax(pids: list[int]) -> None:
    done = subprocess.run(
        [SANDBOX, "--detach", "--events", "300", "--no-record"],
        capture_output=True,
        text=True,
        timeout=DEADLINE,
        check=False,
    )
    pids.extend(int(pid) for pid in re.findall(r"SCOPIX_SANDBOX_PID=(\d+)", done.stdout))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert [line.split("=")[0] for line in lines] == [
        "export SCOPIX_BASE_URL",
        "export SCOPIX_API_KEY",
        "export SCOPIX_SANDBOX_PID",
    ]
    pid = int(lines[2].split("=")[1])
    assert sh(f"kill {pid}").returncode == 0


def test_a_refused_start_fails_the_eval() -> None:
    done = sh(f'eval "$({SANDBOX} --detach --host 0.0.0.0)"; echo "status=$? url=$SCOPIX_BASE_URL"')
    assert done.stdout == "status=2 url=\n"
    assert "loopback" in done.stderr


def readme_block(after: str) -> str:
    text = README.read_text("utf-8")
    start = text.index("```python\n", text.index(after)) + len("```python\n")
    return text[start : text.index("```", start)]


def test_the_readme_async_test_passes_as_shown(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")  # a user has both autoloaded
    pytester.makepyfile(test_user=readme_block("### Async tests"))
    result = pytester.runpytest_subprocess(
        "--strict-markers", "-p", "no:cacheprovider", "-p", "scopix_sandbox", "-p", "anyio", "-v"
    )
    backends = anyio.get_available_backends()  # as the README says: each installed loop
    assert "asyncio" in backends
    result.assert_outcomes(passed=len(backends))
    result.stdout.fnmatch_lines(
        [f"*test_credits_with_the_async_client[[]{name}[]] PASSED*" for name in backends]
    )
