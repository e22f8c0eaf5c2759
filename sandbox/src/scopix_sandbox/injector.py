"""Fault settings (`FaultConfig`: a share per kind, latency, seed) and the seeded draw.

Each request to an API path draws once from a seeded `random.Random`: the kinds' shares are laid
end to end on [0, 1) in the order of `FAULTS` and the draw picks at most one kind. The same seed
and the same order of requests give the same faults.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from scopix_sandbox.faults import FAULTS, KINDS, Fault

__all__ = ["Draw", "FaultConfig", "FaultInjector"]


@dataclass(frozen=True)
class FaultConfig:
    """Shares (0 to 1, adding up to at most 1) of each fault kind (one field per row of
    `faults.FAULTS`), plus added latency."""

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
    fault: Fault | None
    delay: float
    """Seconds to wait before answering."""

    @property
    def kind(self) -> str | None:
        return None if self.fault is None else self.fault.name


_NONE = Draw(None, 0.0)


class FaultInjector:
    """The seeded draw of one fault (or none) and the added delay, per API request."""

    def __init__(self, config: FaultConfig | None = None) -> None:
        self.configure(config or FaultConfig())
        self.injected: dict[str, int] = dict.fromkeys(KINDS, 0)
        self.delayed = 0

    def configure(self, config: FaultConfig) -> None:
        self.config = config
        self.rng = random.Random(config.seed)
        self._bounds: list[tuple[float, Fault]] = []
        acc = 0.0
        for fault in FAULTS:
            share = getattr(config, fault.name)
            if share > 0:
                acc += share
                self._bounds.append((acc, fault))

    def reset_counters(self) -> None:
        self.injected = dict.fromkeys(KINDS, 0)
        self.delayed = 0
        self.rng = random.Random(self.config.seed)

    def draw(self, operation_id: str) -> Draw:
        config = self.config
        if not config.active or (config.operations and operation_id not in config.operations):
            return _NONE
        drawn = None
        if self._bounds:
            u = self.rng.random()
            for bound, fault in self._bounds:
                if u < bound:
                    drawn = fault
                    self.injected[fault.name] += 1
                    break
        lo, hi = config.latency_range
        delay = 0.0
        if hi > 0:
            delay = (lo if lo == hi else self.rng.uniform(lo, hi)) / 1000.0
            self.delayed += 1
        if drawn is not None and drawn.late:
            delay += config.slow_ms / 1000.0
        return Draw(drawn, delay)
