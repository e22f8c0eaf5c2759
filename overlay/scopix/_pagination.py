"""Offset pagination for every `get_all_*`, sync and async: what to ask next, when to stop."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

Item = TypeVar("Item")


class OffsetPages(Generic[Item]):
    """Walks `limit`/`offset` pages. Stops on `has_more` false, a short page or an empty page, so a
    server that keeps answering `has_more: true` with nothing cannot make it loop forever."""

    def __init__(self, page_size: int, items_of: Callable[[Any], Sequence[Item]]) -> None:
        self.page_size = page_size
        self.offset = 0
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
