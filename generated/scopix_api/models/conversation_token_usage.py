from __future__ import annotations

import datetime
import json as _json
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ConversationTokenUsage")


@_attrs_define
class ConversationTokenUsage:
    """Tokens used by one chat session.

    Attributes:
        conversation_id (str): Conversation id.
        title (str): Title of the conversation.
        message_count (int): Messages in the conversation.
        total_tokens (int): Input plus output tokens.
        input_tokens (int | None): Input tokens used.
        output_tokens (int | None): Output tokens produced.
        created_at (datetime.datetime | None): When the conversation started.
        last_message_at (datetime.datetime | None): When its latest message was sent.
    """

    conversation_id: str
    title: str
    message_count: int
    total_tokens: int
    input_tokens: int | None = None
    output_tokens: int | None = None
    created_at: datetime.datetime | None = None
    last_message_at: datetime.datetime | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_json(self) -> str:
        """The JSON text of `to_dict()`."""
        return _json.dumps(self.to_dict())

    def to_dict(self) -> dict[str, Any]:
        conversation_id = self.conversation_id

        title = self.title

        message_count = self.message_count

        total_tokens = self.total_tokens

        _input_tokens: int | Unset = (
            UNSET if self.input_tokens is None else self.input_tokens
        )
        input_tokens = _input_tokens

        _output_tokens: int | Unset = (
            UNSET if self.output_tokens is None else self.output_tokens
        )
        output_tokens = _output_tokens

        _created_at: datetime.datetime | Unset = (
            UNSET if self.created_at is None else self.created_at
        )
        created_at: str | Unset = UNSET
        if not isinstance(_created_at, Unset):
            created_at = _created_at.isoformat()

        _last_message_at: datetime.datetime | Unset = (
            UNSET if self.last_message_at is None else self.last_message_at
        )
        last_message_at: str | Unset = UNSET
        if not isinstance(_last_message_at, Unset):
            last_message_at = _last_message_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "conversation_id": conversation_id,
                "title": title,
                "message_count": message_count,
                "total_tokens": total_tokens,
            }
        )
        if input_tokens is not UNSET:
            field_dict["input_tokens"] = input_tokens
        if output_tokens is not UNSET:
            field_dict["output_tokens"] = output_tokens
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if last_message_at is not UNSET:
            field_dict["last_message_at"] = last_message_at

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        conversation_id = d.pop("conversation_id")

        title = d.pop("title")

        message_count = d.pop("message_count")

        total_tokens = d.pop("total_tokens")

        input_tokens = d.pop("input_tokens", UNSET)

        output_tokens = d.pop("output_tokens", UNSET)

        _created_at = d.pop("created_at", UNSET)
        created_at: datetime.datetime | Unset
        if isinstance(_created_at, Unset):
            created_at = UNSET
        else:
            created_at = datetime.datetime.fromisoformat(_created_at)

        _last_message_at = d.pop("last_message_at", UNSET)
        last_message_at: datetime.datetime | Unset
        if isinstance(_last_message_at, Unset):
            last_message_at = UNSET
        else:
            last_message_at = datetime.datetime.fromisoformat(_last_message_at)

        conversation_token_usage = cls(
            conversation_id=conversation_id,
            title=title,
            message_count=message_count,
            total_tokens=total_tokens,
            input_tokens=None if isinstance(input_tokens, Unset) else input_tokens,
            output_tokens=None if isinstance(output_tokens, Unset) else output_tokens,
            created_at=None if isinstance(created_at, Unset) else created_at,
            last_message_at=None
            if isinstance(last_message_at, Unset)
            else last_message_at,
        )

        conversation_token_usage.additional_properties = d
        return conversation_token_usage

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
