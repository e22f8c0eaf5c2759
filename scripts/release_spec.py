"""`make release-spec`: make openapi.yaml the released spec that `make breaking` compares with.

Refuses unless info.version, the package version (overlay/scopix/_version.py) and the top entry
of CHANGELOG.md agree, that entry is dated (`## [X.Y.Z] - YYYY-MM-DD`), the version is above the
released one, and the breaking-change gate passes. Then copies openapi.yaml to
spec/released/openapi.yaml. `--check` only checks that the three versions agree.

Usage: release_spec.py [--check] [--root DIR]   (--root: another checkout, for the tests)
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

import yaml
from spec_breaking import SpecError, check, parse_version

ROOT = Path(__file__).resolve().parent.parent
ENTRY = re.compile(r"^## \[(?P<version>[^\]]+)\](?: - (?P<date>\S+))?", re.MULTILINE)
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def spec_version(spec: Path) -> str:
    return str(yaml.safe_load(spec.read_text(encoding="utf-8"))["info"]["version"])


def package_version(root: Path) -> str:
    text = (root / "overlay" / "scopix" / "_version.py").read_text(encoding="utf-8")
    match = re.search(r"""^__version__ = ["']([^"']+)["']""", text, re.MULTILINE)
    return match.group(1) if match else "(no __version__)"


def changelog_top(root: Path) -> tuple[str, str]:
    """(version, date or '') of CHANGELOG.md's first `## [...]` entry."""
    match = ENTRY.search((root / "CHANGELOG.md").read_text(encoding="utf-8"))
    return (match["version"], match["date"] or "") if match else ("(no entry)", "")


def version_problems(root: Path) -> list[str]:
    versions = {
        "openapi.yaml info.version": spec_version(root / "openapi.yaml"),
        "overlay/scopix/_version.py": package_version(root),
        "CHANGELOG.md top entry": changelog_top(root)[0],
    }
    if len(set(versions.values())) == 1:
        return []
    return ["versions differ: " + ", ".join(f"{k} {v}" for k, v in versions.items())]


def release_problems(root: Path) -> list[str]:
    spec, released = root / "openapi.yaml", root / "spec" / "released" / "openapi.yaml"
    problems = version_problems(root)
    version, date = spec_version(spec), changelog_top(root)[1]
    if not DATE.match(date):
        problems.append(f"date the CHANGELOG entry: `## [{version}] - YYYY-MM-DD` (not {date!r})")
    old = spec_version(released)
    try:
        if parse_version(version) <= parse_version(old):
            problems.append(f"info.version {version} is not above the released {old}")
    except ValueError as err:
        problems.append(str(err))
    if problems:
        return problems
    try:
        passed, report = check(released, spec)
    except SpecError as err:
        return [str(err)]
    return [] if passed else ["breaking-change gate:", *report]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="only check that versions agree")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    root: Path = args.root.resolve()
    spec, released = root / "openapi.yaml", root / "spec" / "released" / "openapi.yaml"
    if not args.check and spec.read_bytes() == released.read_bytes():
        print(f"release_spec: openapi.yaml {spec_version(spec)} is already the released spec")
        return 0
    problems = version_problems(root) if args.check else release_problems(root)
    if problems:
        print("release_spec: FAILED", *problems, sep="\n  ", file=sys.stderr)
        return 1
    version = spec_version(spec)
    if args.check:
        print(f"release_spec: versions agree: {version}")
        return 0
    shutil.copyfile(spec, released)
    print(f"release_spec: spec/released/openapi.yaml is now {version}; commit it with a tag")
    return 0


if __name__ == "__main__":
    sys.exit(main())
