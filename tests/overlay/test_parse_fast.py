"""The `fast` extra's decoder (msgspec) against the pure parser, the reference: for every response
schema and random bodies (valid, unknown fields, unknown enum values, nulls and absent fields,
integers as floats, huge numbers, NaN and Infinity, odd date-times, lone surrogates, wrong types),
the fast decoder either returns exactly what the pure parser returns, or refuses the body (and
the call then takes the pure path, whose result or error is the one users always got).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import subprocess
import sys
from enum import Enum
from typing import Any

import attrs
import msgspec
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from scopix import _parse, _parse_fast, _spec
from tests.bodies import minimal
from tests.reliability.strategies import broken, resolve, sites, valid

SCHEMAS = sorted({op.response_schema for op in _spec.operations().values()})

ODD_DATE_TIMES = [
    "2026-11-20T14:03:11Z",
    "2026-11-20t14:03:11z",
    "2026-11-20 14:03:11Z",
    "2026-11-20T14:03:11",
    "2026-11-20T14:03:11.1234567Z",
    "2026-11-20T14:03:11.+00:00",
    "2026-11-20T14:03:11.5-05:30",
    "2026-02-30T00:00:00Z",
    "2026-11-20T24:00:00Z",
    "2026-11-20T23:59:60Z",
    "2026-11-20T14:03:11+2400",
    "2026-11-20T14:03:11+23:59",
    "20261120T140311Z",
    "2026-11-20",
    "\uff12\uff10\uff12\uff16-11-20T14:03:11Z",
]
# Numbers at the edges: a float's range (the pure parser takes an int below 2**1023 as a number),
# beyond 64 bits, NaN and the infinities json.loads reads (json.dumps writes them).
ODD_NUMBERS = [
    math.nan,
    math.inf,
    -math.inf,
    2**1023,
    2**1023 - 1,
    -(2**1023),
    10**400,
    2**64,
    -(2**63) - 1,
    1e308,
    5e-324,
    -0.0,
    0,
]
ODD: st.SearchStrategy[Any] = st.sampled_from(
    [
        None,
        *ODD_NUMBERS,
        "\ud800",
        "future_value",
        "",
        True,
        [],
        {},
        *ODD_DATE_TIMES,
    ]
)


def _known_only(body: Any, node: dict[str, Any]) -> Any:
    """`body` without the fields its schema does not name (valid() adds some)."""
    node = resolve(node)
    for option in node.get("anyOf", []):
        option = resolve(option)
        if option.get("type") == "object" and isinstance(body, dict):
            return _known_only(body, option)
    if isinstance(body, dict) and "properties" in node:
        props = node["properties"]
        return {k: _known_only(v, props[k]) for k, v in body.items() if k in props}
    if isinstance(body, list) and node.get("type") == "array":
        return [_known_only(v, node["items"]) for v in body]
    return body


def _is_date_time(node: dict[str, Any]) -> bool:
    node = resolve(node)
    return node.get("format") == "date-time" or any(map(_is_date_time, node.get("anyOf", [])))


def _is_type(node: dict[str, Any], *kinds: str) -> bool:
    kind = resolve(node).get("type")
    return bool(set(kind if isinstance(kind, list) else [kind]) & set(kinds))


@st.composite
def odd_bodies(draw: st.DrawFn, schema: dict[str, Any]) -> Any:
    """A body the spec allows, then one to three of its fields changed: a date-time to an odd
    date-time, an integer to the same as a float (1.0), a number to one at the edges, or any
    field to an odd value."""
    body = draw(valid(schema))
    for _ in range(draw(st.integers(1, 3))):
        how = draw(st.sampled_from(["date-time", "int as float", "number", "odd"]))
        found = [
            site
            for site in sites(body, schema)
            if how == "odd"
            or (how == "date-time" and _is_date_time(site[1]))
            or (how == "int as float" and _is_type(site[1], "integer"))
            or (how == "number" and _is_type(site[1], "number"))
        ]
        if not found:
            continue
        path = draw(st.sampled_from(found))[0]
        parent = body
        for part in path[:-1]:
            parent = parent[part]
        old = parent[path[-1]]
        if how == "date-time":
            parent[path[-1]] = draw(st.sampled_from(ODD_DATE_TIMES))
        elif how == "int as float" and type(old) is int and abs(old) < 2**53:
            parent[path[-1]] = float(old)
        elif how == "number":
            parent[path[-1]] = draw(st.sampled_from(ODD_NUMBERS))
        else:
            parent[path[-1]] = draw(ODD)
    return body


def _same(fast: Any, pure: Any, where: str = "body") -> None:
    """Equal field by field, and of the same types: models (additional_properties and _null_fields
    too), enum members against plain strings, aware date-times, -0.0 against 0.0, NaN."""
    assert type(fast) is type(pure), f"{where}: {type(fast)} != {type(pure)}"
    if attrs.has(type(pure)):
        for f in attrs.fields(type(pure)):
            _same(getattr(fast, f.name), getattr(pure, f.name), f"{where}.{f.name}")
    elif isinstance(pure, list):
        assert len(fast) == len(pure), where
        for i, (a, b) in enumerate(zip(fast, pure, strict=True)):
            _same(a, b, f"{where}[{i}]")
    elif isinstance(pure, dict):
        assert list(fast) == list(pure), where
        for k in pure:
            _same(fast[k], pure[k], f"{where}.{k}")
    elif isinstance(pure, float):
        assert repr(fast) == repr(pure), where
    elif isinstance(pure, dt.datetime):
        assert (fast, fast.utcoffset()) == (pure, pure.utcoffset()), where
    elif isinstance(pure, Enum | frozenset):
        assert fast is pure or fast == pure, where
    else:
        assert fast == pure, where


def _check(schema_name: str, body: Any) -> None:
    content = json.dumps(body).encode()  # NaN and Infinity as json.dumps writes them
    pure_error: str | None
    try:
        pure = _parse.parser_for(schema_name)(json.loads(content))
    except _parse.InvalidBody as exc:
        pure, pure_error = None, str(exc)
    else:
        pure_error = None
    try:
        fast = _parse_fast.strict_decoder(schema_name)(content)
    except (msgspec.MsgspecError, _parse.InvalidBody) as exc:
        event(f"fast refused: {type(exc).__name__}")
        # refused: the call takes the pure path, which returns `pure` or raises `pure_error`
        return
    event("fast accepted")
    assert pure_error is None, (
        f"the fast path accepted a body the pure parser refuses: {pure_error}"
    )
    _same(fast, pure)


FUZZ = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)


@pytest.mark.parametrize("schema_name", SCHEMAS)
@FUZZ
@given(data=st.data())
def test_fast_decoder_returns_what_the_pure_parser_returns_or_refuses(
    schema_name: str, data: st.DataObject
) -> None:
    schema = {"$ref": f"#/components/schemas/{schema_name}"}
    body = data.draw(
        st.one_of(odd_bodies(schema), odd_bodies(schema), broken(schema), valid(schema))
    )
    _check(schema_name, body)


@pytest.mark.parametrize("schema_name", SCHEMAS)
@FUZZ
@given(data=st.data())
def test_fast_decoder_takes_every_valid_body_without_unknown_fields(
    schema_name: str, data: st.DataObject
) -> None:
    """Not refusing everything: a body of known fields the spec allows is decoded fast (the
    property above would hold for a decoder that refused every body)."""
    schema = {"$ref": f"#/components/schemas/{schema_name}"}
    body = _known_only(data.draw(valid(schema)), schema)
    content = json.dumps(body).encode()
    _same(_parse_fast.strict_decoder(schema_name)(content), _parse.parser_for(schema_name)(body))


def test_an_unknown_field_is_refused_with_the_message_that_turns_the_fast_path_off() -> None:
    body = {"events": [], "has_more": False, "limit": 50, "offset": 0, "total": 0, "new": 1}
    with pytest.raises(msgspec.ValidationError, match=r"^Object contains unknown field `new`"):
        _parse_fast.strict_decoder("UsageDetails")(json.dumps(body).encode())


def _raw_bodies() -> list[bytes]:
    """Bodies json.dumps does not write: raw bytes around a valid UsageDetails page."""
    text = json.dumps(minimal("UsageDetails"))
    event = '"endpoint": "/v1/documents/analyze"'
    assert event in text
    return [
        text.encode(),
        b"\xef\xbb\xbf" + text.encode(),  # a UTF-8 BOM: json.loads reads it, msgspec does not
        text.encode("utf-16"),
        text.replace(event, '"endpoint": "\xed\xa0\x80"').encode("utf-8", "surrogatepass"),
        text.replace(event, '"endpoint": "a\nb"').encode(),  # a raw control character
        text.replace(event, '"endpoint": "\\ud83d\\ude00"').encode(),  # an escaped pair
        text.replace(event, '"endpoint": "x", "endpoint": "y"').encode(),  # a key twice
        text.replace(event, '"endpoint": "x", "credits_used": 3, "credits_used": 4.0').encode(),
        text.replace('"limit": 50', '"limit": 5e1').encode(),
        text.replace('"limit": 50', '"limit": 50 ').encode() + b"\r\n",
        text.encode() + b"x",
        text.encode()[:-1],
    ]


@pytest.mark.parametrize("content", _raw_bodies())
def test_fast_decoder_on_raw_bytes_returns_what_the_pure_path_returns_or_refuses(
    content: bytes,
) -> None:
    try:
        pure = _parse.parser_for("UsageDetails")(json.loads(content))
    except (ValueError, _parse.InvalidBody):  # not JSON, or not the schema
        pure = None
    try:
        fast = _parse_fast.strict_decoder("UsageDetails")(content)
    except (msgspec.MsgspecError, _parse.InvalidBody):
        return
    assert pure is not None, "the fast path accepted a body the pure path refuses"
    _same(fast, pure)


def test_a_schema_the_fast_path_cannot_decode_exactly_is_left_to_the_pure_parser() -> None:
    """ErrorResponse's `details` is a nullable free-form object (msgspec reads only null for
    `Raw | None`): no fast decoder, rather than one that refuses every body with details.

    Asked in a fresh interpreter: in this one, another test's body with an unknown field may
    already have put UsageDetails on the pure parser for the process."""
    probe = (
        "from scopix import _parse_fast as f; "
        "print(f.decoder_for('ErrorResponse') is None, f.decoder_for('UsageDetails') is not None)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "True"]
