"""A user's code with planted type errors: `make check-dist` runs `mypy --strict` on it in the
fresh virtualenv and wants exactly one error on each line marked `# planted`, nowhere else.
(Left out of `make typecheck`, which would fail on it.)"""

from __future__ import annotations

from scopix import InsufficientCreditsError, Scopix, SyncScopix
from scopix.types import UsageBreakdown, UsageEvent


def label(breakdown: UsageBreakdown) -> str:
    text: str = breakdown.usage_percentage  # planted: a float is not a str
    return text


def attribute(event: UsageEvent) -> object:
    return event.no_such_attribute  # planted: no such field


def tokens(event: UsageEvent) -> int:
    total = 0
    total += event.input_tokens  # planted: int | None added to an int without a check
    return total


def typo(client: SyncScopix) -> int:
    details = client.usage.get_details(operation_typ="chat")  # planted: misspelt keyword
    return len(details.events)


def level(client: SyncScopix) -> bool:
    return client.usage.check(analysis_level="deep").can_proceed  # planted: not a level


def plan(client: SyncScopix) -> int:
    got = client.usage.get_plan()
    return got.projections.projected_credits  # planted: projections may be None


def page_size(client: SyncScopix) -> int:
    return len(list(client.usage.get_all_details(page_size="100")))  # planted: str for int


def reserve_typo(client: SyncScopix) -> int:
    with client.usage.reserve(item_cont=10) as hold:  # planted: misspelt keyword
        return hold.required_credits


def reserve_answer(client: SyncScopix) -> bool:
    with client.usage.reserve(item_count=1) as hold:
        return hold.check_result.can_proceed  # planted: the answer is hold.check


def reserve_used(client: SyncScopix) -> None:
    with client.usage.reserve(item_count=1) as hold:
        hold.release(credits_used="3")  # planted: a str for an int


def reserve_level(client: SyncScopix) -> None:
    with client.usage.reserve(analysis_level="deep"):  # planted: not a level
        pass


async def reserve_without_async(client: Scopix) -> None:
    with client.usage.reserve(item_count=1):  # planted: Scopix's hold is entered with async with
        pass


def refused(exc: InsufficientCreditsError) -> str:
    return exc.required  # planted: an int, not a str
