"""openapi.yaml as the sandbox reads it: operations, parameters, rate limits and enums.

Every fact the sandbox serves by (paths, parameters, bounds, enums, defaults, rate limits) comes
from here, loaded from the spec at startup; nothing is typed a second time.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

__all__ = ["JSON", "SPEC_PATH", "Operation", "RateLimit", "Spec", "SpecError", "load_spec"]

# Package data: `make generate` copies the repo's openapi.yaml here; `make check-generated` checks.
SPEC_PATH = Path(__file__).resolve().parent / "openapi.yaml"

JSON = dict[str, Any]


class SpecError(Exception):
    """openapi.yaml uses something the sandbox cannot serve faithfully."""


@dataclass(frozen=True)
class RateLimit:
    """An operation's `x-rate-limit`: `limit` requests per `window_seconds`, counted in `bucket`."""

    bucket: str
    limit: int
    window_seconds: float


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str
    path: str
    parameters: tuple[JSON, ...]
    """Query parameter objects with every `$ref` (their own and their schema's) resolved."""
    rate_limit: RateLimit
    responses: dict[str, JSON]
    """Status (`"200"`, `"5XX"`) to the resolved response object."""

    def body_schema(self, status: str) -> Any:
        """The JSON body schema of a documented status (resolved), None without one."""
        response = self.responses.get(status, {})
        return response.get("content", {}).get("application/json", {}).get("schema")


class Spec:
    """The loaded spec with `$ref` resolution over it: the sandbox's one resolver.

    Local references only (`#/components/...`), JSON-pointer escapes (`~0`, `~1`) honoured. By
    hand, not with `referencing`: serving must not import attrs, a dependency of the SDK's
    generated client (the package-boundary test runs the sandbox with it unimportable).
    """

    def __init__(self, raw: JSON, path: Path) -> None:
        self.raw = raw
        self.path = path
        self.operations: dict[str, Operation] = {}
        for path_key, item in raw.get("paths", {}).items():
            for method, op in item.items():
                if method.startswith("x-") or method in ("parameters", "summary", "description"):
                    continue
                self.operations[op["operationId"]] = self._operation(path_key, method, op)
        if not self.operations:
            raise SpecError(f"{path}: no operations")

    def deref(self, node: Any) -> Any:
        """Follow `$ref` at the top of `node` until it is not a reference (the target defines:
        a reference's siblings are dropped)."""
        return self._follow(node, ())[0]

    def resolve(self, node: Any) -> Any:
        """A copy of `node` with every `$ref` inside it replaced by its target."""
        return self._inline(node, ())

    def _follow(self, node: Any, within: tuple[str, ...]) -> tuple[Any, tuple[str, ...]]:
        while isinstance(node, dict) and "$ref" in node:
            ref = node["$ref"]
            if ref in within:
                raise SpecError(f"reference cycle through {ref} (the sandbox inlines schemas)")
            within = (*within, ref)
            node = self.pointer(ref)
        return node, within

    def _inline(self, node: Any, within: tuple[str, ...]) -> Any:
        node, within = self._follow(node, within)
        if isinstance(node, dict):
            return {k: self._inline(v, within) for k, v in node.items()}
        if isinstance(node, list):
            return [self._inline(v, within) for v in node]
        return node

    def pointer(self, ref: str) -> Any:
        """The node a local reference (`#/a/b~1c`) points at."""
        if not ref.startswith("#/"):
            raise SpecError(f"only local references are supported: {ref}")
        node: Any = self.raw
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(node, dict) or part not in node:
                raise SpecError(f"unresolvable reference {ref}")
            node = node[part]
        return node

    def schema(self, name: str) -> Any:
        """`components.schemas.<name>`, itself dereferenced."""
        return self.deref({"$ref": f"#/components/schemas/{name}"})

    def enum(self, schema_name: str) -> tuple[str, ...]:
        """The values of `components.schemas.<schema_name>.enum`."""
        return tuple(self.schema(schema_name)["enum"])

    def buckets(self) -> dict[str, RateLimit]:
        """One rate limit per bucket; operations that share a bucket must agree on it."""
        out: dict[str, RateLimit] = {}
        for op in self.operations.values():
            known = out.setdefault(op.rate_limit.bucket, op.rate_limit)
            if known != op.rate_limit:
                raise SpecError(f"bucket {known.bucket!r} has two different limits")
        return out

    def _operation(self, path: str, method: str, op: JSON) -> Operation:
        op_id = op["operationId"]
        rl = op.get("x-rate-limit")
        if not isinstance(rl, dict):
            raise SpecError(f"{op_id}: no x-rate-limit")
        params: list[JSON] = []
        for p in op.get("parameters", []):
            resolved = self.resolve(p)
            if resolved.get("in") != "query":
                raise SpecError(f"{op_id}: only query parameters are served, not {resolved}")
            params.append(resolved)
        responses = {str(k): self.resolve(v) for k, v in op.get("responses", {}).items()}
        return Operation(
            operation_id=op_id,
            method=method.upper(),
            path=path,
            parameters=tuple(params),
            rate_limit=RateLimit(
                bucket=str(rl["bucket"]),
                limit=int(rl["limit"]),
                window_seconds=float(rl["window_seconds"]),
            ),
            responses=responses,
        )


@functools.lru_cache(maxsize=4)
def load_spec(path: Path = SPEC_PATH) -> Spec:
    with path.open(encoding="utf-8") as fh:
        raw = yaml.safe_load(fh)
    if not isinstance(raw, dict):
        raise SpecError(f"{path}: not a mapping")
    return Spec(raw, path)
