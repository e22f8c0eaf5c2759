"""What both clients share and nothing of which does I/O: configuration and prepared calls."""

from __future__ import annotations

import functools
import importlib
import json
import os
import sys
from collections.abc import Callable, Coroutine, Generator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Final, Generic, ParamSpec, TypedDict, TypeVar, cast

import httpx

from . import _params, _policy, _safety, _spec
from ._errors import InvalidParameterError, InvalidParameterTypeError, ScopixError
from ._version import __version__

T = TypeVar("T")
P = ParamSpec("P")
R = TypeVar("R")

DEFAULT_TIMEOUT: Final = httpx.Timeout(60.0, connect=5.0)
DEFAULT_MAX_RETRIES: Final = 2
# sys.version starts with what platform.python_version() gives (platform costs ~2.5 ms to import)
USER_AGENT: Final = f"scopix-python/{__version__} Python/{sys.version.split(maxsplit=1)[0]}"


class _NotGiven:
    """Marks an option the caller did not pass (None can be a real value)."""

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = _NotGiven()
NotGiven = _NotGiven
# Seconds (5 s at most to connect), an httpx.Timeout, or None for no timeout (as in httpx).
Timeout = float | httpx.Timeout | None
# What a query string can carry: extra_query= values (httpx encodes bools as "true"/"false").
QueryValue = str | int | float | bool


