"""`make bench`: every benchmark, printed as ONE table of figures measured side by side in this
run (the machine is shared and noisy: never compare absolute times across runs).

    python -m bench                        # all of them (a few minutes)
    python -m bench percall importtime     # a subset
    python -m bench --strict               # exit 1 when a target is missed

Progress goes to stderr; the table (Markdown, as in docs/benchmarks.md) to stdout.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
import time
from collections.abc import Callable

from bench import credits, importtime, memory, parse, percall, ratelimit, throughput, usage_db
from bench._common import Result

BENCHMARKS: dict[str, Callable[[], list[Result]]] = {
    "percall": percall.results,
    "parse": parse.results,
    "importtime": importtime.results,
    "memory": memory.results,
    "throughput": throughput.results,
    "ratelimit": ratelimit.results,
    "usage_db": usage_db.results,
    "credits": credits.results,
}


def machine() -> str:
    return (
        f"{os.cpu_count()} cores ({platform.machine()}), {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}"
    )


def table(rows: list[Result]) -> str:
    lines = [
        "| benchmark | measured | target | result | raw numbers |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| {r.name} | {r.measured} | {r.target or '-'} | {r.verdict} | {r.raw} |" for r in rows
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    p.add_argument("names", nargs="*", metavar="NAME", help=", ".join(BENCHMARKS))
    p.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    a = p.parse_args(argv)
    names = a.names or list(BENCHMARKS)
    unknown = set(names) - set(BENCHMARKS)
    if unknown:
        p.error(f"unknown benchmark(s) {', '.join(sorted(unknown))}; pick from {list(BENCHMARKS)}")
    rows: list[Result] = []
    started = time.monotonic()
    for name in names:
        print(f"bench: {name} ...", file=sys.stderr, flush=True)
        t0 = time.monotonic()
        rows += BENCHMARKS[name]()
        print(f"bench: {name} took {time.monotonic() - t0:.0f} s", file=sys.stderr, flush=True)
    print(f"{dt.date.today().isoformat()}, {machine()}; {time.monotonic() - started:.0f} s\n")
    print(table(rows))
    failed = [r.name for r in rows if r.passed is False]
    print(f"\n{len(failed)} target(s) missed" + (": " + "; ".join(failed) if failed else ""))
    return 1 if a.strict and failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
