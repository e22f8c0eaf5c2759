from __future__ import annotations

import datetime
import json as _json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.period_type import PeriodType
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.usage_period_point import UsagePeriodPoint


T = TypeVar("T", bound="UsageByPeriod")


@_attrs_define
class UsageByPeriod:
    """A usage time series.

    Attributes:
        period_type (PeriodType | str): Width of one point.
        data (list[UsagePeriodPoint]): Points in chronological order; periods without usage may be left out.
        start_date (datetime.datetime | None): Start of the series' range, if one was asked for.
        end_date (datetime.datetime | None): End of the series' range, if one was asked for.
    """

    period_type: PeriodType | str
    data: list[UsagePeriodPoint]
    start_date: datetime.datetime | None = None
    end_date: datetime.datetime | None = None
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
        period_type: str
        if isinstance(self.period_type, PeriodType):
            period_type = self.period_type.value
        else:
            period_type = self.period_type

        data = []
        for data_item_data in self.data:
            data_item = data_item_data.to_dict()
            data.append(data_item)

        _start_date: datetime.datetime | None | Unset = self.start_date
        if _start_date is None and "start_date" not in self._null_fields:
            _start_date = UNSET
        start_date: None | str | Unset
        if isinstance(_start_date, Unset):
            start_date = UNSET
        elif isinstance(_start_date, datetime.datetime):
            start_date = _start_date.isoformat()
        else:
            start_date = _start_date

        _end_date: datetime.datetime | None | Unset = self.end_date
        if _end_date is None and "end_date" not in self._null_fields:
            _end_date = UNSET
        end_date: None | str | Unset
        if isinstance(_end_date, Unset):
            end_date = UNSET
        elif isinstance(_end_date, datetime.datetime):
            end_date = _end_date.isoformat()
        else:
            end_date = _end_date

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "period_type": period_type,
                "data": data,
            }
        )
        if start_date is not UNSET:
            field_dict["start_date"] = start_date
        if end_date is not UNSET:
            field_dict["end_date"] = end_date

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.usage_period_point import UsagePeriodPoint

        d = dict(src_dict)

        def _parse_period_type(data: object) -> PeriodType | str:
            try:
                if not isinstance(data, str):
                    raise TypeError()
                period_type_type_0 = PeriodType(data)

                return period_type_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(PeriodType | str, data)

        period_type = _parse_period_type(d.pop("period_type"))

        data = []
        _data = d.pop("data")
        for data_item_data in _data:
            data_item = UsagePeriodPoint.from_dict(data_item_data)

            data.append(data_item)

        def _parse_start_date(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                start_date_type_0 = datetime.datetime.fromisoformat(data)

                return start_date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        start_date = _parse_start_date(d.pop("start_date", UNSET))

        def _parse_end_date(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                end_date_type_0 = datetime.datetime.fromisoformat(data)

                return end_date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        end_date = _parse_end_date(d.pop("end_date", UNSET))

        usage_by_period = cls(
            period_type=period_type,
            data=data,
            start_date=None if isinstance(start_date, Unset) else start_date,
            end_date=None if isinstance(end_date, Unset) else end_date,
        )
        usage_by_period._null_fields = frozenset(
            k
            for k in (
                "start_date",
                "end_date",
            )
            if k in src_dict and src_dict[k] is None
        )

        usage_by_period.additional_properties = d
        return usage_by_period

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
