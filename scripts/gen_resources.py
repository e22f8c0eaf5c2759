"""Write the resource layer from openapi.yaml: `overlay/scopix/_async/usage.py` (the sync twin
follows by scripts/unasync.py) and `overlay/scopix/_literals.py`.

Every method's keywords, types, defaults and enums come from the operation's parameters, so no
default or bound is typed twice: an operation is a method named by its operationId; a list
operation (`limit`/`offset` parameters, an array and `has_more` in its answer) also gets a
`get_all_*` pager whose `page_size` is its `limit`. `--check` fails when the committed files
differ from what this writes.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "openapi.yaml"
USAGE = ROOT / "overlay" / "scopix" / "_async" / "usage.py"
LITERALS = ROOT / "overlay" / "scopix" / "_literals.py"
HEADER = (
    "# Generated from openapi.yaml by scripts/gen_resources.py; edit that, then make generate.\n"
)
JSON = dict[str, Any]

OPTIONS = """\
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,"""
PASS_OPTIONS = (
    '{"timeout": timeout, "max_retries": max_retries, '
    '"extra_headers": extra_headers, "extra_query": extra_query}'
)


class Spec:
    def __init__(self, doc: JSON) -> None:
        self.doc = doc

    def resolve(self, node: JSON) -> tuple[JSON, str | None]:
        ref = node.get("$ref")
        if ref is None:
            return node, None
        target: Any = self.doc
        for part in ref.removeprefix("#/").split("/"):
            target = target[part]
        return target, ref.rsplit("/", 1)[-1]

    def operations(self) -> list[JSON]:
        return [op for item in self.doc["paths"].values() for op in item.values()]

    def params(self, op: JSON) -> list[tuple[str, JSON, str | None]]:
        out = []
        for node in op.get("parameters", []):
            param, _ = self.resolve(node)
            schema, ref = self.resolve(param["schema"])
            out.append((param["name"], schema, ref))
        return out

    def response(self, op: JSON) -> tuple[str, JSON]:
        body = op["responses"]["200"]["content"]["application/json"]["schema"]
        schema, name = self.resolve(body)
        assert name, op["operationId"]
        return name, schema

    def enums(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for op in self.operations():
            for _, schema, ref in self.params(op):
                if ref and "enum" in schema:
                    found[ref] = list(schema["enum"])
        return dict(sorted(found.items()))


def literal_name(ref: str) -> str:
    return f"{ref}Value"


def annotation(schema: JSON, ref: str | None) -> str:
    if "enum" in schema:
        assert ref, schema
        return f"{literal_name(ref)} | {ref}"
    kind, fmt = schema.get("type"), schema.get("format")
    if kind == "integer":
        return "int"
    if kind == "boolean":
        return "bool"
    if fmt == "date-time":
        return "dt.datetime"
    if fmt == "date":
        return "dt.date"
    assert kind == "string", schema
    return "str"


def declare(name: str, schema: JSON, ref: str | None, *, rename: str | None = None) -> str:
    kind = annotation(schema, ref)
    if "default" in schema:
        return f"        {rename or name}: {kind} = {schema['default']!r},"
    return f"        {rename or name}: {kind} | None = None,"


def pages_of(spec: Spec, op: JSON) -> str | None:
    """The array property of a list operation's answer, or None when it is not one."""
    names = {name for name, _, _ in spec.params(op)}
    _, schema = spec.response(op)
    props = schema.get("properties", {})
    arrays = [k for k, v in props.items() if v.get("type") == "array"]
    if {"limit", "offset"} <= names and "has_more" in props and len(arrays) == 1:
        return str(arrays[0])
    return None


def item_model(spec: Spec, op: JSON, items: str) -> str:
    _, schema = spec.response(op)
    _, name = spec.resolve(schema["properties"][items]["items"])
    assert name
    return str(name)


def method(spec: Spec, op: JSON) -> str:
    op_id = op["operationId"]
    model, _ = spec.response(op)
    params = spec.params(op)
    lines = ["    @strict_keywords", f"    async def {op_id}(", "        self,", "        *,"]
    lines += [declare(name, schema, ref) for name, schema, ref in params]
    lines += [OPTIONS, f"    ) -> {model}:", f'        """{op["summary"]}."""']
    args = "{" + ", ".join(f'"{name}": {name}' for name, _, _ in params) + "}"
    lines += [
        f'        result: {model} = await self._call("{op_id}", {args}, {PASS_OPTIONS})',
        "        return result",
    ]
    return "\n".join(lines) + "\n"


