from __future__ import annotations

import json as _json
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="PlanInfo")


@_attrs_define
class PlanInfo:
    """The plan an account is on.

    Attributes:
        plan_id (str): Stable plan identifier.
        plan_name (str): Display name of the plan.
        monthly_credits (int | None): Credits included per month.
    """

    plan_id: str
    plan_name: str
    monthly_credits: int | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_json(self) -> str:
        """The JSON text of `to_dict()`."""
        return _json.dumps(self.to_dict())

    def to_dict(self) -> dict[str, Any]:
        plan_id = self.plan_id

        plan_name = self.plan_name

        _monthly_credits: int | Unset = (
            UNSET if self.monthly_credits is None else self.monthly_credits
        )
        monthly_credits = _monthly_credits

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "plan_id": plan_id,
                "plan_name": plan_name,
            }
        )
        if monthly_credits is not UNSET:
            field_dict["monthly_credits"] = monthly_credits

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        plan_id = d.pop("plan_id")

        plan_name = d.pop("plan_name")

        monthly_credits = d.pop("monthly_credits", UNSET)

        plan_info = cls(
            plan_id=plan_id,
            plan_name=plan_name,
            monthly_credits=None
            if isinstance(monthly_credits, Unset)
            else monthly_credits,
        )

        plan_info.additional_properties = d
        return plan_info

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
