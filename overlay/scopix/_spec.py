"""The API facts the overlay needs at run time, read from the spec (never typed twice).

`_spec.json` is openapi.yaml as JSON, written by `make generate`. It is loaded once, on first use.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "JSON",
    "OperationSpec",
    "ParamSpec",
    "RateLimitSpec",
    "document",
    "module_name",
    "operation",
    "operations",
    "production_url",
    "resolve",
    "schema",
]

JSON = dict[str, Any]


@dataclass(frozen=True, slots=True)
class ParamSpec:
    """One query parameter: its name and its (resolved) schema."""

    name: str
    schema: JSON
    ref_name: str | None  # component schema name when the parameter is an enum of the spec

    @property
    def default(self) -> Any:
        return self.schema.get("default")


@dataclass(frozen=True, slots=True)
class RateLimitSpec:
    bucket: str
    limit: int
    window_seconds: float


@dataclass(frozen=True, slots=True)
class OperationSpec:
    operation_id: str
    tag: str  # the operation's first tag as a module name: its resource (`client.<tag>`)
    method: str
    path: str
    params: Mapping[str, ParamSpec]
    response_schema: str  # component schema name of the 200 body
    rate_limit: RateLimitSpec


@functools.cache
def document() -> JSON:
    from importlib import resources  # imported on first use: keeps `import scopix` light

    text = resources.files("scopix").joinpath("_spec.json").read_text(encoding="utf-8")
    doc: JSON = json.loads(text)
    return doc


def resolve(node: JSON) -> tuple[JSON, str | None]:
    """Follow a local `$ref`; return the target and its component name (None when inline)."""
    ref = node.get("$ref")
    if ref is None:
        return node, None
    target: Any = document()
    for part in ref.removeprefix("#/").split("/"):
        target = target[part]
    return target, ref.rsplit("/", 1)[-1]


def _param(node: JSON) -> ParamSpec:
    param, _ = resolve(node)
    schema, ref_name = resolve(param["schema"])
    return ParamSpec(name=param["name"], schema=schema, ref_name=ref_name)


@functools.cache
def operations() -> Mapping[str, OperationSpec]:
    ops: dict[str, OperationSpec] = {}
    for path, item in document()["paths"].items():
        for method, op in item.items():
            body = op["responses"]["200"]["content"]["application/json"]["schema"]
            limit = op["x-rate-limit"]
            ops[op["operationId"]] = OperationSpec(
                operation_id=op["operationId"],
                tag=module_name(op["tags"][0]),
                method=method.upper(),
                path=path,
                params={p.name: p for p in map(_param, op.get("parameters", []))},
                response_schema=resolve(body)[1] or "",
                rate_limit=RateLimitSpec(
                    bucket=limit["bucket"],
                    limit=int(limit["limit"]),
                    window_seconds=float(limit["window_seconds"]),
                ),
            )
    return ops


def module_name(tag: str) -> str:
    """A tag as the Python name of its resource and modules ("Usage stats": usage_stats)."""
    return re.sub(r"\W+|(?<=[a-z0-9])(?=[A-Z])", "_", tag).strip("_").lower()


def operation(operation_id: str) -> OperationSpec:
    return operations()[operation_id]


def schema(name: str) -> JSON:
    found: JSON = document()["components"]["schemas"][name]
    return found


def production_url() -> str:
    url: str = document()["servers"][0]["url"]
    return url
