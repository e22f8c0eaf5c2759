from __future__ import annotations

import json as _json
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="PerformanceMetrics")


@_attrs_define
class PerformanceMetrics:
    """Latency and reliability of the requests in a period.

    Attributes:
        avg_latency_ms (float): Mean server time, in milliseconds.
        error_rate (float): Share of requests that failed, 0 to 1.
        p95_latency_ms (float | None): 95th percentile of server time, in milliseconds.
        success_rate (float | None): Share of requests that succeeded, 0 to 1.
    """

    avg_latency_ms: float
    error_rate: float
    p95_latency_ms: float | None = None
    success_rate: float | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_json(self) -> str:
        """The JSON text of `to_dict()`."""
        return _json.dumps(self.to_dict())

    def to_dict(self) -> dict[str, Any]:
        avg_latency_ms = self.avg_latency_ms

        error_rate = self.error_rate

        _p95_latency_ms: float | Unset = (
            UNSET if self.p95_latency_ms is None else self.p95_latency_ms
        )
        p95_latency_ms = _p95_latency_ms

        _success_rate: float | Unset = (
            UNSET if self.success_rate is None else self.success_rate
        )
        success_rate = _success_rate

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "avg_latency_ms": avg_latency_ms,
                "error_rate": error_rate,
            }
        )
        if p95_latency_ms is not UNSET:
            field_dict["p95_latency_ms"] = p95_latency_ms
        if success_rate is not UNSET:
            field_dict["success_rate"] = success_rate

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        avg_latency_ms = d.pop("avg_latency_ms")

        error_rate = d.pop("error_rate")

        p95_latency_ms = d.pop("p95_latency_ms", UNSET)

        success_rate = d.pop("success_rate", UNSET)

        performance_metrics = cls(
            avg_latency_ms=avg_latency_ms,
            error_rate=error_rate,
            p95_latency_ms=None
            if isinstance(p95_latency_ms, Unset)
            else p95_latency_ms,
            success_rate=None if isinstance(success_rate, Unset) else success_rate,
        )

        performance_metrics.additional_properties = d
        return performance_metrics

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
