from __future__ import annotations

import json as _json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.error_response_details_type_0 import ErrorResponseDetailsType0


T = TypeVar("T", bound="ErrorResponse")


@_attrs_define
class ErrorResponse:
    """The body of every error response.

    Attributes:
        code (str): Machine-readable error code.
        message (str): Human-readable explanation.
        request_id (str | None): Id of the failed request, as in the `X-Request-Id` header.
        details (ErrorResponseDetailsType0 | None): Extra facts about the error, such as the offending parameter and its
            allowed values.
    """

    code: str
    message: str
    request_id: str | None = None
    details: ErrorResponseDetailsType0 | None = None
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
        from ..models.error_response_details_type_0 import ErrorResponseDetailsType0

        code = self.code

        message = self.message

        _request_id: str | Unset = UNSET if self.request_id is None else self.request_id
        request_id = _request_id

        _details: ErrorResponseDetailsType0 | None | Unset = self.details
        if _details is None and "details" not in self._null_fields:
            _details = UNSET
        details: dict[str, Any] | None | Unset
        if isinstance(_details, Unset):
            details = UNSET
        elif isinstance(_details, ErrorResponseDetailsType0):
            details = _details.to_dict()
        else:
            details = _details

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "message": message,
            }
        )
        if request_id is not UNSET:
            field_dict["request_id"] = request_id
        if details is not UNSET:
            field_dict["details"] = details

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.error_response_details_type_0 import ErrorResponseDetailsType0

        d = dict(src_dict)
        code = d.pop("code")

        message = d.pop("message")

        request_id = d.pop("request_id", UNSET)

        def _parse_details(data: object) -> ErrorResponseDetailsType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                details_type_0 = ErrorResponseDetailsType0.from_dict(data)

                return details_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ErrorResponseDetailsType0 | None | Unset, data)

        details = _parse_details(d.pop("details", UNSET))

        error_response = cls(
            code=code,
            message=message,
            request_id=None if isinstance(request_id, Unset) else request_id,
            details=None if isinstance(details, Unset) else details,
        )
        error_response._null_fields = frozenset(
            k for k in ("details",) if k in src_dict and src_dict[k] is None
        )

        error_response.additional_properties = d
        return error_response

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
