"""The per-call options every method takes, typed (`RequestOptions`), and their checks."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any, Final, ParamSpec, TypedDict, TypeVar, cast

import httpx

from ._errors import InvalidParameterError, InvalidParameterTypeError

__all__ = [
    "NOT_GIVEN",
    "NotGiven",
    "QueryValue",
    "RequestOptions",
    "Timeout",
    "as_timeout",
    "check_mapping",
    "check_max_retries",
    "strict_keywords",
    "unexpected_keyword",
]

P = ParamSpec("P")
R = TypeVar("R")

# Seconds (5 s at most to connect), an httpx.Timeout, or None for no timeout (as in httpx).
Timeout = float | httpx.Timeout | None
# What a query string can carry: extra_query= values (httpx encodes bools as "true"/"false").
QueryValue = str | int | float | bool


class NotGiven:
    """Marks a setting the caller did not pass to `with_options()` (None can be a real value)."""

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven()


class RequestOptions(TypedDict, total=False):
    """The per-call options every method takes (a dict of them can be passed with `**`).

    An option left out takes the client's setting; `timeout=None` means no timeout."""

    timeout: Timeout
    max_retries: int
    extra_headers: Mapping[str, str] | None
    extra_query: Mapping[str, QueryValue] | None


OPTION_NAMES: Final = tuple(RequestOptions.__annotations__)


def as_timeout(value: object) -> httpx.Timeout:
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


def check_mapping(name: str, value: object, kinds: tuple[type, ...], allowed: str) -> None:
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


def check_max_retries(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        got = type(value).__name__
        raise InvalidParameterTypeError("max_retries", f"`max_retries` must be an int, got {got}")
    if value < 0:
        raise InvalidParameterError("max_retries", f"`max_retries` must be >= 0, got {value}")
    return value


def strict_keywords(method: Callable[P, R]) -> Callable[P, R]:
    """Keyword-only calls: an unknown keyword (a typo) or a positional argument is a TypeError
    naming it and the accepted keywords, before anything is sent. A method with `**options`
    accepts the `RequestOptions` keys there."""
    code = method.__code__
    first = code.co_argcount
    accepted = code.co_varnames[first : first + code.co_kwonlyargcount]
    if code.co_flags & 0x08:  # CO_VARKEYWORDS: **options
        accepted += OPTION_NAMES
    known = frozenset(accepted)
    where = f"{method.__name__}()"

    @functools.wraps(method)
    def call(*args: Any, **kwargs: Any) -> Any:
        if len(args) != 1 or not known.issuperset(kwargs):
            raise unexpected_keyword(where, args[1:], kwargs, accepted)
        return method(*args, **kwargs)

    return cast(Callable[P, R], call)


def unexpected_keyword(
    where: str,
    positional: tuple[object, ...],
    kwargs: Mapping[str, object],
    accepted: tuple[str, ...],
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
