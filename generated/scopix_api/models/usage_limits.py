from __future__ import annotations

import json as _json
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="UsageLimits")


@_attrs_define
class UsageLimits:
    """Credit and rate limits of the API key's plan.

    Attributes:
        credit_limit (int): Credits allowed in the billing period.
        used (int): Credits used in the billing period.
        remaining (int): Credits left in the billing period.
        requests_per_minute (int | None): Requests per minute allowed on the usage endpoints.
        check_requests_per_minute (int | None): Requests per minute allowed on the check endpoint.
    """

    credit_limit: int
    used: int
    remaining: int
    requests_per_minute: int | None = None
    check_requests_per_minute: int | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_json(self) -> str:
        """The JSON text of `to_dict()`."""
        return _json.dumps(self.to_dict())

    def to_dict(self) -> dict[str, Any]:
        credit_limit = self.credit_limit

        used = self.used

        remaining = self.remaining

        _requests_per_minute: int | Unset = (
            UNSET if self.requests_per_minute is None else self.requests_per_minute
        )
        requests_per_minute = _requests_per_minute

        _check_requests_per_minute: int | Unset = (
            UNSET
            if self.check_requests_per_minute is None
            else self.check_requests_per_minute
        )
        check_requests_per_minute = _check_requests_per_minute

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "credit_limit": credit_limit,
                "used": used,
                "remaining": remaining,
            }
        )
        if requests_per_minute is not UNSET:
            field_dict["requests_per_minute"] = requests_per_minute
        if check_requests_per_minute is not UNSET:
            field_dict["check_requests_per_minute"] = check_requests_per_minute

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        credit_limit = d.pop("credit_limit")

        used = d.pop("used")

        remaining = d.pop("remaining")

        requests_per_minute = d.pop("requests_per_minute", UNSET)

        check_requests_per_minute = d.pop("check_requests_per_minute", UNSET)

        usage_limits = cls(
            credit_limit=credit_limit,
            used=used,
            remaining=remaining,
            requests_per_minute=None
            if isinstance(requests_per_minute, Unset)
            else requests_per_minute,
            check_requests_per_minute=None
            if isinstance(check_requests_per_minute, Unset)
            else check_requests_per_minute,
        )

        usage_limits.additional_properties = d
        return usage_limits

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
