"""The spec loader's `$ref` resolver: the one the whole sandbox (and these tests) read through."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from scopix_sandbox.spec import Spec, SpecError

RATE = {"bucket": "usage", "limit": 5, "window_seconds": 60}


def _spec(components: dict[str, Any], response: dict[str, Any]) -> Spec:
    op = {"operationId": "op", "x-rate-limit": RATE, "responses": {"200": response}}
    return Spec({"paths": {"/v1/x": {"get": op}}, "components": components}, Path("t.yaml"))


def _body(ref: str) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": {"$ref": ref}}}}


def test_references_are_inlined_through_chains_arrays_and_escapes() -> None:
    components = {
        "schemas": {
            "Page": {
                "type": "object",
                "properties": {"items": {"$ref": "#/components/schemas/List"}},
            },
            "List": {"type": "array", "items": {"$ref": "#/components/schemas/a~1b~0c"}},
            "a/b~c": {"$ref": "#/components/schemas/Leaf"},
            "Leaf": {"type": "integer"},
        }
    }
    spec = _spec(components, _body("#/components/schemas/Page"))
    schema = spec.operations["op"].responses["200"]["content"]["application/json"]["schema"]
    assert schema == {
        "type": "object",
        "properties": {"items": {"type": "array", "items": {"type": "integer"}}},
    }
    assert spec.deref({"$ref": "#/components/schemas/a~1b~0c"}) == {"type": "integer"}
    assert spec.schema("Leaf") == {"type": "integer"}


@pytest.mark.parametrize(
    ("components", "ref", "error"),
    [
        ({"schemas": {}}, "#/components/schemas/Missing", "unresolvable reference"),
        ({"schemas": {}}, "other.yaml#/components/schemas/X", "only local references"),
        (
            {
                "schemas": {
                    "A": {"$ref": "#/components/schemas/B"},
                    "B": {"$ref": "#/components/schemas/A"},
                }
            },
            "#/components/schemas/A",
            "reference cycle",
        ),
        (
            {
                "schemas": {
                    "Tree": {"type": "array", "items": {"$ref": "#/components/schemas/Tree"}}
                }
            },
            "#/components/schemas/Tree",
            "reference cycle",
        ),
    ],
    ids=["missing", "remote", "cycle", "recursive schema"],
)
def test_a_reference_the_sandbox_cannot_follow_fails_at_load(
    components: dict[str, Any], ref: str, error: str
) -> None:
    with pytest.raises(SpecError, match=error):
        _spec(components, _body(ref))
