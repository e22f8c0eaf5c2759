"""The exceptions the SDK raises. Every one of them is a `ScopixError`.

Every one pickles (task queues, multiprocessing) with its message and attributes; the request
and response travel without the Authorization header, so a pickle never carries the API key.
"""

from __future__ import annotations

from collections.abc import Callable

import httpx

from ._json import JSON

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "CreditLedgerUnavailableError",
    "InsufficientCreditsError",
    "InternalServerError",
    "InvalidParameterError",
    "InvalidParameterTypeError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ScopixError",
    "UnprocessableEntityError",
]


_State = dict[str, object]


def _rebuild(cls: type[BaseException], args: tuple[object, ...], state: _State) -> BaseException:
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


def _redacted_request(request: httpx.Request) -> httpx.Request:
    headers = [(k, v) for k, v in request.headers.multi_items() if k.lower() != "authorization"]
    return httpx.Request(request.method, request.url, headers=headers, content=b"")


def _redacted_response(response: httpx.Response) -> httpx.Response:
    request = response._request  # an unsent response has none, and .request would raise
    return httpx.Response(
        response.status_code,
        headers=response.headers.multi_items(),
        content=response.content,
        request=_redacted_request(request) if request is not None else None,
    )


def _redacted(value: object) -> object:
    if isinstance(value, httpx.Request):
        return _redacted_request(value)
    if isinstance(value, httpx.Response):
        return _redacted_response(value)
    return value


class ScopixError(Exception):
    """Root of every exception the SDK raises."""

    def __reduce__(
        self,
    ) -> tuple[
        Callable[..., BaseException], tuple[type[BaseException], tuple[object, ...], _State]
    ]:
        # Exception's own pickling calls cls(*args), which keyword-only constructors refuse.
        state = {k: _redacted(v) for k, v in self.__dict__.items()}
        return (_rebuild, (type(self), self.args, state))


class InvalidParameterError(ScopixError, ValueError):
    """An argument has an allowed type but a value the API does not accept; nothing was sent."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter


class InvalidParameterTypeError(ScopixError, TypeError):
    """An argument has a type the API does not accept; nothing was sent."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter


class APIError(ScopixError):
    """A request was made and went wrong."""

    def __init__(self, message: str, *, request: httpx.Request | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.request = request


class APIConnectionError(APIError):
    """The server could not be reached, or the connection broke before a full response."""

    def __init__(self, message: str = "Connection error.", *, request: httpx.Request) -> None:
        super().__init__(message, request=request)


class APITimeoutError(APIConnectionError):
    """The request timed out."""

    def __init__(self, message: str = "Request timed out.", *, request: httpx.Request) -> None:
        super().__init__(message, request=request)


class APIResponseValidationError(APIError):
    """The server answered, but the body is not what the spec promises (`reason` says how)."""

    def __init__(
        self, message: str, *, response: httpx.Response, excerpt: str, reason: str | None = None
    ) -> None:
        super().__init__(message, request=response.request)
        self.response = response
        self.status_code = response.status_code
        self.headers = response.headers
        self.request_id: str | None = response.headers.get("x-request-id")
        self.excerpt = excerpt
        self.reason = message if reason is None else reason


class APIStatusError(APIError):
    """The server answered with an error status (4xx or 5xx).

    `status_code`, `headers`, `request_id` (the `X-Request-Id` header), `body` (the decoded JSON
    error body, e.g. `{"code": ..., "message": ...}`; the text when it is not JSON; None when
    empty), `code` (the body's `code`, when it has one) and `response`.
    """

    def __init__(self, message: str, *, response: httpx.Response, body: JSON) -> None:
        super().__init__(message, request=response.request)
        self.response = response
        self.status_code = response.status_code
        self.headers = response.headers
        self.request_id: str | None = response.headers.get("x-request-id")
        self.body = body
        code = body.get("code") if isinstance(body, dict) else None
        self.code: str | None = code if isinstance(code, str) else None  # only a str is a code


class BadRequestError(APIStatusError):
    """400."""


class AuthenticationError(APIStatusError):
    """401: the API key is missing, malformed or unknown."""


class PermissionDeniedError(APIStatusError):
    """403."""


class NotFoundError(APIStatusError):
    """404."""


class ConflictError(APIStatusError):
    """409: the request conflicts with the current state (retried like a 5xx first)."""


class UnprocessableEntityError(APIStatusError):
    """422: a parameter was rejected by the server."""


class RateLimitError(APIStatusError):
    """429, or a wait for the rate limit longer than the client is allowed to sleep."""

    def __init__(
        self, message: str, *, response: httpx.Response, body: JSON, retry_after: float | None
    ) -> None:
        super().__init__(message, response=response, body=body)
        self.retry_after = retry_after


class InternalServerError(APIStatusError):
    """A 5xx status."""


class InsufficientCreditsError(ScopixError):
    """A credit reservation was refused: the credits `available` (the `check()` answer), less
    those `held` by live holds (and spent since the answer, or wanted by earlier waiters), do
    not cover `required`. Nothing was held."""

    def __init__(self, message: str, *, required: int, available: int, held: int) -> None:
        super().__init__(message)
        self.message = message
        self.required = required
        self.available = available
        self.held = held


class CreditLedgerUnavailableError(ScopixError):
    """A credit reservation could not reach its shared ledger (Redis), so nothing was held:
    money fails closed. The cause is chained (`__cause__`); `RedisLedger(unreachable="local")`
    holds on this process's own ledger instead."""
