"""`make docs`: a self-contained HTML reference in one folder (default site/, not committed).

  api.html      the API reference from openapi.yaml (`redocly build-docs --inlineBundle`)
  sdk/          the Python SDK's public API, rendered by pdoc (scripts/sdk_reference.py):
                signatures, types, cross-links, search
  cli/*.svg     captures of the real `scopix` command against a sandbox (scripts/cli_captures.py)
  index.html    links to both references, and the captures

No page loads anything from the network: the build fails if a page or capture has a
`<script src>`, `<link href>`, `<img src>` or CSS `@import`/`url()` that points at another host.

Usage: build_docs.py [OUTPUT_DIR]
"""

from __future__ import annotations

import html
import importlib
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import yaml
from cli_captures import CAPTURES, capture_cli
from sdk_reference import build_sdk_reference, documented_modules

__all__ = ["external_references", "main"]

ROOT = Path(__file__).resolve().parent.parent
REDOCLY = ROOT / "node_modules" / ".bin" / "redocly"
NODE_ENV = {"REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true", "NO_COLOR": "1"}
# The static HTML and SVG only: Redoc's inlined JavaScript mentions URLs in strings it never
# fetches here, and an SVG's xmlns is a name, not a request.
EXTERNAL = re.compile(
    r"<(?:script|img|iframe|image)\b[^>]*\b(?:src|href)\s*=\s*[\"']?(?:https?:)?//"
    r"|<link\b[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//"
    r"|@import\s+(?:url\()?[\"']?(?:https?:)?//"
    r"|url\(\s*[\"']?(?:https?:)?//",
    re.IGNORECASE,
)
STYLE = """
body { font: 15px/1.5 system-ui, sans-serif; max-width: 64rem; margin: 2rem auto; padding: 0 1rem;
       color: #1d2330; }
figure { margin: 1.5rem 0; } figure img { max-width: 100%; }
figcaption { color: #445; } code { background: #eef0f4; padding: 0 .2em; border-radius: 3px; }
"""


def external_references(page: str) -> list[str]:
    """The pieces of an HTML or SVG page that would fetch something from another host."""
    return [m.group(0) for m in EXTERNAL.finditer(page)]


def start_api_reference(spec: Path, out: Path) -> subprocess.Popen[str]:
    """redocly in the background (a node process) while pdoc and the captures run here."""
    if not REDOCLY.exists():
        raise SystemExit(f"{REDOCLY} is missing: run `make install` (npm ci)")
    args = [str(REDOCLY), "build-docs", str(spec), "--inlineBundle", "--output", str(out)]
    args += ["--title", "Scopix Usage API reference"]
    return subprocess.Popen(
        args,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, **NODE_ENV},
    )


def finish_api_reference(proc: subprocess.Popen[str], out: Path) -> None:
    _, stderr = proc.communicate(timeout=300)
    if proc.returncode != 0 or not out.is_file():
        raise SystemExit(f"redocly build-docs exited {proc.returncode}:\n{stderr.strip()}")


def index_page(spec_version: str, sdk_version: str, modules: list[str]) -> str:
    sdk_links = ", ".join(
        f"<a href='sdk/{m.replace('.', '/')}.html'><code>{m}</code></a>" for m in modules
    )
    figures = "".join(
        f"<figure><img src='cli/{c.name}.svg' alt='scopix {html.escape(' '.join(c.args))}'>"
        f"<figcaption><code>scopix {html.escape(' '.join(c.args))}</code>: "
        f"{html.escape(c.caption)}</figcaption></figure>"
        for c in CAPTURES
    )
    body = (
        "<h1>Scopix documentation</h1><ul>"
        f"<li><a href='api.html'>Usage API reference</a> (openapi.yaml {spec_version})</li>"
        f"<li><a href='sdk/index.html'>Python SDK reference</a> (scopix {sdk_version}): "
        f"{sdk_links}</li></ul>"
        "<h2>The command line</h2><p>Captured by the build from the real <code>scopix</code> "
        "command against a local sandbox (seeded data, clock pinned to 2026-11-20).</p>" + figures
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>Scopix documentation</title><style>{STYLE}</style></head><body>{body}"
        "</body></html>\n"
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    out = Path(args[0] if args else ROOT / "site").resolve()
    out.mkdir(parents=True, exist_ok=True)
    # a build from scratch each time (sdk.html: the page of the hand-written renderer pdoc replaced)
    for stale in ("sdk", "cli", "sdk.html", "api.html"):
        if (out / stale).is_dir():
            shutil.rmtree(out / stale)
        (out / stale).unlink(missing_ok=True)
    started = time.monotonic()
    redocly = start_api_reference(ROOT / "openapi.yaml", out / "api.html")
    try:
        for warning in build_sdk_reference(out / "sdk"):
            print(f"build_docs: pdoc: {warning}", file=sys.stderr)
        capture_cli(out / "cli")
    finally:
        finish_api_reference(redocly, out / "api.html")
    info = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))["info"]
    sdk_version = importlib.import_module("scopix").__version__
    page = index_page(info["version"], sdk_version, documented_modules())
    (out / "index.html").write_text(page, "utf-8")
    files = sorted(p for p in out.rglob("*") if p.suffix in (".html", ".svg"))
    bad = {
        p.relative_to(out): refs
        for p in files
        if (refs := external_references(p.read_text(encoding="utf-8")))
    }
    for name, refs in bad.items():
        print(f"build_docs: {name} loads from the network: {refs[:3]}", file=sys.stderr)
    if bad:
        return 1
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) // 1024
    seconds = time.monotonic() - started
    print(f"build_docs: {os.path.relpath(out)}/: {len(files)} pages, {size} KiB, {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
