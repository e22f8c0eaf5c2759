"""The pure part of a sync: which window an events run reads, how a run resumes, when a
newest-first listing can stop. No I/O."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from .. import InvalidParameterError, InvalidParameterTypeError, Position
from ._tables import KINDS, Table

__all__ = [
    "DEFAULT_LAG",
    "LARGEST_PAGE",
    "check_kinds",
    "check_lag",
    "check_page_size",
    "check_since",
    "events_window",
    "overlap_position",
    "reaches_floor",
    "recency",
]

DEFAULT_LAG = dt.timedelta(hours=1)
LARGEST_PAGE = 100  # the list operations' `limit` maximum in the spec (a test holds it there)


def check_kinds(kinds: str | Iterable[str]) -> list[str]:
    """`"all"`, one kind, or several, as the list of kinds in sync order."""
    names = [kinds] if isinstance(kinds, str) else list(kinds)
    if names == ["all"]:
        return list(KINDS)
    unknown = [n for n in names if n not in KINDS]
    if unknown or not names:
        raise InvalidParameterError(
            "kinds",
            f"`kinds` must be 'all' or some of {', '.join(map(repr, KINDS))}, got {kinds!r}",
        )
    return [k for k in KINDS if k in names]


def check_lag(lag: dt.timedelta | float) -> dt.timedelta:
    if isinstance(lag, bool) or not isinstance(lag, dt.timedelta | int | float):
        raise InvalidParameterTypeError(
            "lag", f"`lag` must be a timedelta or seconds, got {type(lag).__name__}"
        )
    value = lag if isinstance(lag, dt.timedelta) else dt.timedelta(seconds=lag)
    if value < dt.timedelta(0):
        raise InvalidParameterError("lag", f"`lag` must be >= 0, got {lag!r}")
    return value


def check_since(since: dt.date | dt.datetime | None) -> dt.datetime | None:
    """An aware datetime, or a date (its midnight, UTC), not in the future."""
    if since is None:
        return None
    if isinstance(since, dt.datetime):
        if since.utcoffset() is None:
            raise InvalidParameterError(
                "since", f"`since` must be timezone-aware (got naive {since.isoformat()})"
            )
        value = since
    elif isinstance(since, dt.date):
        value = dt.datetime(since.year, since.month, since.day, tzinfo=dt.UTC)
    else:
        raise InvalidParameterTypeError(
            "since", f"`since` must be a date or an aware datetime, got {type(since).__name__}"
        )
    if value > dt.datetime.now(dt.UTC):
        raise InvalidParameterError("since", f"`since` ({since.isoformat()}) is in the future")
    return value


def check_page_size(page_size: int) -> int:
    if isinstance(page_size, bool) or not isinstance(page_size, int):
        raise InvalidParameterTypeError(
            "page_size", f"`page_size` must be an int, got {type(page_size).__name__}"
        )
    if not 1 <= page_size <= LARGEST_PAGE:
        raise InvalidParameterError(
            "page_size", f"`page_size` must be 1 to {LARGEST_PAGE}, got {page_size}"
        )
    return page_size


def events_window(
    watermark: dt.datetime | None,
    since: dt.datetime | None,
    lag: dt.timedelta,
    now: dt.datetime,
) -> tuple[dt.datetime | None, dt.datetime]:
    """[start, end) of a new events run: everything (or from `since`) the first time, then from
    the last window's end less `lag` (events that arrive late), never before `since`; the end
    is pinned to `now`, so events recorded during the run cannot shift its pages."""
    start = since if watermark is None else watermark - lag
    if since is not None and start is not None:
        start = max(start, since)
    if start is not None and start > now:
        if watermark is None:
            raise InvalidParameterError(
                "since", f"`since` ({since.isoformat() if since else ''}) is in the future"
            )
        start = now  # a clock that went back: read nothing new rather than fail
    return start, now


def overlap_position(position: Position) -> Position:
    """The committed position moved one item back: the first page of a resumed run starts at
    the last item committed, to check that the listing has not moved under it."""
    return {**position, "offset": max(position["offset"] - 1, 0), "done": False}


def recency(table: Table, item: object) -> dt.datetime | None:
    for name in table.recency:
        value: dt.datetime | None = getattr(item, name, None)  # a date-time field of the model
        if value is not None:
            return value
    return None


def reaches_floor(table: Table, items: Sequence[object], floor: dt.datetime | None) -> bool:
    """Whether a newest-first page reached items older than `floor`: all after it are older
    still, synced by an earlier complete run and unchanged since (a change makes an item
    recent again)."""
    if floor is None:
        return False
    return any((r := recency(table, item)) is not None and r < floor for item in items)
