from __future__ import annotations

import datetime
import json as _json
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.operation_type import OperationType
from ..types import UNSET, Unset

T = TypeVar("T", bound="UsageEvent")


@_attrs_define
class UsageEvent:
    """One request recorded as usage.

    Attributes:
        id (str): Event id.
        timestamp (datetime.datetime): When the request was made.
        endpoint (str): Path template of the endpoint called.
        method (str): HTTP method.
        operation_type (OperationType | str): Kind of operation.
        status_code (int): HTTP status the request got.
        credits_used (int): Credits the request cost.
        input_tokens (int | None): Input tokens the request used.
        output_tokens (int | None): Output tokens the request produced.
        total_tokens (int | None): Input plus output tokens.
        latency_ms (float | None): Time the server took, in milliseconds.
        api_key_id (str | None): Id of the API key that made the request.
    """

    id: str
    timestamp: datetime.datetime
    endpoint: str
    method: str
    operation_type: OperationType | str
    status_code: int
    credits_used: int
    input_tokens: int | None = None
    output_tokens: int | None = None
    total_tokens: int | None = None
    latency_ms: float | None = None
    api_key_id: str | None = None
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
        id = self.id

        timestamp = self.timestamp.isoformat()

        endpoint = self.endpoint

        method = self.method

        operation_type: str
        if isinstance(self.operation_type, OperationType):
            operation_type = self.operation_type.value
        else:
            operation_type = self.operation_type

        status_code = self.status_code

        credits_used = self.credits_used

        _input_tokens: int | Unset = (
            UNSET if self.input_tokens is None else self.input_tokens
        )
        input_tokens = _input_tokens

        _output_tokens: int | Unset = (
            UNSET if self.output_tokens is None else self.output_tokens
        )
        output_tokens = _output_tokens

        _total_tokens: int | Unset = (
            UNSET if self.total_tokens is None else self.total_tokens
        )
        total_tokens = _total_tokens

        _latency_ms: float | Unset = (
            UNSET if self.latency_ms is None else self.latency_ms
        )
        latency_ms = _latency_ms

        _api_key_id: None | str | Unset = self.api_key_id
        if _api_key_id is None and "api_key_id" not in self._null_fields:
            _api_key_id = UNSET
        api_key_id: None | str | Unset
        if isinstance(_api_key_id, Unset):
            api_key_id = UNSET
        else:
            api_key_id = _api_key_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "timestamp": timestamp,
                "endpoint": endpoint,
                "method": method,
                "operation_type": operation_type,
                "status_code": status_code,
                "credits_used": credits_used,
            }
        )
        if input_tokens is not UNSET:
            field_dict["input_tokens"] = input_tokens
        if output_tokens is not UNSET:
            field_dict["output_tokens"] = output_tokens
        if total_tokens is not UNSET:
            field_dict["total_tokens"] = total_tokens
        if latency_ms is not UNSET:
            field_dict["latency_ms"] = latency_ms
        if api_key_id is not UNSET:
            field_dict["api_key_id"] = api_key_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = d.pop("id")

        timestamp = datetime.datetime.fromisoformat(d.pop("timestamp"))

        endpoint = d.pop("endpoint")

        method = d.pop("method")

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

        status_code = d.pop("status_code")

        credits_used = d.pop("credits_used")

        input_tokens = d.pop("input_tokens", UNSET)

        output_tokens = d.pop("output_tokens", UNSET)

        total_tokens = d.pop("total_tokens", UNSET)

        latency_ms = d.pop("latency_ms", UNSET)

        def _parse_api_key_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        api_key_id = _parse_api_key_id(d.pop("api_key_id", UNSET))

        usage_event = cls(
            id=id,
            timestamp=timestamp,
            endpoint=endpoint,
            method=method,
            operation_type=operation_type,
            status_code=status_code,
            credits_used=credits_used,
            input_tokens=None if isinstance(input_tokens, Unset) else input_tokens,
            output_tokens=None if isinstance(output_tokens, Unset) else output_tokens,
            total_tokens=None if isinstance(total_tokens, Unset) else total_tokens,
            latency_ms=None if isinstance(latency_ms, Unset) else latency_ms,
            api_key_id=None if isinstance(api_key_id, Unset) else api_key_id,
        )
        usage_event._null_fields = frozenset(
            k for k in ("api_key_id",) if k in src_dict and src_dict[k] is None
        )

        usage_event.additional_properties = d
        return usage_event

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
