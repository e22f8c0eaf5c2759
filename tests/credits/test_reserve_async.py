"""`async with client.usage.reserve(...)` on asyncio and trio: the lease renewed by a task of
the block while it runs, the hold ended when the block is cancelled, and a waiter served."""

from __future__ import annotations

from datetime import timedelta

import anyio
import pytest

from scopix import InsufficientCreditsError, Scopix
from scopix_sandbox import Sandbox

pytestmark = [
    pytest.mark.scopix_sandbox(remaining_credits={"acct_main": 100}),
    pytest.mark.parametrize("backend", ["asyncio", "trio"]),
]


def _client(sb: Sandbox) -> Scopix:
    return Scopix(base_url=sb.base_url, api_key=sb.api_key, pacing=False)


def test_a_block_longer_than_its_lease_keeps_its_hold(
    scopix_sandbox: Sandbox, backend: str
) -> None:
    async def main() -> None:
        async with _client(scopix_sandbox) as client:
            async with client.usage.reserve(
                analysis_level="thorough", item_count=30, ttl=1.0
            ) as hold:
                first = hold.expires_at
                # Renewals move expires_at and signal nothing else: watch it.
                with anyio.fail_after(30):
                    while hold.expires_at < first + timedelta(seconds=2.5):  # noqa: ASYNC110
                        await anyio.sleep(0.02)
                with pytest.raises(InsufficientCreditsError):
                    async with client.usage.reserve(analysis_level="basic", item_count=11):
                        pass
                assert not hold.lease_lost
            async with client.usage.reserve(analysis_level="thorough", item_count=33):
                pass  # ended with the block: all 100 free again (nothing was spent)

    anyio.run(main, backend=backend)


def test_a_cancelled_block_ends_its_hold(scopix_sandbox: Sandbox, backend: str) -> None:
    async def main() -> None:
        async with _client(scopix_sandbox) as client:
            with anyio.move_on_after(0.5) as scope:
                async with client.usage.reserve(analysis_level="thorough", item_count=30):
                    await anyio.sleep_forever()
            assert scope.cancelled_caught
            async with client.usage.reserve(analysis_level="thorough", item_count=33) as hold:
                assert hold.required_credits == 99

    anyio.run(main, backend=backend)


def test_a_waiter_is_served_when_the_holder_ends(scopix_sandbox: Sandbox, backend: str) -> None:
    async def main() -> None:
        async with _client(scopix_sandbox) as client:
            order: list[str] = []
            holding = anyio.Event()

            async def holder() -> None:
                async with client.usage.reserve(analysis_level="thorough", item_count=30) as h:
                    holding.set()
                    order.append("held")
                    await anyio.sleep(0.2)  # the work
                    order.append("done")
                    await h.release(credits_used=0)

            async def waiter() -> None:
                await holding.wait()
                async with client.usage.reserve(analysis_level="thorough", item_count=30, wait=30):
                    order.append("waiter")

            async with anyio.create_task_group() as tg:
                tg.start_soon(holder)
                tg.start_soon(waiter)
            assert order == ["held", "done", "waiter"]

    anyio.run(main, backend=backend)