def pager(spec: Spec, op: JSON, items: str) -> str:
    op_id = op["operationId"]
    name = "get_all_" + op_id.removeprefix("get_")
    page_model, _ = spec.response(op)
    item = item_model(spec, op, items)
    params = spec.params(op)
    filters = [(n, s, r) for n, s, r in params if n not in ("limit", "offset")]
    limit = next(s for n, s, _ in params if n == "limit")
    snapshot = any(n == "end_date" and s.get("format") == "date-time" for n, s, _ in filters)
    lines = ["    @strict_keywords", f"    def {name}(", "        self,", "        *,"]
    lines += [declare(n, s, r) for n, s, r in filters]
    lines.append(declare("limit", limit, None, rename="page_size"))
    lines.append("        resume_from: Mapping[str, Any] | None = None,")
    lines += [OPTIONS, f"    ) -> AsyncPager[{item}]:"]
    doc = f"Every item of every page of `{op_id}()`, in order"
    doc += " (the filters apply to every\n        page)." if filters else "."
    doc += "\n\n        `resume_from=` a pager's `position` continues its walk (with its filters)."
    if snapshot:
        doc += (
            " Without\n        `end_date` the listing is a snapshot up to the moment of this"
            " call (kept by every\n        walk and position): items recorded meanwhile would"
            " otherwise shift the pages."
        )
    doc += "\n        "
    lines.append(f'        """{doc}"""')
    lines.append(f'        check_page_size("{name}", "{op_id}", page_size)')
    entries = [f'"{n}": {n}' for n, _, _ in filters]
    lines.append("        filters: dict[str, Any] = {" + ", ".join(entries) + "}")
    lines.append(f"        options: dict[str, Any] = {PASS_OPTIONS}")
    lines.append(f'        check = functools.partial(prepare, self._client._config, "{op_id}")')
    lines.append('        check({**filters, "limit": page_size}, **options)')
    lines.append("        if resume_from is None:")
    lines.append(f'            walk = Walk("{op_id}", filters)')
    lines.append("        else:  # a position's filters are checked too")
    lines.append(f'            walk = resume("{op_id}", filters, resume_from)')
    lines.append('            check({**walk.filters, "limit": page_size}, **options)')
    if snapshot:
        lines.append('        if walk.filters["end_date"] is None:')
        lines.append(
            '            walk.filters["end_date"] = _snapshot_end(walk.filters["start_date"])'
        )
    lines += [
        "        raw = self.with_raw_response",
        "",
        f"        async def page(limit: int, offset: int) -> RawResponse[{page_model}]:",
        f"            return await raw.{op_id}(",
        "                **walk.filters, limit=limit, offset=offset, **options",
        "            )",
        "",
        f"        return AsyncPager(page, page_size, lambda p: p.{items}, walk)",
    ]
    return "\n".join(lines) + "\n"


