"""Hypothesis strategies for response bodies, built from the spec's own schemas.

`valid(schema)` draws bodies the spec allows (optional fields left out, extra fields, unknown
values of open enums, unicode, huge integers, deep nesting in extras); `broken(schema)` draws a
valid body and breaks it once (a wrong type, a missing required field, a null where none is
allowed). jsonschema, on the same spec, is the oracle of which is which.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from tests import openapi

SCHEMAS: dict[str, Any] = openapi.schemas()

OFFSETS = st.sampled_from(["Z", "+00:00", "+02:00", "-05:30", "+14:00"])
JSON_LEAF = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)


def resolve(node: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = openapi.resolve(node)
    return found


def _date_time() -> st.SearchStrategy[str]:
    moments = st.datetimes(min_value=dt.datetime(1970, 1, 1), max_value=dt.datetime(2200, 1, 1))
    return st.builds(lambda d, off: d.isoformat(timespec="auto") + off, moments, OFFSETS)


def _nest(depth: int) -> Any:
    value: Any = "bottom"
    for level in range(depth):
        value = [value] if level % 2 else {"k": value}
    return value


# Deep nesting, cheap to draw (recursive strategies are slow to generate).
DEEP = st.integers(min_value=1, max_value=200).map(_nest)


def valid(node: dict[str, Any]) -> st.SearchStrategy[Any]:
    node = resolve(node)
    if "anyOf" in node:
        return st.one_of([valid(option) for option in node["anyOf"]])
    kind = node.get("type")
    if isinstance(kind, list):
        return st.one_of([valid({**node, "type": k}) for k in kind])
    if "enum" in node:
        return st.sampled_from(node["enum"])
    if kind == "null":
        return st.none()
    if kind == "boolean":
        return st.booleans()
    if kind == "integer":
        return st.integers() | st.integers(min_value=-(10**30), max_value=10**30)
    if kind == "number":
        return st.floats(allow_nan=False, allow_infinity=False) | st.integers(-(10**6), 10**6)
    if kind == "string":
        fmt = node.get("format")
        if fmt == "date-time":
            return _date_time()
        if fmt == "date":
            return st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)).map(dt.date.isoformat)
        if "pattern" in node:
            return st.from_regex(node["pattern"])
        return st.text()
    if kind == "array":
        return st.lists(valid(node["items"]), max_size=3)
    if kind == "object":
        if "properties" not in node:
            return st.dictionaries(st.text(max_size=5), JSON_LEAF, max_size=3)
        return _object(node)
    raise AssertionError(f"no strategy for {node}")


def _object(node: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    props = node["properties"]
    required = set(node.get("required", ()))
    fixed = st.fixed_dictionaries(
        {k: valid(v) for k, v in props.items() if k in required},
        optional={k: valid(v) for k, v in props.items() if k not in required},
    )
    extras = st.dictionaries(
        st.text(min_size=1, max_size=8).filter(lambda k: k not in props),
        JSON_LEAF | DEEP,
        max_size=2,
    )
    return st.builds(lambda body, more: {**more, **body}, fixed, extras)


# (path to a field, its schema, whether it is required, whether null is allowed)
Site = tuple[tuple[str | int, ...], dict[str, Any], bool, bool]


def _nullable(node: dict[str, Any]) -> bool:
    node = resolve(node)
    kind = node.get("type")
    return (
        kind == "null"
        or (isinstance(kind, list) and "null" in kind)
        or any(_nullable(o) for o in node.get("anyOf", []))
    )


def sites(body: Any, node: dict[str, Any], path: tuple[str | int, ...] = ()) -> list[Site]:
    """Every known field present in `body`, with what the schema says of it."""
    node = resolve(node)
    out: list[Site] = []
    if isinstance(body, dict) and "properties" in node:
        required = set(node.get("required", ()))
        for key, sub in node["properties"].items():
            if key in body:
                out.append(((*path, key), sub, key in required, _nullable(sub)))
                out.extend(sites(body[key], _object_option(sub, body[key]), (*path, key)))
    elif isinstance(body, list) and node.get("type") == "array":
        for i, item in enumerate(body):
            out.extend(sites(item, node["items"], (*path, i)))
    return out


def _object_option(node: dict[str, Any], value: Any) -> dict[str, Any]:
    node = resolve(node)
    for option in node.get("anyOf", []):
        option = resolve(option)
        if option.get("type") == "object" and isinstance(value, dict):
            return option
    return node


WRONG = st.sampled_from(["abc", 12, 1.5, True, [], {}, "2026-13-45", "", 10**40])


def broken(node: dict[str, Any]) -> st.SearchStrategy[Any]:
    """A valid body, broken once; jsonschema decides whether it really is broken."""

    @st.composite
    def draw(draw_: st.DrawFn) -> Any:
        body = draw_(valid(node))
        candidates = sites(body, node)
        how = draw_(st.sampled_from(["type", "drop", "null", "root"]))
        if how == "root" or not candidates:
            return draw_(st.sampled_from([[], "x", 5, None]))
        path = draw_(st.sampled_from(candidates))[0]
        parent = body
        for part in path[:-1]:
            parent = parent[part]
        if how == "drop":
            del parent[path[-1]]
        elif how == "null":
            parent[path[-1]] = None
        else:
            parent[path[-1]] = draw_(WRONG)
        return body

    return draw()
