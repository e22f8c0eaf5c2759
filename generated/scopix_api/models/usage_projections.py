from __future__ import annotations

import datetime
import json as _json
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="UsageProjections")


@_attrs_define
class UsageProjections:
    """Where usage is heading by the end of the billing period, at the current pace.

    Attributes:
        projected_credits (int): Credits projected for the whole period.
        projected_usage_percentage (float): Projected share of the credits, 0 to 100 or more.
        will_exceed_limit (bool): True when the projection exceeds the credit limit.
        daily_average_credits (float | None): Mean credits per day so far in the period.
        projected_exhaustion_date (datetime.date | None): Day the credits would run out at this pace; null when they
            will not.
    """

    projected_credits: int
    projected_usage_percentage: float
    will_exceed_limit: bool
    daily_average_credits: float | None = None
    projected_exhaustion_date: datetime.date | None = None
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
        projected_credits = self.projected_credits

        projected_usage_percentage = self.projected_usage_percentage

        will_exceed_limit = self.will_exceed_limit

        _daily_average_credits: float | Unset = (
            UNSET if self.daily_average_credits is None else self.daily_average_credits
        )
        daily_average_credits = _daily_average_credits

        _projected_exhaustion_date: datetime.date | None | Unset = (
            self.projected_exhaustion_date
        )
        if (
            _projected_exhaustion_date is None
            and "projected_exhaustion_date" not in self._null_fields
        ):
            _projected_exhaustion_date = UNSET
        projected_exhaustion_date: None | str | Unset
        if isinstance(_projected_exhaustion_date, Unset):
            projected_exhaustion_date = UNSET
        elif isinstance(_projected_exhaustion_date, datetime.date):
            projected_exhaustion_date = _projected_exhaustion_date.isoformat()
        else:
            projected_exhaustion_date = _projected_exhaustion_date

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "projected_credits": projected_credits,
                "projected_usage_percentage": projected_usage_percentage,
                "will_exceed_limit": will_exceed_limit,
            }
        )
        if daily_average_credits is not UNSET:
            field_dict["daily_average_credits"] = daily_average_credits
        if projected_exhaustion_date is not UNSET:
            field_dict["projected_exhaustion_date"] = projected_exhaustion_date

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        projected_credits = d.pop("projected_credits")

        projected_usage_percentage = d.pop("projected_usage_percentage")

        will_exceed_limit = d.pop("will_exceed_limit")

        daily_average_credits = d.pop("daily_average_credits", UNSET)

        def _parse_projected_exhaustion_date(
            data: object,
        ) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                projected_exhaustion_date_type_0 = datetime.date.fromisoformat(data)

                return projected_exhaustion_date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        projected_exhaustion_date = _parse_projected_exhaustion_date(
            d.pop("projected_exhaustion_date", UNSET)
        )

        usage_projections = cls(
            projected_credits=projected_credits,
            projected_usage_percentage=projected_usage_percentage,
            will_exceed_limit=will_exceed_limit,
            daily_average_credits=None
            if isinstance(daily_average_credits, Unset)
            else daily_average_credits,
            projected_exhaustion_date=None
            if isinstance(projected_exhaustion_date, Unset)
            else projected_exhaustion_date,
        )
        usage_projections._null_fields = frozenset(
            k
            for k in ("projected_exhaustion_date",)
            if k in src_dict and src_dict[k] is None
        )

        usage_projections.additional_properties = d
        return usage_projections

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
