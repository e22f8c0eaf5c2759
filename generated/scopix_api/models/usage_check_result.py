from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="UsageCheckResult")


@_attrs_define
class UsageCheckResult:
    """Whether an operation fits the credits left.

    Attributes:
        can_proceed (bool): True when the remaining credits cover the operation.
        available_credits (int): Credits left in the current billing period.
        required_credits (int): Credits the described operation would cost.
        message (str): Human-readable verdict.
        analysis_level (str | Unset): Analysis level the check was made for (an `AnalysisLevel` value).
        item_count (int | Unset): Number of items the check was made for.
        credits_per_item (int | Unset): Credits one item costs at this analysis level.
        content_category (None | str | Unset): Content category the check was made for, if any.
    """

    can_proceed: bool
    available_credits: int
    required_credits: int
    message: str
    analysis_level: str | Unset = UNSET
    item_count: int | Unset = UNSET
    credits_per_item: int | Unset = UNSET
    content_category: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        can_proceed = self.can_proceed

        available_credits = self.available_credits

        required_credits = self.required_credits

        message = self.message

        analysis_level = self.analysis_level

        item_count = self.item_count

        credits_per_item = self.credits_per_item

        content_category: None | str | Unset
        if isinstance(self.content_category, Unset):
            content_category = UNSET
        else:
            content_category = self.content_category

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "can_proceed": can_proceed,
                "available_credits": available_credits,
                "required_credits": required_credits,
                "message": message,
            }
        )
        if analysis_level is not UNSET:
            field_dict["analysis_level"] = analysis_level
        if item_count is not UNSET:
            field_dict["item_count"] = item_count
        if credits_per_item is not UNSET:
            field_dict["credits_per_item"] = credits_per_item
        if content_category is not UNSET:
            field_dict["content_category"] = content_category

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        can_proceed = d.pop("can_proceed")

        available_credits = d.pop("available_credits")

        required_credits = d.pop("required_credits")

        message = d.pop("message")

        analysis_level = d.pop("analysis_level", UNSET)

        item_count = d.pop("item_count", UNSET)

        credits_per_item = d.pop("credits_per_item", UNSET)

        def _parse_content_category(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        content_category = _parse_content_category(d.pop("content_category", UNSET))

        usage_check_result = cls(
            can_proceed=can_proceed,
            available_credits=available_credits,
            required_credits=required_credits,
            message=message,
            analysis_level=analysis_level,
            item_count=item_count,
            credits_per_item=credits_per_item,
            content_category=content_category,
        )

        usage_check_result.additional_properties = d
        return usage_check_result

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
