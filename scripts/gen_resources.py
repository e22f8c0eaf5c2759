"""Write the resource layer from openapi.yaml: `overlay/scopix/_generated/` (one module per tag
of the spec, with the async and sync resource classes, the request enums as Literal types, the
clients' resource attributes) and `overlay/scopix/types.py`.

The generated classes only declare: every method's keywords, types, defaults and enums come from
the operation's parameters (no default or bound is typed twice), and its body hands them to the
hand-written base (`_async/resource.py`, `_sync/resource.py`). An operation is a method named by
its operationId on the resource of its first tag; a list operation (`limit`/`offset` parameters, an
array and `has_more` in its answer) also gets a `get_all_*` pager whose `page_size` is its `limit`.
`--check` fails when the committed files differ from what this writes; `--spec` and `--out` write
the layer of another spec elsewhere (scripts/check_new_endpoint.py).
"""

from __future__ import annotations

import argparse
import ast
import importlib.util
import subprocess
import sys
from pathlib import Path
from typing import Any

import spec_refs
import yaml

ROOT = Path(__file__).resolve().parent.parent


def _load_spec_module() -> Any:
    # The overlay's own rule for a tag's module name; loaded alone, since importing the package
    # needs the files this script writes.
    path = ROOT / "overlay" / "scopix" / "_spec.py"
    found = importlib.util.spec_from_file_location("_scopix_spec", path)
    assert found
    assert found.loader
    module = importlib.util.module_from_spec(found)
    sys.modules[found.name] = module
    found.loader.exec_module(module)
    return module


module_name = _load_spec_module().module_name
SPEC = ROOT / "openapi.yaml"
OVERLAY = ROOT / "overlay" / "scopix"
MODELS = ROOT / "generated" / "scopix_api" / "models" / "__init__.py"
HEADER = (
    "# Code generated from openapi.yaml by scripts/gen_resources.py. DO NOT EDIT.\n"
    "# Change openapi.yaml (or the script), then run make generate.\n"
)
JSON = dict[str, Any]
FLAVOURS = ("async", "sync")


class Spec:
    def __init__(self, doc: JSON) -> None:
        self.doc = doc

    def resolve(self, node: JSON) -> tuple[JSON, str | None]:
        """The node a `$ref` names and the component's name (the node itself and None)."""
        return spec_refs.resolve(self.doc, node), spec_refs.ref_name(node)

    def operations(self) -> list[JSON]:
        return [op for item in self.doc["paths"].values() for op in item.values()]

    def tags(self) -> dict[str, JSON]:
        """Each tag that has operations, as its module name, with its operations."""
        found: dict[str, JSON] = {}
        described = {t["name"]: t for t in self.doc.get("tags", [])}
        for op in self.operations():
            name = op["tags"][0]
            entry = found.setdefault(
                module_name(name), {"tag": described.get(name, {"name": name}), "ops": []}
            )
            entry["ops"].append(op)
        return found

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


def class_name(module: str, flavour: str) -> str:
    base = "".join(part.title() for part in module.split("_")) + "Resource"
    return base if flavour == "async" else "Sync" + base


def annotation(schema: JSON, ref: str | None) -> str:
    if "enum" in schema:
        assert ref, schema
        return f"{literal_name(ref)} | {ref}"
    kind, fmt = schema.get("type"), schema.get("format")
    if kind == "integer":
        return "int"
    if kind == "number":
        return "float"
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


def pager_name(op: JSON) -> str:
    return "get_all_" + str(op["operationId"]).removeprefix("get_")


def args_dict(names: list[str]) -> str:
    return "{" + ", ".join(f'"{n}": {n}' for n in names) + "}"


def method(spec: Spec, op: JSON, flavour: str) -> str:
    op_id = op["operationId"]
    model, _ = spec.response(op)
    params = spec.params(op)
    prefix, wait = ("async ", "await ") if flavour == "async" else ("", "")
    lines = ["    @strict_keywords", f"    {prefix}def {op_id}(", "        self,"]
    if params:
        lines.append("        *,")
    lines += [declare(name, schema, ref) for name, schema, ref in params]
    lines += ["        **options: Unpack[RequestOptions],", f"    ) -> {model}:"]
    lines.append(f'        """{op["summary"]}."""')
    args = args_dict([name for name, _, _ in params])
    lines.append(f'        result: {model} = {wait}self._request("{op_id}", {args}, options)')
    lines.append("        return result")
    return "\n".join(lines) + "\n"


