"""What every handler gets (the caller's account, key, clock and limits) and the shapes that
several operations share: percentages, ratios, instants, the pagination envelope."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from scopix_sandbox import clock, periods
from scopix_sandbox.catalog import PLANS, Account, ApiKey, Plan
from scopix_sandbox.errors import RequestError
from scopix_sandbox.store import Store

__all__ = ["JSON", "Context", "Handler", "instant", "page", "pct", "ratio"]

JSON = dict[str, Any]


@dataclass(frozen=True)
class Context:
    store: Store
    now_us: int
    key: ApiKey
    account: Account
    usage_per_minute: int
    check_per_minute: int
    usage_limit: tuple[int, float]
    """(limit, window seconds) of the usage bucket, for messages."""
    credit_limits: Mapping[str, int] = field(default_factory=dict)
    """Credit limits set for tests (spending.py), by account id."""

    @property
    def plan(self) -> Plan | None:
        return PLANS.get(self.account.plan_id) if self.account.plan_id else None

    def credit_limit(self) -> int:
        """The account's credits in this billing period: its plan's, unless a test set them."""
        plan = self.plan
        if plan is None:
            return 0
        return self.credit_limits.get(self.account.account_id, plan.monthly_credits)

    def billing_period(self) -> tuple[int, int]:
        return periods.billing_period(self.now_us)

    def key_filter(self, key_id: str | None) -> str | None:
        if key_id is None:
            return None
        key = self.store.keys.get(key_id)
        if key is None or key.account_id != self.account.account_id:
            raise RequestError(
                403,
                "forbidden",
                f"API key id '{key_id}' is not a key of this account.",
                {"parameter": "api_key_id", "allowed": "an id of one of this account's keys"},
            )
        return key_id


Handler = Callable[[Context, dict[str, Any]], JSON]


def pct(part: float, whole: float, digits: int = 2) -> float:
    return round(part / whole * 100.0, digits) if whole else 0.0


def ratio(part: float, whole: float) -> float:
    return round(part / whole, 4) if whole else 0.0


def instant(us: int | None) -> str | None:
    return None if us is None else clock.fmt_instant(us)


def page(key: str, items: list[JSON], total: int, limit: int, offset: int) -> JSON:
    """The offset-pagination envelope every list operation answers with."""
    return {
        key: items,
        "total": total,
        "limit": limit,
        "offset": offset,
        "has_more": offset + len(items) < total,
    }
