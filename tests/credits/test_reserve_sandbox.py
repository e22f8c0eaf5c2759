"""`client.usage.reserve()` with the in-process ledger, against the sandbox, async and sync."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest

from scopix import InsufficientCreditsError, InvalidParameterError, Scopix, SyncScopix
from scopix.credits import HeldCredits
from scopix_sandbox import Sandbox


def _items_for_more_than_half(client: SyncScopix) -> int:
    answer = client.usage.check(analysis_level="thorough", item_count=1)
    assert answer.credits_per_item
    return answer.available_credits // answer.credits_per_item // 2 + 1


def test_sync_two_holds_that_together_exceed_the_credits(scopix_sandbox: Sandbox) -> None:
    with SyncScopix(base_url=scopix_sandbox.base_url, api_key=scopix_sandbox.api_key) as client:
        items = _items_for_more_than_half(client)
        with client.usage.reserve(analysis_level="thorough", item_count=items) as hold:
            assert hold.required_credits == hold.check.required_credits > 0
            assert hold.check.can_proceed
            with (
                pytest.raises(InsufficientCreditsError) as refused,
                client.usage.reserve(analysis_level="thorough", item_count=items),
            ):
                pytest.fail("granted beyond the credits")
            assert refused.value.required == hold.required_credits
            assert refused.value.held == hold.required_credits
            hold.release(credits_used=0)  # the work cost nothing: the credits are free again
        with client.usage.reserve(analysis_level="thorough", item_count=items) as again:
            assert again.required_credits == hold.required_credits


def test_sync_a_waiter_is_granted_when_the_holder_ends(scopix_sandbox: Sandbox) -> None:
    with SyncScopix(base_url=scopix_sandbox.base_url, api_key=scopix_sandbox.api_key) as client:
        items = _items_for_more_than_half(client)
        granted = threading.Event()
        errors: list[BaseException] = []

        def waiter() -> None:
            try:
                with client.usage.reserve(analysis_level="thorough", item_count=items, wait=30):
                    granted.set()
            except BaseException as exc:
                errors.append(exc)

        hold = client.usage.reserve(analysis_level="thorough", item_count=items)
        with hold as held:
            thread = threading.Thread(target=waiter)
            thread.start()
            assert not granted.wait(0.3)  # it waits while the credits are held
            held.release(credits_used=0)
            assert granted.wait(10)
        thread.join(10)
        assert errors == []


def test_async_holds_and_refusal(scopix_sandbox: Sandbox) -> None:
    async def main() -> None:
        async with Scopix(base_url=scopix_sandbox.base_url, api_key=scopix_sandbox.api_key) as c:
            first = await c.usage.check(analysis_level="thorough", item_count=1)
            assert first.credits_per_item
            items = first.available_credits // first.credits_per_item // 2 + 1
            async with c.usage.reserve(analysis_level="thorough", item_count=items) as hold:
                # The lease (default 60 s) ends in the future, on the wall clock.
                left = (hold.expires_at - datetime.now(UTC)).total_seconds()
                assert 50 < left <= 60
                with pytest.raises(InsufficientCreditsError):
                    async with c.usage.reserve(analysis_level="thorough", item_count=items):
                        pytest.fail("granted beyond the credits")
            async with c.usage.reserve(analysis_level="thorough", item_count=items):
                pass

    asyncio.run(main())


def test_the_server_saying_no_is_a_refusal_and_bad_waits_are_named(
    scopix_sandbox: Sandbox,
) -> None:
    with SyncScopix(base_url=scopix_sandbox.base_url, api_key=scopix_sandbox.api_key) as client:
        with (
            pytest.raises(InsufficientCreditsError) as refused,
            client.usage.reserve(analysis_level="thorough", item_count=10_000),
        ):
            pytest.fail("granted what the server refuses")
        assert refused.value.held == 0
        assert refused.value.required > refused.value.available
        for name, value in (("wait", -1), ("ttl", 0.1), ("wait", float("inf"))):
            with pytest.raises(InvalidParameterError, match=f"{name} must be a finite"):
                client.usage.reserve(**{name: value})  # type: ignore[arg-type]


def _renewed_in_child(base_url: str, api_key: str) -> None:
    with (
        SyncScopix(base_url=base_url, api_key=api_key, pacing=False) as client,
        client.usage.reserve(item_count=1, ttl=1.0) as hold,
    ):
        first = hold.expires_at
        deadline = time.monotonic() + 30
        while hold.expires_at < first + timedelta(seconds=1.5):
            if time.monotonic() > deadline:
                os._exit(1)  # never renewed in the child
            time.sleep(0.05)
    os._exit(0)


def test_holds_are_renewed_in_a_forked_child(scopix_sandbox: Sandbox) -> None:
    with (
        SyncScopix(base_url=scopix_sandbox.base_url, api_key=scopix_sandbox.api_key) as client,
        client.usage.reserve(item_count=1),  # the parent's renewal thread is running
    ):
        child = multiprocessing.get_context("fork").Process(
            target=_renewed_in_child, args=(scopix_sandbox.base_url, scopix_sandbox.api_key)
        )
        child.start()
        child.join(60)
    assert child.exitcode == 0


def test_holds_and_waiters_are_visible(scopix_sandbox: Sandbox) -> None:
    with SyncScopix(base_url=scopix_sandbox.base_url, api_key=scopix_sandbox.api_key) as client:
        assert client.usage.holds().holds == ()
        items = _items_for_more_than_half(client)

        def waiter() -> None:
            with client.usage.reserve(analysis_level="thorough", item_count=items, wait=30):
                pass

        with client.usage.reserve(analysis_level="thorough", item_count=items) as hold:
            thread = threading.Thread(target=waiter)
            thread.start()
            deadline = time.monotonic() + 30
            while client.usage.holds().waiting != 1:  # the waiter has queued
                assert time.monotonic() < deadline
                time.sleep(0.01)
            seen = client.usage.holds()
            assert [(h.id, h.required_credits) for h in seen.holds] == [
                (hold.id, hold.required_credits)
            ]
            assert seen.credits == hold.required_credits
            assert seen.holds[0].owner.endswith(f":{os.getpid()}")
        thread.join(30)
        assert client.usage.holds() == HeldCredits(holds=(), waiting=0)
