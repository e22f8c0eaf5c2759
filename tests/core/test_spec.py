"""`_spec`: the facts the SDK reads at run time from `_spec.json` are openapi.yaml's, one by one."""

from __future__ import annotations

import pytest

from scopix import _spec
from tests import openapi


def test_every_operation_of_the_spec_and_no_other() -> None:
    assert set(_spec.operations()) == set(openapi.operations())


@pytest.mark.parametrize("operation_id", sorted(openapi.operations()))
def test_an_operation_is_read_as_written(operation_id: str) -> None:
    written = openapi.operations()[operation_id]
    read = _spec.operation(operation_id)
    assert (read.operation_id, read.method, read.path) == (
        operation_id,
        written.method,
        written.path,
    )
    assert read.response_schema == openapi.ref_name({"$ref": written.response_ref})
    limit = written.raw["x-rate-limit"]
    assert (read.rate_limit.bucket, read.rate_limit.limit, read.rate_limit.window_seconds) == (
        limit["bucket"],
        limit["limit"],
        float(limit["window_seconds"]),
    )
    assert isinstance(read.rate_limit.window_seconds, float)


@pytest.mark.parametrize("operation_id", sorted(openapi.operations()))
def test_parameters_are_resolved_with_their_enum_names(operation_id: str) -> None:
    written = openapi.operations()[operation_id].parameters
    read = _spec.operation(operation_id).params
    assert list(read) == list(written)  # the spec's order
    for name, param in read.items():
        assert param.name == name
        assert param.schema == written[name]["schema"]  # $refs followed
        assert "$ref" not in param.schema
        raw_schema = openapi.resolve(_raw_parameter(operation_id, name))["schema"]
        assert param.ref_name == openapi.ref_name(raw_schema)
        assert param.default == written[name]["schema"].get("default")


def _raw_parameter(operation_id: str, name: str) -> dict[str, object]:
    for node in openapi.operations()[operation_id].raw.get("parameters", []):
        param: dict[str, object] = openapi.resolve(node)
        if param["name"] == name:
            return param
    raise AssertionError(f"{operation_id} has no parameter {name}")


def test_enum_parameters_name_their_component() -> None:
    period = _spec.operation("get_by_period").params["period_type"]
    assert period.ref_name == "PeriodType"
    assert period.schema is _spec.schema("PeriodType")
    assert period.default == "day"
    assert _spec.operation("get_details").params["limit"].ref_name is None  # inline schema


def test_resolve_follows_a_ref_and_names_it() -> None:
    target, name = _spec.resolve({"$ref": "#/components/schemas/UsageEvent"})
    assert name == "UsageEvent"
    assert target == openapi.schemas()["UsageEvent"]
    inline = {"type": "string"}
    assert _spec.resolve(inline) == (inline, None)


def test_schemas_and_the_production_url() -> None:
    for name, schema in openapi.schemas().items():
        assert _spec.schema(name) == schema
    with pytest.raises(KeyError):
        _spec.schema("NoSuchSchema")
    assert _spec.production_url() == openapi.spec()["servers"][0]["url"]


def test_the_document_is_loaded_once() -> None:
    assert _spec.document() is _spec.document()
    assert _spec.operations() is _spec.operations()
