from __future__ import annotations

import datetime
import json as _json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.endpoint_usage import EndpointUsage


T = TypeVar("T", bound="TopEndpoints")


@_attrs_define
class TopEndpoints:
    """Endpoints ranked by request count.

    Attributes:
        endpoints (list[EndpointUsage]): The endpoints, most requests first.
        total_requests (int | None): Requests to all endpoints in the range.
        start_date (datetime.datetime | None): Start of the ranked range, if one was asked for.
        end_date (datetime.datetime | None): End of the ranked range, if one was asked for.
    """

    endpoints: list[EndpointUsage]
    total_requests: int | None = None
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
        endpoints = []
        for endpoints_item_data in self.endpoints:
            endpoints_item = endpoints_item_data.to_dict()
            endpoints.append(endpoints_item)

        _total_requests: int | Unset = (
            UNSET if self.total_requests is None else self.total_requests
        )
        total_requests = _total_requests

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
                "endpoints": endpoints,
            }
        )
        if total_requests is not UNSET:
            field_dict["total_requests"] = total_requests
        if start_date is not UNSET:
            field_dict["start_date"] = start_date
        if end_date is not UNSET:
            field_dict["end_date"] = end_date

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.endpoint_usage import EndpointUsage

        d = dict(src_dict)
        endpoints = []
        _endpoints = d.pop("endpoints")
        for endpoints_item_data in _endpoints:
            endpoints_item = EndpointUsage.from_dict(endpoints_item_data)

            endpoints.append(endpoints_item)

        total_requests = d.pop("total_requests", UNSET)

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

        top_endpoints = cls(
            endpoints=endpoints,
            total_requests=None
            if isinstance(total_requests, Unset)
            else total_requests,
            start_date=None if isinstance(start_date, Unset) else start_date,
            end_date=None if isinstance(end_date, Unset) else end_date,
        )
        top_endpoints._null_fields = frozenset(
            k
            for k in (
                "start_date",
                "end_date",
            )
            if k in src_dict and src_dict[k] is None
        )

        top_endpoints.additional_properties = d
        return top_endpoints

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
