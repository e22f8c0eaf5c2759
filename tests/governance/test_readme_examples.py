"""The README's code samples run as printed, and the sandbox's README shows the pytest example as
CI runs it (examples/pytest, `make check-dist`)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from scopix_sandbox import Sandbox

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples" / "pytest").glob("*.py"))
README = ROOT / "README.md"


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_the_sandbox_readme_shows_the_example_verbatim(example: Path) -> None:
    block = "```python\n" + example.read_text("utf-8") + "```\n"
    readme = ROOT / "sandbox" / "README.md"
    assert block in readme.read_text("utf-8"), f"sandbox/README.md differs from {example.name}"


def python_blocks(text: str) -> list[str]:
    return [block.split("\n```", 1)[0] + "\n" for block in text.split("```python\n")[1:]]


def sections(text: str) -> list[tuple[str, str]]:
    """(the section's slug, its text) for each `## ` section."""
    parts = re.split(r"^## (.+)$", text, flags=re.MULTILINE)[1:]
    titles, bodies = parts[0::2], parts[1::2]
    return [
        (re.sub(r"\W+", "-", t.lower()).strip("-")[:30], b)
        for t, b in zip(titles, bodies, strict=True)
    ]


SAMPLES = [
    (f"{slug}-{n}", block)
    for slug, body in sections(README.read_text("utf-8"))
    for n, block in enumerate(python_blocks(body), 1)
]
BLOCKS = [block for _, block in SAMPLES]


def test_the_readme_has_its_samples() -> None:
    # the sections a user reads first: quickstart (2), errors, pagination, rate limits (4), ...
    assert len(BLOCKS) >= 8


@pytest.mark.parametrize("block", BLOCKS, ids=[name for name, _ in SAMPLES])
def test_each_readme_sample_runs(block: str, scopix_sandbox: Sandbox, tmp_path: Path) -> None:
    env = {**os.environ, **scopix_sandbox.env}
    if "def test_" in block:  # a test file for the reader's own suite, on the sandbox's plugin
        (tmp_path / "test_sample.py").write_text(block, "utf-8")
        args = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_sample.py"]
        done = subprocess.run(args, cwd=tmp_path, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
        last = done.stdout.strip().splitlines()[-1]  # every test passed: none skipped
        assert re.fullmatch(r"\d+ passed in [\d.]+s", last), done.stdout
        return
    lines = block.splitlines()
    if not lines[0].startswith(("from ", "import ")):  # a call and, as comments, what it raises
        call = "\n".join(line for line in lines if not line.startswith("#"))
        expected = " ".join(line[2:] for line in lines if line.startswith("# "))
        body = "".join(f"        {line}\n" for line in call.splitlines())
        program = (
            "from scopix import SyncScopix\n"
            "with SyncScopix() as client:\n"
            f"    try:\n{body}"
            "    except Exception as e:\n"
            "        print(f'{type(e).__name__}: {e}')\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", program], cwd=tmp_path, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        assert " ".join(done.stdout.split()) == expected
        return
    done = subprocess.run(
        [sys.executable, "-c", block], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr


def test_the_quickstart_runs_from_a_shell(tmp_path: Path) -> None:
    """The shell lines under the quickstart, in bash, with the sync quickstart as quickstart.py."""
    text = README.read_text("utf-8")
    quickstart = text.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    (tmp_path / "quickstart.py").write_text(python_blocks(quickstart)[0], "utf-8")
    shell = quickstart.split("```bash\n", 1)[1].split("\n```", 1)[0]
    script = "set -e\ntrap 'kill \"${SCOPIX_SANDBOX_PID:-}\" 2>/dev/null || true' EXIT\n" + shell
    bin_dir = str(Path(sys.executable).parent)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCOPIX_")}
    env["PATH"] = bin_dir + os.pathsep + env.get("PATH", "")
    done = subprocess.run(
        ["bash", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert re.match(r"\d+\.\d% of monthly limit used\n", done.stdout), done.stdout
