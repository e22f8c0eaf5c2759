from __future__ import annotations

import json as _json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.conversation_token_usage import ConversationTokenUsage


T = TypeVar("T", bound="ConversationTokenUsageList")


@_attrs_define
class ConversationTokenUsageList:
    """One page of per-conversation token usage.

    Attributes:
        conversations (list[ConversationTokenUsage]): The conversations of this page, most recent first.
        total (int): Conversations over all pages.
        limit (int): Page size used.
        offset (int): Offset of this page's first conversation.
        has_more (bool): Whether another page follows.
    """

    conversations: list[ConversationTokenUsage]
    total: int
    limit: int
    offset: int
    has_more: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_json(self) -> str:
        """The JSON text of `to_dict()`."""
        return _json.dumps(self.to_dict())

    def to_dict(self) -> dict[str, Any]:
        conversations = []
        for conversations_item_data in self.conversations:
            conversations_item = conversations_item_data.to_dict()
            conversations.append(conversations_item)

        total = self.total

        limit = self.limit

        offset = self.offset

        has_more = self.has_more

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "conversations": conversations,
                "total": total,
                "limit": limit,
                "offset": offset,
                "has_more": has_more,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.conversation_token_usage import ConversationTokenUsage

        d = dict(src_dict)
        conversations = []
        _conversations = d.pop("conversations")
        for conversations_item_data in _conversations:
            conversations_item = ConversationTokenUsage.from_dict(
                conversations_item_data
            )

            conversations.append(conversations_item)

        total = d.pop("total")

        limit = d.pop("limit")

        offset = d.pop("offset")

        has_more = d.pop("has_more")

        conversation_token_usage_list = cls(
            conversations=conversations,
            total=total,
            limit=limit,
            offset=offset,
            has_more=has_more,
        )

        conversation_token_usage_list.additional_properties = d
        return conversation_token_usage_list

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
