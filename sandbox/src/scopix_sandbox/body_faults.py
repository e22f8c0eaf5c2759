"""What the body faults do to a response body: cut it, retype a field, rename enum values."""

from __future__ import annotations

import json
from typing import Any

__all__ = ["UNKNOWN_SUFFIX", "truncate", "unknown_enums", "wrong_types"]

UNKNOWN_SUFFIX = "_v2"


def truncate(body: bytes) -> bytes:
    """The first half of a body (at least one byte short of it)."""
    return body[: max(1, len(body) // 2)] if len(body) > 1 else b""


def wrong_types(body: bytes) -> bytes:
    """The same JSON with its first integer field (depth first) turned into a string."""
    try:
        data = json.loads(body)
    except ValueError:
        return body

    def flip(node: Any) -> bool:
        if isinstance(node, dict):
            for k, v in node.items():
                if isinstance(v, int) and not isinstance(v, bool):
                    node[k] = str(v)
                    return True
            return any(flip(v) for v in node.values())
        if isinstance(node, list):
            return any(flip(v) for v in node)
        return False

    if not flip(data) and isinstance(data, dict):
        data["total"] = "many"
    return json.dumps(data, separators=(",", ":")).encode()


def _open_enum(alternatives: list[Any]) -> bool:
    """`anyOf`/`oneOf` of an enum and a plain string: the spec's way to say "may grow"."""
    enum = any(isinstance(a, dict) and "enum" in a for a in alternatives)
    plain = any(
        isinstance(a, dict) and a.get("type") == "string" and "enum" not in a for a in alternatives
    )
    return enum and plain


def unknown_enums(body: Any, schema: Any) -> Any:
    """`body` with each value of an open enum in it (per `schema`, `$ref`s resolved) turned into
    one the spec does not list (`chat` -> `chat_v2`)."""
    if not isinstance(schema, dict):
        return body
    alternatives = schema.get("anyOf") or schema.get("oneOf")
    if isinstance(alternatives, list):
        if isinstance(body, str) and _open_enum(alternatives):
            return body + UNKNOWN_SUFFIX
        for alternative in alternatives:  # a nullable object or array: the non-null branch
            if isinstance(alternative, dict) and alternative.get("type") != "null":
                body = unknown_enums(body, alternative)
        return body
    if isinstance(body, dict):
        props = schema.get("properties", {})
        return {k: unknown_enums(v, props.get(k)) for k, v in body.items()}
    if isinstance(body, list):
        return [unknown_enums(v, schema.get("items")) for v in body]
    return body