def pager(spec: Spec, op: JSON, items: str, flavour: str) -> str:
    op_id = op["operationId"]
    name = pager_name(op)
    item = item_model(spec, op, items)
    params = spec.params(op)
    filters = [(n, s, r) for n, s, r in params if n not in ("limit", "offset")]
    limit = next(s for n, s, _ in params if n == "limit")
    pager_cls = "AsyncPager" if flavour == "async" else "SyncPager"
    lines = ["    @strict_keywords", f"    def {name}(", "        self,", "        *,"]
    lines += [declare(n, s, r) for n, s, r in filters]
    lines.append(declare("limit", limit, None, rename="page_size"))
    lines.append("        resume_from: Mapping[str, object] | None = None,")
    lines += ["        **options: Unpack[RequestOptions],", f"    ) -> {pager_cls}[{item}]:"]
    doc = f"Every item of every page of `{op_id}()`, in order"
    doc += " (the filters apply to every\n        page)." if filters else "."
    doc += "\n\n        `resume_from=` a pager's `position` continues its walk (with its filters)."
    if snapshot_of(filters):
        doc += (
            " Without\n        `end_date` the listing is a snapshot up to the moment of this"
            " call (kept by every\n        walk and position): items recorded meanwhile would"
            " otherwise shift the pages."
        )
    doc += "\n        "
    lines.append(f'        """{doc}"""')
    args = args_dict([n for n, _, _ in filters])
    lines.append(f"        pager: {pager_cls}[{item}] = self._paginate(")
    lines.append(f'            LISTINGS["{name}"], {args}, page_size, resume_from, options')
    lines.append("        )")
    lines.append("        return pager")
    return "\n".join(lines) + "\n"


def snapshot_of(filters: list[tuple[str, JSON, str | None]]) -> bool:
    return any(n == "end_date" and s.get("format") == "date-time" for n, s, _ in filters)


def mixin_of(module: str) -> str | None:
    """The hand-written methods a tag's resource inherits, when `_async/<tag>_methods.py`
    exists: its class `<Tag>Methods` (an AsyncResource; its sync twin comes from unasync)."""
    if not (OVERLAY / "_async" / f"{module}_methods.py").exists():
        return None
    return "".join(part.title() for part in module.split("_")) + "Methods"


def render_resource(spec: Spec, module: str, entry: JSON) -> str:
    ops: list[JSON] = entry["ops"]
    summary = entry["tag"].get("description", entry["tag"]["name"]).split(" (")[0].rstrip(".")
    models: set[str] = set()
    listings: list[str] = []
    bodies: dict[str, list[str]] = {f: [] for f in FLAVOURS}
    for op in ops:
        model, _ = spec.response(op)
        models.add(model)
        models.update(ref for _, s, ref in spec.params(op) if ref and "enum" in s)
        items = pages_of(spec, op)
        if items:
            models.add(item_model(spec, op, items))
            filters = [(n, s, r) for n, s, r in spec.params(op) if n not in ("limit", "offset")]
            listings.append(
                f'    "{pager_name(op)}": Listing("{pager_name(op)}", "{op["operationId"]}",'
                f' "{items}", snapshot={snapshot_of(filters)}),'
            )
        for flavour in FLAVOURS:
            bodies[flavour].append(method(spec, op, flavour))
            if items:
                bodies[flavour].append(pager(spec, op, items, flavour))
    limits = sorted({op["x-rate-limit"]["limit"] for op in ops})
    used = {annotation(s, r).split(" | ")[0] for op in ops for _, s, r in spec.params(op)}
    literals = sorted(name for name in used if name.endswith("Value"))
    out = [
        HEADER,
        f'"""`client.{module}`: {summary[0].lower() + summary[1:]}."""',
        "",
        "from __future__ import annotations",
        "",
        "import datetime as dt",
        "from collections.abc import Mapping",
        "from typing import TYPE_CHECKING, Any, Unpack",
        "",
        "from .._async.pager import AsyncPager",
        "from .._async.resource import AsyncResource",
        "from .._call import as_raw_async, as_raw_sync",
        "from .._options import RequestOptions, strict_keywords",
        "from .._pagination import Listing",
        "from .._sync.pager import SyncPager",
        "from .._sync.resource import SyncResource",
    ]
    mixin = mixin_of(module)
    if mixin:
        out.append(f"from .._async.{module}_methods import {mixin} as Async{mixin}")
        out.append(f"from .._sync.{module}_methods import {mixin} as Sync{mixin}")
    if literals:
        out.append("from .literals import " + ", ".join(literals))
    out += [
        "",
        "if TYPE_CHECKING:",
        "    from ..types import " + ", ".join(sorted(models)),
        "",
        "__all__ = ["
        + ", ".join(
            f'"{class_name(module, f)}{suffix}"'
            for f in FLAVOURS
            for suffix in ("", "WithRawResponse")
        )
        + "]",
        "",
        "# The list operations each `get_all_*` walks: the field of the answer that holds the",
        "# items, and whether a walk without `end_date` is pinned to the time of the call.",
        "LISTINGS: dict[str, Listing] = {",
        *listings,
        "}",
        "",
    ]
    for flavour in FLAVOURS:
        cls = class_name(module, flavour)
        base = "AsyncResource" if flavour == "async" else "SyncResource"
        if mixin:
            base = ("Async" if flavour == "async" else "Sync") + mixin
        client = "Scopix" if flavour == "async" else "SyncScopix"
        out += [
            "",
            f"class {cls}({base}):",
            f'    """`{client}.{module}`: {summary[0].lower() + summary[1:]}.',
            "",
            "    Every method takes keyword arguments only, with the spec's defaults, and the",
            "    per-call options `timeout`, `max_retries`, `extra_headers` and `extra_query`",
            "    (`RequestOptions`). Rate limited per API key:"
            f" {' or '.join(map(str, limits))} requests per minute",
            "    (the spec's `x-rate-limit`).",
            '    """',
            "",
            "    @property",
            f"    def with_raw_response(self) -> {cls}WithRawResponse:",
            '        """The same methods, returning the HTTP response (headers, rate limit) with'
            ' `parse()`."""',
            f"        return {cls}WithRawResponse({cls}(self._client, raw=True))",
            "",
            "\n".join(bodies[flavour]),
            "",
            f"class {cls}WithRawResponse:",
            f'    """`{client}.{module}.with_raw_response`: each method returns a RawResponse."""',
            "",
            f"    def __init__(self, resource: {cls}) -> None:",
            *(
                f"        self.{op['operationId']} = as_raw_{flavour}(resource.{op['operationId']})"
                for op in ops
            ),
            "",
        ]
    return "\n".join(out)


