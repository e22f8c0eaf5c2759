"""A sandbox in its own process (so it does not share the GIL with the client under test),
driven through its admin endpoints."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx


class RemoteSandbox:
    def __init__(self, process: subprocess.Popen[str], base_url: str, api_key: str) -> None:
        self.process = process
        self.base_url = base_url
        self.api_key = api_key

    def set_faults(self, faults: dict[str, Any] | None = None) -> None:
        httpx.post(f"{self.base_url}/_sandbox/faults", json=faults or {}).raise_for_status()

    def stats(self) -> dict[str, Any]:
        stats: dict[str, Any] = httpx.get(f"{self.base_url}/_sandbox/stats").json()
        return stats

    def reset(self) -> None:
        httpx.post(f"{self.base_url}/_sandbox/reset").raise_for_status()


@contextmanager
def remote_sandbox(*flags: str) -> Iterator[RemoteSandbox]:
    process = subprocess.Popen(
        [sys.executable, "-m", "scopix_sandbox", "--port", "0", *flags],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip().split("=", 1)[1]
        key = process.stdout.readline().strip().split("=", 1)[1]
        yield RemoteSandbox(process, url, key)
    finally:
        process.terminate()
        process.wait(10)
