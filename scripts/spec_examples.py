"""Check that every example in an OpenAPI 3.1 document fits the schema it belongs to.

Covers the `examples` (and legacy `example`) of every schema, component or inline and at any depth,
and the `example`/`examples` of parameters, headers and media types. `$ref`s resolve inside the
document; `date` and `date-time` formats are enforced.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry
from referencing.exceptions import Unresolvable
from referencing.jsonschema import DRAFT202012

BASE_URI = "urn:scopix:openapi"
Parts = tuple[str | int, ...]  # a JSON-pointer location as path segments
Found = tuple[Parts, Any, str]  # (schema location, example value, label of the example)

SUBSCHEMA_MAPS = ("properties", "patternProperties", "$defs", "dependentSchemas")
SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
SUBSCHEMA_ONE = (
    "items",
    "additionalProperties",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contentSchema",
)
# Stricter than fromisoformat alone, which also takes `20261120` or a space separator.
DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
DATE_TIME_RE = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})")


def _is_date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    return DATE_RE.fullmatch(value) is not None and bool(date.fromisoformat(value))


def _is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    return DATE_TIME_RE.fullmatch(value) is not None and bool(datetime.fromisoformat(value))


def format_checker() -> FormatChecker:
    """Own checks: jsonschema's default date-time check silently passes without an extra package."""
    checker = FormatChecker(formats=())
    checker.checks("date", raises=ValueError)(_is_date)
    checker.checks("date-time", raises=ValueError)(_is_date_time)
    return checker


def pointer_of(parts: Parts) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def registry_of(spec: Mapping[str, Any]) -> Registry[Any]:
    """The document as one resource, so `#/components/...` refs resolve from any schema in it."""
    registry: Registry[Any] = Registry().with_resource(BASE_URI, DRAFT202012.create_resource(spec))
    return registry


def validator_at(registry: Registry[Any], parts: Parts) -> Draft202012Validator:
    """A validator for the schema at `parts` of the document in `registry`."""
    ref = {"$ref": BASE_URI + "#" + quote(pointer_of(parts), safe="/~")}
    return Draft202012Validator(ref, registry=registry, format_checker=format_checker())


def _schema_examples(node: Any, parts: Parts) -> Iterator[Found]:
    """(schema location, example, label) for `node` and every subschema inside it."""
    if not isinstance(node, Mapping):
        return
    examples = node.get("examples")
    if isinstance(examples, list):
        for i, value in enumerate(examples):
            yield parts, value, f"examples[{i}]"
    if "example" in node:
        yield parts, node["example"], "example"
    for key in SUBSCHEMA_MAPS:
        sub = node.get(key)
        if isinstance(sub, Mapping):
            for name, child in sub.items():
                yield from _schema_examples(child, (*parts, key, name))
    for key in SUBSCHEMA_LISTS:
        sub = node.get(key)
        if isinstance(sub, list):
            for i, child in enumerate(sub):
                yield from _schema_examples(child, (*parts, key, i))
    for key in SUBSCHEMA_ONE:
        yield from _schema_examples(node.get(key), (*parts, key))


def _owner_examples(node: Mapping[str, Any]) -> Iterator[tuple[Any, str]]:
    """Examples of a parameter, header or media type (value, label)."""
    if "example" in node:
        yield node["example"], "example"
    examples = node.get("examples")
    if isinstance(examples, Mapping):
        for name, obj in examples.items():
            if isinstance(obj, Mapping) and "value" in obj:
                yield obj["value"], f"examples.{name}.value"


def iter_examples(spec: Mapping[str, Any]) -> Iterator[Found]:
    """Every example in the document with the location of the schema it must fit."""
    schemas = spec.get("components", {}).get("schemas", {})
    for name, schema in schemas.items() if isinstance(schemas, Mapping) else ():
        yield from _schema_examples(schema, ("components", "schemas", name))
    yield from _walk(spec, ())


def _walk(node: Any, parts: Parts) -> Iterator[Found]:
    """Find objects that carry a `schema` (parameters, headers, media types) outside schemas."""
    if isinstance(node, list):
        for i, child in enumerate(node):
            yield from _walk(child, (*parts, i))
        return
    if not isinstance(node, Mapping) or parts == ("components", "schemas"):
        return
    if isinstance(node.get("schema"), Mapping):
        schema_parts = (*parts, "schema")
        yield from _schema_examples(node["schema"], schema_parts)
        for value, label in _owner_examples(node):
            yield schema_parts, value, label
    for key, child in node.items():
        if key not in ("schema", "example", "examples"):
            yield from _walk(child, (*parts, key))


def example_problems(spec: Mapping[str, Any]) -> list[tuple[Parts, str]]:
    """(location of the schema, message) per example that does not validate against it."""
    errors: list[tuple[Parts, str]] = []
    registry = registry_of(spec)
    for parts, value, label in iter_examples(spec):
        try:
            problems = list(validator_at(registry, parts).iter_errors(value))
        except Unresolvable as exc:
            errors.append((parts, f"{label}: cannot validate, unresolvable $ref: {exc.ref}"))
            continue
        errors.extend((parts, f"{label}: {value!r}: {p.message}") for p in problems)
    return errors


def example_errors(spec: Mapping[str, Any]) -> list[str]:
    """One line per example that does not validate against its schema."""
    return [f"{'.'.join(str(p) for p in parts)} {msg}" for parts, msg in example_problems(spec)]
