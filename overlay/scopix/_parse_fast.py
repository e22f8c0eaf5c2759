"""The `fast` extra: response bytes decoded by msgspec into Structs built from the spec, then
converted to the same generated models `_parse` builds (its result is the reference).

msgspec checks the JSON types in C while it decodes, which is where the pure path spends most of
its time (json.loads, then a type test per field). Whatever msgspec decodes differently from
json.loads is left to it to refuse: it decodes every scalar whose JSON form it could read another
way as the pure parser sees it (numbers as int | float, date-times, dates, patterned strings and
open enums as str, free-form objects as raw JSON for json.loads), and the conversion applies
exactly `_parse`'s checks. So a body is either converted to what `_parse` returns, or refused
(unknown field, 1.0 for an integer, NaN, a lone surrogate, ...) and the caller takes the pure path,
which returns the same result or raises the error it always raised.

A schema whose fast path refused an unknown field (a newer server) is left to the pure parser for
the rest of the process, so such a server does not make every call decode twice.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable
from typing import Any

import msgspec

import scopix_api.models as _models

from . import _parse, _spec

__all__ = ["REFUSED", "Decoder", "decoder_for", "pure_only", "strict_decoder"]

Decoder = Callable[[bytes], Any]
"""Response bytes to the model, or REFUSED."""
REFUSED: Any = object()
"""What a decoder returns for a body it leaves to the pure parser."""

_Convert = Callable[[Any], Any]


class _Unsupported(Exception):
    """A schema with a shape the fast path does not decode exactly; the pure parser's."""


# Schemas whose fast path met an unknown field: the pure parser's from then on.
_pure_only: set[str] = set()


def pure_only(schema_name: str) -> None:
    """Leave `schema_name` to the pure parser for the rest of the process."""
    _pure_only.add(schema_name)
    decoder_for.cache_clear()


@functools.cache
def decoder_for(schema_name: str) -> Decoder | None:
    """The fast decoder of a response schema; None when it is left to the pure parser."""
    if schema_name in _pure_only:
        return None
    try:
        decode = strict_decoder(schema_name)
    except (_Unsupported, TypeError):  # TypeError: a type msgspec cannot decode
        return None

    def decoder(content: bytes) -> Any:
        try:
            return decode(content)
        except msgspec.ValidationError as exc:
            if str(exc).startswith("Object contains unknown field"):
                pure_only(schema_name)
            return REFUSED
        except (msgspec.MsgspecError, _parse.InvalidBody):
            return REFUSED

    return decoder


@functools.cache
def strict_decoder(schema_name: str) -> Callable[[bytes], Any]:
    """Bytes to the model; a body it refuses raises msgspec's error or `_parse.InvalidBody`."""
    kind, convert = _compile({"$ref": f"#/components/schemas/{schema_name}"})
    decode = msgspec.json.Decoder(kind).decode
    if convert is None:
        return decode

    def decoded(content: bytes) -> Any:
        return convert(decode(content))

    return decoded


def _inline(node: _spec.JSON) -> tuple[Any, _Convert | None]:
    """A scalar's msgspec type and the pure parser's conversion of it (None: none needed)."""
    kind = node.get("type")
    fmt = node.get("format") if kind == "string" else None
    if kind == "string" and fmt is None and "pattern" not in node:
        return str, None
    if kind == "integer":
        return int, None  # msgspec, like json.loads, takes any size; 1.0 is refused
    if kind == "boolean":
        return bool, None
    # The rest as json.loads would give them, for the pure parser's own check.
    if kind == "number":
        return int | float, _parse._number
    if kind == "object":
        return msgspec.Raw, _from_raw
    return str, _parse._compile(node)


def _from_raw(raw: msgspec.Raw) -> Any:
    return _parse._any_object(json.loads(bytes(raw)))


def _compile(node: _spec.JSON) -> tuple[Any, _Convert | None]:
    if "$ref" in node:
        target, name = _spec.resolve(node)
        if target.get("type") == "object" and "properties" in target:
            return _object(name or "")
        return _compile(target)
    if "anyOf" in node:
        options = node["anyOf"]
        nullable = any(o.get("type") == "null" for o in options)
        rest = [o for o in options if o.get("type") != "null"]
        if len(rest) == 2 and rest[1].get("type") == "string" and "$ref" in rest[0]:
            enum_cls = getattr(_models, _spec.resolve(rest[0])[1] or "")
            members = {m.value: m for m in enum_cls}

            def member(value: str) -> Any:
                return members.get(value, value)  # an unknown value stays a plain str

            _ENUM_MEMBERS[member] = members
            inner: tuple[Any, _Convert | None] = (str, member)
        else:
            (only,) = rest
            inner = _compile(only)
        return _nullable(*inner) if nullable else inner
    kind = node.get("type")
    if isinstance(kind, list):
        (base,) = [k for k in kind if k != "null"]
        return _nullable(*_compile({**node, "type": base}))
    if kind == "array":
        item, convert = _compile(node["items"])
        if convert is None:
            return list[item], None  # type: ignore[valid-type]
        every = _ALL_OF.get(convert) or (lambda v: [convert(x) for x in v])
        return list[item], every  # type: ignore[valid-type]
    return _inline(node)


