"""Who is calling: the bearer API key of a request, or the 401 that says what is wrong with it."""

from __future__ import annotations

from collections.abc import Mapping

from scopix_sandbox.catalog import ApiKey
from scopix_sandbox.errors import RequestError

__all__ = ["authenticate"]

_HINT = "send 'Authorization: Bearer scopix_...'"


def authenticate(headers: list[str], keys: Mapping[str, ApiKey], now_us: int) -> ApiKey:
    """The key of the one `Authorization` header in `headers`, from `keys` by secret; a
    `RequestError` (401) when it is missing, repeated, malformed, unknown or revoked by `now_us`."""
    if not headers or not headers[0]:
        raise RequestError(401, "missing_api_key", f"No API key: {_HINT}.")
    if len(headers) > 1:
        message = f"{len(headers)} Authorization headers: {_HINT} once."
        raise RequestError(401, "malformed_api_key", message)
    scheme, _, token = headers[0].partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token.startswith("scopix_"):
        raise RequestError(401, "malformed_api_key", f"Malformed Authorization header: {_HINT}.")
    key = keys.get(token)
    if key is None:
        raise RequestError(401, "invalid_api_key", "Unknown API key.")
    if key.revoked_us is not None and key.revoked_us <= now_us:
        raise RequestError(401, "revoked_api_key", f"API key {key.key_id} has been revoked.")
    return key
