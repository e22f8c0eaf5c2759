"""The full-size fault run: 10,000 calls over every operation, 100 coroutines, 30% of answers
faulted, max_retries=5, against a sandbox in its own process; then the same check as the tests
(right answer or a documented error, nothing lost) and memory: RSS after a 1,000-call run versus
after a further 10,000-call run.

    python -m bench.faults [calls]
"""

from __future__ import annotations

import asyncio
import gc
import sys

from tests.reliability.faultrun import SANDBOX_FLAGS, Counts, run
from tests.reliability.remote import remote_sandbox


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def measure(calls: int = 10_000) -> tuple[Counts, Counts, float]:
    with remote_sandbox(*SANDBOX_FLAGS) as sandbox:
        small = asyncio.run(run(sandbox, calls=1_000, seed=1))
        gc.collect()
        before = rss_mb()
        full = asyncio.run(run(sandbox, calls=calls, seed=2))
        gc.collect()
        return small, full, rss_mb() - before


def main() -> None:
    calls = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    small, full, grown = measure(calls)
    for counts in (small, full):
        print(f"fault run: {counts.line()}")
    print(f"RSS growth from the 1,000-call run to the {calls:,}-call run: {grown:+.1f} MB")
    lost = full.calls - full.successes - sum(full.errors.values())
    ok = not full.unexpected and full.wrong == 0 and lost == 0 and grown < 10
    print("fault run:", "PASS" if ok else "FAIL")


if __name__ == "__main__":
    main()
