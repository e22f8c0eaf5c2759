"""What every benchmark shares: result rows, interleaved timing, a sandbox in its own process."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Result:
    """One row of the table: a figure measured side by side in this run, and its target."""

    name: str
    measured: str  # "x1.03", "+2.1 MB"
    target: str  # "<= 1.1x", or "" when there is none
    passed: bool | None  # None: no target, the row reports numbers only
    raw: str  # the numbers behind it, for context

    @property
    def verdict(self) -> str:
        return {True: "pass", False: "FAIL", None: "-"}[self.passed]


def at_most(name: str, ratio: float, limit: float, raw: str) -> Result:
    return Result(name, f"x{ratio:.2f}", f"<= {limit:g}x", ratio <= limit, raw)


def at_least(name: str, ratio: float, limit: float, raw: str) -> Result:
    return Result(name, f"x{ratio:.2f}", f">= {limit:g}x", ratio >= limit, raw)


def info(name: str, ratio: float, raw: str) -> Result:
    return Result(name, f"x{ratio:.2f}", "", None, raw)


def cpu_per_call(fn: Callable[[], Any], n: int) -> Callable[[], float]:
    """A contender for `interleaved`: CPU seconds per call of `fn`, over `n` calls."""

    def run() -> float:
        start = time.process_time()
        for _ in range(n):
            fn()
        return (time.process_time() - start) / n

    return run


def interleaved(contenders: dict[str, Callable[[], float]], rounds: int) -> dict[str, list[float]]:
    """Run each contender once per round, in an order rotated every round, so slow drift and
    noise of a shared machine fall on all of them alike. Each call returns its own measurement."""
    names = list(contenders)
    samples: dict[str, list[float]] = {name: [] for name in names}
    for r in range(rounds):
        shift = r % len(names)
        for name in names[shift:] + names[:shift]:
            samples[name].append(contenders[name]())
    return samples


def paired_ratio(a: Sequence[float], b: Sequence[float]) -> float:
    """Median of the per-round ratios a/b (rounds are paired: measured back to back)."""
    return statistics.median(x / y for x, y in zip(a, b, strict=True))


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def python() -> str:
    return sys.executable


def child_env() -> dict[str, str]:
    """Environment of a benchmark subprocess (run with cwd=ROOT, so `sandbox` and `bench` import;
    `scopix` comes from the editable install or PYTHONPATH): no SCOPIX_* settings leaking in."""
    return {k: v for k, v in os.environ.items() if not k.startswith("SCOPIX_")}


@dataclass(frozen=True)
class SandboxProcess:
    base_url: str
    api_key: str
    process: subprocess.Popen[str]


@contextmanager
def sandbox_process(events: int, *extra: str, rate_limit: bool = False) -> Iterator[SandboxProcess]:
    """`python -m scopix_sandbox` in its own process (not sharing the GIL with the client measured),
    not recording served requests; without a rate limit unless asked (then `extra` sets it)."""
    args = [python(), "-m", "scopix_sandbox", "--port", "0", "--no-record", "--events", str(events)]
    if not rate_limit:
        args.append("--no-rate-limit")
    process = subprocess.Popen(
        [*args, *extra],
        cwd=ROOT,
        env=child_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        lines = dict(process.stdout.readline().strip().partition("=")[::2] for _ in range(2))
        if not {"SCOPIX_BASE_URL", "SCOPIX_API_KEY"} <= lines.keys():
            raise RuntimeError(f"the sandbox did not start (exit code {process.poll()})")
        yield SandboxProcess(lines["SCOPIX_BASE_URL"], lines["SCOPIX_API_KEY"], process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
