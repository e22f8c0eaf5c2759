"""The property examples of every component schema fit it and survive the generated models.

For each object schema with a generated model, an object built from the first example of each
property must validate against the schema and come back unchanged from
`Model.from_dict(obj).to_dict()` (date-times compared as instants: the models write isoformat, so
`Z` comes back as `+00:00`).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import pytest

import scopix_api.models
from tests.openapi import FORMAT_CHECKER, schemas, validator

DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")
SCHEMAS: dict[str, Any] = schemas()
MODELLED = sorted(
    name
    for name, schema in SCHEMAS.items()
    if schema.get("type") == "object" and hasattr(scopix_api.models, name)
)


def normalise(value: Any) -> Any:
    """Date-time strings become aware datetimes, so equal instants compare equal."""
    if isinstance(value, dict):
        return {k: normalise(v) for k, v in value.items()}
    if isinstance(value, list):
        return [normalise(v) for v in value]
    if isinstance(value, str) and DATE_TIME.fullmatch(value):
        return datetime.fromisoformat(value)
    return value


def example_object(name: str, required_only: bool) -> dict[str, Any]:
    schema = SCHEMAS[name]
    keep = set(schema.get("required", [])) if required_only else set(schema["properties"])
    return {prop: sub["examples"][0] for prop, sub in schema["properties"].items() if prop in keep}


def test_every_object_schema_has_a_model() -> None:
    objects = {name for name, schema in SCHEMAS.items() if schema.get("type") == "object"}
    assert objects == set(MODELLED)


def test_format_checks_are_active() -> None:
    # Without rfc3339-validator jsonschema would silently accept any date-time string.
    assert {"date", "date-time"} <= set(FORMAT_CHECKER.checkers)
    assert not validator("components", "schemas", "BillingPeriod").is_valid(
        {"start": "2026-11-01 00:00", "end": "2026-12-01T00:00:00Z"}
    )


@pytest.mark.parametrize("name", MODELLED)
def test_property_examples_validate(name: str) -> None:
    for prop, sub in SCHEMAS[name]["properties"].items():
        check = validator("components", "schemas", name, "properties", prop)
        for example in sub["examples"]:
            errors = [e.message for e in check.iter_errors(example)]
            assert not errors, f"{name}.{prop} example {example!r}: {errors}"


@pytest.mark.parametrize("required_only", [False, True], ids=["all-properties", "required-only"])
@pytest.mark.parametrize("name", MODELLED)
def test_example_object_roundtrips(name: str, required_only: bool) -> None:
    obj = example_object(name, required_only)
    errors = [e.message for e in validator("components", "schemas", name).iter_errors(obj)]
    assert not errors, f"{name} example object {obj!r}: {errors}"
    model = getattr(scopix_api.models, name)
    again = model.from_dict(obj).to_dict()
    assert normalise(again) == normalise(obj)
