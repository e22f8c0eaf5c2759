"""Fault injection: added latency, 5xx, 429, dropped connections and malformed bodies.

Each request to an API path draws once from a seeded `random.Random`: the kinds' shares are laid
end to end on [0, 1) and the draw picks at most one kind. The same seed and the same order of
requests give the same faults.
"""

from __future__ import annotations

import json
import random
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from typing import Any

KINDS = (
    "error_500",
    "error_502",
    "error_503",
    "rate_limit",
    "disconnect",
    "html",
    "truncated",
    "wrong_types",
    "unknown_enum",
    "slow",
)
"""Fault kinds, in the order their shares are laid out.

- error_500 / error_503: an ErrorResponse JSON body (503 with Retry-After).
- error_502: an HTML page from a "gateway", without the API's rate-limit headers.
- rate_limit: 429 with Retry-After and an ErrorResponse body (consumes no slot).
- disconnect: headers and part of the body are sent, then the connection is closed.
- html: status 200 with an HTML body (a captive portal or maintenance page).
- truncated: status 200 with the JSON body cut in half (Content-Length matches the cut body).
- wrong_types: status 200 with valid JSON in which one integer field is a string.
- unknown_enum: status 200 with every open enum value (see `unknown_enums`) one the spec does not
  list yet: what a newer server sends. The body still matches the spec.
- slow: a normal answer, `slow_ms` late (past a client's timeout, typically).
"""


@dataclass(frozen=True)
class FaultConfig:
    """Shares (0 to 1, adding up to at most 1) of each fault kind, plus added latency."""

    error_500: float = 0.0
    error_502: float = 0.0
    error_503: float = 0.0
    rate_limit: float = 0.0
    disconnect: float = 0.0
    html: float = 0.0
    truncated: float = 0.0
    wrong_types: float = 0.0
    unknown_enum: float = 0.0
    slow: float = 0.0
    slow_ms: float = 2000.0
    """How late a `slow` answer comes."""
    latency_ms: float | tuple[float, float] = 0.0
    """Added before every API response: a fixed number, or a [low, high] range drawn uniformly."""
    retry_after: int = 1
    """Retry-After seconds of injected 429s and 503s."""
    seed: int = 0
    operations: tuple[str, ...] = field(default=())
    """Only these operation ids get faults (all when empty)."""

    def __post_init__(self) -> None:
        total = 0.0
        for kind in KINDS:
            share = getattr(self, kind)
            if not isinstance(share, int | float) or isinstance(share, bool):
                raise ValueError(f"{kind} must be a number")
            if not 0.0 <= share <= 1.0:
                raise ValueError(f"{kind} must be between 0 and 1, got {share}")
            total += share
        if total > 1.0 + 1e-9:
            raise ValueError(f"fault shares add up to {total:g}, more than 1")
        lo, hi = self.latency_range
        if lo < 0 or hi < lo:
            raise ValueError(
                f"latency_ms must be >= 0 (a range low to high), got {self.latency_ms}"
            )
        if not isinstance(self.retry_after, int) or self.retry_after < 0:
            raise ValueError("retry_after must be a non-negative integer")

    @property
    def latency_range(self) -> tuple[float, float]:
        if isinstance(self.latency_ms, tuple):
            return float(self.latency_ms[0]), float(self.latency_ms[1])
        return float(self.latency_ms), float(self.latency_ms)

    @property
    def active(self) -> bool:
        return any(getattr(self, k) for k in KINDS) or self.latency_range[1] > 0

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> FaultConfig:
        """From JSON-like data (the admin endpoint, CLI); unknown keys are an error."""
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown fault settings {sorted(unknown)}; known: {sorted(known)}")
        values = dict(data)
        latency = values.get("latency_ms")
        if isinstance(latency, list | tuple):
            if len(latency) != 2:
                raise ValueError("latency_ms range must be [low, high]")
            values["latency_ms"] = (float(latency[0]), float(latency[1]))
        if "operations" in values:
            values["operations"] = tuple(values["operations"])
        return cls(**values)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        if isinstance(self.latency_ms, tuple):
            data["latency_ms"] = list(self.latency_ms)
        data["operations"] = list(self.operations)
        return data


