from __future__ import annotations

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
        credits_used (int | Unset): Credits those requests cost.
        error_rate (float | Unset): Share of those requests that failed, 0 to 1.
        avg_latency_ms (float | Unset): Mean server time of those requests, in milliseconds.
    """

    endpoint: str
    request_count: int
    credits_used: int | Unset = UNSET
    error_rate: float | Unset = UNSET
    avg_latency_ms: float | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        endpoint = self.endpoint

        request_count = self.request_count

        credits_used = self.credits_used

        error_rate = self.error_rate

        avg_latency_ms = self.avg_latency_ms

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
            credits_used=credits_used,
            error_rate=error_rate,
            avg_latency_ms=avg_latency_ms,
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
