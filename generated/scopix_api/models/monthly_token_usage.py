from __future__ import annotations

import datetime
import json as _json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.month_token_usage import MonthTokenUsage


T = TypeVar("T", bound="MonthlyTokenUsage")


@_attrs_define
class MonthlyTokenUsage:
    """Token usage over a range of dates.

    Attributes:
        start_date (datetime.date): First day of the range (inclusive).
        end_date (datetime.date): Last day of the range (inclusive).
        total_tokens (int): Input plus output tokens.
        total_input_tokens (int): Input tokens.
        total_output_tokens (int): Output tokens.
        request_count (int | None): Requests that used tokens in the range.
        by_month (list[MonthTokenUsage] | None): The same totals per calendar month, oldest first.
    """

    start_date: datetime.date
    end_date: datetime.date
    total_tokens: int
    total_input_tokens: int
    total_output_tokens: int
    request_count: int | None = None
    by_month: list[MonthTokenUsage] | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_json(self) -> str:
        """The JSON text of `to_dict()`."""
        return _json.dumps(self.to_dict())

    def to_dict(self) -> dict[str, Any]:
        start_date = self.start_date.isoformat()

        end_date = self.end_date.isoformat()

        total_tokens = self.total_tokens

        total_input_tokens = self.total_input_tokens

        total_output_tokens = self.total_output_tokens

        _request_count: int | Unset = (
            UNSET if self.request_count is None else self.request_count
        )
        request_count = _request_count

        _by_month: list[MonthTokenUsage] | Unset = (
            UNSET if self.by_month is None else self.by_month
        )
        by_month: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(_by_month, Unset):
            by_month = []
            for by_month_item_data in _by_month:
                by_month_item = by_month_item_data.to_dict()
                by_month.append(by_month_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "start_date": start_date,
                "end_date": end_date,
                "total_tokens": total_tokens,
                "total_input_tokens": total_input_tokens,
                "total_output_tokens": total_output_tokens,
            }
        )
        if request_count is not UNSET:
            field_dict["request_count"] = request_count
        if by_month is not UNSET:
            field_dict["by_month"] = by_month

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.month_token_usage import MonthTokenUsage

        d = dict(src_dict)
        start_date = datetime.date.fromisoformat(d.pop("start_date"))

        end_date = datetime.date.fromisoformat(d.pop("end_date"))

        total_tokens = d.pop("total_tokens")

        total_input_tokens = d.pop("total_input_tokens")

        total_output_tokens = d.pop("total_output_tokens")

        request_count = d.pop("request_count", UNSET)

        _by_month = d.pop("by_month", UNSET)
        by_month: list[MonthTokenUsage] | Unset = UNSET
        if _by_month is not UNSET:
            by_month = []
            for by_month_item_data in _by_month:
                by_month_item = MonthTokenUsage.from_dict(by_month_item_data)

                by_month.append(by_month_item)

        monthly_token_usage = cls(
            start_date=start_date,
            end_date=end_date,
            total_tokens=total_tokens,
            total_input_tokens=total_input_tokens,
            total_output_tokens=total_output_tokens,
            request_count=None if isinstance(request_count, Unset) else request_count,
            by_month=None if isinstance(by_month, Unset) else by_month,
        )

        monthly_token_usage.additional_properties = d
        return monthly_token_usage

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
