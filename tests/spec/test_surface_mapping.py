"""The public SDK surface (tests/spec/surface.json) maps onto openapi.yaml and the generated client.

surface.json is a hand copy of the methods table in API-SURFACE.md (beside this file, itself a
copy of the contract in shared/API-SURFACE.md, its origin noted at its top); the two are checked
against each other.
"""

from __future__ import annotations

import ast
import datetime
import importlib
import inspect
import json
import re
import types
import typing
from pathlib import Path
from typing import Any, NotRequired, TypedDict

import attrs
import pytest

import scopix_api.models
from scopix_api.types import Unset
from tests.openapi import ROOT, resolve, spec

SURFACE_MD = ROOT / "tests" / "spec" / "API-SURFACE.md"
PAGE_SIZE = "page_size"  # the iterators' keyword; it is the `limit` of each page request
# keyword type -> (JSON type, format) its spec parameter must have
PARAM_TYPES = {
    "str": ("string", None),
    "int": ("integer", None),
    "bool": ("boolean", None),
    "datetime": ("string", "date-time"),
    "date": ("string", "date"),
}
SCALARS: dict[str, type] = {
    "int": int,
    "float": float,
    "str": str,
    "bool": bool,
    "datetime": datetime.datetime,
    "date": datetime.date,
}


class Keyword(TypedDict):
    type: str
    default: Any


class Method(TypedDict):
    name: str
    operation_id: str
    returns: NotRequired[str]
    yields: NotRequired[str]
    keywords: dict[str, Keyword]
    attributes: dict[str, str]


METHODS: list[Method] = json.loads((Path(__file__).parent / "surface.json").read_text())["methods"]
BY_NAME = {m["name"]: m for m in METHODS}


def operation(operation_id: str) -> dict[str, Any]:
    document = spec()
    for item in document["paths"].values():
        for op in item.values():
            if isinstance(op, dict) and op.get("operationId") == operation_id:
                return op
    raise AssertionError(f"no operation {operation_id!r} in openapi.yaml")


def query_params(operation_id: str) -> dict[str, dict[str, Any]]:
    document = spec()
    params = (resolve(p, document) for p in operation(operation_id).get("parameters", []))
    return {p["name"]: p for p in params if p["in"] == "query"}


def test_surface_lists_the_fourteen_methods() -> None:
    assert len(BY_NAME) == len(METHODS) == 14


@pytest.mark.parametrize("method", METHODS, ids=lambda m: m["name"])
def test_operation_exists_in_spec_and_client(method: Method) -> None:
    op_id = method["operation_id"]
    operation(op_id)
    module = importlib.import_module(f"scopix_api.api.usage.{op_id}")
    accepted = inspect.signature(module.asyncio_detailed).parameters
    for keyword in method["keywords"]:
        assert ("limit" if keyword == PAGE_SIZE else keyword) in accepted, keyword


@pytest.mark.parametrize("method", METHODS, ids=lambda m: m["name"])
def test_keywords_are_the_query_parameters(method: Method) -> None:
    params = query_params(method["operation_id"])
    keywords = method["keywords"]
    expected = set(params)
    if PAGE_SIZE in keywords:  # the iterators page with limit/offset themselves
        expected -= {"limit", "offset"}
        expected.add(PAGE_SIZE)
    assert set(keywords) == expected
    for name, keyword in keywords.items():
        schema = resolve(params["limit" if name == PAGE_SIZE else name]["schema"])
        assert (schema.get("type"), schema.get("format")) == PARAM_TYPES[keyword["type"]], name
        if name == PAGE_SIZE:
            assert schema["minimum"] <= keyword["default"] <= schema["maximum"]
        else:
            assert schema.get("default") == keyword["default"], name


