"""The tests' one view of openapi.yaml: parsed once, `$ref`s followed, schemas validated against it.

Everything here reads the repository's `openapi.yaml` itself (never the SDK's `_spec.json` or the
sandbox's copy), so a test that compares the SDK with these facts compares it with the source.
"""

from __future__ import annotations

import copy
import functools
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import yaml
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry
from referencing.jsonschema import DRAFT202012

ROOT = Path(__file__).resolve().parents[1]
# The scripts' resolver; pytest has scripts/ on sys.path, `python -m bench` does not.
if str(ROOT / "scripts") not in sys.path:
    sys.path.append(str(ROOT / "scripts"))
import spec_refs  # noqa: E402
from spec_refs import ref_name as ref_name  # noqa: E402  (re-exported for the tests)

SPEC_PATH = ROOT / "openapi.yaml"
BASE_URI = "urn:scopix:openapi"
# jsonschema checks date-time only when rfc3339-validator is installed (tests/spec asserts it is).
FORMAT_CHECKER = FormatChecker()

JSON = dict[str, Any]


@functools.cache
def _parsed() -> JSON:
    spec: JSON = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    return spec


def spec() -> JSON:
    """The shared parsed openapi.yaml; do not modify it (`fresh()` gives a copy to change)."""
    return _parsed()


def fresh() -> JSON:
    """A copy of openapi.yaml, safe to modify."""
    return copy.deepcopy(_parsed())


def resolve(node: Any, document: JSON | None = None) -> Any:
    """Follow local `$ref`s (`#/a/b`) of openapi.yaml (or `document`) until a node without one:
    the scripts' resolver (scripts/spec_refs.py), so tests and tools read `$ref`s alike."""
    return spec_refs.resolve(spec() if document is None else document, node)


def schemas() -> JSON:
    """`components.schemas`."""
    found: JSON = spec()["components"]["schemas"]
    return found


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str  # upper case
    path: str
    raw: JSON  # the operation object as written

    @property
    def parameters(self) -> dict[str, JSON]:
        """Each query parameter by name, `$ref`s followed (the parameter and its schema)."""
        found = {}
        for node in self.raw.get("parameters", []):
            param = dict(resolve(node))
            param["schema"] = resolve(param["schema"])
            found[param["name"]] = param
        return found

    @property
    def response_ref(self) -> str:
        """The `$ref` of the 200 body's schema."""
        ref: str = self.raw["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        return ref


def _each_operation() -> Iterator[Operation]:
    for path, item in spec()["paths"].items():
        for method, op in item.items():
            yield Operation(op["operationId"], method.upper(), path, op)


@functools.cache
def operations() -> dict[str, Operation]:
    """Every operation by operationId."""
    return {op.operation_id: op for op in _each_operation()}


@functools.cache
def registry() -> Registry[Any]:
    """The spec as a JSON Schema resource at BASE_URI, for validators that follow its `$ref`s."""
    found: Registry[Any] = Registry().with_resource(BASE_URI, DRAFT202012.create_resource(spec()))
    return found


def validator(*parts: str) -> Draft202012Validator:
    """A validator for the schema at `parts` of openapi.yaml, its `$ref`s resolved in the spec."""
    escaped = "".join("/" + p.replace("~", "~0").replace("/", "~1") for p in parts)
    return validator_for_ref("#" + escaped)


def validator_for_ref(ref: str) -> Draft202012Validator:
    """A validator for a local `$ref` of openapi.yaml (`#/components/schemas/X`)."""
    target = {"$ref": f"{BASE_URI}#{quote(ref.removeprefix('#'), safe='/~')}"}
    return Draft202012Validator(target, registry=registry(), format_checker=FORMAT_CHECKER)
