# Generated from _async/resource.py by scripts/unasync.py; edit that, then make generate.
"""What every generated resource calls: its declared methods only name the operation and pass
their arguments on."""

from __future__ import annotations

import operator
from typing import TYPE_CHECKING, Any

from .._call import RawResponse
from .._options import RequestOptions
from .._pagination import Listing, plan_walk
from .pager import SyncPager

if TYPE_CHECKING:
    from collections.abc import Mapping

    from .client import SyncScopix

__all__ = ["SyncResource"]


class SyncResource:
    """The base of `client.<tag>`: sends its calls through the client (raw ones give the
    RawResponse) and walks its listings."""

    def __init__(self, client: SyncScopix, *, raw: bool = False) -> None:
        self._client = client
        self._raw = raw

    def _request(self, operation_id: str, args: dict[str, object], options: RequestOptions) -> Any:
        return self._client._call(operation_id, args, raw=self._raw, options=options)

    def _paginate(
        self,
        listing: Listing,
        filters: dict[str, object],
        page_size: int,
        resume_from: Mapping[str, object] | None,
        options: RequestOptions,
    ) -> SyncPager[Any]:
        walk = plan_walk(self._client._config, listing, filters, page_size, resume_from, options)
        client = self._client

        def page(limit: int, offset: int) -> RawResponse[Any]:
            args = {**walk.filters, "limit": limit, "offset": offset}
            raw: RawResponse[Any] = client._call(
                listing.operation_id, args, raw=True, options=options
            )
            return raw

        return SyncPager(page, page_size, operator.attrgetter(listing.items), walk)
