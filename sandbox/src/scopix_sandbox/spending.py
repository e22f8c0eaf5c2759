"""Work that costs credits, for tests of code that spends them (a credit ledger, a budget
guard): `POST /_sandbox/spend` records one usage event costing N credits now, and an account can
be given a number of credits left for a test.

A spend is a successful event of its operation type, written at once: `check`, the breakdown,
the summary and the details answer with it from the next request on. Credits left are set by
moving the account's credit limit for the current billing period (used so far + N); `restore()`
puts back the limits the sandbox started with.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scopix_sandbox import clock, periods
from scopix_sandbox.catalog import PLANS, PROFILE_BY_TYPE, USAGE_QUERY, Account
from scopix_sandbox.store import Store

__all__ = ["SPEND_TYPES", "CreditBook"]

SPEND_TYPES = tuple(sorted(t for t in PROFILE_BY_TYPE if t != USAGE_QUERY))
"""Operation types a spend may be (a usage query costs nothing)."""


def _count(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name} must be an integer >= 0, got {value!r}")
    return value


class CreditBook:
    """The spends made through the sandbox and the credit limits set for tests."""

    def __init__(self, store: Store, now: clock.Clock, accounts: Mapping[str, Account]) -> None:
        self.store = store
        self.clock = now
        self.accounts = accounts
        self.limits: dict[str, int] = {}
        """Account id -> its credit limit in the current billing period, where set."""
        self.spends = 0
        """Spends since start (they change the data for good)."""
        self._started: dict[str, int] = {}

    def _account(self, who: str) -> Account:
        account = self.accounts.get(who)
        if account is None:
            key = self.store.keys.get(who)
            account = self.accounts.get(key.account_id) if key else None
        if account is None:
            known = sorted([*self.accounts, *self.store.keys])
            raise ValueError(
                f"remaining_credits: unknown account or key id {who!r}; known: {known}"
            )
        if account.plan_id is None:
            raise ValueError(f"remaining_credits: account {account.account_id} has no plan")
        return account

    def _used(self, account_id: str) -> int:
        start, end = periods.billing_period(self.clock.now_us())
        return self.store.credits_used(account_id, start, end)

    def set_remaining(self, remaining: Mapping[str, Any], *, initial: bool = False) -> None:
        """`{account or key id: credits left}`: each account has that many credits left now."""
        if not isinstance(remaining, Mapping):
            raise ValueError("remaining_credits must be an object {account or key id: credits}")
        limits = {
            self._account(who).account_id: _count(f"remaining_credits[{who!r}]", n)
            for who, n in remaining.items()
        }
        for account_id, n in limits.items():
            self.limits[account_id] = self._used(account_id) + n
        if initial:
            self._started = dict(self.limits)

    def restore(self) -> None:
        self.limits = dict(self._started)

    def remaining(self, account_id: str) -> int:
        plan_id = self.accounts[account_id].plan_id
        if plan_id is None:
            return 0
        limit = self.limits.get(account_id, PLANS[plan_id].monthly_credits)
        return max(0, limit - self._used(account_id))

    def spend(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        """`{"api_key": secret, "credits": N, "operation_type": type}` (the type defaults to
        document_analysis): one event of the key costing N credits, now."""
        unknown = set(payload) - {"api_key", "credits", "operation_type"}
        if unknown:
            raise ValueError(
                f"unknown fields {sorted(unknown)}; a spend takes api_key, credits, operation_type"
            )
        secret = payload.get("api_key")
        key = self.store.keys_by_secret.get(secret) if isinstance(secret, str) else None
        if key is None:
            raise ValueError("api_key must be the secret of one of the sandbox's keys")
        credits = _count("credits", payload.get("credits"))
        op = payload.get("operation_type", "document_analysis")
        if op not in SPEND_TYPES:
            raise ValueError(f"operation_type must be one of {list(SPEND_TYPES)}, got {op!r}")
        profile = PROFILE_BY_TYPE[op]
        now = self.clock.now_us()
        route = (profile.endpoint, profile.method, profile.success_status)
        event_id = self.store.record_spend(now, key, op, route, credits)
        self.spends += 1
        return {
            "event_id": f"evt_{event_id:08d}",  # as get_details lists it
            "timestamp": clock.fmt_instant(now),
            "account_id": key.account_id,
            "key_id": key.key_id,
            "operation_type": op,
            "credits": credits,
            "credits_remaining": self.remaining(key.account_id),
        }
