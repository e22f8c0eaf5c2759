from __future__ import annotations

import datetime
import json as _json
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="UsagePeriodPoint")


@_attrs_define
class UsagePeriodPoint:
    """Usage in one period of a time series.

    Attributes:
        label (str): Display label of the period (`2026-11-20`, `2026-11-20T14:00`, `2026-11`).
        period_start (datetime.datetime): First instant of the period.
        value (int): Requests made in the period.
        credits_used (int | None): Credits used in the period.
        tokens (int | None): Tokens used in the period.
    """

    label: str
    period_start: datetime.datetime
    value: int
    credits_used: int | None = None
    tokens: int | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_json(self) -> str:
        """The JSON text of `to_dict()`."""
        return _json.dumps(self.to_dict())

    def to_dict(self) -> dict[str, Any]:
        label = self.label

        period_start = self.period_start.isoformat()

        value = self.value

        _credits_used: int | Unset = (
            UNSET if self.credits_used is None else self.credits_used
        )
        credits_used = _credits_used

        _tokens: int | Unset = UNSET if self.tokens is None else self.tokens
        tokens = _tokens

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "label": label,
                "period_start": period_start,
                "value": value,
            }
        )
        if credits_used is not UNSET:
            field_dict["credits_used"] = credits_used
        if tokens is not UNSET:
            field_dict["tokens"] = tokens

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        label = d.pop("label")

        period_start = datetime.datetime.fromisoformat(d.pop("period_start"))

        value = d.pop("value")

        credits_used = d.pop("credits_used", UNSET)

        tokens = d.pop("tokens", UNSET)

        usage_period_point = cls(
            label=label,
            period_start=period_start,
            value=value,
            credits_used=None if isinstance(credits_used, Unset) else credits_used,
            tokens=None if isinstance(tokens, Unset) else tokens,
        )

        usage_period_point.additional_properties = d
        return usage_period_point

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
