"""The spec, the package and the changelog carry one version; `make release-spec` guards it."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import scopix

ROOT = Path(__file__).resolve().parents[2]
RELEASE = ROOT / "scripts" / "release_spec.py"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
needs_node = pytest.mark.skipif(
    not (ROOT / "node_modules" / ".bin" / "redocly").exists(), reason="run `make install` (npm ci)"
)


def info_version(spec: Path) -> str:
    return str(yaml.safe_load(spec.read_text(encoding="utf-8"))["info"]["version"])


def changelog_top() -> str:
    match = re.search(r"^## \[([^\]]+)\]", (ROOT / "CHANGELOG.md").read_text(), re.MULTILINE)
    assert match, "CHANGELOG.md has no `## [X.Y.Z] - date` entry"
    return match.group(1)


def semver(version: str) -> tuple[int, ...]:
    assert re.fullmatch(r"\d+\.\d+\.\d+", version), version
    return tuple(int(part) for part in version.split("."))


def test_spec_package_and_changelog_versions_agree() -> None:
    assert info_version(ROOT / "openapi.yaml") == scopix.__version__ == changelog_top()


def test_release_check_agrees() -> None:
    result = subprocess.run(
        [sys.executable, str(RELEASE), "--check"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert f"versions agree: {scopix.__version__}" in result.stdout


def test_released_spec_is_not_ahead() -> None:
    released = info_version(ROOT / "spec" / "released" / "openapi.yaml")
    assert semver(released) <= semver(info_version(ROOT / "openapi.yaml"))


# The release step on a scratch checkout: fixtures/base.yaml (1.0.0) is the released spec.
@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    (tmp_path / "spec" / "released").mkdir(parents=True)
    (tmp_path / "overlay" / "scopix").mkdir(parents=True)
    shutil.copyfile(FIXTURES / "base.yaml", tmp_path / "spec" / "released" / "openapi.yaml")
    return tmp_path


def prepare(root: Path, fixture: str, version: str, heading: str) -> None:
    text = (FIXTURES / f"{fixture}.yaml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^  version: .*$", f"  version: {version}", text)
    (root / "openapi.yaml").write_text(text, encoding="utf-8")
    (root / "overlay" / "scopix" / "_version.py").write_text(f'__version__ = "{version}"\n')
    (root / "CHANGELOG.md").write_text(f"# Changelog\n\n{heading}\n\n- a change\n")


def release(root: Path) -> subprocess.CompletedProcess[str]:
    args = [sys.executable, str(RELEASE), "--root", str(root)]
    return subprocess.run(args, capture_output=True, text=True, check=False, timeout=120)


def released_version(root: Path) -> str:
    return info_version(root / "spec" / "released" / "openapi.yaml")


@needs_node
def test_release_copies_a_compatible_bumped_spec(checkout: Path) -> None:
    prepare(checkout, "add_optional_field", "1.1.0", "## [1.1.0] - 2026-12-01")
    result = release(checkout)
    assert result.returncode == 0, result.stderr
    assert released_version(checkout) == "1.1.0"
    assert release(checkout).stdout.endswith("is already the released spec\n")


@needs_node
@pytest.mark.parametrize(
    ("fixture", "version", "heading", "problem"),
    [
        ("add_optional_field", "1.1.0", "## [1.0.9] - 2026-12-01", "versions differ"),
        ("add_optional_field", "1.1.0", "## [1.1.0] - unreleased", "date the CHANGELOG entry"),
        ("add_optional_field", "1.0.0", "## [1.0.0] - 2026-12-01", "is not above the released"),
        ("remove_enum_value", "1.1.0", "## [1.1.0] - 2026-12-01", "need a major version: 2.0.0"),
    ],
)
def test_release_refuses(
    checkout: Path, fixture: str, version: str, heading: str, problem: str
) -> None:
    prepare(checkout, fixture, version, heading)
    result = release(checkout)
    assert result.returncode == 1
    assert problem in result.stderr
    assert released_version(checkout) == "1.0.0"
