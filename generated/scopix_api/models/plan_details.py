from __future__ import annotations

import json as _json
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="PlanDetails")


@_attrs_define
class PlanDetails:
    """The plan and how much of it is used.

    Attributes:
        plan_id (str): Stable plan identifier.
        plan_name (str): Display name of the plan.
        credit_limit (int): Credits the plan allows in the period.
        credits_used (int): Credits used in the period.
        usage_percentage (float): Share of the credits used, 0 to 100 (may exceed 100 on overage).
        credits_remaining (int | None): Credits left in the period.
    """

    plan_id: str
    plan_name: str
    credit_limit: int
    credits_used: int
    usage_percentage: float
    credits_remaining: int | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_json(self) -> str:
        """The JSON text of `to_dict()`."""
        return _json.dumps(self.to_dict())

    def to_dict(self) -> dict[str, Any]:
        plan_id = self.plan_id

        plan_name = self.plan_name

        credit_limit = self.credit_limit

        credits_used = self.credits_used

        usage_percentage = self.usage_percentage

        _credits_remaining: int | Unset = (
            UNSET if self.credits_remaining is None else self.credits_remaining
        )
        credits_remaining = _credits_remaining

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "plan_id": plan_id,
                "plan_name": plan_name,
                "credit_limit": credit_limit,
                "credits_used": credits_used,
                "usage_percentage": usage_percentage,
            }
        )
        if credits_remaining is not UNSET:
            field_dict["credits_remaining"] = credits_remaining

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        plan_id = d.pop("plan_id")

        plan_name = d.pop("plan_name")

        credit_limit = d.pop("credit_limit")

        credits_used = d.pop("credits_used")

        usage_percentage = d.pop("usage_percentage")

        credits_remaining = d.pop("credits_remaining", UNSET)

        plan_details = cls(
            plan_id=plan_id,
            plan_name=plan_name,
            credit_limit=credit_limit,
            credits_used=credits_used,
            usage_percentage=usage_percentage,
            credits_remaining=None
            if isinstance(credits_remaining, Unset)
            else credits_remaining,
        )

        plan_details.additional_properties = d
        return plan_details

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
