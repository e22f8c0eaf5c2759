from __future__ import annotations

import datetime
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
        input_tokens (int | Unset): Input tokens used.
        output_tokens (int | Unset): Output tokens produced.
        created_at (datetime.datetime | Unset): When the conversation started.
        last_message_at (datetime.datetime | Unset): When its latest message was sent.
    """

    conversation_id: str
    title: str
    message_count: int
    total_tokens: int
    input_tokens: int | Unset = UNSET
    output_tokens: int | Unset = UNSET
    created_at: datetime.datetime | Unset = UNSET
    last_message_at: datetime.datetime | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        conversation_id = self.conversation_id

        title = self.title

        message_count = self.message_count

        total_tokens = self.total_tokens

        input_tokens = self.input_tokens

        output_tokens = self.output_tokens

        created_at: str | Unset = UNSET
        if not isinstance(self.created_at, Unset):
            created_at = self.created_at.isoformat()

        last_message_at: str | Unset = UNSET
        if not isinstance(self.last_message_at, Unset):
            last_message_at = self.last_message_at.isoformat()

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
            input_tokens=input_tokens,
            output_tokens=output_tokens,
            created_at=created_at,
            last_message_at=last_message_at,
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
