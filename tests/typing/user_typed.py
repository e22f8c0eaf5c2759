"""A user's typed code on the installed wheel: `make check-dist` runs `mypy --strict` on it in a
fresh virtualenv outside the checkout, where it must pass (so must `make typecheck` here)."""

from __future__ import annotations

import json

import httpx

import scopix_api.models
from scopix import ConflictError, Page, RateLimitError, Scopix, SyncScopix
from scopix.types import OperationTypeValue, UsageBreakdown, UsageEvent


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
