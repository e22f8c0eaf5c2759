"""Run the same test code against SyncScopix and Scopix."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Coroutine
from typing import Any

from scopix import Scopix, SyncScopix


class Driver:
    """Calls `client.usage.<method>` on the sync client, or on the async one in one event loop."""

    def __init__(self, flavour: str, **client_kwargs: Any) -> None:
        self.flavour = flavour
        self._runner = asyncio.Runner()
        self.client: Scopix | SyncScopix
        if flavour == "sync":
            self.client = SyncScopix(**client_kwargs)
        else:
            self.client = self._runner.run(self._make_async(client_kwargs))

    @staticmethod
    async def _make_async(kwargs: dict[str, Any]) -> Scopix:
        return Scopix(**kwargs)

    def run(self, value: Any) -> Any:
        return self._runner.run(value) if isinstance(value, Coroutine) else value

    def call(self, method: str, **kwargs: Any) -> Any:
        return self.run(getattr(self.client.usage, method)(**kwargs))

    def raw(self, method: str, **kwargs: Any) -> Any:
        return self.run(getattr(self.client.usage.with_raw_response, method)(**kwargs))

    def collect(self, method: str, stop_after: int | None = None, **kwargs: Any) -> list[Any]:
        pager = getattr(self.client.usage, method)(**kwargs)
        if isinstance(self.client, SyncScopix):
            return list(itertools.islice(pager, stop_after))

        async def gather() -> list[Any]:
            out = []
            async for item in pager:
                out.append(item)
                if stop_after is not None and len(out) >= stop_after:
                    break
            return out

        return self._runner.run(gather())

    def close(self) -> None:
        if isinstance(self.client, SyncScopix):
            self.client.close()
        else:
            self._runner.run(self.client.aclose())
        self._runner.close()
