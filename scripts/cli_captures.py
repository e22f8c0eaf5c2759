"""Captures of the CLI for the docs (`make docs`, site/cli/): the real `scopix` command, run as a
process against a sandbox started here (seeded data, clock pinned, so a capture changes only
when the command's output does), its colours kept (FORCE_COLOR), turned into SVG by rich's
`export_svg`, whose @font-face rules (Fira Code from a CDN) are taken out: no network.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.text import Text

from scopix_sandbox import start

__all__ = ["CAPTURES", "COLUMNS", "NOW", "Capture", "capture_cli", "local_fonts"]

NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)
COLUMNS = 100


@dataclass(frozen=True)
class Capture:
    name: str  # the file: site/cli/<name>.svg
    args: tuple[str, ...]  # after `scopix`
    caption: str


CAPTURES = (
    Capture(
        "dashboard",
        ("usage", "dashboard"),
        "The dashboard: totals, tokens, latency and the daily requests of the last 30 days.",
    ),
    Capture(
        "chart",
        ("usage", "chart", "--period-type", "day", "--metric", "credits",
         "--start-date", "2026-11-01", "--end-date", "2026-11-20"),
        "A chart of credits per day, November 1 to 20.",
    ),
)  # fmt: skip


def local_fonts(svg: str) -> str:
    """rich's SVG without its @font-face rules (they fetch Fira Code from a CDN): the capture
    names the font and falls back on the reader's monospace fonts."""
    svg = re.sub(r"@font-face \{.*?\}\s*", "", svg, flags=re.DOTALL)
    return svg.replace("font-family: Fira Code, monospace;", _FONTS)


_FONTS = 'font-family: "Fira Code", "DejaVu Sans Mono", Menlo, Consolas, monospace;'


def _outputs(env: dict[str, str]) -> list[str]:
    """Each capture's stdout; the commands run side by side (each mostly starts Python)."""
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "scopix.cli", *c.args],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for c in CAPTURES
    ]
    outputs = []
    for capture, proc in zip(CAPTURES, procs, strict=True):
        stdout, stderr = proc.communicate(timeout=60)
        if proc.returncode != 0:
            command = " ".join(capture.args)
            raise SystemExit(
                f"cli_captures: scopix {command} exited {proc.returncode}:\n{stderr.strip()}"
            )
        outputs.append(stdout)
    return outputs


def capture_cli(out: Path) -> list[Path]:
    """Write site/cli/<name>.svg for each capture; returns the files."""
    out.mkdir(parents=True, exist_ok=True)
    with start(now=NOW, rate_limit=False, record_requests=False) as sandbox:
        env = {**os.environ, **sandbox.env, "FORCE_COLOR": "1", "COLUMNS": str(COLUMNS)}
        for env_name in ("NO_COLOR", "SCOPIX_LOG"):
            env.pop(env_name, None)
        outputs = _outputs(env)
    written = []
    for capture, output in zip(CAPTURES, outputs, strict=True):
        console = Console(record=True, width=COLUMNS, file=io.StringIO(), force_terminal=True)
        console.print(Text.from_ansi(output.rstrip("\n")), soft_wrap=True)
        svg = local_fonts(console.export_svg(title="scopix " + " ".join(capture.args)))
        path = out / f"{capture.name}.svg"
        path.write_text(svg, encoding="utf-8")
        written.append(path)
    return written
