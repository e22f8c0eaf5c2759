"""A client's configuration: where its key and base URL come from, defaults, and how the key
travels. Nothing here does I/O."""

from __future__ import annotations

import os
import sys
from collections.abc import Generator, Mapping
from dataclasses import dataclass, field, replace
from typing import Final, TypedDict

import httpx

from . import _policy, _safety, _spec
from ._errors import InvalidParameterTypeError, ScopixError
from ._options import Timeout, as_timeout, check_max_retries, unexpected_keyword
from ._version import __version__

__all__ = [
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "USER_AGENT",
    "ClientConfig",
    "ConfigChanges",
    "api_key_from",
    "base_url_from",
    "check_http_client",
]

DEFAULT_TIMEOUT: Final = httpx.Timeout(60.0, connect=5.0)
DEFAULT_MAX_RETRIES: Final = 2
# sys.version starts with what platform.python_version() gives (platform costs ~2.5 ms to import)
USER_AGENT: Final = f"scopix-python/{__version__} Python/{sys.version.split(maxsplit=1)[0]}"


def api_key_from(given: str | None) -> str | None:
    """The key given, else $SCOPIX_API_KEY (None when neither is set)."""
    return given if given is not None else os.environ.get("SCOPIX_API_KEY") or None


def base_url_from(given: str | None) -> str:
    """The base URL given, else $SCOPIX_BASE_URL, else the spec's production server; no
    trailing slash."""
    return _normalised(given or os.environ.get("SCOPIX_BASE_URL") or _spec.production_url())


def _normalised(url: str) -> str:
    return url.rstrip("/")  # paths are appended with their leading slash


class _KeyAuth(httpx.Auth):
    """The API key as a Bearer token: the one place it is set. Given to every `send`, so the
    `auth` of a user's own httpx client (or userinfo in a URL) never replaces it."""

    def __init__(self, api_key: str) -> None:
        self._header = f"Bearer {api_key}"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = self._header
        yield request


def check_http_client(owner: str, value: object, expected: type) -> None:
    """A client of the other flavour would fail only at the first call: refuse it now."""
    if value is not None and not isinstance(value, expected):
        got = f"{type(value).__module__}.{type(value).__qualname__}"
        raise InvalidParameterTypeError(
            "http_client",
            f"{owner}(http_client=...) must be an httpx.{expected.__name__}, got {got} "
            "(httpx.Client goes with SyncScopix, httpx.AsyncClient with Scopix)",
        )


class ConfigChanges(TypedDict, total=False):
    """What `with_options()` can change in a configuration."""

    api_key: str
    base_url: str
    timeout: Timeout
    max_retries: int
    default_headers: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class ClientConfig:
    """A client's settings. The key is kept out of repr()."""

    api_key: str = field(repr=False)
    base_url: str
    timeout: httpx.Timeout
    max_retries: int
    default_headers: Mapping[str, str]
    allow_insecure_http: bool = False
    max_retry_wait: float = _policy.DEFAULT_MAX_RETRY_WAIT
    # Per-request `send` settings that win over a user's httpx client: our key, and no
    # redirects (a redirect to another origin would take the key with it).
    auth: httpx.Auth = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        _safety.check_base_url(self.base_url, allow_insecure_http=self.allow_insecure_http)
        object.__setattr__(self, "auth", _KeyAuth(self.api_key))

    @classmethod
    def create(
        cls,
        *,
        api_key: str | None,
        base_url: str | None,
        timeout: Timeout,
        max_retries: int,
        default_headers: Mapping[str, str] | None,
        allow_insecure_http: bool = False,
        max_retry_wait: float = _policy.DEFAULT_MAX_RETRY_WAIT,
    ) -> ClientConfig:
        key = api_key_from(api_key)
        if not key:
            raise ScopixError(
                "No API key: pass api_key=... or set the SCOPIX_API_KEY environment variable."
            )
        _safety.check_api_key(key)
        return cls(
            api_key=key,
            base_url=base_url_from(base_url),
            timeout=as_timeout(timeout),
            max_retries=check_max_retries(max_retries),
            default_headers=dict(default_headers or {}),
            allow_insecure_http=allow_insecure_http,
            max_retry_wait=float(max_retry_wait),
        )

    def with_changes(self, changes: ConfigChanges) -> ClientConfig:
        """This configuration with `with_options()`'s changes; an unknown one is a TypeError."""
        # `pacing` and `credits` the client itself takes; named here for the typo message
        accepted = (*ConfigChanges.__annotations__, "pacing", "credits")
        if not set(accepted).issuperset(changes):
            raise unexpected_keyword("with_options()", (), changes, accepted)
        if "api_key" in changes:
            _safety.check_api_key(changes["api_key"])
        return replace(
            self,
            api_key=changes.get("api_key", self.api_key),
            base_url=_normalised(changes.get("base_url", self.base_url)),
            timeout=as_timeout(changes["timeout"]) if "timeout" in changes else self.timeout,
            max_retries=check_max_retries(changes.get("max_retries", self.max_retries)),
            default_headers={**self.default_headers, **(changes.get("default_headers") or {})},
        )

    def headers(self, extra: Mapping[str, str] | None, attempt: int) -> dict[str, str]:
        headers = {
            "Accept": "application/json",
            "User-Agent": USER_AGENT,
            **self.default_headers,
            **(extra or {}),
        }
        if attempt:
            headers["X-Scopix-Retry-Count"] = str(attempt)
        return headers
