"""A user's typed code on the installed wheel: `make check-dist` runs `mypy --strict` on it in a
fresh virtualenv outside the checkout, where it must pass (so must `make typecheck` here)."""

from __future__ import annotations

import json
from datetime import datetime

import httpx

import scopix_api.models
from scopix import (
    ConflictError,
    InsufficientCreditsError,
    Page,
    RateLimitError,
    Scopix,
    SyncScopix,
)
from scopix.credits import AsyncHold, HeldCredits, SyncHold
from scopix.observe import CallInfo, HoldEvent
from scopix.types import OperationTypeValue, UsageBreakdown, UsageCheckResult, UsageEvent


def input_tokens(client: SyncScopix, kind: OperationTypeValue = "chat") -> int:
    total = 0
    for event in client.usage.get_all_details(operation_type=kind, page_size=100):
        if event.input_tokens is not None:  # optional fields are `int | None`, and narrow
            total += event.input_tokens
    return total


def remaining(client: SyncScopix) -> int | None:
    summary = client.usage.get_summary(period="week", timeout=None, max_retries=0)
    if summary.limits is not None:
        return summary.limits.remaining
    return None


def label(breakdown: UsageBreakdown) -> str:
    share: float = breakdown.usage_percentage
    return f"{share:.1f}%"


def as_json(event: UsageEvent) -> str:
    data: dict[str, object] = event.to_dict()
    return json.dumps(data) + event.to_json()


def newer_value(client: SyncScopix) -> int:
    details = client.usage.get_details(extra_query={"operation_type": "chat_v2"})
    return len(details.events)


def pages_then_resume(client: SyncScopix) -> list[str | None]:
    pager = client.usage.get_all_file_tokens(page_size=50)
    ids: list[str | None] = []
    for page in pager.pages():
        first: Page[scopix_api.models.FileTokenUsage] = page
        ids.append(first.request_id)
        left: int | None = page.rate_limit.remaining
        if left == 0:
            break
    saved = json.dumps(pager.position)
    for item in client.usage.get_all_file_tokens(resume_from=json.loads(saved)):
        ids.append(item.file_id)
    return ids


async def check(client: Scopix) -> bool:
    try:
        result = await client.usage.check(analysis_level="thorough", item_count=10)
    except (ConflictError, RateLimitError) as exc:
        status: int = exc.status_code
        return status == 0
    async for event in client.usage.get_all_details():
        when = event.timestamp.isoformat()
        if when:
            break
    return result.can_proceed


def own_http_client() -> SyncScopix:
    return SyncScopix(http_client=httpx.Client(timeout=10))


def reserve_sync(client: SyncScopix) -> int:
    try:
        with client.usage.reserve(
            analysis_level="thorough", item_count=10, wait=30, ttl=120, timeout=10
        ) as hold:
            held: SyncHold = hold
            answer: UsageCheckResult = hold.check
            ends: datetime = hold.expires_at
            lost: bool = hold.lease_lost
            if answer.can_proceed and ends.tzinfo is not None and not lost:
                held.release(credits_used=hold.required_credits // 2)
            return hold.required_credits
    except InsufficientCreditsError as exc:
        needed: int = exc.required
        free: int = exc.available - exc.held
        message: str = exc.message
        return needed - free + len(message)


async def reserve_async(client: Scopix) -> int:
    async with client.usage.reserve(item_count=2, content_category="documents") as hold:
        held: AsyncHold = hold
        await held.release()
    seen: HeldCredits = await client.usage.holds()
    return seen.credits + seen.waiting + sum(h.required_credits for h in seen.holds)


class HoldLog:
    def __init__(self) -> None:
        self.waited = 0.0

    def on_call(self, info: CallInfo) -> None:
        pass

    def on_hold(self, event: HoldEvent) -> None:
        if event.kind == "granted" and event.required_credits is not None:
            self.waited += event.waited


def observed() -> SyncScopix:
    return SyncScopix(observers=[HoldLog()])