def render_usage(spec: Spec) -> str:
    ops = [op for op in spec.operations() if "usage" in op.get("tags", ["usage"])]
    models: set[str] = set()
    body: list[str] = []
    raw: list[str] = []
    for op in ops:
        model, _ = spec.response(op)
        models.add(model)
        models.update(ref for _, s, ref in spec.params(op) if ref and "enum" in s)
        body.append(method(spec, op))
        raw.append(f"        self.{op['operationId']} = as_raw_async(usage.{op['operationId']})")
        items = pages_of(spec, op)
        if items:
            models.add(item_model(spec, op, items))
            body.append(pager(spec, op, items))
    tag = next(t for t in spec.doc["tags"] if t["name"] == "usage")
    limits = sorted({op["x-rate-limit"]["limit"] for op in ops})
    literals = sorted(literal_name(name) for name in spec.enums())
    out = [
        HEADER,
        f'"""`client.usage`: {tag["description"].split(" (")[0].lower()}."""',
        "",
        "from __future__ import annotations",
        "",
        "import datetime as dt",
        "import functools",
        "from collections.abc import Mapping",
        "from typing import TYPE_CHECKING, Any",
        "",
        "from .._base import (",
        "    NOT_GIVEN,",
        "    NotGiven,",
        "    QueryValue,",
        "    RawResponse,",
        "    Timeout,",
        "    as_raw_async,",
        "    check_page_size,",
        "    prepare,",
        "    strict_keywords,",
        ")",
        "from .._literals import " + ", ".join(literals),
        "from .._pagination import Walk, resume",
        "from .pager import AsyncPager",
        "",
        "if TYPE_CHECKING:",
        "    from ..types import " + ", ".join(sorted(models)),
        "    from .client import Scopix",
        "",
        "",
        "def _snapshot_end(start_date: dt.datetime | None) -> dt.datetime:",
        "    now = dt.datetime.now(dt.UTC)",
        "    if isinstance(start_date, dt.datetime) and start_date.utcoffset() is not None:",
        "        return max(now, start_date)",
        "    return now  # a bad start_date is reported by the argument checks",
        "",
        "",
        "class UsageResource:",
        f'    """`client.usage`: {tag["description"].split(" (")[0].lower()}.',
        "",
        "    Every method takes keyword arguments only, with the spec's defaults, and the",
        "    per-call options `timeout`, `max_retries`, `extra_headers` and `extra_query`. Rate",
        f"    limited per API key: {' or '.join(map(str, limits))} requests per minute (the"
        " spec's `x-rate-limit`).",
        '    """',
        "",
        "    def __init__(self, client: Scopix, *, raw: bool = False) -> None:",
        "        self._client = client",
        "        self._raw = raw",
        "",
        "    @property",
        "    def with_raw_response(self) -> UsageResourceWithRawResponse:",
        '        """The same methods, returning the HTTP response (headers, rate limit) with'
        ' `parse()`."""',
        "        return UsageResourceWithRawResponse(UsageResource(self._client, raw=True))",
        "",
        "    async def _call(",
        "        self, operation_id: str, args: dict[str, Any], options: dict[str, Any]",
        "    ) -> Any:",
        "        return await self._client._call(operation_id, args, raw=self._raw,"
        " options=options)",
        "",
    ]
    out += ["\n".join(body)]
    out += [
        "",
        "class UsageResourceWithRawResponse:",
        '    """`client.usage.with_raw_response`: each method returns a RawResponse."""',
        "",
        "    def __init__(self, usage: UsageResource) -> None:",
        *raw,
        "",
    ]
    return "\n".join(out)


def render_literals(spec: Spec) -> str:
    enums = spec.enums()
    lines = [
        HEADER,
        '"""The values of the spec\'s request enums as `Literal` types, so editors complete them',
        "and type checkers catch a misspelt one. A value a newer server accepts goes in",
        '`extra_query=`."""',
        "",
        "from typing import Literal",
        "",
        "__all__ = [" + ", ".join(f'"{literal_name(n)}"' for n in enums) + "]",
        "",
    ]
    for name, values in enums.items():
        lines.append(f"{literal_name(name)} = Literal[{', '.join(map(repr, values))}]")
    return "\n".join(lines) + "\n"


def _formatted(path: Path, text: str) -> str:
    ruff = str(Path(sys.executable).parent / "ruff")
    fixed = subprocess.run(
        [ruff, "check", "--fix-only", "--quiet", "--stdin-filename", str(path), "-"],
        input=text,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout
    return subprocess.run(
        [ruff, "format", "--quiet", "--stdin-filename", str(path), "-"],
        input=fixed,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout


def render() -> dict[Path, str]:
    spec = Spec(yaml.safe_load(SPEC.read_text(encoding="utf-8")))
    return {
        USAGE: _formatted(USAGE, render_usage(spec)),
        LITERALS: _formatted(LITERALS, render_literals(spec)),
    }


def main(argv: list[str]) -> int:
    stale = []
    for path, text in render().items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        if "--check" in argv:
            stale.append(str(path.relative_to(ROOT)))
        else:
            path.write_text(text, encoding="utf-8")
    if stale:
        print(f"{', '.join(stale)} differ from openapi.yaml: make generate")
        return 1
    if "--check" in argv:
        print("the resource layer matches openapi.yaml")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
