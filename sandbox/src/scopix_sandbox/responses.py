"""The shapes every API answer shares: the ErrorResponse body, the rate-limit headers, encoding."""

from __future__ import annotations

import json
import math
from typing import Any

from scopix_sandbox.ratelimit import Decision

__all__ = ["HTML_TYPE", "JSON_TYPE", "encode", "error_body", "fmt_reset", "rate_headers"]

JSON_TYPE = ("Content-Type", "application/json")
HTML_TYPE = ("Content-Type", "text/html; charset=utf-8")


def fmt_reset(seconds: float) -> str:
    """Seconds as a number, rounded up to the millisecond (`0`, `1.5`, `59.998`)."""
    ms = math.ceil(seconds * 1000 - 1e-6)
    if ms <= 0:
        return "0"
    whole, frac = divmod(ms, 1000)
    return f"{whole}.{frac:03d}".rstrip("0").rstrip(".") if frac else str(whole)


def rate_headers(d: Decision) -> list[tuple[str, str]]:
    return [
        ("X-RateLimit-Limit", str(d.limit)),
        ("X-RateLimit-Remaining", str(d.remaining)),
        ("X-RateLimit-Reset", fmt_reset(d.reset)),
    ]


def error_body(
    code: str, message: str, rid: str, details: dict[str, Any] | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "message": message, "request_id": rid}
    if details is not None:
        body["details"] = details
    return body


def encode(body: Any) -> bytes:
    """Compact JSON, as the API sends it."""
    return json.dumps(body, separators=(",", ":")).encode()
