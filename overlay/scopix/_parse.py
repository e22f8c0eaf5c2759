"""Turn decoded JSON into the generated models, checking it against the spec's schemas.

The generated `from_dict` trusts its input (`"abc"` passes as an int, a missing key is a KeyError,
an unknown enum value a ValueError) and leaves absent fields as `UNSET`. This parser is compiled
once per schema from the spec and does one pass that checks types, keeps unknown fields and enum
values (forward compatibility), reads absent optional fields as None and makes date-times aware.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Callable
from enum import Enum
from typing import Any

import attrs

import scopix_api.models as _models

from . import _spec

Parser = Callable[[Any, str], Any]


class InvalidBody(Exception):
    """The body does not match the schema; `str()` says where and how."""


def _fail(path: str, expected: str, value: Any) -> InvalidBody:
    shown = repr(value)
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return InvalidBody(f"{path or 'body'}: expected {expected}, got {shown}")


def _int(value: Any, path: str) -> int:
    if type(value) is int:
        return value
    if type(value) is float and value.is_integer():
        return int(value)
    raise _fail(path, "an integer", value)


def _number(value: Any, path: str) -> float:
    if type(value) is float:
        if math.isfinite(value):
            return value
    elif type(value) is int:
        return float(value)
    raise _fail(path, "a number", value)


def _bool(value: Any, path: str) -> bool:
    if type(value) is bool:
        return value
    raise _fail(path, "a boolean", value)


def _str(value: Any, path: str) -> str:
    if type(value) is str:
        return value
    raise _fail(path, "a string", value)


def _datetime(value: Any, path: str) -> dt.datetime:
    if type(value) is str:
        try:
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            pass
        else:
            # Date-times are always aware; a server that omits the offset means UTC.
            return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=dt.UTC)
    raise _fail(path, "an RFC 3339 date-time", value)


def _date(value: Any, path: str) -> dt.date:
    if type(value) is str and len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise _fail(path, "a date (YYYY-MM-DD)", value)


def _any_object(value: Any, path: str) -> dict[str, Any]:
    if type(value) is dict:
        return value
    raise _fail(path, "an object", value)


def _nullable(inner: Parser) -> Parser:
    def parse(value: Any, path: str) -> Any:
        return None if value is None else inner(value, path)

    return parse


def _open_enum(enum_cls: type[Enum]) -> Parser:
    members: dict[str, Enum] = {m.value: m for m in enum_cls}

    def parse(value: Any, path: str) -> Any:
        if type(value) is not str:
            raise _fail(path, f"a string ({enum_cls.__name__})", value)
        return members.get(value, value)  # an unknown value stays a plain str

    return parse


def _array(item: Parser) -> Parser:
    def parse(value: Any, path: str) -> list[Any]:
        if type(value) is not list:
            raise _fail(path, "an array", value)
        return [item(v, f"{path}[{i}]") for i, v in enumerate(value)]

    return parse


def _object(name: str, node: _spec.JSON) -> Parser:
    cls = getattr(_models, name)
    attributes = {f.name for f in attrs.fields(cls)}
    required = set(node.get("required", ()))
    # The generator appends "_" to names that shadow builtins or keywords.
    fields = [
        (prop, prop if prop in attributes else f"{prop}_", _compile(sub), prop in required)
        for prop, sub in node.get("properties", {}).items()
    ]
    known = {prop for prop, _, _, _ in fields}

    def parse(value: Any, path: str) -> Any:
        if type(value) is not dict:
            raise _fail(path, f"an object ({name})", value)
        kwargs: dict[str, Any] = {}
        for prop, attribute, parser, is_required in fields:
            if prop in value:
                kwargs[attribute] = parser(value[prop], f"{path}.{prop}" if path else prop)
            elif is_required:
                raise InvalidBody(f"{path or name}: required field {prop!r} is missing")
            else:
                kwargs[attribute] = None
        instance = cls(**kwargs)
        if len(value) > len(known) or any(k not in known for k in value):
            instance.additional_properties = {k: v for k, v in value.items() if k not in known}
        return instance

    return parse


_PRIMITIVES: dict[tuple[str, str | None], Parser] = {
    ("integer", None): _int,
    ("number", None): _number,
    ("boolean", None): _bool,
    ("string", None): _str,
    ("string", "date-time"): _datetime,
    ("string", "date"): _date,
    ("object", None): _any_object,
}


def _compile(node: _spec.JSON) -> Parser:
    if "$ref" in node:
        return parser_for(_spec.resolve(node)[1] or "")
    if "anyOf" in node:
        options = node["anyOf"]
        nullable = any(o.get("type") == "null" for o in options)
        rest = [o for o in options if o.get("type") != "null"]
        if len(rest) == 2 and rest[1].get("type") == "string" and "$ref" in rest[0]:
            inner = _open_enum(getattr(_models, _spec.resolve(rest[0])[1] or ""))
        else:
            (only,) = rest
            inner = _compile(only)
        return _nullable(inner) if nullable else inner
    kind = node.get("type")
    if isinstance(kind, list):
        (base,) = [k for k in kind if k != "null"]
        return _nullable(_compile({**node, "type": base}))
    if kind == "array":
        return _array(_compile(node["items"]))
    fmt = node.get("format") if kind == "string" else None
    return _PRIMITIVES[(str(kind), fmt)]


@functools.cache
def parser_for(schema_name: str) -> Parser:
    """The parser of a named component schema (objects become generated model instances)."""
    node = _spec.schema(schema_name)
    if node.get("type") == "object" and "properties" in node:
        return _object(schema_name, node)
    return _compile(node)
