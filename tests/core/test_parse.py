"""`_parse`: the checking parser compiled from the spec's schemas, on decoded JSON directly: what
a body becomes, what it keeps for forward compatibility, and where and how a bad one is refused."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from scopix._parse import InvalidBody, parser_for
from scopix_api.models import OperationType, UsageDetails, UsageEvent
from tests.bodies import example, minimal

EVENT = example("UsageEvent")


def parse(schema: str, body: Any) -> Any:
    return parser_for(schema)(body)


def refusal(schema: str, body: Any) -> str:
    with pytest.raises(InvalidBody) as caught:
        parse(schema, body)
    return str(caught.value)


def test_a_body_becomes_its_model_with_typed_fields() -> None:
    event = parse("UsageEvent", EVENT)
    assert isinstance(event, UsageEvent)
    assert event.id == EVENT["id"]
    assert event.timestamp == dt.datetime(2026, 11, 20, 14, 3, 11, tzinfo=dt.UTC)
    assert event.operation_type is OperationType.DOCUMENT_ANALYSIS
    assert (event.credits_used, event.latency_ms) == (3, 412.5)
    assert event.additional_properties == {}


def test_nested_lists_become_models_too() -> None:
    body = {"events": [EVENT, EVENT], "total": 2, "limit": 50, "offset": 0, "has_more": False}
    page = parse("UsageDetails", body)
    assert isinstance(page, UsageDetails)
    assert [type(e) for e in page.events] == [UsageEvent, UsageEvent]


def test_unknown_enum_values_and_fields_are_kept() -> None:
    event = parse("UsageEvent", {**EVENT, "operation_type": "chat_v2", "region": "eu"})
    assert event.operation_type == "chat_v2"
    assert type(event.operation_type) is str
    assert event.additional_properties == {"region": "eu"}


def test_absent_optional_fields_read_as_none_and_stay_absent() -> None:
    body = minimal("UsageEvent")
    event = parse("UsageEvent", body)
    assert event.api_key_id is None
    assert event.to_dict() == {**body, "timestamp": "2026-11-20T14:03:11+00:00"}


def test_a_null_is_told_apart_from_an_absent_field() -> None:
    event = parse("UsageEvent", {**minimal("UsageEvent"), "api_key_id": None})
    assert event.api_key_id is None
    assert event.to_dict()["api_key_id"] is None


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"status_code": "200"}, "status_code: expected an integer, got '200'"),
        ({"status_code": True}, "status_code: expected an integer, got True"),
        ({"status_code": 200.5}, "status_code: expected an integer, got 200.5"),
        ({"latency_ms": "fast"}, "latency_ms: expected a number"),
        ({"latency_ms": 2**1100}, "latency_ms: expected a number (within the range of a float)"),
        ({"id": None}, "id: expected a string, got None"),
        ({"operation_type": 7}, "operation_type: expected a string (OperationType), got 7"),
        ({"timestamp": "2026-11-20"}, "timestamp: expected an RFC 3339 date-time"),
        ({"timestamp": "2026-11-20 14:03:11Z"}, "timestamp: expected an RFC 3339 date-time"),
        ({"timestamp": "2026-13-20T14:03:11Z"}, "timestamp: expected an RFC 3339 date-time"),
        ({"api_key_id": 5}, "api_key_id: expected a string, got 5"),
    ],
)
def test_a_wrong_type_is_refused_naming_the_field(change: dict[str, Any], says: str) -> None:
    assert refusal("UsageEvent", {**EVENT, **change}).startswith(says)


def test_a_missing_required_field_is_named() -> None:
    body = {k: v for k, v in EVENT.items() if k != "credits_used"}
    assert refusal("UsageEvent", body) == "body: required field 'credits_used' is missing"


def test_where_is_a_path_into_the_body() -> None:
    bad = {**EVENT, "credits_used": "3"}
    body = {"events": [EVENT, EVENT, bad], "total": 3, "limit": 50, "offset": 0, "has_more": False}
    assert refusal("UsageDetails", body) == "events[2].credits_used: expected an integer, got '3'"
    assert refusal("UsageDetails", {**body, "events": {}}) == "events: expected an array, got {}"
    assert refusal("UsageDetails", []) == "body: expected an object (UsageDetails), got []"


def test_an_integral_float_is_an_integer() -> None:
    assert parse("UsageEvent", {**EVENT, "credits_used": 3.0}).credits_used == 3


@pytest.mark.parametrize("text", ["NaN", "Infinity", "-Infinity"])
def test_numbers_json_does_not_have_are_refused(text: str) -> None:
    # json.loads accepts these tokens; a number field must not
    body = json.loads(json.dumps(EVENT).replace('"latency_ms": 412.5', f'"latency_ms": {text}'))
    assert (
        refusal("UsageEvent", body)
        == f"latency_ms: expected a number (within the range of a float), got {float(text)!r}"
    )


def test_a_date_time_without_an_offset_means_utc() -> None:
    event = parse("UsageEvent", {**EVENT, "timestamp": "2026-11-20T14:03:11.250"})
    assert event.timestamp == dt.datetime(2026, 11, 20, 14, 3, 11, 250_000, tzinfo=dt.UTC)
    shifted = parse("UsageEvent", {**EVENT, "timestamp": "2026-11-20T06:03:11-08:00"})
    assert shifted.timestamp == event.timestamp.replace(microsecond=0)


def test_dates_and_patterns() -> None:
    body = example("MonthlyTokenUsage")
    usage = parse("MonthlyTokenUsage", body)
    assert usage.start_date == dt.date.fromisoformat(body["start_date"])
    assert refusal("MonthlyTokenUsage", {**body, "start_date": "2026-02-30"}).startswith(
        "start_date: expected a date (YYYY-MM-DD)"
    )
    month = {**body["by_month"][0], "month": "2026-1"}
    refused = refusal("MonthlyTokenUsage", {**body, "by_month": [month]})
    assert refused.startswith("by_month[0].month: expected a string matching ^[0-9]{4}-[0-9]{2}$")


def test_long_values_are_cut_in_the_message() -> None:
    said = refusal("UsageEvent", {**EVENT, "status_code": "x" * 500})
    assert said.endswith("...")
    assert len(said) < 120


def test_a_parser_is_compiled_once_per_schema() -> None:
    assert parser_for("UsageEvent") is parser_for("UsageEvent")
