"""The deterministic synthetic dataset: accounts, plans, API keys, usage events, files, chats.

`generate()` makes the same rows for the same seed, `now` and sizes. Events span `months`
months up to `now` for five API keys over three accounts:

- `acct_main` on Pro (pro_monthly, 10,000 credits a month): key_01 "Production" (`events`
  events, the demo and benchmark key), key_02 "Staging" (a quarter of that) and key_03 "CI", a
  tenth, revoked 60 days ago (its secret gets 401; its usage is still reported).
- `acct_starter` on Starter (starter_monthly, 1,000 credits): key_04, usage ramping past its limit
  (projections say it will exceed; `check` says no).
- `acct_free` with no plan: key_05 (`limits`, `plan`, `plan_details`, `projections` are null).

Cost model (sandbox facts, not spec facts): an analysis costs `units x CREDITS_PER_ITEM[level]`,
a chat message, a file upload and a search 1 credit, a usage query nothing; failed requests cost
nothing and use no tokens.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import math
import random
from dataclasses import dataclass
from datetime import timedelta

from scopix_sandbox.clock import DAY_US, HOUR_US, date_of, day_index, from_us, month_index

CREDITS_PER_ITEM: dict[str, int] = {"basic": 1, "standard": 2, "thorough": 3}
"""Credits one item costs at each `AnalysisLevel` (checked against the spec's enum at startup)."""

LEVEL_WEIGHTS: dict[str, float] = {"basic": 0.3, "standard": 0.5, "thorough": 0.2}

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

ERROR_RATE = 0.015
ERROR_STATUSES: tuple[tuple[int, float], ...] = (
    (400, 18), (401, 4), (413, 6), (422, 20), (429, 25), (500, 12), (502, 6), (503, 8), (504, 5),
)  # fmt: skip

# UTC hour-of-day activity (a business-hours curve) and weekday factors (Mon..Sun).
HOUR_WEIGHTS = (0.25, 0.2, 0.18, 0.18, 0.2, 0.3, 0.5, 0.8, 1.1, 1.35, 1.5, 1.55,
                1.5, 1.5, 1.55, 1.5, 1.4, 1.2, 1.0, 0.8, 0.6, 0.45, 0.35, 0.3)  # fmt: skip
WEEKDAY_FACTORS = (1.0, 1.05, 1.05, 1.0, 0.9, 0.45, 0.4)


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

# Columns of the `events` table, in order.
EventRow = tuple[
    int, int, str, str, str, str, str, int, int, int, int, float, str | None, int,
    int | None, int | None, int, int,
]  # fmt: skip
EVENT_COLUMNS = (
    "id", "ts", "account_id", "key_id", "endpoint", "method", "op", "status", "credits",
    "in_tok", "out_tok", "latency", "level", "units", "conv_id", "file_id", "day", "month",
)  # fmt: skip
FileRow = tuple[int, str, str, str, str, int, int, int, int, int]
FILE_COLUMNS = (
    "id", "account_id", "key_id", "filename", "content_type", "size_bytes", "in_tok", "out_tok",
    "uploaded_ts", "processed_ts",
)  # fmt: skip
ConversationRow = tuple[int, str, str, str, int, int, int, int, int]
CONVERSATION_COLUMNS = (
    "id", "account_id", "key_id", "title", "created_ts", "last_ts", "message_count", "in_tok",
    "out_tok",
)  # fmt: skip


@dataclass(frozen=True)
class Dataset:
    now_us: int
    start_us: int
    seed: int
    accounts: tuple[Account, ...]
    keys: tuple[ApiKey, ...]
    events: tuple[EventRow, ...]
    files: tuple[FileRow, ...]
    conversations: tuple[ConversationRow, ...]


def api_key_secret(seed: int, key_id: str) -> str:
    digest = hashlib.sha256(f"scopix-sandbox/{seed}/{key_id}".encode()).hexdigest()
    return f"scopix_sandbox_{digest[:32]}"


def check_against_spec(operation_types: tuple[str, ...], analysis_levels: tuple[str, ...]) -> None:
    """Fail at startup when the spec's enums and the generator's tables disagree."""
    if set(operation_types) != set(PROFILE_BY_TYPE):
        raise ValueError(
            f"OperationType enum {sorted(operation_types)} differs from the sandbox's "
            f"profiles {sorted(PROFILE_BY_TYPE)}: update scopix_sandbox/data.py"
        )
    if set(analysis_levels) != set(CREDITS_PER_ITEM):
        raise ValueError(
            f"AnalysisLevel enum {sorted(analysis_levels)} differs from the sandbox's costs "
            f"{sorted(CREDITS_PER_ITEM)}: update scopix_sandbox/data.py"
        )


def main_account_events(events: int) -> tuple[int, int, int]:
    """Events of key_01, key_02 and key_03 (acct_main, the demo account) for `events`."""
    return events, events // 4, events // 10


@dataclass(frozen=True)
class _KeyPlan:
    key: ApiKey
    events: int
    growth: float
    end_us: int


@functools.lru_cache(maxsize=2)
def generate(
    *,
    seed: int,
    now_us: int,
    events: int,
    months: int,
    usage_endpoints: tuple[tuple[str, str], ...],
) -> Dataset:
    """The dataset for `seed` and `now_us` (cached: sandboxes started alike share the rows)."""
    if events < 0 or months < 1:
        raise ValueError("events must be >= 0 and months >= 1")
    start_us = now_us - round(months * 30.44) * DAY_US
    keys = (
        ApiKey("key_01", "acct_main", "Production", api_key_secret(seed, "key_01"), None),
        ApiKey("key_02", "acct_main", "Staging", api_key_secret(seed, "key_02"), None),
        ApiKey("key_03", "acct_main", "CI", api_key_secret(seed, "key_03"), now_us - 60 * DAY_US),
        ApiKey("key_04", "acct_starter", "Shop backend", api_key_secret(seed, "key_04"), None),
        ApiKey("key_05", "acct_free", "Laptop", api_key_secret(seed, "key_05"), None),
    )
    main, staging, ci = main_account_events(events)
    plans = (
        _KeyPlan(keys[0], main, 1.0, now_us),
        _KeyPlan(keys[1], staging, 0.6, now_us),
        _KeyPlan(keys[2], ci, 0.0, now_us - 60 * DAY_US),
        _KeyPlan(keys[3], 3_000 * months // 6, 4.0, now_us),
        _KeyPlan(keys[4], 400 * months // 6, 0.3, now_us),
    )
    gen = _Generator(random.Random(seed), usage_endpoints)
    for plan in plans:
        gen.key_events(plan, start_us)
    ev, files, convs = gen.finish()
    return Dataset(now_us, start_us, seed, ACCOUNTS, keys, ev, files, convs)


class _Generator:
    def __init__(self, rng: random.Random, usage_endpoints: tuple[tuple[str, str], ...]) -> None:
        self.rng = rng
        self.usage_endpoints = usage_endpoints or (("GET", "/v1/usage/summary"),)
        # Raw events: [ts, account, key, endpoint, method, op, status, credits, in, out,
        #              latency, level, units, conversation index, file index]
        self.raw: list[tuple[int, str, str, str, str, str, int, int, int, int, float,
                             str | None, int, int | None, int | None]] = []  # fmt: skip
        self.files: list[tuple[str, str, str, str, int, int, int, int, int]] = []
        self.conversations: list[tuple[str, str, str]] = []
        self.hour_cum = _cumulative(HOUR_WEIGHTS)
        self.status_pop = [s for s, _ in ERROR_STATUSES]
        self.status_cum = _cumulative([w for _, w in ERROR_STATUSES])
        self.level_pop = list(LEVEL_WEIGHTS)
        self.level_cum = _cumulative(list(LEVEL_WEIGHTS.values()))
        self.level_top = self.level_cum[-1]

    def _lognorm(self, median: float, sigma: float) -> float:
        return math.exp(math.log(median) + sigma * self.rng.gauss())

    # -- time ---------------------------------------------------------------------------------

    def _sampler(self, start_us: int, end_us: int, growth: float) -> _TimeSampler:
        rng = self.rng
        first, last = day_index(start_us), day_index(end_us - 1)
        days = list(range(first, last + 1))
        n = len(days)
        weights = []
        for i, d in enumerate(days):
            w = 1.0 + growth * (i / max(1, n - 1))
            w *= WEEKDAY_FACTORS[(d + 3) % 7]  # 1970-01-01 was a Thursday
            w *= math.exp(0.25 * rng.gauss())
            lo, hi = max(start_us, d * DAY_US), min(end_us, (d + 1) * DAY_US)
            w *= (hi - lo) / DAY_US
            weights.append(w)
        return _TimeSampler(rng, days, _cumulative(weights), self.hour_cum, start_us, end_us)

    # -- events -------------------------------------------------------------------------------

    def key_events(self, plan: _KeyPlan, start_us: int) -> None:
        if plan.events <= 0:
            return
        rng = self.rng
        sampler = self._sampler(start_us, plan.end_us, plan.growth)
        key = plan.key
        chat = PROFILE_BY_TYPE["chat"]
        n_chat = round(plan.events * chat.share)
        self._chats(key, n_chat, sampler)
        others = [p for p in PROFILES if p.operation_type != "chat"]
        n_other = plan.events - n_chat
        picks = rng.choices(others, cum_weights=_cumulative([p.share for p in others]), k=n_other)
        stamps = sampler.sample(n_other)
        for prof, ts in zip(picks, stamps, strict=True):
            self._event(key, prof, ts, plan.end_us)

    def _status(self, prof: OpProfile) -> int:
        rng = self.rng
        if rng.random() >= ERROR_RATE:
            return prof.success_status
        status = rng.choices(self.status_pop, cum_weights=self.status_cum)[0]
        if status == 413 and prof.operation_type != "file_upload":
            status = 400
        return status

    def _latency(self, prof: OpProfile, status: int) -> float:
        rng = self.rng
        if status == 429:
            return round(self._lognorm(4.0, 0.3), 1)
        if status == 504:
            return round(rng.uniform(29_000, 30_500), 1)
        if 400 <= status < 500:
            return round(self._lognorm(25.0, 0.4), 1)
        return round(self._lognorm(prof.latency_median_ms, prof.latency_sigma), 1)

    def _event(self, key: ApiKey, prof: OpProfile, ts: int, plan_end: int) -> None:
        rng = self.rng
        status = self._status(prof)
        ok = status < 400
        latency = self._latency(prof, status)
        level: str | None = None
        units = 1
        if prof.leveled:
            level = self.level_pop[bisect.bisect(self.level_cum, rng.random() * self.level_top)]
            units = 1 + int(rng.expovariate(1.0 / (prof.units_mean - 1.0)))
            credits = units * CREDITS_PER_ITEM[level]
        else:
            credits = prof.flat_credits
        in_tok = out_tok = 0
        if prof.input_median:
            in_tok = int(self._lognorm(prof.input_median * units, 0.6))
        if prof.output_median:
            out_tok = int(self._lognorm(prof.output_median, 0.5))
        endpoint, method = prof.endpoint, prof.method
        if prof.operation_type == USAGE_QUERY:
            method, endpoint = rng.choice(self.usage_endpoints)
        file_ref: int | None = None
        if prof.operation_type == "file_upload" and ok:
            file_ref, in_tok, out_tok = self._file(key, ts, latency, plan_end)
        if not ok:
            credits = in_tok = out_tok = 0
        self.raw.append(
            (
                ts,
                key.account_id,
                key.key_id,
                endpoint,
                method,
                prof.operation_type,
                status,
                credits,
                in_tok,
                out_tok,
                latency,
                level,
                units,
                None,
                file_ref,
            )
        )

    def _chats(self, key: ApiKey, n_messages: int, sampler: _TimeSampler) -> None:
        rng = self.rng
        prof = PROFILE_BY_TYPE["chat"]
        made = 0
        while made < n_messages:
            length = min(1 + int(rng.expovariate(1 / 7.0)), n_messages - made)
            start = sampler.sample(1)[0]
            offsets = [0]
            for _ in range(length - 1):
                gap = (
                    rng.expovariate(1 / 75.0) if rng.random() < 0.93 else rng.uniform(3600, 108_000)
                )
                offsets.append(offsets[-1] + int(gap * 1000) * 1000 + 1000)
            conv_ref = len(self.conversations)
            self.conversations.append((key.account_id, key.key_id, _title(rng)))
            for pos, off in enumerate(offsets):
                ts = start + off
                if not sampler.start_us <= ts < sampler.end_us:
                    continue
                status = self._status(prof)
                ok = status < 400
                in_tok = int(self._lognorm(900 + 220 * pos, 0.5)) if ok else 0
                out_tok = int(self._lognorm(prof.output_median, 0.5)) if ok else 0
                self.raw.append(
                    (
                        ts,
                        key.account_id,
                        key.key_id,
                        prof.endpoint,
                        prof.method,
                        "chat",
                        status,
                        1 if ok else 0,
                        in_tok,
                        out_tok,
                        self._latency(prof, status),
                        None,
                        1,
                        conv_ref,
                        None,
                    )
                )
                made += 1

    def _file(self, key: ApiKey, ts: int, latency_ms: float, end_us: int) -> tuple[int, int, int]:
        rng = self.rng
        kind = rng.choices(("doc", "image", "video"), cum_weights=(0.6, 0.9, 1.0))[0]
        filename, content_type = _filename(rng, kind, ts)
        if kind == "doc":
            size = int(self._lognorm(350_000, 1.0)) + 1_000
            in_tok = int(self._lognorm(6_000, 0.9)) + 50
            out_tok = int(self._lognorm(400, 0.5))
            delay_s = self._lognorm(4.0, 0.6)
        elif kind == "image":
            size = int(self._lognorm(1_800_000, 0.7)) + 5_000
            in_tok = rng.randint(900, 1_800)
            out_tok = int(self._lognorm(150, 0.4))
            delay_s = self._lognorm(2.0, 0.5)
        else:
            size = int(self._lognorm(60_000_000, 0.9)) + 100_000
            in_tok = int(self._lognorm(30_000, 0.7))
            out_tok = int(self._lognorm(1_200, 0.5))
            delay_s = self._lognorm(90.0, 0.5)
        processed = ts + (int(latency_ms) + int(delay_s * 1000)) * 1000
        processed = max(ts, min(processed, end_us - 1000))  # processing finished by `now`
        ref = len(self.files)
        self.files.append(
            (
                key.account_id,
                key.key_id,
                filename,
                content_type,
                size,
                in_tok,
                out_tok,
                ts,
                processed,
            )
        )
        return ref, in_tok, out_tok

    # -- ids ----------------------------------------------------------------------------------

    def finish(
        self,
    ) -> tuple[tuple[EventRow, ...], tuple[FileRow, ...], tuple[ConversationRow, ...]]:
        raw = sorted(self.raw, key=lambda r: (r[0], r[2], r[5]))
        # Conversations: numbered by their first successful message; dropped when none succeeded.
        conv_stats: dict[int, list[int]] = {}
        for r in raw:
            conv = r[13]
            if conv is None or r[6] >= 400:
                continue
            st = conv_stats.get(conv)
            if st is None:
                conv_stats[conv] = [r[0], r[0], 1, r[8], r[9]]
            else:
                st[1] = r[0]
                st[2] += 1
                st[3] += r[8]
                st[4] += r[9]
        conv_order = sorted(conv_stats, key=lambda c: (conv_stats[c][0], c))
        conv_ids = {c: i + 1 for i, c in enumerate(conv_order)}
        conversations: list[ConversationRow] = []
        for c in conv_order:
            account_id, key_id, title = self.conversations[c]
            created, last, count, in_tok, out_tok = conv_stats[c]
            conversations.append(
                (conv_ids[c], account_id, key_id, title, created, last, count, in_tok, out_tok)
            )
        file_order = sorted(range(len(self.files)), key=lambda f: (self.files[f][7], f))
        file_ids = {f: i + 1 for i, f in enumerate(file_order)}
        files: list[FileRow] = [(file_ids[f], *self.files[f]) for f in file_order]
        events: list[EventRow] = []
        day_cache: dict[int, int] = {}
        for i, r in enumerate(raw, start=1):
            ts = r[0]
            day = ts // DAY_US
            month = day_cache.get(day)
            if month is None:
                month = day_cache[day] = month_index(ts)
            conv_id = conv_ids.get(r[13]) if r[13] is not None else None
            file_id = file_ids[r[14]] if r[14] is not None else None
            events.append(
                (
                    i,
                    ts,
                    r[1],
                    r[2],
                    r[3],
                    r[4],
                    r[5],
                    r[6],
                    r[7],
                    r[8],
                    r[9],
                    r[10],
                    r[11],
                    r[12],
                    conv_id,
                    file_id,
                    day,
                    month,
                )
            )
        return tuple(events), tuple(files), tuple(conversations)


class _TimeSampler:
    """Instants in [start_us, end_us) with day weights and a diurnal hour curve, whole ms."""

    def __init__(
        self,
        rng: random.Random,
        days: list[int],
        day_cum: list[float],
        hour_cum: list[float],
        start_us: int,
        end_us: int,
    ) -> None:
        self.rng, self.days, self.day_cum, self.hour_cum = rng, days, day_cum, hour_cum
        self.start_us, self.end_us = start_us, end_us

    def sample(self, k: int) -> list[int]:
        rng = self.rng
        days = rng.choices(self.days, cum_weights=self.day_cum, k=k)
        hours = rng.choices(range(24), cum_weights=self.hour_cum, k=k)
        out = []
        for d, h in zip(days, hours, strict=True):
            ts = d * DAY_US + h * HOUR_US + rng.randrange(3_600_000) * 1000
            while not self.start_us <= ts < self.end_us:  # partial first/last day
                ts = d * DAY_US + rng.randrange(86_400_000) * 1000
            out.append(ts)
        return out


def _cumulative(weights: list[float] | tuple[float, ...]) -> list[float]:
    out, acc = [], 0.0
    for w in weights:
        acc += w
        out.append(acc)
    return out


# -- names ------------------------------------------------------------------------------------

_DOC_STEMS = (
    "q{q}-report", "invoice-{n:05d}", "contract-draft-v{v}", "board-minutes-{month}",
    "employee-handbook", "product-spec-{v}", "meeting-notes-{date}", "pricing-sheet-{year}",
    "research-summary", "annual-review-{year}", "purchase-order-{n:05d}", "nda-signed-{n:03d}",
    "lease-agreement", "sales-forecast-{year}", "onboarding-guide", "security-audit-q{q}",
    "vendor-proposal-{n:03d}", "customer-survey-results", "roadmap-{year}-h{h}",
    "release-notes-{v}", "travel-expenses-{month}", "insurance-policy", "support-tickets-{month}",
    "grant-application",
)  # fmt: skip
_DOC_EXTS = (
    ("pdf", "application/pdf", 0.55),
    ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", 0.2),
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", 0.1),
    ("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", 0.05),
    ("csv", "text/csv", 0.05),
    ("txt", "text/plain", 0.05),
)
_IMAGE_STEMS = (
    "site-photo-{n:04d}", "receipt-{date}", "whiteboard-{n:03d}", "screenshot-{date}",
    "product-shot-{n:03d}", "scan-{n:04d}", "shelf-audit-{n:03d}", "damage-claim-{n:04d}",
    "id-card-front", "floor-plan-{v}", "label-{n:05d}", "IMG_{n:04d}",
)  # fmt: skip
_IMAGE_EXTS = (
    ("jpg", "image/jpeg", 0.55),
    ("png", "image/png", 0.3),
    ("webp", "image/webp", 0.1),
    ("tiff", "image/tiff", 0.05),
)
_VIDEO_STEMS = (
    "product-demo-{v}", "webinar-recording-{date}", "onboarding-walkthrough", "dashcam-{n:04d}",
    "store-cctv-{date}", "customer-interview-{n:02d}", "training-session-{n:02d}",
)  # fmt: skip
_VIDEO_EXTS = (("mp4", "video/mp4", 0.8), ("mov", "video/quicktime", 0.2))


def _filename(rng: random.Random, kind: str, ts: int) -> tuple[str, str]:
    stems, exts = {
        "doc": (_DOC_STEMS, _DOC_EXTS),
        "image": (_IMAGE_STEMS, _IMAGE_EXTS),
        "video": (_VIDEO_STEMS, _VIDEO_EXTS),
    }[kind]
    d = date_of(ts) - timedelta(days=rng.randrange(0, 20))
    dt = from_us(ts)
    stem = rng.choice(stems).format(
        n=rng.randrange(1, 99_999) % (10 ** rng.choice((2, 3, 4, 5))),
        v=rng.randrange(1, 9),
        q=(dt.month - 1) // 3 + 1,
        h=1 if dt.month <= 6 else 2,
        year=dt.year,
        month=f"{dt.year}-{dt.month:02d}",
        date=d.isoformat(),
    )
    if rng.random() < 0.08:
        stem += rng.choice(("-final", "-FINAL", "-copy", " (1)", "-signed", "-v2"))
    ext, content_type, _ = rng.choices(exts, cum_weights=_cumulative([e[2] for e in exts]))[0]
    return f"{stem}.{ext}", content_type


_TITLES = (
    "Quarterly numbers review", "Contract clause questions", "Summarize the {doc} findings",
    "Invoice discrepancies for {month}", "Onboarding checklist help", "Marketing copy brainstorm",
    "Bug triage for release {v}", "Customer churn analysis", "Translate the product FAQ",
    "Compare vendor proposals", "Draft a reply to {customer}", "SQL for weekly KPIs",
    "Video transcript highlights", "Image tagging rules", "Meeting prep: {topic}",
    "Explain the {doc} to a new hire", "Pricing page rewrite", "Extract tables from {doc}",
    "Support macro ideas", "Why did credits spike on {weekday}?", "Receipt categorisation",
    "Policy update summary", "{topic} research notes", "Interview questions for {role}",
    "Fix the CSV import", "Release notes draft {v}", "Competitor feature matrix",
    "Legal review checklist", "Shelf photos: missing labels", "Plan the {topic} workshop",
    "Email to {customer} about renewal", "Forecast assumptions", "Accessibility audit findings",
    "Cleaning up the product catalogue", "Warehouse damage claims", "Board deck outline",
)  # fmt: skip
_FILL = {
    "doc": ("security audit", "Q3 report", "lease agreement", "survey results", "handbook",
            "vendor proposal", "annual review", "board minutes"),
    "month": ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December"),
    "customer": ("Northwind", "Globex", "Initech", "Umbrella Health", "Stark Logistics",
                 "Wayne Foods", "Hooli", "Acme Retail"),
    "topic": ("pricing", "onboarding", "data retention", "GDPR", "Q4 planning", "hiring",
              "customer success", "inventory"),
    "role": ("data engineer", "support lead", "product designer", "account manager"),
    "weekday": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday"),
}  # fmt: skip


def _title(rng: random.Random) -> str:
    template = rng.choice(_TITLES)
    return template.format(
        v=f"{rng.randrange(1, 5)}.{rng.randrange(0, 12)}",
        **{k: rng.choice(v) for k, v in _FILL.items()},
    )
