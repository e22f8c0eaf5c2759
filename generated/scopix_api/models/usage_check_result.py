from __future__ import annotations

import json as _json
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
        analysis_level (str | None): Analysis level the check was made for (an `AnalysisLevel` value).
        item_count (int | None): Number of items the check was made for.
        credits_per_item (int | None): Credits one item costs at this analysis level.
        content_category (str | None): Content category the check was made for, if any.
    """

    can_proceed: bool
    available_credits: int
    required_credits: int
    message: str
    analysis_level: str | None = None
    item_count: int | None = None
    credits_per_item: int | None = None
    content_category: str | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    # The optional fields the response set to null (otherwise None means absent): to_dict() keeps
    # them.
    _null_fields: frozenset[str] = _attrs_field(
        init=False, factory=frozenset, repr=False, eq=False
    )

    def to_json(self) -> str:
        """The JSON text of `to_dict()`."""
        return _json.dumps(self.to_dict())

    def to_dict(self) -> dict[str, Any]:
        can_proceed = self.can_proceed

        available_credits = self.available_credits

        required_credits = self.required_credits

        message = self.message

        _analysis_level: str | Unset = (
            UNSET if self.analysis_level is None else self.analysis_level
        )
        analysis_level = _analysis_level

        _item_count: int | Unset = UNSET if self.item_count is None else self.item_count
        item_count = _item_count

        _credits_per_item: int | Unset = (
            UNSET if self.credits_per_item is None else self.credits_per_item
        )
        credits_per_item = _credits_per_item

        _content_category: None | str | Unset = self.content_category
        if _content_category is None and "content_category" not in self._null_fields:
            _content_category = UNSET
        content_category: None | str | Unset
        if isinstance(_content_category, Unset):
            content_category = UNSET
        else:
            content_category = _content_category

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
            analysis_level=None
            if isinstance(analysis_level, Unset)
            else analysis_level,
            item_count=None if isinstance(item_count, Unset) else item_count,
            credits_per_item=None
            if isinstance(credits_per_item, Unset)
            else credits_per_item,
            content_category=None
            if isinstance(content_category, Unset)
            else content_category,
        )
        usage_check_result._null_fields = frozenset(
            k for k in ("content_category",) if k in src_dict and src_dict[k] is None
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
