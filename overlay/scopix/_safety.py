"""Checks that keep the API key safe: where it may be sent, and what a key looks like."""

from __future__ import annotations

import ipaddress
import warnings

import httpx

from ._errors import InvalidParameterError, InvalidParameterTypeError

__all__ = ["KEY_PREFIX", "KeyFormatWarning", "check_api_key", "check_base_url", "is_loopback"]

KEY_PREFIX = "scopix_"


class KeyFormatWarning(UserWarning):
    """The API key does not look like a Scopix key; requests will likely fail with 401."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_base_url(base_url: str, *, allow_insecure_http: bool) -> None:
    """The key travels in a header: never in clear text off this machine unless asked to."""
    try:
        url = httpx.URL(base_url)
    except httpx.InvalidURL as exc:
        raise InvalidParameterError("base_url", f"`base_url` is not a URL: {exc}") from None
    if url.scheme not in ("http", "https") or not url.host:
        raise InvalidParameterError(
            "base_url", f"`base_url` must be an http(s) URL with a host, got {base_url!r}"
        )
    if url.scheme == "http" and not is_loopback(url.host) and not allow_insecure_http:
        raise InvalidParameterError(
            "base_url",
            f"refusing to send the API key over plain http to {url.host}: use https, "
            "or pass allow_insecure_http=True if you really mean it",
        )


def check_api_key(api_key: object) -> None:
    if not isinstance(api_key, str):
        got = type(api_key).__name__
        raise InvalidParameterTypeError("api_key", f"`api_key` must be a str, got {got}")
    if api_key != api_key.strip() or any(c in api_key for c in "\r\n\t "):
        raise InvalidParameterError("api_key", "`api_key` contains whitespace")
    if not api_key.startswith(KEY_PREFIX):
        # A warning, not an error: the format is the server's to change.
        warnings.warn(
            f"the API key does not start with {KEY_PREFIX!r}; Scopix keys look like scopix_...",
            KeyFormatWarning,
            stacklevel=4,
        )
