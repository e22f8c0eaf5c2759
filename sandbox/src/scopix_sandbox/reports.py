"""The aggregates the operations report, each one cached grouped-sum query (`Store.grouped`):
totals, series, per endpoint, operation, level, status and day, chat sessions, a latency
percentile. They catch up incrementally when requests are recorded."""

from __future__ import annotations

import math
from dataclasses import dataclass

from scopix_sandbox.clock import HOUR_US
from scopix_sandbox.store import EventFilter, Store

__all__ = [
    "DayRow",
    "EndpointRow",
    "Totals",
    "by_endpoint",
    "by_operation",
    "chat_sessions",
    "credits_by_level",
    "daily",
    "latency_percentile",
    "series",
    "status_counts",
    "successes_by_operation",
    "totals",
]


@dataclass(frozen=True)
class Totals:
    requests: int
    failed: int
    credits: int
    input_tokens: int
    output_tokens: int
    token_requests: int
    latency_sum: float

    @property
    def successful(self) -> int:
        return self.requests - self.failed

    @property
    def tokens(self) -> int:
        return self.input_tokens + self.output_tokens


@dataclass(frozen=True)
class EndpointRow:
    endpoint: str
    requests: int
    credits: int
    failed: int
    latency_sum: float


@dataclass(frozen=True)
class DayRow:
    day: int
    requests: int
    tokens: int
    files_uploaded: int
    chat_messages: int


_TOTAL_SUMS = (
    "status >= 400",
    "credits",
    "in_tok",
    "out_tok",
    "in_tok + out_tok > 0",
    "latency",
)


def totals(store: Store, f: EventFilter) -> Totals:
    acc = store.grouped(f, (), _TOTAL_SUMS).get(())
    if acc is None:
        return Totals(0, 0, 0, 0, 0, 0, 0.0)
    n, failed, credits, in_tok, out_tok, tok_req, latency = acc
    return Totals(int(n), int(failed), int(credits), int(in_tok), int(out_tok), int(tok_req),
                  float(latency))  # fmt: skip


def series(store: Store, f: EventFilter, period_type: str) -> list[tuple[int, int, int, int]]:
    """(bucket, requests, credits, tokens) per hour (`ts // HOUR_US`), day or month index."""
    bucket = {"hour": f"ts / {HOUR_US}", "day": "day", "month": "month"}[period_type]
    groups = store.grouped(f, (bucket,), ("credits", "in_tok + out_tok"))
    return sorted((int(k[0]), int(n), int(c), int(t)) for k, (n, c, t) in groups.items())


def by_endpoint(store: Store, f: EventFilter) -> list[EndpointRow]:
    """Endpoints by request count, most first (ties by endpoint name)."""
    groups = store.grouped(f, ("endpoint",), ("credits", "status >= 400", "latency"))
    rows = [
        EndpointRow(k[0], int(n), int(c), int(x), float(lat))
        for k, (n, c, x, lat) in groups.items()
    ]
    rows.sort(key=lambda r: (-r.requests, r.endpoint))
    return rows


def by_operation(store: Store, f: EventFilter) -> list[tuple[str, int, int]]:
    """(operation type, credits, requests), most credits first (ties by name)."""
    groups = store.grouped(f, ("op",), ("credits",))
    rows = [(str(k[0]), int(c), int(n)) for k, (n, c) in groups.items()]
    rows.sort(key=lambda r: (-r[1], r[0]))
    return rows


def successes_by_operation(store: Store, f: EventFilter) -> dict[str, int]:
    groups = store.grouped(f, ("op",), (), "status < 400")
    return {str(k[0]): int(v[0]) for k, v in groups.items()}


def credits_by_level(store: Store, f: EventFilter) -> dict[tuple[str, str], tuple[int, int]]:
    """(operation type, analysis level) to (credits, units) of successful analyses."""
    groups = store.grouped(
        f, ("op", "level"), ("credits", "units"), "level IS NOT NULL AND status < 400"
    )
    return {(str(k[0]), str(k[1])): (int(c), int(u)) for k, (_, c, u) in groups.items()}


def status_counts(store: Store, f: EventFilter) -> dict[int, int]:
    return {int(k[0]): int(v[0]) for k, v in store.grouped(f, ("status",)).items()}


def daily(store: Store, f: EventFilter) -> dict[int, DayRow]:
    groups = store.grouped(
        f,
        ("day",),
        (
            "in_tok + out_tok",
            "op = 'file_upload' AND status < 400",
            "op = 'chat' AND status < 400",
        ),
    )
    return {
        int(k[0]): DayRow(int(k[0]), int(n), int(t), int(fu), int(cm))
        for k, (n, t, fu, cm) in groups.items()
    }


def chat_sessions(store: Store, f: EventFilter) -> int:
    """Conversations with a successful message among the filter's events."""
    where = "op = 'chat' AND status < 400 AND conv_id IS NOT NULL"
    return len(store.grouped(f, ("conv_id",), (), where))


def latency_percentile(store: Store, f: EventFilter, q: float) -> float | None:
    """The q-quantile of latency from a histogram of 1%-wide buckets (the mean of the
    bucket holding that rank), so it too updates incrementally."""
    groups = store.grouped(f, ("lat_b",), ("latency",))
    total = sum(v[0] for v in groups.values())
    if not total:
        return None
    rank = max(1, math.ceil(q * total))
    seen = 0.0
    for k in sorted(groups):
        n, lat = groups[k]
        seen += n
        if seen >= rank:
            return float(lat / n)
    return None
