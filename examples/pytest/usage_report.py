"""Your own code, using the Scopix SDK: what the tests beside it check against a local sandbox."""

from __future__ import annotations

from scopix import RateLimitError, Scopix, SyncScopix


def requests_by_endpoint(client: SyncScopix) -> dict[str, int]:
    """Requests per endpoint, over every usage event of the account."""
    counts: dict[str, int] = {}
    for event in client.usage.get_all_details():
        counts[event.endpoint] = counts.get(event.endpoint, 0) + 1
    return counts


def credits_left(client: SyncScopix) -> int | None:
    """Credits left in this billing period, or None while the API rate-limits us."""
    try:
        return client.usage.get_breakdown().credits_remaining
    except RateLimitError:
        return None


async def can_run_batch(client: Scopix, items: int) -> bool:
    """Whether `items` thorough analyses fit in what is left of the plan."""
    result = await client.usage.check(analysis_level="thorough", item_count=items)
    return result.can_proceed
