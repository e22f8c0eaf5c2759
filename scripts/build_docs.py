"""`make docs`: a self-contained HTML reference in one folder (default site/, not committed).

  api.html    the API reference from openapi.yaml (`redocly build-docs --inlineBundle`)
  sdk.html    the Python SDK's public API (`scopix`, `scopix.pacing`, `scopix.types`): every
              name in their `__all__` with its signature and docstring
  index.html  links to both

Each page must load nothing from the network: the build fails if one has a `<script src>`,
`<link href>`, `<img src>` or CSS `@import`/`url()` that points at another host.

Usage: build_docs.py [OUTPUT_DIR]
"""

from __future__ import annotations

import enum
import html
import importlib
import inspect
import os
import re
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, ForwardRef, Generic, is_typeddict

import yaml

ROOT = Path(__file__).resolve().parent.parent
REDOCLY = ROOT / "node_modules" / ".bin" / "redocly"
NODE_ENV = {"REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true", "NO_COLOR": "1"}
MODULES = ("scopix", "scopix.pacing", "scopix.types")
# The static HTML only: Redoc's inlined JavaScript mentions URLs in strings it never fetches here.
EXTERNAL = re.compile(
    r"<(?:script|img|iframe)\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//"
    r"|<link\b[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//"
    r"|@import\s+(?:url\()?[\"']?(?:https?:)?//"
    r"|url\(\s*[\"']?(?:https?:)?//",
    re.IGNORECASE,
)
STYLE = """
body { font: 15px/1.5 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem;
       color: #1d2330; }
h1 { margin-bottom: 0; } h2 { border-bottom: 1px solid #ccd; margin-top: 2.5rem; }
h3 { font: 600 15px ui-monospace, monospace; margin: 1.5rem 0 .3rem; }
.sig, .member { font-family: ui-monospace, monospace; font-size: 13px; }
.doc { white-space: pre-wrap; margin: .2rem 0 .6rem 1.2rem; color: #333; }
.member { margin: .6rem 0 0 1.2rem; font-weight: 600; }
.member + .doc { margin-left: 2.4rem; }
code { background: #eef0f4; padding: 0 .2em; border-radius: 3px; }
nav a { margin-right: 1rem; }
"""


def external_references(page: str) -> list[str]:
    """The pieces of an HTML page that would fetch something from another host."""
    return [m.group(0) for m in EXTERNAL.finditer(page)]


def build_api_reference(spec: Path, out: Path) -> None:
    if not REDOCLY.exists():
        raise SystemExit(f"{REDOCLY} is missing: run `make install` (npm ci)")
    args = [str(REDOCLY), "build-docs", str(spec), "--inlineBundle", "--output", str(out)]
    args += ["--title", "Scopix Usage API reference"]
    proc = subprocess.run(
        args, capture_output=True, text=True, check=False, cwd=ROOT, env={**os.environ, **NODE_ENV}
    )
    if proc.returncode != 0 or not out.is_file():
        raise SystemExit(f"redocly build-docs exited {proc.returncode}:\n{proc.stderr.strip()}")


def _doc(text: str | None) -> str:
    if not text:
        return ""
    body = html.escape(inspect.cleandoc(text))
    return '<div class="doc">' + re.sub(r"`([^`\n]+)`", r"<code>\1</code>", body) + "</div>"


def _annotation(value: Any) -> str:
    if isinstance(value, ForwardRef):
        return value.__forward_arg__
    return value if isinstance(value, str) else inspect.formatannotation(value)


def _signature(obj: Callable[..., Any], skip_self: bool = False) -> str:
    """The signature with the annotations as written (they are strings under PEP 563)."""
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return "(...)"
    params, star_done = [], False
    for p in list(sig.parameters.values())[1 if skip_self else 0 :]:
        if p.kind is p.KEYWORD_ONLY and not star_done:
            params.append("*")
        star_done = star_done or p.kind in (p.KEYWORD_ONLY, p.VAR_POSITIONAL)
        prefix = "*" if p.kind is p.VAR_POSITIONAL else "**" if p.kind is p.VAR_KEYWORD else ""
        text = prefix + p.name
        if p.annotation is not p.empty:
            text += f": {_annotation(p.annotation)}"
        if p.default is not p.empty:
            text += f" = {p.default!r}"
        params.append(text)
    ret = "" if sig.return_annotation is sig.empty else f" -> {_annotation(sig.return_annotation)}"
    return f"({', '.join(params)}){ret}"


