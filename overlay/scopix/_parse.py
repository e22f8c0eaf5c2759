"""Turn decoded JSON into the generated models, checking it against the spec's schemas.

The generated `from_dict` trusts its input (`"abc"` passes as an int, a missing key is a KeyError,
an unknown enum value a ValueError). This parser is compiled once per schema from the spec and
does one pass that checks types, keeps unknown fields and enum values (forward compatibility),
reads absent optional fields as None (as the models' types say), remembers which optional fields
were null rather than absent (so `to_dict()` gives the response back) and makes date-times aware.

Object schemas compile to straight-line Python (like attrs builds `__init__`): one dict lookup and
one type test per field; where an error happened is worked out only when one is raised.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any

import attrs

import scopix_api.models as _models

from . import _spec

__all__ = ["InvalidBody", "ModelShape", "Parser", "compile_with_loop", "model_shape", "parser_for"]

# Decoded JSON to the schema's model; the model's type is the caller's (the resource method's).
Parser = Callable[[object], Any]
_MISSING = object()


class InvalidBody(Exception):
    """The body does not match the schema; `str()` says where and how."""

    def __init__(self, problem: str, where: tuple[str, ...] = ()) -> None:
        super().__init__(problem)
        self.problem = problem
        self.where = where

    def within(self, part: str) -> InvalidBody:
        return InvalidBody(self.problem, (part, *self.where))

    def __str__(self) -> str:
        path = "".join(p if p.startswith("[") else f".{p}" for p in self.where).lstrip(".")
        return f"{path or 'body'}: {self.problem}"


def _fail(expected: str, value: object) -> InvalidBody:
    shown = repr(value)
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return InvalidBody(f"expected {expected}, got {shown}")


def _int(value: object) -> int:
    if type(value) is int:
        return value
    if type(value) is float and value.is_integer():
        return int(value)
    raise _fail("an integer", value)


def _number(value: object) -> float:
    if type(value) is float:
        if math.isfinite(value):
            return value
    elif type(value) is int and abs(value) < _FLOAT_RANGE:
        return float(value)
    raise _fail("a number (within the range of a float)", value)


_FLOAT_RANGE = 2**1023


def _bool(value: object) -> bool:
    if type(value) is bool:
        return value
    raise _fail("a boolean", value)


def _str(value: object) -> str:
    if type(value) is str:
        return value
    raise _fail("a string", value)


# RFC 3339 (what the spec's date-time means); fromisoformat alone also takes "2026-11-20",
# "20261120T1403" or a space for the "T".
# Possessive groups: nothing to backtrack into, ~15 % faster per match.
_DATE_TIME = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?+(?:[Zz]|[+-]\d{2}:\d{2})?+", re.ASCII
)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def _datetime(value: object) -> dt.datetime:
    if type(value) is str and _DATE_TIME.fullmatch(value):
        try:
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            pass
        else:
            # Date-times are always aware; a server that omits the offset means UTC.
            return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=dt.UTC)
    raise _fail("an RFC 3339 date-time", value)


def _date(value: object) -> dt.date:
    if type(value) is str and _DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise _fail("a date (YYYY-MM-DD)", value)


def _any_object(value: object) -> dict[str, object]:
    if type(value) is dict:
        return value
    raise _fail("an object", value)


def _patterned(pattern: str) -> Parser:
    regex = re.compile(pattern)

    def parse(value: object) -> str:
        if type(value) is str and regex.search(value):
            return value
        raise _fail(f"a string matching {pattern}", value)

    return parse


# Scalar checks written inline into compiled object parsers: (test that passes, fallback parser).
_INLINE: dict[Parser, str] = {
    _int: "type(v) is not int",
    # v - v is 0.0 for every finite float; NaN and the infinities (json.loads takes NaN,
    # Infinity) fall back to _number, which refuses them
    _number: "type(v) is not float or v - v != 0.0",
    _str: "type(v) is not str",
    _bool: "type(v) is not bool",
}


def _nullable(inner: Parser) -> Parser:
    def parse(value: object) -> object:
        return None if value is None else inner(value)

    if inner in _INLINE:  # a nullable scalar is checked inline too
        _INLINE[parse] = f"v is not None and ({_INLINE[inner]})"
    return parse


# Date-times and open enums are converted inline in compiled object parsers too (a call per
# value was a third of a page's parse); their own parser runs only to raise its error.
_ENUM_MEMBERS: dict[Parser, dict[str, Enum]] = {}
# A compiled object parser's loop over an array of its objects.
_Loop = Callable[[list[object]], list[object]]
_ALL_OF: dict[Parser, _Loop] = {}


def _inline_conversion(parser: Parser, i: int, indent: str) -> list[str] | None:
    """Lines that convert `v` in place without calling `p{i}`, leaving it unconverted (for the
    check after them) when it is not valid; None when the parser has no inline form (nullable
    ones, which the spec has none of today, take the call)."""
    if parser is _datetime:
        return [
            f"{indent}if type(v) is str and is_date_time(v):",
            f"{indent}    try:",
            f"{indent}        v = from_iso(v)",
            f"{indent}    except ValueError:",
            f"{indent}        pass",
            f"{indent}    else:",
            f"{indent}        if v.tzinfo is None:",
            f"{indent}            v = v.replace(tzinfo=UTC)",
            # the same check _datetime makes; a value left a str goes to p{i} for its error
            f"{indent}if type(v) is not datetime:",
        ]
    if parser in _ENUM_MEMBERS:
        return [
            f"{indent}if type(v) is str:",
            f"{indent}    v = m{i}(v, v)",
            f"{indent}else:",
        ]
    return None


def _open_enum(enum_cls: type[Enum]) -> Parser:
    members: dict[str, Enum] = {m.value: m for m in enum_cls}

    def parse(value: object) -> object:
        if type(value) is not str:
            raise _fail(f"a string ({enum_cls.__name__})", value)
        return members.get(value, value)  # an unknown value stays a plain str

    _ENUM_MEMBERS[parse] = members
    return parse


def _array(item: Parser) -> Parser:
    every: _Loop = _ALL_OF.get(item) or (lambda v: [item(x) for x in v])

    def parse(value: object) -> list[object]:
        if type(value) is not list:
            raise _fail("an array", value)
        try:
            return every(value)
        except InvalidBody:
            for i, v in enumerate(value):  # find the failing item only now
                try:
                    item(v)
                except InvalidBody as exc:
                    raise exc.within(f"[{i}]") from None
            raise

    return parse


def _is_nullable(node: _spec.JSON) -> bool:
    kind = node.get("type")
    return (isinstance(kind, list) and "null" in kind) or any(
        o.get("type") == "null" for o in node.get("anyOf", ())
    )


@dataclass(frozen=True)
class ModelShape:
    """What a compiled builder of one object schema's model needs to know (both parsers')."""

    cls: type[attrs.AttrsInstance]
    tracks_nulls: bool  # the model template gives `_null_fields` to models with nullable options
    fields: tuple[attrs.Attribute[object], ...]  # the __init__ parameters, in order
    properties: dict[str, _spec.JSON]
    required: frozenset[str]

    def argument(self, prop: str) -> str:
        """The __init__ parameter of a property: the generator appends "_" to names that
        shadow builtins or keywords."""
        return prop if any(f.name == prop for f in self.fields) else prop + "_"

    def construct(self, args: dict[str, str]) -> str:
        """`cls(...)` with the given parameter -> expression pairs, by position where the
        model allows it: a call with a dozen keywords costs ~3x as much."""
        rest = dict(args)
        positional = []
        for f in self.fields:
            if f.kw_only or f.name not in rest:
                break
            positional.append(rest.pop(f.name))
        return f"cls({', '.join([*positional, *(f'{k}={v}' for k, v in rest.items())])})"


def model_shape(name: str) -> ModelShape:
    cls = getattr(_models, name)
    node = _spec.schema(name)
    return ModelShape(
        cls=cls,
        tracks_nulls=any(f.name == "_null_fields" for f in attrs.fields(cls)),
        fields=tuple(f for f in attrs.fields(cls) if f.init),
        properties=node.get("properties", {}),
        required=frozenset(node.get("required", ())),
    )


def compile_with_loop(
    lines: list[str], item: str, namespace: dict[str, Any], filename: str
) -> tuple[Parser, _Loop]:
    """Compile `def f(item): ... return obj` and the same body once more as a loop over a list
    of items (one call per array, not per item): the function and its loop."""
    body = [f"    {line}" for line in lines[1:-1]]
    looped = ["def every(values):", "    out = []", f"    for {item} in values:", *body]
    looped += ["        out.append(obj)", "    return out"]
    exec(compile("\n".join([*lines, *looped]), filename, "exec"), namespace)
    one = namespace[lines[0][4 : lines[0].index("(")]]
    return one, namespace["every"]


def _object(name: str) -> Parser:
    shape = model_shape(name)
    properties, tracks_nulls = shape.properties, shape.tracks_nulls
    namespace: dict[str, object] = {
        "cls": shape.cls,
        "_MISSING": _MISSING,
        "InvalidBody": InvalidBody,
        "_fail": _fail,
        "known": frozenset(properties),
        "is_date_time": _DATE_TIME.fullmatch,
        "from_iso": dt.datetime.fromisoformat,
        "datetime": dt.datetime,
        "UTC": dt.UTC,
    }
    lines = [
        "def parse(value):",
        "    if type(value) is not dict:",
        f"        raise _fail('an object ({name})', value)",
        "    get = value.get",
        "    absent = 0",
    ]
    if tracks_nulls:
        lines.append("    nulls = ()")  # the empty tuple: nothing allocated per object
    args: dict[str, str] = {}
    for i, (prop, sub) in enumerate(properties.items()):
        parser = _compile(sub)
        namespace[f"p{i}"] = parser
        args[shape.argument(prop)] = f"a{i}"
        if prop in shape.required:
            missing = f"required field {prop!r} is missing"
            lines.append("    try:")
            lines.append(f"        v = value[{prop!r}]")
            lines.append("    except KeyError:")
            lines.append(f"        raise InvalidBody({missing!r}) from None")
            indent = "    "
        else:
            lines.append(f"    v = get({prop!r}, _MISSING)")
            lines.append("    if v is _MISSING:")
            lines.append("        v = None")
            lines.append("        absent += 1")
            lines.append("    else:")
            indent = "        "
            if tracks_nulls and _is_nullable(sub):
                lines.append(f"        if v is None: nulls += ({prop!r},)")
        inline = _INLINE.get(parser)
        converting = _inline_conversion(parser, i, indent)
        if converting is not None:
            lines += converting
            if parser in _ENUM_MEMBERS:
                namespace[f"m{i}"] = _ENUM_MEMBERS[parser].get
        else:
            lines.append(f"{indent}if {inline}:" if inline else f"{indent}if True:")
        lines.append(f"{indent}    try:")
        lines.append(f"{indent}        v = p{i}(v)")
        lines.append(f"{indent}    except InvalidBody as exc:")
        lines.append(f"{indent}        raise exc.within({prop!r}) from None")
        lines.append(f"    a{i} = v")
    lines.append(f"    obj = {shape.construct(args)}")
    lines.append(f"    if len(value) + absent != {len(properties)}:  # unknown fields")
    lines.append(
        "        obj.additional_properties = {k: v for k, v in value.items() if k not in known}"
    )
    if tracks_nulls:
        lines.append("    if nulls:")
        lines.append("        obj._null_fields = frozenset(nulls)")
    lines.append("    return obj")
    # An item's error escapes the loop; _array then finds which item it was.
    compiled, every = compile_with_loop(lines, "value", namespace, f"<scopix parser for {name}>")
    _ALL_OF[compiled] = every
    return compiled


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
    if kind == "string" and "pattern" in node:
        return _patterned(node["pattern"])
    return _PRIMITIVES[(str(kind), fmt)]


@functools.cache
def parser_for(schema_name: str) -> Parser:
    """The parser of a named component schema (objects become generated model instances)."""
    node = _spec.schema(schema_name)
    if node.get("type") == "object" and "properties" in node:
        return _object(schema_name)
    return _compile(node)
