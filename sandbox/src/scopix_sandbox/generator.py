"""The deterministic synthetic dataset: usage events, files and conversations of every key.

`generate()` makes the same rows for the same seed, `now` and sizes. Events span `months`
months up to `now`: key_01 has exactly `events`, key_02 a quarter of that, key_03 a tenth
(until its revocation), key_04 3,000 ramping past its plan's limit (projections say it will
exceed; `check` says no), key_05 400. When they happen is timeline.py's (a business-hours
curve, quieter weekends, growth, a busy current month); operation types, statuses, latencies,
units and tokens follow the profiles of the catalog. The rows are those of schema.py.
"""

from __future__ import annotations

import bisect
import functools
import math
import random
from dataclasses import dataclass

from scopix_sandbox import vocabulary
from scopix_sandbox.catalog import (
    ACCOUNTS,
    CREDITS_PER_ITEM,
    PROFILE_BY_TYPE,
    PROFILES,
    USAGE_QUERY,
    ApiKey,
    OpProfile,
    api_key_secret,
)
from scopix_sandbox.clock import DAY_US, month_index
from scopix_sandbox.schema import ConversationRow, Dataset, EventRow, FileRow
from scopix_sandbox.timeline import (
    RECENT_SHARE,
    TimeSampler,
    cumulative,
    recent_stamps,
    time_sampler,
)

__all__ = ["ERROR_RATE", "ERROR_STATUSES", "LEVEL_WEIGHTS", "generate", "main_account_events"]

LEVEL_WEIGHTS: dict[str, float] = {"basic": 0.3, "standard": 0.5, "thorough": 0.2}
"""How often an analysis runs at each level."""

ERROR_RATE = 0.015
ERROR_STATUSES: tuple[tuple[int, float], ...] = (
    (400, 18), (401, 4), (413, 6), (422, 20), (429, 25), (500, 12), (502, 6), (503, 8), (504, 5),
)  # fmt: skip


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
    # key_03 was revoked 60 days ago, or halfway through a shorter history, so it has events.
    revoked_us = max(now_us - 60 * DAY_US, (start_us + now_us) // 2 // 1000 * 1000)
    keys = (
        ApiKey("key_01", "acct_main", "Production", api_key_secret(seed, "key_01"), None),
        ApiKey("key_02", "acct_main", "Staging", api_key_secret(seed, "key_02"), None),
        ApiKey("key_03", "acct_main", "CI", api_key_secret(seed, "key_03"), revoked_us),
        ApiKey("key_04", "acct_starter", "Shop backend", api_key_secret(seed, "key_04"), None),
        ApiKey("key_05", "acct_free", "Laptop", api_key_secret(seed, "key_05"), None),
    )
    main, staging, ci = main_account_events(events)
    plans = (
        _KeyPlan(keys[0], main, 1.0, now_us),
        _KeyPlan(keys[1], staging, 0.6, now_us),
        _KeyPlan(keys[2], ci, 0.0, revoked_us),
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
        self.status_pop = [s for s, _ in ERROR_STATUSES]
        self.status_cum = cumulative([w for _, w in ERROR_STATUSES])
        self.level_pop = list(LEVEL_WEIGHTS)
        self.level_cum = cumulative(list(LEVEL_WEIGHTS.values()))
        self.level_top = self.level_cum[-1]

    def _lognorm(self, median: float, sigma: float) -> float:
        return math.exp(math.log(median) + sigma * self.rng.gauss())

    # -- events -------------------------------------------------------------------------------

    def key_events(self, plan: _KeyPlan, start_us: int) -> None:
        if plan.events <= 0:
            return
        rng = self.rng
        sampler = time_sampler(rng, start_us, plan.end_us, plan.growth)
        key = plan.key
        chat = PROFILE_BY_TYPE["chat"]
        n_chat = round(plan.events * chat.share)
        self._chats(key, n_chat, sampler)
        others = [p for p in PROFILES if p.operation_type != "chat"]
        n_other = plan.events - n_chat
        picks = rng.choices(others, cum_weights=cumulative([p.share for p in others]), k=n_other)
        revoked = plan.key.revoked_us is not None
        recent = recent_stamps(rng, start_us, plan.end_us, revoked, round(n_other * RECENT_SHARE))
        stamps = sampler.sample(n_other - len(recent)) + recent
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
            (ts, key.account_id, key.key_id, endpoint, method, prof.operation_type, status,
             credits, in_tok, out_tok, latency, level, units, None, file_ref)
        )  # fmt: skip

    def _chats(self, key: ApiKey, n_messages: int, sampler: TimeSampler) -> None:
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
            self.conversations.append((key.account_id, key.key_id, vocabulary.title(rng)))
            for pos, off in enumerate(offsets):
                ts = start + off
                if not sampler.start_us <= ts < sampler.end_us:
                    continue
                status = self._status(prof)
                ok = status < 400
                in_tok = int(self._lognorm(900 + 220 * pos, 0.5)) if ok else 0
                out_tok = int(self._lognorm(prof.output_median, 0.5)) if ok else 0
                self.raw.append(
                    (ts, key.account_id, key.key_id, prof.endpoint, prof.method, "chat", status,
                     1 if ok else 0, in_tok, out_tok, self._latency(prof, status), None, 1,
                     conv_ref, None)
                )  # fmt: skip
                made += 1

    def _file(self, key: ApiKey, ts: int, latency_ms: float, end_us: int) -> tuple[int, int, int]:
        rng = self.rng
        kind = rng.choices(("doc", "image", "video"), cum_weights=(0.6, 0.9, 1.0))[0]
        name, content_type = vocabulary.filename(rng, kind, ts)
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
            (key.account_id, key.key_id, name, content_type, size, in_tok, out_tok, ts, processed)
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
                (i, ts, r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12],
                 conv_id, file_id, day, month)
            )  # fmt: skip
        return tuple(events), tuple(files), tuple(conversations)
