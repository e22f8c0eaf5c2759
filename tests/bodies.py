"""Full response bodies built from the spec's own property examples (nested objects included)."""

from __future__ import annotations

from typing import Any

from tests import openapi

SCHEMAS: dict[str, Any] = openapi.schemas()


def _object_ref(node: dict[str, Any]) -> str | None:
    """The object schema `node` refers to (itself or one of its anyOf), None for enums."""
    for option in [node, *node.get("anyOf", [])]:
        name = openapi.ref_name(option)
        if name and "enum" not in SCHEMAS[name]:
            return name
    return None


def example(name: str) -> dict[str, Any]:
    """An instance of component schema `name` with every property set."""
    out: dict[str, Any] = {}
    for prop, node in SCHEMAS[name]["properties"].items():
        nested = _object_ref(node)
        item = openapi.ref_name(node.get("items", {}))
        if nested:
            out[prop] = example(nested)
        elif node.get("type") == "array" and item:
            out[prop] = [example(item)]
        else:
            out[prop] = node["examples"][0]
    return out


def minimal(name: str) -> dict[str, Any]:
    """An instance of `name` with only its required properties."""
    full = example(name)
    return {k: v for k, v in full.items() if k in SCHEMAS[name].get("required", [])}


def page(name: str, items_key: str, items: list[Any], *, offset: int, has_more: bool) -> Any:
    """A page of a list schema holding `items`."""
    body = example(name)
    body.update({items_key: items, "offset": offset, "has_more": has_more, "total": 10**6})
    return body