def _members(cls: type) -> list[str]:
    parts = []
    for name, value in vars(cls).items():
        if name.startswith("_"):
            continue
        if isinstance(value, property):
            head, doc = f"property {name}", value.__doc__
        elif isinstance(value, (classmethod, staticmethod)):
            kind = type(value).__name__
            head, doc = f"@{kind} {name}{_signature(value.__func__)}", value.__func__.__doc__
        elif inspect.isfunction(value):
            is_async = inspect.iscoroutinefunction(value) or inspect.isasyncgenfunction(value)
            head = f"{'async ' if is_async else ''}def {name}{_signature(value, skip_self=True)}"
            doc = value.__doc__
        else:
            continue
        parts.append(f'<div class="member">{html.escape(head)}</div>{_doc(doc)}')
    return parts


def _entry(module: str, name: str, obj: Any) -> str:
    anchor = f'id="{module}.{name}"'
    if isinstance(obj, type) and issubclass(obj, enum.Enum):
        values = html.escape(", ".join(repr(m.value) for m in obj))
        return f"<h3 {anchor}>enum {name}</h3>{_doc(obj.__doc__)}<div class='doc'>{values}</div>"
    if is_typeddict(obj):
        keys = "\n".join(f"{k}: {_annotation(v)}" for k, v in obj.__annotations__.items())
        head = f"<h3 {anchor}>TypedDict {name}</h3>"
        return head + _doc(obj.__doc__) + f'<div class="doc">{html.escape(keys)}</div>'
    if isinstance(obj, type):
        # Models (scopix.types): their docstring lists the fields; users never build them.
        sig = "" if module == "scopix.types" else _signature(obj)
        bases = ", ".join(b.__name__ for b in obj.__bases__ if b not in (object, Generic))
        sub = f'<div class="doc">subclass of {html.escape(bases)}</div>' if bases else ""
        members = "" if module == "scopix.types" else "".join(_members(obj))
        head = f"<h3 {anchor}>{html.escape(f'class {name}{sig}')}</h3>"
        return head + sub + _doc(obj.__doc__) + members
    if callable(obj):
        return f"<h3 {anchor}>{html.escape(name + _signature(obj))}</h3>{_doc(obj.__doc__)}"
    return f"<h3 {anchor}>{html.escape(f'{name} = {obj!r}')}</h3>"


def _rank(obj: Any) -> int:
    """Classes and functions first, then constants, then errors (a stable sort keeps __all__)."""
    if isinstance(obj, type) and issubclass(obj, (Exception, Warning)):
        return 2
    return 0 if callable(obj) else 1


def sdk_reference() -> str:
    scopix = importlib.import_module("scopix")
    version = str(scopix.__version__)
    sections, toc = [], []
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        names = [n for n in getattr(module, "__all__", []) if not n.startswith("__")]
        ordered = sorted(names, key=lambda n: _rank(getattr(module, n)))
        entries = "".join(_entry(module_name, n, getattr(module, n)) for n in ordered)
        sections.append(f'<h2 id="{module_name}">{module_name}</h2>{_doc(module.__doc__)}{entries}')
        toc.append(f'<a href="#{module_name}">{module_name}</a>')
    nav = f"<nav><a href='index.html'>index</a><a href='api.html'>API</a>{''.join(toc)}</nav>"
    return _page(f"Scopix Python SDK {version} reference", nav + "".join(sections))


def _page(title: str, body: str) -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f"<style>{STYLE}</style></head><body><h1>{title}</h1>{body}</body></html>\n"
    )


def index_page(spec_version: str, sdk_version: str) -> str:
    return _page(
        "Scopix documentation",
        f"<ul><li><a href='api.html'>Usage API reference</a> (openapi.yaml {spec_version})</li>"
        f"<li><a href='sdk.html'>Python SDK reference</a> (scopix {sdk_version})</li></ul>",
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    out = Path(args[0] if args else ROOT / "site").resolve()
    out.mkdir(parents=True, exist_ok=True)
    build_api_reference(ROOT / "openapi.yaml", out / "api.html")
    (out / "sdk.html").write_text(sdk_reference(), encoding="utf-8")
    info = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))["info"]
    sdk_version = importlib.import_module("scopix").__version__
    (out / "index.html").write_text(index_page(info["version"], sdk_version), "utf-8")
    bad = {
        page.name: refs
        for page in sorted(out.glob("*.html"))
        if (refs := external_references(page.read_text(encoding="utf-8")))
    }
    for name, refs in bad.items():
        print(f"build_docs: {name} loads from the network: {refs[:3]}", file=sys.stderr)
    if bad:
        return 1
    sizes = ", ".join(
        f"{p.name} {p.stat().st_size // 1024} KiB" for p in sorted(out.glob("*.html"))
    )
    print(f"build_docs: {os.path.relpath(out)}/: {sizes}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