def _nullable(kind: Any, convert: _Convert | None) -> tuple[Any, _Convert | None]:
    if kind is msgspec.Raw:  # msgspec takes only null for `Raw | None`
        raise _Unsupported("a nullable free-form object")
    if convert is None:
        return kind | None, None
    return kind | None, lambda v: None if v is None else convert(v)


# A compiled object converter's loop over a list of its Structs: one call per array.
_ALL_OF: dict[_Convert, Callable[[list[Any]], list[Any]]] = {}
# Open enums' members, for converters to look values up inline.
_ENUM_MEMBERS: dict[_Convert, dict[str, Any]] = {}


def _conversion(convert: _Convert, i: int, indent: str, namespace: dict[str, Any]) -> list[str]:
    """Lines converting `v` as `convert` would, inline for the values every event has."""
    namespace[f"p{i}"] = convert
    if convert is _parse._datetime:
        return [
            f"{indent}if is_date_time(v):  # msgspec decoded a str",
            f"{indent}    try:",
            f"{indent}        v = from_iso(v)",
            f"{indent}    except ValueError:",
            f"{indent}        p{i}(v)  # raises the pure parser's error",
            f"{indent}    if v.tzinfo is None:",
            f"{indent}        v = v.replace(tzinfo=UTC)",
            f"{indent}else:",
            f"{indent}    p{i}(v)",
        ]
    if convert is _parse._number:  # a float is finite: msgspec refuses 1e400
        return [f"{indent}if type(v) is int:", f"{indent}    v = p{i}(v)"]
    if convert in _ENUM_MEMBERS:
        namespace[f"m{i}"] = _ENUM_MEMBERS[convert].get
        return [f"{indent}v = m{i}(v, v)"]
    return [f"{indent}v = p{i}(v)"]


@functools.cache
def _object(name: str) -> tuple[Any, _Convert]:
    """The Struct of an object schema and the compiled converter of it to the model: a field
    read per property, the pure parser's checks inline, the model built by position."""
    shape = _parse.model_shape(name)
    properties, tracks_nulls = shape.properties, shape.tracks_nulls
    namespace: dict[str, Any] = {
        "cls": shape.cls,
        "UNSET": msgspec.UNSET,
        "is_date_time": _parse._DATE_TIME.fullmatch,
        "from_iso": dt.datetime.fromisoformat,
        "UTC": dt.UTC,
    }
    struct_fields: list[tuple[str, Any] | tuple[str, Any, Any]] = []
    lines = ["def convert(s):"]
    if tracks_nulls:
        lines.append("    nulls = ()")
    args: dict[str, str] = {}
    for i, (prop, sub) in enumerate(properties.items()):
        kind, convert = _compile(sub)
        # Struct fields get plain names (a property may be a Python keyword); JSON keys by rename.
        attr = f"f{i}"
        args[shape.argument(prop)] = f"a{i}"
        lines.append(f"    v = s.{attr}")
        indent = "    "
        if prop in shape.required:
            struct_fields.append((attr, kind))
        else:
            struct_fields.append((attr, kind | msgspec.UnsetType, msgspec.UNSET))
            lines.append("    if v is UNSET:")
            lines.append("        v = None")
            if tracks_nulls and _parse._is_nullable(sub):
                lines.append(f"    elif v is None: nulls += ({prop!r},)")
            if convert is not None:
                lines.append("    else:")
                indent = "        "
        if convert is not None:
            lines += _conversion(convert, i, indent, namespace)
        lines.append(f"    a{i} = v")
    lines.append(f"    obj = {shape.construct(args)}")
    if tracks_nulls:
        lines.append("    if nulls:")
        lines.append("        obj._null_fields = frozenset(nulls)")
    lines.append("    return obj")
    compiled, every = _parse.compile_with_loop(
        lines, "s", namespace, f"<scopix fast converter for {name}>"
    )
    struct = msgspec.defstruct(
        name,
        struct_fields,
        kw_only=True,
        forbid_unknown_fields=True,
        rename={f"f{i}": prop for i, prop in enumerate(properties)},
        gc=False,
    )
    _ALL_OF[compiled] = every
    return struct, compiled
