"""Starting the servers of a topology: the installed binary (or a clear failure naming
`make install`), free loopback ports, a process whose output goes to a file in its folder, and
waiting for a state the server reports (polled, with a deadline; never a guessed sleep)."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

__all__ = ["Daemon", "DaemonExited", "binary", "free_port", "wait_until"]

T = TypeVar("T")


class DaemonExited(RuntimeError):
    """A server died while we waited for it: waiting longer cannot help."""


def binary(name: str) -> str:
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin:/sbin")
    if found is None:
        raise RuntimeError(
            f"{name} is not installed: run `make install` (make system-deps installs it)"
        )
    return found


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def free_port(*, bus_offset: int = 0) -> int:
    """A free port on 127.0.0.1; with `bus_offset`, `port + bus_offset` is free too (a cluster
    node's bus port)."""
    for _ in range(200):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port: int = s.getsockname()[1]
        if not bus_offset or (port + bus_offset < 65536 and _port_free(port + bus_offset)):
            return port
    raise RuntimeError("no free port pair on 127.0.0.1")


def wait_until(probe: Callable[[], T | None], what: str, timeout: float = 20.0) -> T:
    """Poll `probe` until it returns something other than None (exceptions count as not yet)."""
    deadline = time.monotonic() + timeout
    last: BaseException | None = None
    while True:
        try:
            value = probe()
        except DaemonExited:
            raise
        except Exception as exc:  # not up yet
            last, value = exc, None
        if value is not None:
            return value
        if time.monotonic() > deadline:
            cause = f" (last error: {last})" if last is not None else ""
            raise RuntimeError(f"timed out after {timeout:g} s waiting for {what}{cause}")
        time.sleep(0.02)


class Daemon:
    """One server process; stdout and stderr go to `<folder>/<name>.log`."""

    def __init__(self, name: str, args: list[str], folder: Path) -> None:
        self.name = name
        self.args = args
        self.log = folder / f"{name}.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(self.args, stdout=out, stderr=subprocess.STDOUT)

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def check_alive(self) -> None:
        if self.process is not None and self.process.poll() is not None:
            tail = self.log.read_text(errors="replace")[-2000:]
            raise DaemonExited(f"{self.name} exited with {self.process.returncode}:\n{tail}")

    def kill(self) -> None:
        """SIGKILL: no shutdown, no goodbye to replicas or sentinels."""
        if self.process is not None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)
            self.process = None

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
            self.process = None
