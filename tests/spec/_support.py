"""Shared helpers for the spec tests: the parsed spec, `$ref` resolution and schema validators."""

from __future__ import annotations

import copy
import functools
from pathlib import Path
from typing import Any
from urllib.parse import quote

import yaml
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry
from referencing.jsonschema import DRAFT202012

ROOT = Path(__file__).resolve().parents[2]
SPEC_PATH = ROOT / "openapi.yaml"
BASE_URI = "urn:scopix:openapi"
# jsonschema checks date-time only when rfc3339-validator is installed; test_examples asserts it is.
FORMAT_CHECKER = FormatChecker()


@functools.cache
def _parsed() -> dict[str, Any]:
    spec: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    return spec


def load_spec() -> dict[str, Any]:
    """A fresh copy of openapi.yaml, safe to modify."""
    return copy.deepcopy(_parsed())


def spec() -> dict[str, Any]:
    """The shared parsed openapi.yaml; do not modify."""
    return _parsed()


def resolve(document: dict[str, Any], node: Any) -> Any:
    """Follow local `$ref`s (`#/a/b`) until a node without one."""
    while isinstance(node, dict) and "$ref" in node:
        target: Any = document
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


@functools.cache
def _registry() -> Registry[Any]:
    registry: Registry[Any] = Registry().with_resource(
        BASE_URI, DRAFT202012.create_resource(_parsed())
    )
    return registry


def validator(*parts: str) -> Draft202012Validator:
    """A validator for the schema at `parts` of openapi.yaml, its `$ref`s resolved in the spec."""
    pointer = "".join("/" + p.replace("~", "~0").replace("/", "~1") for p in parts)
    ref = {"$ref": f"{BASE_URI}#{quote(pointer, safe='/~')}"}
    return Draft202012Validator(ref, registry=_registry(), format_checker=FORMAT_CHECKER)
