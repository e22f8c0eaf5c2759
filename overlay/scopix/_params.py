"""Check call arguments against the spec's parameter schemas before anything is sent.

Types, enums, bounds and formats all come from the spec; the only rule stated here is the one the
spec states in words (a range's start may not follow its end).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from enum import Enum
from typing import Any

from . import _spec
from ._errors import InvalidParameterError, InvalidParameterTypeError

__all__ = ["check_args", "check_param"]


def _type_error(where: str, name: str, expected: str, value: object) -> InvalidParameterTypeError:
    got = type(value).__name__
    return InvalidParameterTypeError(name, f"{where}: `{name}` must be {expected}, got {got}")


def _check_int(where: str, name: str, schema: _spec.JSON, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _type_error(where, name, "an int", value)
    low, high = schema.get("minimum"), schema.get("maximum")
    if (low is not None and value < low) or (high is not None and value > high):
        allowed = f"from {low} to {high}" if high is not None else f"at least {low}"
        raise InvalidParameterError(name, f"{where}: `{name}` must be {allowed}, got {value}")
    return value


def _check_enum(where: str, name: str, schema: _spec.JSON, value: object) -> str:
    if isinstance(value, Enum):
        value = value.value
    allowed = schema["enum"]
    if not isinstance(value, str):
        raise _type_error(
            where, name, "a str (one of " + ", ".join(map(repr, allowed)) + ")", value
        )
    if value not in allowed:
        raise InvalidParameterError(
            name,
            f"{where}: `{name}` must be one of {', '.join(map(repr, allowed))}; got {value!r}",
        )
    return value


def _check_datetime(where: str, name: str, value: object) -> dt.datetime:
    if not isinstance(value, dt.datetime):
        raise _type_error(where, name, "a timezone-aware datetime.datetime", value)
    if value.utcoffset() is None:
        raise InvalidParameterError(
            name,
            f"{where}: `{name}` is a naive datetime; pass a timezone-aware one, "
            f"e.g. {value.replace(tzinfo=dt.UTC)!r}",
        )
    return value


def _check_date(where: str, name: str, value: object) -> dt.date:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise _type_error(where, name, "a datetime.date (not a datetime or str)", value)
    return value


def _check_str(where: str, name: str, schema: _spec.JSON, value: object) -> str:
    if not isinstance(value, str):
        raise _type_error(where, name, "a str", value)
    low, high = schema.get("minLength", 0), schema.get("maxLength")
    if len(value) < low or (high is not None and len(value) > high):
        raise InvalidParameterError(
            name, f"{where}: `{name}` must be {low} to {high} characters long, got {len(value)}"
        )
    return value


def check_param(where: str, param: _spec.ParamSpec, value: object) -> Any:
    """Return `value` checked against the parameter's schema; raise before sending otherwise."""
    schema, name = param.schema, param.name
    kind = schema.get("type")
    if kind == "integer":
        return _check_int(where, name, schema, value)
    if kind == "boolean":
        if not isinstance(value, bool):
            raise _type_error(where, name, "a bool", value)
        return value
    if "enum" in schema:
        return _check_enum(where, name, schema, value)
    fmt = schema.get("format")
    if fmt == "date-time":
        return _check_datetime(where, name, value)
    if fmt == "date":
        return _check_date(where, name, value)
    return _check_str(where, name, schema, value)


def check_args(op: _spec.OperationSpec, args: Mapping[str, object]) -> dict[str, object]:
    """Check every given argument (None means not given) and the range order."""
    where = f"{op.operation_id}()"
    checked: dict[str, object] = {}
    for name, value in args.items():
        if value is not None:
            checked[name] = check_param(where, op.params[name], value)
    start, end = checked.get("start_date"), checked.get("end_date")
    # both dates or both date-times (one parameter schema each): comparable
    if isinstance(start, dt.date) and isinstance(end, dt.date) and start > end:
        raise InvalidParameterError(
            "start_date", f"{where}: `start_date` ({start}) must not be after `end_date` ({end})"
        )
    return checked
