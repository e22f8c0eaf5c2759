# Generated from _async/pager.py by scripts/unasync.py; edit that, then make generate.
from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from typing import Any, Generic, TypeVar

from .._pagination import OffsetPages

Item = TypeVar("Item")


class SyncPager(Iterator[Item], Generic[Item]):
    """Every item of every page, in order; pages are fetched lazily, one in memory at a time."""

    def __init__(self, fetch_page: Callable[..., Any], pages: OffsetPages[Item]) -> None:
        self._fetch_page = fetch_page
        self._pages = pages
        self._buffer: deque[Item] = deque()

    def __iter__(self) -> SyncPager[Item]:
        return self

    def __next__(self) -> Item:
        while not self._buffer:
            if self._pages.done:
                raise StopIteration
            page = self._fetch_page(**self._pages.next_args())
            self._buffer.extend(self._pages.take(page))
        return self._buffer.popleft()

    def close(self) -> None:
        """Stop early: no further page is fetched."""
        self._pages.done = True
        self._buffer.clear()
