from __future__ import annotations

import json as _json
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="TokenUsageStats")


@_attrs_define
class TokenUsageStats:
    """Token usage over a period.

    Attributes:
        total_tokens (int): Input plus output tokens.
        input_tokens (int): Input tokens.
        output_tokens (int): Output tokens.
        avg_tokens_per_request (float | None): Mean tokens per request.
    """

    total_tokens: int
    input_tokens: int
    output_tokens: int
    avg_tokens_per_request: float | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_json(self) -> str:
        """The JSON text of `to_dict()`."""
        return _json.dumps(self.to_dict())

    def to_dict(self) -> dict[str, Any]:
        total_tokens = self.total_tokens

        input_tokens = self.input_tokens

        output_tokens = self.output_tokens

        _avg_tokens_per_request: float | Unset = (
            UNSET
            if self.avg_tokens_per_request is None
            else self.avg_tokens_per_request
        )
        avg_tokens_per_request = _avg_tokens_per_request

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "total_tokens": total_tokens,
                "input_tokens": input_tokens,
                "output_tokens": output_tokens,
            }
        )
        if avg_tokens_per_request is not UNSET:
            field_dict["avg_tokens_per_request"] = avg_tokens_per_request

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        total_tokens = d.pop("total_tokens")

        input_tokens = d.pop("input_tokens")

        output_tokens = d.pop("output_tokens")

        avg_tokens_per_request = d.pop("avg_tokens_per_request", UNSET)

        token_usage_stats = cls(
            total_tokens=total_tokens,
            input_tokens=input_tokens,
            output_tokens=output_tokens,
            avg_tokens_per_request=None
            if isinstance(avg_tokens_per_request, Unset)
            else avg_tokens_per_request,
        )

        token_usage_stats.additional_properties = d
        return token_usage_stats

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
