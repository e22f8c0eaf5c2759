from __future__ import annotations

import json as _json
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.recommendation_priority import RecommendationPriority
from ..types import UNSET, Unset

T = TypeVar("T", bound="OptimizationRecommendation")


@_attrs_define
class OptimizationRecommendation:
    """A way to use fewer credits.

    Attributes:
        title (str): Short headline.
        description (str): What to do and why.
        priority (RecommendationPriority | str): How much it matters.
        estimated_savings_credits (int | None): Credits it would save per period.
    """

    title: str
    description: str
    priority: RecommendationPriority | str
    estimated_savings_credits: int | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_json(self) -> str:
        """The JSON text of `to_dict()`."""
        return _json.dumps(self.to_dict())

    def to_dict(self) -> dict[str, Any]:
        title = self.title

        description = self.description

        priority: str
        if isinstance(self.priority, RecommendationPriority):
            priority = self.priority.value
        else:
            priority = self.priority

        _estimated_savings_credits: int | Unset = (
            UNSET
            if self.estimated_savings_credits is None
            else self.estimated_savings_credits
        )
        estimated_savings_credits = _estimated_savings_credits

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "title": title,
                "description": description,
                "priority": priority,
            }
        )
        if estimated_savings_credits is not UNSET:
            field_dict["estimated_savings_credits"] = estimated_savings_credits

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        title = d.pop("title")

        description = d.pop("description")

        def _parse_priority(data: object) -> RecommendationPriority | str:
            try:
                if not isinstance(data, str):
                    raise TypeError()
                priority_type_0 = RecommendationPriority(data)

                return priority_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(RecommendationPriority | str, data)

        priority = _parse_priority(d.pop("priority"))

        estimated_savings_credits = d.pop("estimated_savings_credits", UNSET)

        optimization_recommendation = cls(
            title=title,
            description=description,
            priority=priority,
            estimated_savings_credits=None
            if isinstance(estimated_savings_credits, Unset)
            else estimated_savings_credits,
        )

        optimization_recommendation.additional_properties = d
        return optimization_recommendation

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