def _as_timeout(value: Any) -> httpx.Timeout:
    if value is None or isinstance(value, httpx.Timeout):
        return httpx.Timeout(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        got = type(value).__name__
        raise InvalidParameterTypeError(
            "timeout", f"`timeout` must be seconds (a number), an httpx.Timeout or None, got {got}"
        )
    if not 0 < value < float("inf"):
        raise InvalidParameterError(
            "timeout", f"`timeout` must be a positive number of seconds (or None), got {value}"
        )
    return httpx.Timeout(value, connect=min(value, 5.0))


def _check_mapping(name: str, value: Any, kinds: tuple[type, ...], allowed: str) -> None:
    if value is None:
        return
    if not isinstance(value, Mapping):
        got = type(value).__name__
        raise InvalidParameterTypeError(name, f"`{name}` must be a mapping, got {got}")
    for key, item in value.items():
        if not isinstance(key, str):
            raise InvalidParameterTypeError(name, f"`{name}` keys must be str, got {key!r}")
        if not isinstance(item, kinds):
            got = type(item).__name__
            raise InvalidParameterTypeError(name, f"`{name}[{key!r}]` must be {allowed}, got {got}")


def _check_max_retries(value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        got = type(value).__name__
        raise InvalidParameterTypeError("max_retries", f"`max_retries` must be an int, got {got}")
    if value < 0:
        raise InvalidParameterError("max_retries", f"`max_retries` must be >= 0, got {value}")


class _KeyAuth(httpx.Auth):
    """The API key as a Bearer token. Given to every `send`, so the `auth` of a user's own
    httpx client never replaces it."""

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

    def __post_init__(self) -> None:
        _safety.check_base_url(self.base_url, allow_insecure_http=self.allow_insecure_http)

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
        key = api_key if api_key is not None else os.environ.get("SCOPIX_API_KEY")
        if not key:
            raise ScopixError(
                "No API key: pass api_key=... or set the SCOPIX_API_KEY environment variable."
            )
        _safety.check_api_key(key)
        url = base_url or os.environ.get("SCOPIX_BASE_URL") or _spec.production_url()
        _check_max_retries(max_retries)
        return cls(
            api_key=key,
            base_url=url.rstrip("/"),
            timeout=_as_timeout(timeout),
            max_retries=max_retries,
            default_headers=dict(default_headers or {}),
            allow_insecure_http=allow_insecure_http,
            max_retry_wait=float(max_retry_wait),
        )

    def with_changes(self, **changes: Any) -> ClientConfig:
        given = {k: v for k, v in changes.items() if v is not NOT_GIVEN}
        if "api_key" in given:
            _safety.check_api_key(given["api_key"])
        if "timeout" in given:
            given["timeout"] = _as_timeout(given["timeout"])
        if "default_headers" in given:
            given["default_headers"] = {**self.default_headers, **(given["default_headers"] or {})}
        return replace(self, **given)

    def headers(self, extra: Mapping[str, str] | None, attempt: int) -> dict[str, str]:
        headers = {
            "Accept": "application/json",
            "User-Agent": USER_AGENT,
            **self.default_headers,
            **(extra or {}),
            "Authorization": f"Bearer {self.api_key}",
        }
        if attempt:
            headers["X-Scopix-Retry-Count"] = str(attempt)
        return headers

    def send_options(self) -> dict[str, Any]:
        """Per-request `send` settings that win over a user's httpx client: our key, and no
        redirects (a redirect to another origin would take the key with it)."""
        return {"auth": _KeyAuth(self.api_key), "follow_redirects": False}


@functools.cache
def _request_builder(operation_id: str) -> Any:
    return importlib.import_module(f"scopix_api.api.usage.{operation_id}")._get_kwargs


def _encode(op: _spec.OperationSpec, checked: dict[str, Any]) -> dict[str, Any]:
    """Arguments as the generated request builder takes them (enums as its enum classes)."""
    import scopix_api.models as _models  # imported on first use: keeps `import scopix` light

    out = dict(checked)
    for name, value in checked.items():
        param = op.params[name]
        if param.ref_name and "enum" in param.schema:
            out[name] = getattr(_models, param.ref_name)(value)
    return out


@dataclass(frozen=True, slots=True)
class Call(Generic[T]):
    """One API call, checked and ready to send, and how to read its answer."""

    op: _spec.OperationSpec
    url: str
    params: Mapping[str, Any]
    extra_headers: Mapping[str, str] | None
    timeout: httpx.Timeout
    max_retries: int

    def request_kwargs(self, config: ClientConfig, attempt: int) -> dict[str, Any]:
        return {
            "method": self.op.method,
            "url": self.url,
            "params": self.params,
            "headers": config.headers(self.extra_headers, attempt),
            "timeout": self.timeout,
        }

    def parse(self, response: httpx.Response) -> T:
        from . import _parse  # imported on first use: keeps `import scopix` light

        if not 200 <= response.status_code < 300:
            raise _policy.status_error(response)
        try:
            body = json.loads(response.content)

        except ValueError as exc:
            raise _policy.validation_error(response, f"not JSON ({exc})") from None
        try:
            result: T = _parse.parser_for(self.op.response_schema)(body)
        except _parse.InvalidBody as exc:
            raise _policy.validation_error(response, str(exc)) from None
        return result


def prepare(
    config: ClientConfig,
    operation_id: str,
    args: dict[str, Any],
    *,
    timeout: Timeout | _NotGiven = NOT_GIVEN,
    extra_headers: Mapping[str, str] | None = None,
    max_retries: int | _NotGiven = NOT_GIVEN,
    extra_query: Mapping[str, QueryValue] | None = None,
) -> Call[Any]:
    """Check the arguments and options and build the call; raises before anything is sent.

    `extra_query` is sent as given, over the checked parameters of the same name: the way to send
    a value a newer server accepts and this version's spec does not list yet.
    """
    op = _spec.operation(operation_id)
    built = _request_builder(operation_id)(**_encode(op, _params.check_args(op, args)))
    retries = config.max_retries if isinstance(max_retries, _NotGiven) else max_retries
    _check_max_retries(retries)
    _check_mapping("extra_headers", extra_headers, (str,), "a str")
    _check_mapping("extra_query", extra_query, (str, int, float), "a str, int, float or bool")
    return Call(
        op=op,
        url=config.base_url + built["url"],
        params={**built.get("params", {}), **(extra_query or {})},
        extra_headers=extra_headers,
        timeout=config.timeout if isinstance(timeout, _NotGiven) else _as_timeout(timeout),
        max_retries=retries,
    )


@dataclass(frozen=True, slots=True)
class RawResponse(Generic[T]):
    """An HTTP response of the API with its parsed rate-limit headers; `parse()` gives the model."""

    http_response: httpx.Response
    call: Call[T]

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def request_id(self) -> str | None:
        request_id: str | None = self.http_response.headers.get("x-request-id")
        return request_id

    @property
    def rate_limit(self) -> _policy.RateLimitInfo:
        return _policy.rate_limit_info(self.http_response.headers)

    def parse(self) -> T:
        return self.call.parse(self.http_response)


def finish(call: Call[T], response: httpx.Response, raw: bool) -> Any:
    """The call's result: the parsed model, or for raw calls the response (errors still raise)."""
    if not raw:
        return call.parse(response)
    if not 200 <= response.status_code < 300:
        raise _policy.status_error(response)
    return RawResponse(response, call)


class RequestOptions(TypedDict, total=False):
    """The per-call options every method takes, as a dict to pass with `**`."""

    timeout: Timeout
    max_retries: int
    extra_headers: Mapping[str, str] | None
    extra_query: Mapping[str, QueryValue] | None


def strict_keywords(method: Callable[P, R]) -> Callable[P, R]:
    """Keyword-only calls: an unknown keyword (a typo) or a positional argument is a TypeError
    naming it and the accepted keywords, before anything is sent."""
    code = method.__code__
    first = code.co_argcount
    accepted = code.co_varnames[first : first + code.co_kwonlyargcount]
    known = frozenset(accepted)
    where = f"{method.__name__}()"

    @functools.wraps(method)
    def call(*args: Any, **kwargs: Any) -> Any:
        if len(args) != 1 or not known.issuperset(kwargs):
            raise _unexpected(where, args[1:], kwargs, accepted)
        return method(*args, **kwargs)

    return cast(Callable[P, R], call)


def _unexpected(
    where: str, positional: tuple[Any, ...], kwargs: Mapping[str, Any], accepted: tuple[str, ...]
) -> InvalidParameterTypeError:
    import difflib

    takes = ", ".join(accepted)
    if positional:
        return InvalidParameterTypeError(
            "", f"{where} takes keyword arguments only ({takes}); got {len(positional)} positional"
        )
    name = next(k for k in kwargs if k not in accepted)
    close = difflib.get_close_matches(name, accepted, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return InvalidParameterTypeError(
        name, f"{where} got an unexpected keyword argument {name!r}{hint}; it takes: {takes}"
    )


def check_page_size(method: str, operation_id: str, page_size: int) -> None:
    """`page_size` of a `get_all_*` is the list operation's `limit`: same type and bounds."""
    param = replace(_spec.operation(operation_id).params["limit"], name="page_size")
    _params.check_param(f"{method}()", param, page_size)


def as_raw_async(
    method: Callable[P, Coroutine[Any, Any, R]],
) -> Callable[P, Coroutine[Any, Any, RawResponse[R]]]:
    """Retype a method of a raw-mode resource (whose calls return RawResponse)."""
    return cast(Callable[P, Coroutine[Any, Any, RawResponse[R]]], method)


def as_raw_sync(method: Callable[P, R]) -> Callable[P, RawResponse[R]]:
    return cast(Callable[P, RawResponse[R]], method)
