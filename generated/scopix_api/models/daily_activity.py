from __future__ import annotations

import datetime
import json as _json
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="DailyActivity")


@_attrs_define
class DailyActivity:
    """Activity on one calendar day (UTC).

    Attributes:
        date (datetime.date): The day.
        files_uploaded (int): Files uploaded that day.
        chat_messages (int): Chat messages sent that day.
        requests (int | None): API requests made that day.
        tokens (int | None): Tokens used that day.
    """

    date: datetime.date
    files_uploaded: int
    chat_messages: int
    requests: int | None = None
    tokens: int | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_json(self) -> str:
        """The JSON text of `to_dict()`."""
        return _json.dumps(self.to_dict())

    def to_dict(self) -> dict[str, Any]:
        date = self.date.isoformat()

        files_uploaded = self.files_uploaded

        chat_messages = self.chat_messages

        _requests: int | Unset = UNSET if self.requests is None else self.requests
        requests = _requests

        _tokens: int | Unset = UNSET if self.tokens is None else self.tokens
        tokens = _tokens

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "date": date,
                "files_uploaded": files_uploaded,
                "chat_messages": chat_messages,
            }
        )
        if requests is not UNSET:
            field_dict["requests"] = requests
        if tokens is not UNSET:
            field_dict["tokens"] = tokens

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        date = datetime.date.fromisoformat(d.pop("date"))

        files_uploaded = d.pop("files_uploaded")

        chat_messages = d.pop("chat_messages")

        requests = d.pop("requests", UNSET)

        tokens = d.pop("tokens", UNSET)

        daily_activity = cls(
            date=date,
            files_uploaded=files_uploaded,
            chat_messages=chat_messages,
            requests=None if isinstance(requests, Unset) else requests,
            tokens=None if isinstance(tokens, Unset) else tokens,
        )

        daily_activity.additional_properties = d
        return daily_activity

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
