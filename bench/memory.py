"""Peak RSS of a client process iterating `get_all_details` (pacing off, page_size 100) over
100,000 events versus over 10,000: a pager that holds one page at a time costs the same for both.

One sandbox process with `--events 100000`: key_01 has 100,000 events and key_03 (revoked, its
usage still visible) 10,000, so `api_key_id` picks the size. Every export runs in its own fresh
interpreter, sizes alternating; the client reads its own peak (getrusage ru_maxrss) at the end.

    python -m bench memory
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass

from bench._common import ROOT, Result, child_env, median, python, sandbox_process

SIZES = {"key_03": 10_000, "key_01": 100_000}
REPEATS = 3

CHILD = """
import json, resource, sys
from scopix import SyncScopix

def rss_kb(field):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0

base_url, api_key, key_id = sys.argv[1:]
with SyncScopix(api_key=api_key, base_url=base_url, pacing=False) as client:
    client.usage.get_details(limit=1)  # imports, connection, compiled parsers: before the baseline
    start = rss_kb("VmRSS")
    count = 0
    for _ in client.usage.get_all_details(api_key_id=key_id, page_size=100):
        count += 1
print(json.dumps({
    "events": count,
    "start_kb": start,
    "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    "hwm_kb": rss_kb("VmHWM"),
}))
"""


@dataclass(frozen=True)
class Run:
    events: int
    start_mb: float
    peak_mb: float


def export(base_url: str, api_key: str, key_id: str) -> Run:
    done = subprocess.run(
        [python(), "-c", CHILD, base_url, api_key, key_id],
        cwd=ROOT,
        env=child_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    out = json.loads(done.stdout)
    return Run(out["events"], out["start_kb"] / 1024, max(out["peak_kb"], out["hwm_kb"]) / 1024)


def measure(repeats: int = REPEATS) -> dict[int, list[Run]]:
    runs: dict[int, list[Run]] = {n: [] for n in SIZES.values()}
    with sandbox_process(max(SIZES.values())) as sb:
        for i in range(repeats):
            order = list(SIZES.items()) if i % 2 == 0 else list(SIZES.items())[::-1]
            for key_id, expected in order:
                run = export(sb.base_url, sb.api_key, key_id)
                if run.events != expected:
                    raise RuntimeError(f"{key_id}: exported {run.events}, expected {expected}")
                runs[expected].append(run)
    return runs


def results(runs: dict[int, list[Run]] | None = None) -> list[Result]:
    r = runs if runs is not None else measure()
    small, large = sorted(r)
    peak = {n: median([run.peak_mb for run in r[n]]) for n in r}
    start = median([run.start_mb for run in r[large]])
    delta = peak[large] - peak[small]
    return [
        Result(
            f"peak RSS, get_all_details: {large:,} - {small:,} events",
            f"{delta:+.1f} MB",
            "<= +10 MB",
            delta <= 10.0,
            f"peak {peak[large]:.1f} MB vs {peak[small]:.1f} MB "
            f"(before the export {start:.1f} MB; median of {len(r[large])} fresh processes)",
        )
    ]


def main() -> None:
    for row in results():
        print(f"{row.name}: {row.measured} ({row.target}: {row.verdict}) {row.raw}")


if __name__ == "__main__":
    main()
