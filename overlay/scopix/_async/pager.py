from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any, Generic, TypeVar

from .._pagination import AsyncFetch, OffsetPages, Page, Position, Walk

__all__ = ["AsyncPager"]

Item = TypeVar("Item")
W = TypeVar("W")


class AsyncPager(Generic[Item]):
    """Every item of every page of a listing, in order, fetched lazily one page at a time.

    Iterating the pager (`async for` on Scopix's, `for` on SyncScopix's) walks the items;
    `pager.pages()` walks the pages (`Page`: items, `has_more`, `total`, the page's `request_id`
    and `rate_limit`). Each iteration is a new walk from the pager's start (offset 0, or its
    `resume_from=` position) with the same filters, so iterating twice fetches and yields
    everything twice. `pager.position` is where the latest
    walk got to (a JSON-serialisable dict): give it to the same `get_all_*` method as
    `resume_from=` to continue after the last item (or page) handed out.
    """

    def __init__(
        self,
        fetch: AsyncFetch,
        page_size: int,
        items_of: Callable[[Any], Sequence[Item]],
        walk: Walk,
    ) -> None:
        self._fetch = fetch
        self._page_size = page_size
        self._items_of = items_of
        self._walk = walk
        self._position = walk.position(walk.start, walk.done)
        self._open: list[Any] = []  # walks under way, for aclose() (held: see _started)

    @property
    def position(self) -> Position:
        """Where the latest walk got to: after the last item (or page) handed out."""
        return {**self._position, "filters": dict(self._position["filters"])}

    def __aiter__(self) -> AsyncIterator[Item]:
        return self._started(self._items())

    def pages(self) -> AsyncIterator[Page[Item]]:
        """The pages of a new walk, each with its items, `has_more`, `total`, `request_id` and
        `rate_limit`."""
        return self._started(self._pages())

    def _started(self, walk: W) -> W:
        # Held until finished or closed: a walk left by `break` is closed by aclose(), in the
        # caller's task, rather than by the garbage collector (which trio does not allow).
        self._open = [w for w in self._open if w.ag_frame is not None]
        self._open.append(walk)
        return walk

    async def _items(self) -> AsyncIterator[Item]:
        pages = self._pages()
        try:
            async for page in pages:
                done = self._position["done"]
                for i, item in enumerate(page.items, 1):
                    last = i == len(page.items)
                    self._position = self._walk.position(page.offset + i, done and last)
                    yield item
        finally:
            await pages.aclose()  # type: ignore[attr-defined]

    async def _pages(self) -> AsyncIterator[Page[Item]]:
        walk = OffsetPages(self._page_size, self._items_of, offset=self._walk.start)
        walk.done = self._walk.done
        self._position = self._walk.position(walk.offset, walk.done)
        while not walk.done:
            asked = walk.offset
            raw = await self._fetch(walk.page_size, walk.offset)
            body = raw.parse()
            items = list(walk.take(body))
            self._position = self._walk.position(walk.offset, walk.done)
            yield Page(
                items=items,
                offset=asked,
                has_more=body.has_more,
                total=getattr(body, "total", None),
                request_id=raw.request_id,
                rate_limit=raw.rate_limit,
                elapsed=raw.http_response.elapsed.total_seconds(),
            )

    async def aclose(self) -> None:
        """Stop the walks under way (a loop left by `break`): no further page is fetched for
        them. A new iteration starts a new walk."""
        walks, self._open = self._open, []
        for walk in walks:
            await walk.aclose()
