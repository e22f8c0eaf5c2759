from __future__ import annotations

import datetime
import json as _json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.billing_period import BillingPeriod
    from ..models.credit_breakdown_item import CreditBreakdownItem


T = TypeVar("T", bound="UsageBreakdown")


@_attrs_define
class UsageBreakdown:
    """Credit usage of the current billing period.

    Attributes:
        billing_period (BillingPeriod): A billing period; `end` is exclusive and is when the credits reset.
        reset_date (datetime.datetime): When the credits reset (the end of the billing period).
        total_credits_used (int): Credits used so far in the period.
        credit_limit (int): Credits the plan allows per period.
        credits_remaining (int): Credits left in the period.
        usage_percentage (float): Share of the period's credits used, 0 to 100 (may exceed 100 on overage).
        by_operation (list[CreditBreakdownItem]): Credits per operation type, most first; the credits add up to
            `total_credits_used`.
    """

    billing_period: BillingPeriod
    reset_date: datetime.datetime
    total_credits_used: int
    credit_limit: int
    credits_remaining: int
    usage_percentage: float
    by_operation: list[CreditBreakdownItem]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_json(self) -> str:
        """The JSON text of `to_dict()`."""
        return _json.dumps(self.to_dict())

    def to_dict(self) -> dict[str, Any]:
        billing_period = self.billing_period.to_dict()

        reset_date = self.reset_date.isoformat()

        total_credits_used = self.total_credits_used

        credit_limit = self.credit_limit

        credits_remaining = self.credits_remaining

        usage_percentage = self.usage_percentage

        by_operation = []
        for by_operation_item_data in self.by_operation:
            by_operation_item = by_operation_item_data.to_dict()
            by_operation.append(by_operation_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "billing_period": billing_period,
                "reset_date": reset_date,
                "total_credits_used": total_credits_used,
                "credit_limit": credit_limit,
                "credits_remaining": credits_remaining,
                "usage_percentage": usage_percentage,
                "by_operation": by_operation,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.billing_period import BillingPeriod
        from ..models.credit_breakdown_item import CreditBreakdownItem

        d = dict(src_dict)
        billing_period = BillingPeriod.from_dict(d.pop("billing_period"))

        reset_date = datetime.datetime.fromisoformat(d.pop("reset_date"))

        total_credits_used = d.pop("total_credits_used")

        credit_limit = d.pop("credit_limit")

        credits_remaining = d.pop("credits_remaining")

        usage_percentage = d.pop("usage_percentage")

        by_operation = []
        _by_operation = d.pop("by_operation")
        for by_operation_item_data in _by_operation:
            by_operation_item = CreditBreakdownItem.from_dict(by_operation_item_data)

            by_operation.append(by_operation_item)

        usage_breakdown = cls(
            billing_period=billing_period,
            reset_date=reset_date,
            total_credits_used=total_credits_used,
            credit_limit=credit_limit,
            credits_remaining=credits_remaining,
            usage_percentage=usage_percentage,
            by_operation=by_operation,
        )

        usage_breakdown.additional_properties = d
        return usage_breakdown

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
