from __future__ import annotations

import json as _json
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.operation_type import OperationType

T = TypeVar("T", bound="CreditBreakdownItem")


@_attrs_define
class CreditBreakdownItem:
    """Credits spent on one operation type.

    Attributes:
        operation_type (OperationType | str): The operation type.
        credits_used (int): Credits spent on it in the period.
        request_count (int): Requests of this type in the period.
        percentage (float): Share of all credits spent in the period, 0 to 100.
    """

    operation_type: OperationType | str
    credits_used: int
    request_count: int
    percentage: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_json(self) -> str:
        """The JSON text of `to_dict()`."""
        return _json.dumps(self.to_dict())

    def to_dict(self) -> dict[str, Any]:
        operation_type: str
        if isinstance(self.operation_type, OperationType):
            operation_type = self.operation_type.value
        else:
            operation_type = self.operation_type

        credits_used = self.credits_used

        request_count = self.request_count

        percentage = self.percentage

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "operation_type": operation_type,
                "credits_used": credits_used,
                "request_count": request_count,
                "percentage": percentage,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_operation_type(data: object) -> OperationType | str:
            try:
                if not isinstance(data, str):
                    raise TypeError()
                operation_type_type_0 = OperationType(data)

                return operation_type_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(OperationType | str, data)

        operation_type = _parse_operation_type(d.pop("operation_type"))

        credits_used = d.pop("credits_used")

        request_count = d.pop("request_count")

        percentage = d.pop("percentage")

        credit_breakdown_item = cls(
            operation_type=operation_type,
            credits_used=credits_used,
            request_count=request_count,
            percentage=percentage,
        )

        credit_breakdown_item.additional_properties = d
        return credit_breakdown_item

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
