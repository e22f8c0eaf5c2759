"""`make check-dist`: the built distributions as a user gets them.

Installs the wheels of dist/ (scopix and scopix-sandbox, from `make dist`) into a fresh virtualenv
under a temporary directory outside the checkout, starts `scopix-sandbox` from it, and runs every
check of CHECKS there: the examples against that server, a user's pytest file on the
`scopix_sandbox` fixture with no conftest, `mypy --strict` on a user's typed script (which
must pass) and on one with planted type errors (each must be reported), and the same calls
without the `fast` extra (this venv) and with it (a second venv), which must give the same
models. Nothing of the checkout is importable in it.

A check is a name, what it needs installed besides the two wheels, and a function that gets the
`Installed` environment; add one to CHECKS. The dependencies come from a wheelhouse kept in the
dev venv (`.venv/check-dist-wheels`), filled from the package index only when something is
missing there, so a run installs offline and fast (`--no-compile`).

    python scripts/check_dist.py [--dist dist] [--wheelhouse .venv/check-dist-wheels] [--keep]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DISTRIBUTIONS = ("scopix", "scopix_sandbox")
"""File-name prefixes of the two wheels in dist/."""


@dataclass
class Installed:
    """The fresh virtualenv with the wheels installed, and a running `scopix-sandbox` from it."""

    root: Path
    """The temporary directory: the venv and each check's working folders live here."""
    python: Path
    base_url: str = ""
    api_keys: dict[str, str] = field(default_factory=dict)
    built: list[Path] = field(default_factory=list)
    """The wheels installed, for a check that makes a venv of its own (`fast_extra`)."""
    wheelhouse: Path = Path()

    def bin(self, name: str) -> Path:
        return self.python.with_name(name)

    def folder(self, name: str) -> Path:
        path = self.root / name
        path.mkdir(exist_ok=True)
        return path

    def env(self, api_key: str | None = None) -> dict[str, str]:
        """The user's environment: this venv first on PATH, nothing of the checkout, and once
        the sandbox runs, its URL and `api_key` (default key_01) as SCOPIX_BASE_URL/API_KEY."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "SCOPIX_"))}
        env["PATH"] = f"{self.python.parent}{os.pathsep}{env.get('PATH', '')}"
        env["VIRTUAL_ENV"] = str(self.python.parent.parent)
        if self.base_url:
            env["SCOPIX_BASE_URL"] = self.base_url
            env["SCOPIX_API_KEY"] = api_key or self.api_keys["key_01"]
        return env

    def run(self, *args: str | Path, cwd: Path, api_key: str | None = None) -> str:
        """Run a command of the venv; its output is returned, a failure raises with it."""
        done = subprocess.run(
            [str(a) for a in args],
            cwd=cwd,
            env=self.env(api_key),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if done.returncode:
            raise CheckFailed(f"{args[0]} exited {done.returncode}:\n{done.stdout}{done.stderr}")
        return done.stdout


class CheckFailed(Exception):
    pass


@dataclass(frozen=True)
class Check:
    name: str
    run: Callable[[Installed], str]
    """Returns a one-line summary; raises CheckFailed (or anything) when it fails."""
    requires: tuple[str, ...] = ()
    """Requirements installed in the venv besides the two wheels (pip syntax)."""


# -- the checks ------------------------------------------------------------------------------


def imports_from_the_venv(env: Installed) -> str:
    code = (
        "import scopix, scopix_api, scopix_sandbox; print(scopix.__file__, scopix_sandbox.__file__)"
    )
    out = env.run(env.python, "-c", code, cwd=env.folder("imports"))
    outside = [path for path in out.split() if not path.startswith(str(env.root))]
    if outside:
        raise CheckFailed(f"imported from outside the venv: {outside}")
    return "scopix, scopix_api and scopix_sandbox come from the venv"


def examples(env: Installed) -> str:
    """Each example on its own key of the account (rate limits count per key), at the real
    limits, as a user runs it: a copy of the file, run from a folder of its own."""
    folder = env.folder("examples")
    ran = []
    for script, key_id in (("usage_async.py", "key_01"), ("usage_sync.py", "key_02")):
        shutil.copy(ROOT / "examples" / script, folder)
        out = env.run(env.python, script, cwd=folder, api_key=env.api_keys[key_id])
        if "== get_all_details" not in out:
            raise CheckFailed(f"{script} printed no get_all_details section:\n{out}")
        ran.append(f"{script} ({len(out.splitlines())} lines)")
    return ", ".join(ran)


def users_pytest_file(env: Installed) -> str:
    """examples/pytest: a user's own module and its tests on the `scopix_sandbox` fixture and
    marker, copied alone into a project folder: no conftest, no pytest configuration."""
    project = env.folder("user_project")
    for name in ("usage_report.py", "test_usage_report.py"):
        shutil.copy(ROOT / "examples" / "pytest" / name, project)
    out = env.run(
        env.python, "-m", "pytest", "-q", "--strict-markers", "-p", "no:cacheprovider", cwd=project
    )
    return out.strip().splitlines()[-1]


TYPING = ROOT / "tests" / "typing"
MYPY = "mypy==2.4.1"  # the dev extra's


def typed_user_scripts(env: Installed) -> str:
    """Types as an installed user sees them (py.typed in both packages, `T | None` fields,
    Literal enums, keyword-only methods, `reserve()`'s holds in both flavours and
    `InsufficientCreditsError`, an `on_hold` observer; all without the redis package):
    tests/typing/user_typed.py passes `mypy --strict`;
    user_planted.py gets at least one error on every line marked `# planted`, none elsewhere."""
    folder = env.folder("typing")
    for name in ("user_typed.py", "user_planted.py"):
        shutil.copy(TYPING / name, folder)
    env.run(env.bin("mypy"), "--strict", "user_typed.py", cwd=folder)
    planted = {
        number
        for number, line in enumerate((folder / "user_planted.py").read_text().splitlines(), 1)
        if "# planted:" in line
    }
    done = subprocess.run(
        [str(env.bin("mypy")), "--strict", "user_planted.py"],
        cwd=folder,
        env=env.env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    errors = [
        int(m.group(1))
        for m in re.finditer(r"^user_planted\.py:(\d+): error:", done.stdout, re.MULTILINE)
    ]
    missed = sorted(planted - set(errors))
    stray = sorted(set(errors) - planted)
    if done.returncode != 1 or missed or stray:
        raise CheckFailed(
            f"user_planted.py: exit {done.returncode}, planted errors not reported on lines "
            f"{missed}, errors on unplanted lines {stray}:\n{done.stdout}{done.stderr}"
        )
    return (
        f"user_typed.py passes mypy --strict; user_planted.py: {len(errors)} errors, on all "
        f"{len(planted)} planted lines and no other"
    )


# A user's script: the same calls in a venv without the fast extra and in one with it, on events
# from before the check (the sandbox records each call as a new event).
PARSE_SCRIPT = """
import asyncio, datetime as dt, hashlib, importlib.util, sys
from scopix import Scopix, SyncScopix

