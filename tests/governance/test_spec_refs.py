"""scripts/spec_refs.py, the dev tooling's one `$ref` resolver (the scripts and tests/openapi.py
use it): what it follows, and how it refuses a `$ref` that names nothing."""

from __future__ import annotations

from typing import Any

import pytest
import spec_refs

from tests import openapi

DOC: dict[str, Any] = {
    "components": {
        "schemas": {
            "A": {"$ref": "#/components/schemas/B", "description": "annotates only"},
            "B": {"type": "string"},
            "a/b~c": {"type": "integer"},
            "Loop": {"$ref": "#/components/schemas/Loop"},
        },
        "parameters": [{"name": "limit"}],
    }
}


def test_a_chain_of_refs_is_followed_to_its_end() -> None:
    assert spec_refs.resolve(DOC, {"$ref": "#/components/schemas/A"}) == {"type": "string"}


def test_escaped_names_and_array_indexes() -> None:
    escaped = {"$ref": "#/components/schemas/a~1b~0c"}
    assert spec_refs.resolve(DOC, escaped) == {"type": "integer"}
    assert spec_refs.resolve(DOC, {"$ref": "#/components/parameters/0"}) == {"name": "limit"}


@pytest.mark.parametrize("node", [None, [1], {"type": "string"}, {"$ref": 5}])
def test_a_node_without_a_string_ref_comes_back_as_it_is(node: Any) -> None:
    assert spec_refs.resolve(DOC, node) is node


@pytest.mark.parametrize(
    "ref", ["#/components/schemas/Nope", "#/components/parameters/3", "other.yaml#/X"]
)
def test_a_ref_to_nothing_is_refused_naming_it(ref: str) -> None:
    with pytest.raises(spec_refs.RefError, match=f"unresolvable \\$ref {ref}"):
        spec_refs.resolve(DOC, {"$ref": ref})


def test_a_cycle_is_refused() -> None:
    with pytest.raises(spec_refs.RefError, match="cycle"):
        spec_refs.resolve(DOC, {"$ref": "#/components/schemas/Loop"})


def test_the_tests_resolve_openapi_yaml_with_it() -> None:
    ref = {"$ref": "#/components/schemas/UsageEvent"}
    assert openapi.resolve(ref) is openapi.schemas()["UsageEvent"]
    assert openapi.ref_name(ref) == spec_refs.ref_name(ref) == "UsageEvent"