@dataclass(frozen=True)
class Draw:
    kind: str | None
    delay: float
    """Seconds to wait before answering."""


class FaultInjector:
    def __init__(self, config: FaultConfig | None = None) -> None:
        self.configure(config or FaultConfig())
        self.injected: dict[str, int] = dict.fromkeys(KINDS, 0)
        self.delayed = 0

    def configure(self, config: FaultConfig) -> None:
        self.config = config
        self.rng = random.Random(config.seed)
        self._bounds: list[tuple[float, str]] = []
        acc = 0.0
        for kind in KINDS:
            share = getattr(config, kind)
            if share > 0:
                acc += share
                self._bounds.append((acc, kind))

    def reset_counters(self) -> None:
        self.injected = dict.fromkeys(KINDS, 0)
        self.delayed = 0
        self.rng = random.Random(self.config.seed)

    def draw(self, operation_id: str) -> Draw:
        config = self.config
        if not config.active or (config.operations and operation_id not in config.operations):
            return Draw(None, 0.0)
        kind = None
        if self._bounds:
            u = self.rng.random()
            for bound, name in self._bounds:
                if u < bound:
                    kind = name
                    self.injected[name] += 1
                    break
        lo, hi = config.latency_range
        delay = 0.0
        if hi > 0:
            delay = (lo if lo == hi else self.rng.uniform(lo, hi)) / 1000.0
            self.delayed += 1
        if kind == "slow":
            delay += config.slow_ms / 1000.0
        return Draw(kind, delay)


GATEWAY_502_HTML = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    b"</body>\r\n</html>\r\n"
)
MAINTENANCE_HTML = (
    b'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>Scheduled maintenance</title>'
    b"</head>\n<body><h1>We'll be right back</h1><p>Scopix is undergoing scheduled maintenance."
    b"</p></body></html>\n"
)


def truncate(body: bytes) -> bytes:
    """The first half of a body (at least one byte short of it)."""
    return body[: max(1, len(body) // 2)] if len(body) > 1 else b""


def wrong_types(body: bytes) -> bytes:
    """The same JSON with its first integer field (depth first) turned into a string."""
    try:
        data = json.loads(body)
    except ValueError:
        return body

    def flip(node: Any) -> bool:
        if isinstance(node, dict):
            for k, v in node.items():
                if isinstance(v, int) and not isinstance(v, bool):
                    node[k] = str(v)
                    return True
            return any(flip(v) for v in node.values())
        if isinstance(node, list):
            return any(flip(v) for v in node)
        return False

    if not flip(data) and isinstance(data, dict):
        data["total"] = "many"
    return json.dumps(data, separators=(",", ":")).encode()


UNKNOWN_SUFFIX = "_v2"


def _open_enum(alternatives: list[Any]) -> bool:
    """`anyOf`/`oneOf` of an enum and a plain string: the spec's way to say "may grow"."""
    enum = any(isinstance(a, dict) and "enum" in a for a in alternatives)
    plain = any(
        isinstance(a, dict) and a.get("type") == "string" and "enum" not in a for a in alternatives
    )
    return enum and plain


def unknown_enums(body: Any, schema: Any) -> Any:
    """`body` with each value of an open enum in it (per `schema`, `$ref`s resolved) turned into
    one the spec does not list (`chat` -> `chat_v2`)."""
    if not isinstance(schema, dict):
        return body
    alternatives = schema.get("anyOf") or schema.get("oneOf")
    if isinstance(alternatives, list):
        if isinstance(body, str) and _open_enum(alternatives):
            return body + UNKNOWN_SUFFIX
        for alternative in alternatives:  # a nullable object or array: the non-null branch
            if isinstance(alternative, dict) and alternative.get("type") != "null":
                body = unknown_enums(body, alternative)
        return body
    if isinstance(body, dict):
        props = schema.get("properties", {})
        return {k: unknown_enums(v, props.get(k)) for k, v in body.items()}
    if isinstance(body, list):
        return [unknown_enums(v, schema.get("items")) for v in body]
    return body
