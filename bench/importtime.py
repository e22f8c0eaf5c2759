"""`python -X importtime -c "import scopix"` against `import httpx`, in fresh interpreters run
alternately; the ratio is the median of the per-pair ratios of the top-level cumulative times.

httpx's own `__init__` imports `httpx._main`, which imports click and rich (and pygments) when
they are installed, as they are in this venv (dev tools, and `scopix[cli]`). So it is measured
twice: with the venv as it is, and with click/rich/pygments hidden (an import hook makes them
missing, as in an environment where `pip install scopix` installed only its dependencies).

Bytecode is cached as after a `pip install` (which compiles it): PYTHONDONTWRITEBYTECODE is
dropped and the caches go to a temporary PYTHONPYCACHEPREFIX, written by warm-up imports, so no
run compiles a module (a source edited since its last .pyc would otherwise be compiled each run).

And, in a subprocess: after `import scopix`, and after a call, none of redis, rich, click, the
CLI (`scopix.cli`), opentelemetry, prometheus_client (and scopix's modules for them) and other
heavy modules may be loaded, beyond what httpx itself loaded.

    python -m bench importtime
"""

from __future__ import annotations

import atexit
import functools
import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass

from bench._common import ROOT, Result, at_most, child_env, median, paired_ratio, python

PAIRS = 12
CLI_DEPS = ("click", "rich", "pygments")
HEAVY = (
    "redis", "rich", "click", "pygments", "scopix.cli", "yaml", "jsonschema", "typer",
    "opentelemetry", "prometheus_client", "scopix.otel", "scopix.prometheus",
)  # fmt: skip

# Prepended to the `-c` program of the "without click/rich" runs (same in both contenders).
HIDE_CLI_DEPS = f"""
import sys
class _Missing:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in {CLI_DEPS!r}:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
        return None
sys.meta_path.insert(0, _Missing())
"""


@functools.cache
def pycache_env() -> dict[str, str]:
    env = child_env()
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    prefix = tempfile.mkdtemp(prefix="bench-pycache-")
    atexit.register(shutil.rmtree, prefix, ignore_errors=True)
    env["PYTHONPYCACHEPREFIX"] = prefix
    return env


def import_us(module: str, *, hide_cli_deps: bool) -> int:
    """Cumulative microseconds of `import module` reported by -X importtime (top level)."""
    program = (HIDE_CLI_DEPS if hide_cli_deps else "") + f"import {module}\n"
    done = subprocess.run(
        [python(), "-X", "importtime", "-c", program],
        cwd=ROOT,
        env=pycache_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    line = re.compile(rf"import time:\s+\d+ \|\s+(\d+) \| {re.escape(module)}$", re.M)
    found = line.search(done.stderr)
    if found is None:
        raise RuntimeError(f"no top-level import time for {module}:\n{done.stderr[-2000:]}")
    return int(found.group(1))


@dataclass(frozen=True)
class Times:
    scopix: list[float]
    httpx: list[float]


def measure(*, hide_cli_deps: bool, pairs: int = PAIRS) -> Times:
    for module in ("scopix", "httpx"):  # write the .pyc caches, warm the file-system cache
        import_us(module, hide_cli_deps=hide_cli_deps)
    times = Times([], [])
    for i in range(pairs):
        order = ("scopix", "httpx") if i % 2 == 0 else ("httpx", "scopix")
        for module in order:
            getattr(times, module).append(import_us(module, hide_cli_deps=hide_cli_deps) / 1e3)
    return times


MODULES_PROGRAM = """
import json, sys
import httpx
after_httpx = set(sys.modules)
import scopix
after_import = set(sys.modules)
client = scopix.SyncScopix(
    api_key="scopix_bench_key",
    base_url="http://127.0.0.1:8",
    pacing=False,
    http_client=httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(
        200, json={"can_proceed": True, "available_credits": 10, "required_credits": 1,
                   "analysis_level": "standard", "item_count": 1}))),
)
try:
    client.usage.check()
except scopix.ScopixError:
    pass  # only the imports matter here
after_call = set(sys.modules)
print(json.dumps({
    "httpx": sorted(after_httpx),
    "import": sorted(after_import - after_httpx),
    "call": sorted(after_call - after_import),
}))
"""


def heavy(names: list[str]) -> list[str]:
    return sorted(n for n in names if any(n == h or n.startswith(h + ".") for h in HEAVY))


def loaded_modules(*, hide_cli_deps: bool) -> dict[str, list[str]]:
    program = (HIDE_CLI_DEPS if hide_cli_deps else "") + MODULES_PROGRAM
    done = subprocess.run(
        [python(), "-c", program],
        cwd=ROOT,
        env=child_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    loaded: dict[str, list[str]] = json.loads(done.stdout)
    return loaded


def results(pairs: int = PAIRS) -> list[Result]:
    rows = []
    for hide, label in ((False, "venv as is"), (True, "no click/rich installed")):
        t = measure(hide_cli_deps=hide, pairs=pairs)
        rows.append(
            at_most(
                f"import time: scopix / httpx ({label})",
                paired_ratio(t.scopix, t.httpx),
                1.5,
                f"scopix {median(t.scopix):.0f} ms, httpx {median(t.httpx):.0f} ms "
                f"(-X importtime, median of {pairs})",
            )
        )
    as_is, bare = loaded_modules(hide_cli_deps=False), loaded_modules(hide_cli_deps=True)
    offenders = heavy(as_is["import"] + as_is["call"] + bare["httpx"] + bare["import"])
    offenders += heavy(bare["call"])
    by_httpx = heavy(as_is["httpx"])
    rows.append(
        Result(
            "nothing heavy loaded by import scopix or a call",
            "none" if not offenders else f"{len(set(offenders))} loaded",
            "none of " + "/".join(HEAVY[:4]) + "/cli/opentelemetry/prometheus_client",
            not offenders,
            (f"loaded: {', '.join(sorted(set(offenders)))}" if offenders else "none")
            + f"; scopix adds {len(as_is['import'])} modules to httpx's"
            + (f" (httpx itself loads {len(by_httpx)} click/rich modules)" if by_httpx else ""),
        )
    )
    return rows


def main() -> None:
    for row in results():
        print(f"{row.name}: {row.measured} ({row.target}: {row.verdict}) {row.raw}")


if __name__ == "__main__":
    main()
