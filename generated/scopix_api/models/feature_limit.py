from __future__ import annotations

import json as _json
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="FeatureLimit")


@_attrs_define
class FeatureLimit:
    """A limit of the plan on one feature.

    Attributes:
        feature (str): Feature name.
        limit (int | None): Allowed amount in the period; null for unlimited.
        used (int): Amount used in the period.
        unit (str | None): What the amounts count.
    """

    feature: str
    limit: int | None
    used: int
    unit: str | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_json(self) -> str:
        """The JSON text of `to_dict()`."""
        return _json.dumps(self.to_dict())

    def to_dict(self) -> dict[str, Any]:
        feature = self.feature

        limit: int | None
        limit = self.limit

        used = self.used

        _unit: str | Unset = UNSET if self.unit is None else self.unit
        unit = _unit

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "feature": feature,
                "limit": limit,
                "used": used,
            }
        )
        if unit is not UNSET:
            field_dict["unit"] = unit

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        feature = d.pop("feature")

        def _parse_limit(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        limit = _parse_limit(d.pop("limit"))

        used = d.pop("used")

        unit = d.pop("unit", UNSET)

        feature_limit = cls(
            feature=feature,
            limit=limit,
            used=used,
            unit=None if isinstance(unit, Unset) else unit,
        )

        feature_limit.additional_properties = d
        return feature_limit

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
