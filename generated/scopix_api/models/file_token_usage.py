from __future__ import annotations

import datetime
import json as _json
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="FileTokenUsage")


@_attrs_define
class FileTokenUsage:
    """Tokens used to process one file.

    Attributes:
        file_id (str): File id.
        filename (str): Name the file was uploaded with.
        total_tokens (int): Input plus output tokens.
        content_type (str | None): Media type of the file.
        size_bytes (int | None): Size of the file.
        input_tokens (int | None): Input tokens used on it.
        output_tokens (int | None): Output tokens produced for it.
        processed_at (datetime.datetime | None): When processing finished.
    """

    file_id: str
    filename: str
    total_tokens: int
    content_type: str | None = None
    size_bytes: int | None = None
    input_tokens: int | None = None
    output_tokens: int | None = None
    processed_at: datetime.datetime | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_json(self) -> str:
        """The JSON text of `to_dict()`."""
        return _json.dumps(self.to_dict())

    def to_dict(self) -> dict[str, Any]:
        file_id = self.file_id

        filename = self.filename

        total_tokens = self.total_tokens

        _content_type: str | Unset = (
            UNSET if self.content_type is None else self.content_type
        )
        content_type = _content_type

        _size_bytes: int | Unset = UNSET if self.size_bytes is None else self.size_bytes
        size_bytes = _size_bytes

        _input_tokens: int | Unset = (
            UNSET if self.input_tokens is None else self.input_tokens
        )
        input_tokens = _input_tokens

        _output_tokens: int | Unset = (
            UNSET if self.output_tokens is None else self.output_tokens
        )
        output_tokens = _output_tokens

        _processed_at: datetime.datetime | Unset = (
            UNSET if self.processed_at is None else self.processed_at
        )
        processed_at: str | Unset = UNSET
        if not isinstance(_processed_at, Unset):
            processed_at = _processed_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "file_id": file_id,
                "filename": filename,
                "total_tokens": total_tokens,
            }
        )
        if content_type is not UNSET:
            field_dict["content_type"] = content_type
        if size_bytes is not UNSET:
            field_dict["size_bytes"] = size_bytes
        if input_tokens is not UNSET:
            field_dict["input_tokens"] = input_tokens
        if output_tokens is not UNSET:
            field_dict["output_tokens"] = output_tokens
        if processed_at is not UNSET:
            field_dict["processed_at"] = processed_at

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        file_id = d.pop("file_id")

        filename = d.pop("filename")

        total_tokens = d.pop("total_tokens")

        content_type = d.pop("content_type", UNSET)

        size_bytes = d.pop("size_bytes", UNSET)

        input_tokens = d.pop("input_tokens", UNSET)

        output_tokens = d.pop("output_tokens", UNSET)

        _processed_at = d.pop("processed_at", UNSET)
        processed_at: datetime.datetime | Unset
        if isinstance(_processed_at, Unset):
            processed_at = UNSET
        else:
            processed_at = datetime.datetime.fromisoformat(_processed_at)

        file_token_usage = cls(
            file_id=file_id,
            filename=filename,
            total_tokens=total_tokens,
            content_type=None if isinstance(content_type, Unset) else content_type,
            size_bytes=None if isinstance(size_bytes, Unset) else size_bytes,
            input_tokens=None if isinstance(input_tokens, Unset) else input_tokens,
            output_tokens=None if isinstance(output_tokens, Unset) else output_tokens,
            processed_at=None if isinstance(processed_at, Unset) else processed_at,
        )

        file_token_usage.additional_properties = d
        return file_token_usage

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
