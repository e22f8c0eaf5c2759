"""The command line, the dataset generator and the store's query plans."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import httpx
import pytest

from scopix_sandbox import reports
from scopix_sandbox.__main__ import export_cost, parse_args
from scopix_sandbox.catalog import CREDITS_PER_ITEM, PROFILES
from scopix_sandbox.clock import DAY_US, fmt_instant, parse_datetime, to_us
from scopix_sandbox.generator import generate
from scopix_sandbox.server import check_host, start
from scopix_sandbox.spec import load_spec
from scopix_sandbox.store import EventFilter, Store

NOW_US = to_us(datetime(2026, 11, 20, 14, 30, tzinfo=UTC))
SPEC = load_spec()
ENDPOINTS = tuple(sorted((op.method, op.path) for op in SPEC.operations.values()))


COMMANDS = {
    "console script": [str(Path(sys.executable).with_name("scopix-sandbox"))],
    "python -m": [sys.executable, "-m", "scopix_sandbox"],
}


def _first_lines(stream: IO[str], n: int) -> list[str]:
    """The first `n` lines of a running process's stdout: flushed lines, not a buffer that only
    comes out at exit (then this fails instead of hanging)."""
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(stream.readline() for _ in range(n)))
    reader.start()
    reader.join(timeout=30)
    assert len(lines) == n, "the first lines were not flushed while the sandbox runs"
    return [line.strip() for line in lines]


@pytest.mark.parametrize("command", list(COMMANDS))
def test_cli_prints_url_and_key_and_stops_on_sigterm(command: str) -> None:
    buffered = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    proc = subprocess.Popen(
        [*COMMANDS[command], "--port", "0", "--events", "300", "--no-record"],
        env=buffered,  # as a user's shell runs it: stdout to a pipe is block-buffered
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        assert proc.stderr is not None
        url_line, key_line = _first_lines(proc.stdout, 2)
        assert url_line.startswith("SCOPIX_BASE_URL=http://127.0.0.1:")
        assert key_line.startswith("SCOPIX_API_KEY=scopix_sandbox_")
        url, key = url_line.split("=", 1)[1], key_line.split("=", 1)[1]
        r = httpx.get(f"{url}/v1/usage/check", headers={"Authorization": f"Bearer {key}"})
        assert r.status_code == 200
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
        assert proc.stdout.read() == ""  # nothing else on stdout
        err = proc.stderr.read()
        assert f"# key_01 acct_main Production: {key}" in err
        assert (
            "# acct_main: 405 events; a full export at the real rate limit: get_all_details() 9 "
            "pages of 50, within the first 30 requests: seconds; scopix usage export 5 pages of "
            "100, within the first 30 requests: seconds"
        ) in err  # the CLI's export asks for the largest page
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()


def test_help_says_what_a_full_export_costs() -> None:
    out = subprocess.run(
        [*COMMANDS["console script"], "--help"], capture_output=True, text=True, timeout=30
    )
    assert out.returncode == 0
    assert (
        "--events 300          405 events: 9 pages of 50, within the first 30 requests"
        in out.stdout
    )
    assert (
        "--events 20000     27,000 events: 540 pages of 50, about 17 min (270 pages of 100, "
        "about 8 min)" in out.stdout
    )
    assert "(scopix usage export: 100)" in out.stdout


@pytest.mark.parametrize(
    ("events", "page_size", "cost"),
    [
        (1, None, "1 pages of 50, within the first 30 requests: seconds"),
        (1_500, None, "30 pages of 50, within the first 30 requests: seconds"),
        (1_501, None, "31 pages of 50, about 1 min"),
        (3_000, None, "60 pages of 50, about 1 min"),
        (3_001, None, "61 pages of 50, about 2 min"),
        (3_001, 100, "31 pages of 100, about 1 min"),
    ],
)
def test_export_cost_at_the_spec_rate_limit(events: int, page_size: int | None, cost: str) -> None:
    # 30 requests per 60 s: the first 30 pages at once, each further 30 a minute later.
    assert export_cost(SPEC, events, page_size) == cost


def test_cli_refuses_a_non_loopback_host() -> None:
    out = subprocess.run(
        [*COMMANDS["python -m"], "--host", "0.0.0.0", "--events", "10"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert out.returncode == 2
    assert "loopback" in out.stderr
    for host in ("0.0.0.0", "192.168.1.5", "example.com"):
        with pytest.raises(ValueError, match="loopback"):
            check_host(host)
    for host in ("127.0.0.1", "127.0.0.2", "::1", "localhost"):
        check_host(host)


def test_cli_flags() -> None:
    o = parse_args(
        [
            "--window",
            "1",
            "--limit-usage",
            "5",
            "--limit",
            "check=7",
            "--no-rate-limit",
            "--fault-error-502",
            "0.1",
            "--fault-latency-ms",
            "5-10",
            "--now",
            "2026-11-20T12:00:00+00:00",
            "--validate-responses",
            "--no-record",
        ]
    )
    assert o.window_seconds == 1.0
    assert dict(o.limits) == {"usage": 5, "check": 7}
    assert o.rate_limit is False
    assert o.record_requests is False
    assert o.validate_responses is True
    faults = o.fault_config()
    assert faults.error_502 == 0.1
    assert faults.latency_range == (5.0, 10.0)
    assert o.now == datetime(2026, 11, 20, 12, tzinfo=UTC)


def test_ipv6_loopback_and_unknown_bucket() -> None:
    with pytest.raises(ValueError, match="buckets"):
        start(events=10, limits={"nope": 1})
    sb = start(host="::1", events=10, rate_limit=False, record_requests=False)
    try:
        assert sb.base_url.startswith("http://[::1]:")
        r = httpx.get(
            f"{sb.base_url}/v1/usage/check", headers={"Authorization": f"Bearer {sb.api_key}"}
        )
        assert r.status_code == 200
    finally:
        sb.stop()


def test_generation_is_deterministic_and_sized() -> None:
    a = generate(seed=1, now_us=NOW_US, events=3_000, months=6, usage_endpoints=ENDPOINTS)
    generate.cache_clear()
    b = generate(seed=1, now_us=NOW_US, events=3_000, months=6, usage_endpoints=ENDPOINTS)
    assert a == b
    c = generate(seed=2, now_us=NOW_US, events=3_000, months=6, usage_endpoints=ENDPOINTS)
    assert a.events != c.events
    per_key = Counter(e[3] for e in a.events)
    assert per_key["key_01"] == 3_000
    assert per_key["key_02"] == 750
    assert all(a.start_us <= e[1] < NOW_US for e in a.events)
    revoked = next(k for k in a.keys if k.key_id == "key_03")
    assert revoked.revoked_us is not None
    assert all(e[1] < revoked.revoked_us for e in a.events if e[3] == "key_03")


@pytest.mark.parametrize("months", [1, 2, 3])
def test_short_histories_keep_every_key(months: int) -> None:
    """`--months 1` used to fail at start-up: key_03's revocation (60 days ago) fell before the
    data began. It is revoked halfway through a shorter history, with events before it."""
    ds = generate(seed=7, now_us=NOW_US, events=2_000, months=months, usage_endpoints=ENDPOINTS)
    revoked = next(k for k in ds.keys if k.key_id == "key_03").revoked_us
    assert revoked is not None
    assert ds.start_us < revoked < NOW_US
    ci = [e[1] for e in ds.events if e[3] == "key_03"]
    assert len(ci) == 200
    assert all(ds.start_us <= t < revoked for t in ci)
    assert {e[3] for e in ds.events} == {"key_01", "key_02", "key_03", "key_04", "key_05"}


def test_data_looks_real() -> None:
    ds = generate(seed=42, now_us=NOW_US, events=20_000, months=6, usage_endpoints=ENDPOINTS)
    ops = Counter(e[6] for e in ds.events)
    assert set(ops) == set(SPEC.enum("OperationType"))
    assert set(CREDITS_PER_ITEM) == set(SPEC.enum("AnalysisLevel"))
    errors = sum(1 for e in ds.events if e[7] >= 400) / len(ds.events)
    assert 0.01 <= errors <= 0.02
    assert all(e[8] == 0 and e[9] == 0 for e in ds.events if e[7] >= 400)
    endpoints = {e[4] for e in ds.events}
    assert {p.endpoint for p in PROFILES if p.operation_type != "usage_query"} <= endpoints
    assert {path for _, path in ENDPOINTS} & endpoints
    latencies = sorted(e[11] for e in ds.events if e[6] == "document_analysis" and e[7] < 400)
    median = latencies[len(latencies) // 2]
    assert 300 < median < 600
    assert latencies[int(len(latencies) * 0.99)] > 2 * median  # a long tail
    names = [f[3] for f in ds.files]
    assert len(set(names)) > len(names) * 0.5
    assert {f[4] for f in ds.files} >= {"application/pdf", "image/jpeg", "video/mp4"}
    assert len({c[3] for c in ds.conversations}) > 50
    months = Counter((e[1] - ds.start_us) // (30 * DAY_US) for e in ds.events if e[3] == "key_01")
    assert months[5] > months[0]  # usage grows


def test_queries_use_the_indexes() -> None:
    ds = generate(seed=42, now_us=NOW_US, events=2_000, months=6, usage_endpoints=ENDPOINTS)
    store = Store(ds)
    try:
        for f in (
            EventFilter("acct_main"),
            EventFilter("acct_main", key_id="key_01"),
            EventFilter("acct_main", op="chat", start_us=NOW_US - DAY_US),
            EventFilter("acct_main", key_id="key_02", op="search", end_us=NOW_US),
        ):
            where, args = f.where()
            sql = f"SELECT id FROM events{where} ORDER BY ts DESC, id DESC LIMIT 50"
            plan = " ".join(store.explain(sql, args))
            assert "USING" in plan, plan
            assert "INDEX" in plan, plan
            assert "TEMP B-TREE" not in plan, plan
        # Continuing pages seek from the previous page's last row and match OFFSET paging.
        f = EventFilter("acct_main")
        pages = [store.page(f, 100, off) for off in range(0, 500, 100)]
        fresh = Store(ds)
        try:
            assert pages == [fresh.page(f, 100, off) for off in range(400, -1, -100)][::-1]
        finally:
            fresh.close()
    finally:
        store.close()


def test_rfc3339_parsing() -> None:
    assert parse_datetime("2026-11-20T14:30:00Z") == NOW_US
    assert parse_datetime("2026-11-20T15:30:00.000+01:00") == NOW_US
    assert parse_datetime("2026-11-20t14:30:00.123456789z") == NOW_US + 123_456
    for bad in ("2026-11-20T14:30:00", "2026-11-20 14:30:00Z", "2026-02-30T00:00:00Z", "now"):
        assert parse_datetime(bad) is None
    assert fmt_instant(NOW_US) == "2026-11-20T14:30:00Z"
    assert fmt_instant(NOW_US + 5_000) == "2026-11-20T14:30:00.005Z"


def test_aggregates_catch_up_incrementally_after_recording() -> None:
    ds = generate(seed=42, now_us=NOW_US, events=2_000, months=6, usage_endpoints=ENDPOINTS)
    store = Store(ds)
    try:
        key = store.keys["key_01"]
        filters = [
            EventFilter("acct_main"),
            EventFilter("acct_main", key_id="key_01", start_us=NOW_US - 30 * DAY_US),
            EventFilter("acct_main", op="usage_query"),
            EventFilter("acct_main", end_us=NOW_US),
        ]

        def snapshot() -> list[object]:
            out: list[object] = []
            for f in filters:
                out += [
                    reports.totals(store, f),
                    store.count(f),
                    reports.series(store, f, "hour"),
                    reports.by_endpoint(store, f),
                    reports.by_operation(store, f),
                    reports.status_counts(store, f),
                    reports.daily(store, f),
                    reports.chat_sessions(store, f),
                    reports.latency_percentile(store, f, 0.95),
                ]
            return out

        snapshot()  # fill the caches
        for i in range(250):
            status = (200, 429, 422)[i % 3]
            store.record(NOW_US + i * 1000, key, "/v1/usage/details", "GET", status, 3.5 + i)
        incremental = snapshot()
        store._aggregates.clear()
        assert incremental == snapshot()
        assert (
            store.count(filters[2])
            == sum(1 for e in ds.events if e[6] == "usage_query" and e[2] == "acct_main") + 250
        )
        assert store.count(filters[3]) == store.count(EventFilter("acct_main")) - 250
        where, args = filters[0].where()
        plan = " ".join(
            store.explain(f"SELECT COUNT(*) FROM events NOT INDEXED{where} AND id > ?", [*args, 1])
        )
        assert "PRIMARY KEY" in plan, plan
    finally:
        store.close()


def test_p95_from_the_histogram_is_within_a_percent() -> None:
    ds = generate(seed=42, now_us=NOW_US, events=2_000, months=6, usage_endpoints=ENDPOINTS)
    store = Store(ds)
    try:
        latencies = sorted(e[11] for e in ds.events if e[2] == "acct_main")
        exact = latencies[max(0, -(-95 * len(latencies) // 100) - 1)]
        approx = reports.latency_percentile(store, EventFilter("acct_main"), 0.95)
        assert approx is not None
        assert abs(approx - exact) / exact < 0.01
    finally:
        store.close()


@pytest.mark.parametrize(
    "now",
    [datetime(2026, 12, 1, 0, 5, tzinfo=UTC), datetime(2027, 3, 1, 0, 0, 2, tzinfo=UTC)],
    ids=["5 minutes in", "2 seconds in"],
)
def test_month_to_date_figures_are_never_empty(now: datetime) -> None:
    """The default data reads like a live account even minutes after the month turned: the
    demo's month-based figures (usage percentage, tokens) are not 0.0% and 0."""
    sb = start(now=now, record_requests=False)
    try:
        headers = {"Authorization": f"Bearer {sb.api_key}"}

        def get(path: str) -> Any:
            r = httpx.get(f"{sb.base_url}{path}", headers=headers)
            assert r.status_code == 200, r.text
            return r.json()

        breakdown = get("/v1/usage/breakdown")
        assert breakdown["billing_period"]["start"] == fmt_instant(
            to_us(now.replace(minute=0, second=0))
        )
        assert f"{breakdown['usage_percentage']:.1f}" != "0.0"
        plan = get("/v1/usage/plan")
        assert f"{plan['plan_details']['usage_percentage']:.1f}" != "0.0"
        assert plan["projections"]["projected_credits"] > 0
        tokens = get("/v1/usage/tokens/monthly")
        assert tokens["total_input_tokens"] > 0
        assert tokens["total_output_tokens"] > 0
        assert get("/v1/usage/summary")["total_credits"] > 0
    finally:
        sb.stop()
