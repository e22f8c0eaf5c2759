"""`_params`: call arguments checked against the spec's parameter schemas before anything is
sent, on plain values: what passes (unchanged), what is refused, and what the error names."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Any

import pytest

from scopix import _spec
from scopix._errors import InvalidParameterError, InvalidParameterTypeError
from scopix._params import check_args, check_param
from scopix_api.models import OperationType

DETAILS = _spec.operation("get_details")
AWARE = dt.datetime(2026, 11, 20, 14, 3, tzinfo=dt.UTC)


def param(operation_id: str, name: str) -> _spec.ParamSpec:
    return _spec.operation(operation_id).params[name]


@pytest.mark.parametrize(
    ("operation_id", "name", "value"),
    [
        ("get_details", "limit", 1),
        ("get_details", "limit", 100),
        ("get_details", "offset", 0),
        ("get_plan", "include_projections", False),
        ("get_details", "operation_type", "chat"),
        ("get_details", "start_date", AWARE),
        (
            "get_details",
            "start_date",
            dt.datetime(2026, 1, 1, tzinfo=dt.timezone(-dt.timedelta(hours=8))),
        ),
        ("get_monthly_tokens", "start_date", dt.date(2026, 1, 1)),
        ("get_details", "api_key_id", "key_01"),
        ("get_details", "api_key_id", "ключ 🔑 ' OR 1=1 --"),  # legal: sent exactly
    ],
)
def test_good_values_pass_unchanged(operation_id: str, name: str, value: Any) -> None:
    assert check_param("f()", param(operation_id, name), value) is value


def test_an_enum_member_passes_as_its_value() -> None:
    assert check_param("f()", param("get_details", "operation_type"), OperationType.CHAT) == "chat"


@pytest.mark.parametrize(
    ("operation_id", "name", "value", "error", "says"),
    [
        ("get_details", "limit", 0, InvalidParameterError, "must be from 1 to 100, got 0"),
        ("get_details", "limit", 101, InvalidParameterError, "must be from 1 to 100, got 101"),
        ("get_details", "offset", -1, InvalidParameterError, "must be from 0 to"),
        ("get_details", "limit", True, InvalidParameterTypeError, "must be an int, got bool"),
        ("get_details", "limit", "5", InvalidParameterTypeError, "must be an int, got str"),
        ("get_details", "limit", 2.0, InvalidParameterTypeError, "must be an int, got float"),
        ("get_plan", "include_projections", 1, InvalidParameterTypeError, "must be a bool"),
        ("get_details", "operation_type", "chat_v9", InvalidParameterError, "must be one of"),
        ("get_details", "operation_type", 3, InvalidParameterTypeError, "must be a str (one of"),
        ("get_details", "start_date", dt.datetime(2026, 1, 1), InvalidParameterError, "naive"),
        ("get_details", "start_date", dt.date(2026, 1, 1), InvalidParameterTypeError, "aware"),
        ("get_details", "start_date", "2026-01-01", InvalidParameterTypeError, "got str"),
        ("get_monthly_tokens", "end_date", AWARE, InvalidParameterTypeError, "not a datetime"),
        ("get_monthly_tokens", "end_date", "2026-01", InvalidParameterTypeError, "got str"),
        ("get_details", "api_key_id", 7, InvalidParameterTypeError, "must be a str, got int"),
    ],
)
def test_bad_values_are_refused_naming_the_parameter(
    operation_id: str, name: str, value: Any, error: type[Exception], says: str
) -> None:
    with pytest.raises(error) as caught:
        check_param(f"{operation_id}()", param(operation_id, name), value)
    assert caught.value.parameter == name  # type: ignore[attr-defined]
    message = str(caught.value)
    assert message.startswith(f"{operation_id}(): `{name}` ")
    assert says in message


def test_an_unknown_enum_value_lists_the_allowed_ones() -> None:
    with pytest.raises(InvalidParameterError) as caught:
        check_param("f()", param("get_details", "operation_type"), "chat_v9")
    for value in _spec.schema("OperationType")["enum"]:
        assert repr(value) in str(caught.value)
    assert "'chat_v9'" in str(caught.value)


def test_string_lengths_come_from_the_schema() -> None:
    spec = _spec.ParamSpec("name", {"type": "string", "minLength": 2, "maxLength": 3}, None)
    assert check_param("f()", spec, "abc") == "abc"
    for bad in ("a", "abcd"):
        with pytest.raises(InvalidParameterError, match=r"must be 2 to 3 characters long"):
            check_param("f()", spec, bad)


def test_an_int_without_a_maximum_says_at_least() -> None:
    spec = _spec.ParamSpec("n", {"type": "integer", "minimum": 1}, None)
    assert check_param("f()", spec, 10**30) == 10**30
    with pytest.raises(InvalidParameterError, match=r"`n` must be at least 1, got 0"):
        check_param("f()", spec, 0)


def test_check_args_skips_none_and_returns_what_was_given() -> None:
    args = {"limit": 10, "offset": None, "operation_type": OperationType.SEARCH}
    assert check_args(DETAILS, args) == {"limit": 10, "operation_type": "search"}


def test_a_range_may_not_end_before_it_starts() -> None:
    later = AWARE + dt.timedelta(seconds=1)
    assert check_args(DETAILS, {"start_date": AWARE, "end_date": AWARE})  # equal is a range
    with pytest.raises(InvalidParameterError) as caught:
        check_args(DETAILS, {"start_date": later, "end_date": AWARE})
    assert caught.value.parameter == "start_date"
    assert "must not be after `end_date`" in str(caught.value)
    monthly = _spec.operation("get_monthly_tokens")
    with pytest.raises(InvalidParameterError):
        check_args(monthly, {"start_date": dt.date(2026, 2, 1), "end_date": dt.date(2026, 1, 1)})


def test_each_bad_value_is_refused_before_the_range_is_compared() -> None:
    with pytest.raises(InvalidParameterError, match="naive"):
        check_args(DETAILS, {"start_date": dt.datetime(2027, 1, 1), "end_date": AWARE})


class Colour(Enum):
    RED = "red"


def test_an_enum_of_another_type_is_judged_by_its_value() -> None:
    with pytest.raises(InvalidParameterError, match="'red'"):
        check_param("f()", param("get_details", "operation_type"), Colour.RED)
