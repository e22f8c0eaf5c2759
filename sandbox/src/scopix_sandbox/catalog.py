"""The simulated business: plans, accounts, API keys, operation types and what they cost.

Sandbox facts, not spec facts (the spec's enums are checked against them at startup): an
analysis costs `units x CREDITS_PER_ITEM[level]`, a chat message, a file upload and a search 1
credit, a usage query nothing; failed requests cost nothing and use no tokens.

- `acct_main` on Pro (pro_monthly, 10,000 credits a month): key_01 "Production", key_02
  "Staging" and key_03 "CI" (revoked 60 days before `now`, or halfway through a shorter
  history: its secret gets 401).
- `acct_starter` on Starter (starter_monthly, 1,000 credits): key_04 "Shop backend".
- `acct_free` with no plan: key_05 "Laptop".
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

__all__ = [
    "ACCOUNTS",
    "CREDITS_PER_ITEM",
    "PLANS",
    "PROFILES",
    "PROFILE_BY_TYPE",
    "USAGE_QUERY",
    "Account",
    "ApiKey",
    "FeatureSpec",
    "OpProfile",
    "Plan",
    "api_key_secret",
    "check_against_spec",
]

CREDITS_PER_ITEM: dict[str, int] = {"basic": 1, "standard": 2, "thorough": 3}
"""Credits one item costs at each `AnalysisLevel` (checked against the spec's enum at startup)."""

USAGE_QUERY = "usage_query"


@dataclass(frozen=True)
class OpProfile:
    """How requests of one operation type look."""

    operation_type: str
    endpoint: str
    method: str
    share: float
    success_status: int
    latency_median_ms: float
    latency_sigma: float
    leveled: bool
    flat_credits: int
    units_mean: float
    input_median: float
    output_median: float


PROFILES: tuple[OpProfile, ...] = (
    OpProfile("document_analysis", "/v1/documents/analyze", "POST", 0.22, 200, 420, 0.55, True,
              0, 1.4, 3200, 650),
    OpProfile("image_analysis", "/v1/images/analyze", "POST", 0.18, 200, 310, 0.5, True,
              0, 1.3, 1400, 280),
    OpProfile("video_analysis", "/v1/videos/analyze", "POST", 0.04, 200, 2600, 0.6, True,
              0, 4.0, 18000, 1600),
    OpProfile("chat", "/v1/chat/messages", "POST", 0.30, 200, 950, 0.5, False, 1, 1, 1500, 380),
    OpProfile("file_upload", "/v1/files", "POST", 0.10, 201, 180, 0.6, False, 1, 1, 0, 0),
    OpProfile("search", "/v1/search", "GET", 0.11, 200, 85, 0.45, False, 1, 1, 60, 0),
    OpProfile(USAGE_QUERY, "/v1/usage/summary", "GET", 0.05, 200, 28, 0.4, False, 0, 1, 0, 0),
)  # fmt: skip
PROFILE_BY_TYPE = {p.operation_type: p for p in PROFILES}


@dataclass(frozen=True)
class FeatureSpec:
    feature: str
    monthly_limit: int | None
    unit: str
    counts: str
    """An operation type whose successful events are counted, or `api_keys`."""


@dataclass(frozen=True)
class Plan:
    plan_id: str
    name: str
    monthly_credits: int
    features: tuple[FeatureSpec, ...]


@dataclass(frozen=True)
class Account:
    account_id: str
    name: str
    plan_id: str | None


@dataclass(frozen=True)
class ApiKey:
    key_id: str
    account_id: str
    name: str
    secret: str
    revoked_us: int | None


PLANS: dict[str, Plan] = {
    "pro_monthly": Plan(
        "pro_monthly",
        "Pro",
        10_000,
        (
            FeatureSpec("file_uploads", 500, "files", "file_upload"),
            FeatureSpec("chat_messages", 6_000, "messages", "chat"),
            FeatureSpec("video_analyses", 150, "videos", "video_analysis"),
            FeatureSpec("search_queries", None, "queries", "search"),
            FeatureSpec("api_keys", 10, "keys", "api_keys"),
        ),
    ),
    "starter_monthly": Plan(
        "starter_monthly",
        "Starter",
        1_000,
        (
            FeatureSpec("file_uploads", 50, "files", "file_upload"),
            FeatureSpec("chat_messages", 500, "messages", "chat"),
            FeatureSpec("video_analyses", 10, "videos", "video_analysis"),
            FeatureSpec("search_queries", 1_000, "queries", "search"),
            FeatureSpec("api_keys", 2, "keys", "api_keys"),
        ),
    ),
}

ACCOUNTS: tuple[Account, ...] = (
    Account("acct_main", "Acme Analytics", "pro_monthly"),
    Account("acct_starter", "Bright Bakery", "starter_monthly"),
    Account("acct_free", "Sam's side project", None),
)


def api_key_secret(seed: int, key_id: str) -> str:
    digest = hashlib.sha256(f"scopix-sandbox/{seed}/{key_id}".encode()).hexdigest()
    return f"scopix_sandbox_{digest[:32]}"


def check_against_spec(operation_types: tuple[str, ...], analysis_levels: tuple[str, ...]) -> None:
    """Fail at startup when the spec's enums and the generator's tables disagree."""
    if set(operation_types) != set(PROFILE_BY_TYPE):
        raise ValueError(
            f"OperationType enum {sorted(operation_types)} differs from the sandbox's "
            f"profiles {sorted(PROFILE_BY_TYPE)}: update scopix_sandbox/catalog.py"
        )
    if set(analysis_levels) != set(CREDITS_PER_ITEM):
        raise ValueError(
            f"AnalysisLevel enum {sorted(analysis_levels)} differs from the sandbox's costs "
            f"{sorted(CREDITS_PER_ITEM)}: update scopix_sandbox/catalog.py"
        )
