"""One call, checked and ready to send: its URL, query, headers and options, and how to read
its answer. Both flavours' clients prepare and finish calls here; nothing here does I/O."""

from __future__ import annotations

import functools
import importlib
import json
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass, replace
from typing import Any, Generic, ParamSpec, TypeVar, cast

import httpx

from . import _params, _policy, _spec
from ._config import ClientConfig
from ._options import RequestOptions, as_timeout, check_mapping, check_max_retries

__all__ = [
    "Call",
    "RawResponse",
    "as_raw_async",
    "as_raw_sync",
    "check_page_size",
    "finish",
    "prepare",
]

T = TypeVar("T")
P = ParamSpec("P")
R = TypeVar("R")
# What the generated request builders return: method, url, params (JSON-ready query values).
_Builder = Callable[..., dict[str, Any]]


@functools.cache
def _request_builder(tag: str, operation_id: str) -> _Builder:
    # The generated client's module of the operation: scopix_api.api.<tag>.<operation_id>.
    module = importlib.import_module(f"scopix_api.api.{tag}.{operation_id}")
    builder: _Builder = module._get_kwargs
    return builder


def _encode(op: _spec.OperationSpec, checked: dict[str, object]) -> dict[str, object]:
    """Arguments as the generated request builder takes them (enums as its enum classes)."""
    import scopix_api.models as _models  # imported on first use: keeps `import scopix` light

    out = dict(checked)
    for name, value in checked.items():
        param = op.params[name]
        if param.ref_name and "enum" in param.schema:
            out[name] = getattr(_models, param.ref_name)(value)
    return out


_REFUSED: object = object()  # replaced by the fast path's own marker once it is imported


def _fast_decoder(schema_name: str) -> Callable[[bytes], Any] | None:
    """The `fast` extra's decoder of a response schema, when msgspec is installed; imported on
    the first parse, so `import scopix` stays light."""
    global _fast_decoder, _REFUSED
    try:
        from . import _parse_fast
    except ImportError:  # msgspec is not installed: the pure parser for every schema

        def _fast_decoder(schema_name: str) -> Callable[[bytes], Any] | None:
            return None

    else:
        _REFUSED = _parse_fast.REFUSED
        _fast_decoder = _parse_fast.decoder_for
    return _fast_decoder(schema_name)


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
        if not 200 <= response.status_code < 300:
            raise _policy.status_error(response)
        fast = _fast_decoder(self.op.response_schema)
        if fast is not None:
            result: T = fast(response.content)
            if result is not _REFUSED:
                return result
        # The pure parser: the reference, and what a body the fast path refused gets.
        from . import _parse  # imported on first use: keeps `import scopix` light

        try:
            body = json.loads(response.content)
        except ValueError as exc:
            raise _policy.validation_error(response, f"not JSON ({exc})") from None
        try:
            result = _parse.parser_for(self.op.response_schema)(body)
        except _parse.InvalidBody as exc:
            raise _policy.validation_error(response, str(exc)) from None
        return result


def prepare(
    config: ClientConfig, operation_id: str, args: dict[str, object], options: RequestOptions
) -> Call[Any]:
    """Check the arguments and options and build the call; raises before anything is sent.

    `extra_query` is sent as given, over the checked parameters of the same name: the way to send
    a value a newer server accepts and this version's spec does not list yet.
    """
    op = _spec.operation(operation_id)
    built = _request_builder(op.tag, operation_id)(**_encode(op, _params.check_args(op, args)))
    extra_headers = options.get("extra_headers")
    extra_query = options.get("extra_query")
    check_mapping("extra_headers", extra_headers, (str,), "a str")
    check_mapping("extra_query", extra_query, (str, int, float), "a str, int, float or bool")
    return Call(
        op=op,
        url=config.base_url + built["url"],
        params={**built.get("params", {}), **(extra_query or {})},
        extra_headers=extra_headers,
        timeout=as_timeout(options["timeout"]) if "timeout" in options else config.timeout,
        max_retries=check_max_retries(options.get("max_retries", config.max_retries)),
    )


def check_page_size(method: str, operation_id: str, page_size: int) -> None:
    """`page_size` of a `get_all_*` is the list operation's `limit`: same type and bounds."""
    param = replace(_spec.operation(operation_id).params["limit"], name="page_size")
    _params.check_param(f"{method}()", param, page_size)


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


def finish(call: Call[T], response: httpx.Response, raw: bool) -> T | RawResponse[T]:
    """The call's result: the parsed model, or for raw calls the response (errors still raise)."""
    if not raw:
        return call.parse(response)
    if not 200 <= response.status_code < 300:
        raise _policy.status_error(response)
    return RawResponse(response, call)


def as_raw_async(
    method: Callable[P, Coroutine[Any, Any, R]],
) -> Callable[P, Coroutine[Any, Any, RawResponse[R]]]:
    """Retype a method of a raw-mode resource (whose calls return RawResponse)."""
    return cast(Callable[P, Coroutine[Any, Any, RawResponse[R]]], method)


def as_raw_sync(method: Callable[P, R]) -> Callable[P, RawResponse[R]]:
    return cast(Callable[P, RawResponse[R]], method)
