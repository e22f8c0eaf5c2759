from __future__ import annotations

import json as _json
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="EndpointUsage")


@_attrs_define
class EndpointUsage:
    """Usage of one endpoint.

    Attributes:
        endpoint (str): Path template of the endpoint.
        request_count (int): Requests made to it in the range.
        credits_used (int | None): Credits those requests cost.
        error_rate (float | None): Share of those requests that failed, 0 to 1.
        avg_latency_ms (float | None): Mean server time of those requests, in milliseconds.
    """

    endpoint: str
    request_count: int
    credits_used: int | None = None
    error_rate: float | None = None
    avg_latency_ms: float | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_json(self) -> str:
        """The JSON text of `to_dict()`."""
        return _json.dumps(self.to_dict())

    def to_dict(self) -> dict[str, Any]:
        endpoint = self.endpoint

        request_count = self.request_count

        _credits_used: int | Unset = (
            UNSET if self.credits_used is None else self.credits_used
        )
        credits_used = _credits_used

        _error_rate: float | Unset = (
            UNSET if self.error_rate is None else self.error_rate
        )
        error_rate = _error_rate

        _avg_latency_ms: float | Unset = (
            UNSET if self.avg_latency_ms is None else self.avg_latency_ms
        )
        avg_latency_ms = _avg_latency_ms

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "endpoint": endpoint,
                "request_count": request_count,
            }
        )
        if credits_used is not UNSET:
            field_dict["credits_used"] = credits_used
        if error_rate is not UNSET:
            field_dict["error_rate"] = error_rate
        if avg_latency_ms is not UNSET:
            field_dict["avg_latency_ms"] = avg_latency_ms

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        endpoint = d.pop("endpoint")

        request_count = d.pop("request_count")

        credits_used = d.pop("credits_used", UNSET)

        error_rate = d.pop("error_rate", UNSET)

        avg_latency_ms = d.pop("avg_latency_ms", UNSET)

        endpoint_usage = cls(
            endpoint=endpoint,
            request_count=request_count,
            credits_used=None if isinstance(credits_used, Unset) else credits_used,
            error_rate=None if isinstance(error_rate, Unset) else error_rate,
            avg_latency_ms=None
            if isinstance(avg_latency_ms, Unset)
            else avg_latency_ms,
        )

        endpoint_usage.additional_properties = d
        return endpoint_usage

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