end = dt.datetime.fromisoformat(sys.argv[1])
with SyncScopix() as client:
    pages = [client.usage.get_details(end_date=end, limit=100, offset=o) for o in (0, 100)]
    pages.append(client.usage.get_top_endpoints(end_date=end))


async def main() -> None:
    async with Scopix() as client:
        pages.append(await client.usage.get_details(end_date=end, limit=100, offset=200))


asyncio.run(main())
text = "".join(page.to_json() + repr(page) for page in pages)
events = sum(len(page.events) for page in pages[:2] + pages[3:])
digest = hashlib.sha256(text.encode()).hexdigest()
installed = importlib.util.find_spec("msgspec") is not None
print(events, digest, installed, "scopix._parse_fast" in sys.modules)
"""


def _parse_digest(env: Installed, end: str, key_id: str) -> tuple[int, str, bool, bool]:
    folder = env.folder("parse")
    (folder / "parse_calls.py").write_text(PARSE_SCRIPT)
    out = env.run(env.python, "parse_calls.py", end, cwd=folder, api_key=env.api_keys[key_id])
    events, digest, installed, fast = out.split()
    return int(events), digest, installed == "True", fast == "True"


def fast_extra(env: Installed) -> str:
    """The `fast` extra: this venv has no msgspec and parses with the pure parser; a second fresh
    venv with `scopix[fast]` from the wheel decodes with msgspec; the same calls on the same
    sandbox events give the same models (to_json and repr) in both."""
    end = dt.datetime.now(dt.UTC).isoformat()
    events, pure, installed, fast = _parse_digest(env, end, "key_02")
    if installed or fast or events < 100:
        raise CheckFailed(f"pure venv: msgspec {installed}, fast path {fast}, {events} events")
    root = env.folder("fast-extra")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", root / "venv"], check=True)
    python = root / "venv" / "bin" / "python"
    scopix_wheel, *others = env.built
    install(python, [Path(f"{scopix_wheel}[fast]"), *others], [], env.wheelhouse)
    other = Installed(root, python, env.base_url, env.api_keys)
    events_fast, digest, installed, fast = _parse_digest(other, end, "key_02")
    if not (installed and fast) or (events_fast, digest) != (events, pure):
        raise CheckFailed(
            f"with [fast]: msgspec {installed}, fast path {fast}, {events_fast} events "
            f"{digest[:12]}; without: {events} events {pure[:12]}"
        )
    return f"{events} events, same models with scopix[fast] (msgspec) as without ({pure[:12]})"


CHECKS: list[Check] = [
    Check("imports come from the installed wheels", imports_from_the_venv),
    Check("examples against scopix-sandbox", examples),
    Check("a user's pytest file on the scopix_sandbox fixture", users_pytest_file, ("pytest",)),
    Check("mypy --strict on a user's typed scripts", typed_user_scripts, (MYPY,)),
    Check("the fast extra: same models with msgspec as without", fast_extra),
]


# -- the environment -------------------------------------------------------------------------


def wheels(dist: Path) -> list[Path]:
    found = []
    for prefix in DISTRIBUTIONS:
        matches = sorted(dist.glob(f"{prefix}-*.whl"))
        if len(matches) != 1:
            raise SystemExit(f"check_dist: want one {prefix}-*.whl in {dist}, found {matches}")
        found.append(matches[0])
    return found


def pip(*args: str | Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pip", *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, check=False, timeout=600)


def install(python: Path, built: list[Path], requires: list[str], wheelhouse: Path) -> None:
    """The wheels and `requires` into the venv of `python`, dependencies from `wheelhouse`;
    the wheelhouse is filled from the index first when it lacks something."""
    offline: list[str | Path] = ["--python", python, "install", "--quiet", "--no-compile"]
    command = [*offline, "--no-index", "--find-links", wheelhouse, *built, *requires]
    if pip(*command).returncode == 0:
        return
    filled = pip("wheel", "--quiet", "--wheel-dir", wheelhouse, *built, *requires)
    if filled.returncode:
        raise SystemExit(f"check_dist: could not fill {wheelhouse}:\n{filled.stderr}")
    for path in built:  # the wheelhouse keeps dependencies only, never a stale build of ours
        (wheelhouse / path.name).unlink(missing_ok=True)
    done = pip(*command)
    if done.returncode:
        raise SystemExit(f"check_dist: install failed:\n{done.stdout}{done.stderr}")


@contextmanager
def sandbox(env: Installed) -> Iterator[None]:
    """`scopix-sandbox` from the venv, as its README says: defaults, real rate limits."""
    process = subprocess.Popen(
        [str(env.bin("scopix-sandbox")), "--port", "0"],
        cwd=env.folder("sandbox"),
        env=env.env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = [process.stdout.readline().strip() for _ in range(2)]
        if not first[0].startswith("SCOPIX_BASE_URL=") or not first[1].startswith(
            "SCOPIX_API_KEY="
        ):
            raise CheckFailed(f"scopix-sandbox printed {first!r} first")
        env.base_url = first[0].split("=", 1)[1]
        with urllib.request.urlopen(env.base_url + "/_sandbox/info", timeout=10) as response:
            info = json.load(response)
        env.api_keys = {key["id"]: key["secret"] for key in info["api_keys"]}
        if env.api_keys["key_01"] != first[1].split("=", 1)[1]:
            raise CheckFailed("SCOPIX_API_KEY is not key_01's secret")
        yield
    finally:
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=30)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()
    if code != 0:
        raise CheckFailed(f"scopix-sandbox exited {code} on SIGTERM")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--wheelhouse", type=Path, default=ROOT / ".venv" / "check-dist-wheels")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args(argv)
    started = time.monotonic()
    built = wheels(args.dist.resolve())
    args.wheelhouse.mkdir(parents=True, exist_ok=True)
    root = Path(tempfile.mkdtemp(prefix="scopix-check-dist-"))
    failed = []
    try:
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", root / "venv"], check=True)
        python = root / "venv" / "bin" / "python"
        requires = sorted({r for check in CHECKS for r in check.requires})
        install(python, built, requires, args.wheelhouse.resolve())
        env = Installed(root, python, built=built, wheelhouse=args.wheelhouse.resolve())
        print(
            f"check_dist: {', '.join(p.name for p in built)} in a fresh venv at {root} "
            f"({time.monotonic() - started:.1f} s)",
            flush=True,
        )
        try:
            with sandbox(env):
                for check in CHECKS:
                    t0 = time.monotonic()
                    try:
                        summary = check.run(env)
                    except Exception as exc:  # every check runs; all failures are reported
                        failed.append(check.name)
                        print(f"FAILED {check.name}: {exc}", flush=True)
                    else:
                        took = time.monotonic() - t0
                        print(f"ok     {check.name}: {summary} ({took:.1f} s)", flush=True)
        except CheckFailed as exc:
            failed.append("scopix-sandbox")
            print(f"FAILED scopix-sandbox: {exc}", flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    total = time.monotonic() - started
    if failed:
        print(f"check_dist: FAILED: {', '.join(failed)} ({total:.1f} s)")
        return 1
    print(f"check_dist: all {len(CHECKS)} checks passed in {total:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