def render_api(spec: Spec) -> str:
    tags = spec.tags()
    out = [
        HEADER,
        '"""The clients\' resource attributes, one per tag of the spec (`client.usage`)."""',
        "",
        "from __future__ import annotations",
        "",
        "from typing import TYPE_CHECKING",
        "",
        *(
            f"from .{m} import {class_name(m, 'async')}, {class_name(m, 'sync')}"
            for m in sorted(tags)
        ),
        "",
        "if TYPE_CHECKING:",
        "    from .._async.client import Scopix",
        "    from .._sync.client import SyncScopix",
        "",
        '__all__ = ["AsyncAPI", "SyncAPI"]',
    ]
    for flavour in FLAVOURS:
        api = "AsyncAPI" if flavour == "async" else "SyncAPI"
        client = "Scopix" if flavour == "async" else "SyncScopix"
        out += [
            "",
            "",
            f"class {api}:",
            f'    """The {flavour} client\'s resources."""',
            "",
            *(f"    {m}: {class_name(m, flavour)}" for m in sorted(tags)),
            "",
            f"    def _bind_resources(self, client: {client}) -> None:",
            *(f"        self.{m} = {class_name(m, flavour)}(client)" for m in sorted(tags)),
        ]
    return "\n".join(out) + "\n"


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


def generated_models(models_init: Path) -> list[str]:
    tree = ast.parse(models_init.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "__all__":
            return [str(name) for name in ast.literal_eval(node.value)]
    raise SystemExit(f"{models_init}: no __all__")


def render_types(spec: Spec, models_init: Path) -> str:
    named = set(spec.doc["components"]["schemas"])
    models = sorted(m for m in generated_models(models_init) if m in named)
    literals = sorted(literal_name(n) for n in spec.enums())
    extra = {"RawResponse": "._call", "RateLimitInfo": "._policy"}
    lines = [
        HEADER,
        '"""The models the SDK returns, named as in the spec. They are the generated attrs',
        "classes, filled by the SDK's checking parser: absent optional fields read as None,",
        "date-times are aware, and unknown enum values stay plain strings. `<Enum>Value` are the",
        'request enums as `Literal` types."""',
        "",
        "from scopix_api.models import " + ", ".join(models),
        "",
        "from ._generated.literals import " + ", ".join(literals),
        *(f"from {where} import {name}" for name, where in extra.items()),
        "",
        "__all__ = [" + ", ".join(f'"{n}"' for n in sorted([*models, *literals, *extra])) + "]",
    ]
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


def render(spec_path: Path, out: Path, models_init: Path) -> dict[Path, str]:
    spec = Spec(yaml.safe_load(spec_path.read_text(encoding="utf-8")))
    gen = out / "_generated"
    files = {
        gen / "__init__.py": render_api(spec),
        gen / "literals.py": render_literals(spec),
        out / "types.py": render_types(spec, models_init),
    }
    for module, entry in spec.tags().items():
        files[gen / f"{module}.py"] = render_resource(spec, module, entry)
    return {path: _formatted(OVERLAY / path.relative_to(out), text) for path, text in files.items()}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--spec", type=Path, default=SPEC)
    parser.add_argument("--out", type=Path, default=OVERLAY, help="the package folder")
    parser.add_argument("--models", type=Path, default=MODELS, help="generated models/__init__.py")
    args = parser.parse_args(argv)
    files = render(args.spec, args.out, args.models)
    stale = [str(p) for p in sorted((args.out / "_generated").glob("*.py")) if p not in files]
    for path, text in files.items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        if args.check:
            stale.append(str(path))
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    if stale and args.check:
        print(f"{', '.join(stale)} differ from openapi.yaml: make generate")
        return 1
    for left in stale:  # a tag that left the spec
        Path(left).unlink()
    if args.check:
        print("the resource layer matches openapi.yaml")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