def parse_type(text: str) -> tuple[Any, bool]:
    """(Python type, optional) for a surface.json type: `int`, `list[Model]`, `Model | None`."""
    optional = text.endswith(" | None")
    base = text.removesuffix(" | None")
    if base.startswith("list[") and base.endswith("]"):
        return types.GenericAlias(list, (model_class(base[5:-1]),)), optional
    return SCALARS.get(base) or model_class(base), optional


def model_class(name: str) -> type:
    cls = getattr(scopix_api.models, name)
    assert attrs.has(cls), f"{name} is not a generated attrs model"
    return typing.cast(type, cls)


def field_type(cls: type, name: str) -> Any:
    assert name in attrs.fields_dict(cls), f"{cls.__name__} has no attribute {name!r}"
    # Models import each other under TYPE_CHECKING only: resolve names in the models package.
    hints = typing.get_type_hints(cls, localns=vars(scopix_api.models))
    return hints[name]


def members(annotation: Any) -> set[Any]:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return set(typing.get_args(annotation))
    return {annotation}


def inner(annotation: Any, through_list: bool) -> type:
    """The model class a path continues into from `annotation`."""
    (only,) = members(annotation) - {type(None), Unset}
    if through_list:
        assert typing.get_origin(only) is list, annotation
        (only,) = typing.get_args(only)
    return typing.cast(type, only)


def attribute_type(root: type, path: str) -> Any:
    cls, annotation = root, None
    for i, segment in enumerate(path.split(".")):
        if i:
            cls = inner(annotation, through_list=path.split(".")[i - 1].endswith("[]"))
        annotation = field_type(cls, segment.removesuffix("[]"))
    return annotation


@pytest.mark.parametrize("method", METHODS, ids=lambda m: m["name"])
def test_attributes_have_the_types_the_examples_need(method: Method) -> None:
    root = model_class(method.get("returns") or method["yields"])
    for path, wanted in method["attributes"].items():
        needed, optional = parse_type(wanted)
        got = members(attribute_type(root, path))
        if optional:  # None or Unset both read as "absent" once the SDK maps Unset to None
            assert needed in got, (path, got)
            assert got <= {needed, type(None), Unset}, (path, got)
        else:  # read without a guard: must always be there and of this type
            assert got == {needed}, (path, got)


def table_rows(markdown: str) -> dict[str, list[str]]:
    """Method name -> cells of the methods table (cells split on unescaped `|`)."""
    rows: dict[str, list[str]] = {}
    for line in markdown.splitlines():
        cells = [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        if len(cells) == 4 and (m := re.fullmatch(r"`(\w+)`", cells[0])):
            rows[m.group(1)] = cells
    return rows


def keyword_defaults(cell: str) -> dict[str, Any]:
    """`name: type = default` items of a keywords cell; no default means None."""
    cell = re.sub(r"\([^)]*\)", "", cell)  # drop "(`day`, `week`)" value lists and notes
    found: dict[str, Any] = {}
    for item in re.findall(r"`([^`]+)`", cell):
        name, _, rest = item.partition(":")
        _, eq, default = rest.partition("=")
        found[name.strip()] = ast.literal_eval(default.strip()) if eq else None
    return found


def test_surface_json_matches_api_surface_md() -> None:
    rows = table_rows(SURFACE_MD.read_text(encoding="utf-8"))
    assert set(rows) == set(BY_NAME)
    for name, (_, keywords_cell, returns_cell, attributes_cell) in rows.items():
        method = BY_NAME[name]
        defaults = {k: v["default"] for k, v in method["keywords"].items()}
        assert keyword_defaults(keywords_cell) == defaults, name
        returns = method.get("returns") or f"AsyncIterator[{method.get('yields')}]"
        assert returns_cell == f"`{returns}`", name
        named = set(re.findall(r"`([a-z_][a-z_.]*)`", attributes_cell))
        ours = {
            part.removesuffix("[]") for path in method["attributes"] for part in path.split(".")
        }
        assert {part for n in named for part in n.split(".")} <= ours, name
