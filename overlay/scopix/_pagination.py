"""Offset pagination for every `get_all_*`, sync and async: what to ask next, when to stop, the
pages users see, and the position a walk can be resumed from."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, Generic, TypedDict, TypeVar

from . import _spec
from ._call import RawResponse, check_page_size, prepare
from ._config import ClientConfig
from ._errors import InvalidParameterError, InvalidParameterTypeError
from ._json import JSON
from ._options import RequestOptions
from ._policy import RateLimitInfo

__all__ = [
    "AsyncFetch",
    "Listing",
    "OffsetPages",
    "Page",
    "Position",
    "SyncFetch",
    "Walk",
    "plan_walk",
    "resume",
    "snapshot_end",
]

Item = TypeVar("Item")
POSITION_VERSION = 1
# How a pager gets the page at (limit, offset): the list method's raw response.
AsyncFetch = Callable[[int, int], Awaitable[RawResponse[Any]]]
SyncFetch = Callable[[int, int], RawResponse[Any]]


class Position(TypedDict):
    """A pager's `position`: JSON-ready, given back as `resume_from=`."""

    version: int
    operation: str
    filters: dict[str, JSON]  # the walk's filters as JSON (date-times ISO, enums their values)
    offset: int
    done: bool


class OffsetPages(Generic[Item]):
    """Walks `limit`/`offset` pages. Stops on `has_more` false, a short page or an empty page, so a
    server that keeps answering `has_more: true` with nothing cannot make it loop forever."""

    def __init__(
        self, page_size: int, items_of: Callable[[Any], Sequence[Item]], *, offset: int = 0
    ) -> None:
        self.page_size = page_size
        self.offset = offset
        self.done = False
        self._items_of = items_of

    def next_args(self) -> dict[str, int]:
        return {"limit": self.page_size, "offset": self.offset}

    def take(self, page: Any) -> Sequence[Item]:
        items = self._items_of(page)
        # A server may cap the page size below what was asked for: a page is short only
        # against the size it says it used.
        used = min(self.page_size, page.limit) if page.limit > 0 else self.page_size
        self.offset += len(items)
        if not page.has_more or not items or len(items) < used:
            self.done = True
        return items


@dataclass(frozen=True, slots=True)
class Page(Generic[Item]):
    """One page of a `get_all_*` walk (`pager.pages()`)."""

    items: list[Item]
    offset: int  # the offset it was asked at
    has_more: bool
    total: int | None  # the listing's size when the page was made, as the server counts it
    request_id: str | None
    rate_limit: RateLimitInfo  # the rate-limit headers of the page's response
    elapsed: float  # seconds the HTTP exchange took (pacing and retry waits not included)


def _encode(value: object) -> JSON:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Enum):
        value = value.value
    # A filter was checked against its schema: a str, number or bool (an enum's value one too).
    if isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"a filter of type {type(value).__name__} has no JSON form")


class Walk:
    """What a pager walks: one list operation with fixed filters, from a start offset."""

    def __init__(
        self, operation_id: str, filters: dict[str, object], start: int = 0, done: bool = False
    ) -> None:
        self.operation_id = operation_id
        self.filters = filters
        self.start = start
        self.done = done  # a position taken after the last page: nothing left

    def position(self, offset: int, done: bool) -> Position:
        return {
            "version": POSITION_VERSION,
            "operation": self.operation_id,
            "filters": {k: _encode(v) for k, v in self.filters.items() if v is not None},
            "offset": offset,
            "done": done,
        }


def resume(operation_id: str, filters: dict[str, object], resume_from: object) -> Walk:
    """The walk a `resume_from=` position continues: its filters (those given again must be the
    same) and its offset. Refused, naming what is wrong, before anything is sent."""
    if not isinstance(resume_from, Mapping):
        got = type(resume_from).__name__
        raise InvalidParameterTypeError(
            "resume_from", f"`resume_from` must be a pager's `position` (a dict), got {got}"
        )
    if resume_from.get("version") != POSITION_VERSION:
        raise InvalidParameterError(
            "resume_from",
            f"`resume_from` has version {resume_from.get('version')!r}; this SDK reads "
            f"positions of version {POSITION_VERSION}",
        )
    if resume_from.get("operation") != operation_id:
        raise InvalidParameterError(
            "resume_from",
            f"`resume_from` is a position of {resume_from.get('operation')!r}, "
            f"not of {operation_id!r}",
        )
    offset = resume_from.get("offset")
    if isinstance(offset, bool) or not isinstance(offset, int) or offset < 0:
        raise InvalidParameterError(
            "resume_from", f"`resume_from['offset']` must be an int >= 0, got {offset!r}"
        )
    saved = resume_from.get("filters") or {}
    params = _spec.operation(operation_id).params
    merged = dict(filters)
    for name, value in saved.items():
        if name not in filters:
            raise InvalidParameterError(
                "resume_from", f"`resume_from` has a filter {name!r} that {operation_id} lacks"
            )
        given = filters[name]
        if given is not None and _encode(given) != value:
            raise InvalidParameterError(
                name,
                f"`{name}`={_encode(given)!r} differs from the resumed walk's {value!r}; "
                "leave it out to resume",
            )
        if params[name].schema.get("format") == "date-time":
            merged[name] = dt.datetime.fromisoformat(value)
        elif params[name].schema.get("format") == "date":
            merged[name] = dt.date.fromisoformat(value)
        else:
            merged[name] = value
    for name, given in filters.items():
        if given is not None and name not in saved:
            raise InvalidParameterError(
                name, f"`{name}` was not a filter of the resumed walk; leave it out to resume"
            )
    return Walk(operation_id, merged, offset, bool(resume_from.get("done")))


@dataclass(frozen=True, slots=True)
class Listing:
    """A `get_all_*`: the list operation it walks, the field of each answer holding the items,
    and whether a walk without `end_date` is pinned to the time of the call (a snapshot)."""

    method: str
    operation_id: str
    items: str
    snapshot: bool = False


def snapshot_end(start_date: object) -> dt.datetime:
    """Where a snapshot walk without `end_date` ends: now (or `start_date`, if later)."""
    now = dt.datetime.now(dt.UTC)
    if isinstance(start_date, dt.datetime) and start_date.utcoffset() is not None:
        return max(now, start_date)
    return now  # a bad start_date is reported by the argument checks


def plan_walk(
    config: ClientConfig,
    listing: Listing,
    filters: dict[str, object],
    page_size: int,
    resume_from: Mapping[str, object] | None,
    options: RequestOptions,
) -> Walk:
    """The walk a `get_all_*` call starts, every argument checked before anything is sent."""
    check_page_size(listing.method, listing.operation_id, page_size)
    prepare(config, listing.operation_id, {**filters, "limit": page_size}, options)
    if resume_from is None:
        walk = Walk(listing.operation_id, filters)
    else:  # a position's filters are checked too
        walk = resume(listing.operation_id, filters, resume_from)
        prepare(config, listing.operation_id, {**walk.filters, "limit": page_size}, options)
    if listing.snapshot and walk.filters["end_date"] is None:
        walk.filters["end_date"] = snapshot_end(walk.filters["start_date"])
    return walk
