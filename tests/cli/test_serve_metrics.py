"""`scopix usage serve-metrics`: the series against the sandbox's own answers, stale values and
`scopix_up` 0 on API errors, the budget share its --help states, a real process on SIGTERM; the
holds of a shared credit ledger on a real redis-server (`--redis`, SCOPIX_REDIS_URL)."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
import redis.asyncio
from prometheus_client import generate_latest

from scopix import Scopix, SyncScopix
from scopix import prometheus as metrics
from scopix.credits import AsyncRedisLedger, SyncRedisLedger
from scopix.observe import Stats
from scopix_sandbox.server import Sandbox, start
from scopix_sandbox.spec import load_spec
from tests.redis_server import RedisServer

from .conftest import NOW, Runner
from .exporter import DEADLINE, parse, serving
from .holding_proxy import Query, holding_proxy


@pytest.fixture
def own_sandbox() -> Iterator[Sandbox]:
    sb = start(now=NOW, events=500, rate_limit=False, record_requests=False)
    try:
        yield sb
    finally:
        sb.stop()


def _exporter(sb: Sandbox, *, holds: bool = False, **client: object) -> metrics.UsageExporter:
    stats = Stats()
    c = SyncScopix(api_key=sb.api_key, base_url=sb.base_url, observers=[stats], **client)  # type: ignore[arg-type]
    return metrics.UsageExporter(c, stats, holds=holds)


def _samples(exporter: metrics.UsageExporter) -> dict[str, float]:
    return parse(generate_latest(metrics.registry_for(exporter)).decode())


def test_help_states_the_share_of_the_budget_from_the_spec(run: Runner) -> None:
    buckets = load_spec().buckets()
    ops = {op.operation_id: op for op in load_spec().operations.values()}
    rl = buckets[ops["get_breakdown"].rate_limit.bucket]
    assert all(ops[o].rate_limit.bucket == rl.bucket for o in metrics.REFRESH_OPERATIONS)
    n = len(metrics.REFRESH_OPERATIONS)
    share = n / (rl.limit * 60 / rl.window_seconds)
    floor = n * rl.window_seconds / (rl.limit * 0.5)
    out = " ".join(run("usage", "serve-metrics", "--help").out.split())
    assert f"Each refresh makes {n} requests" in out
    assert f"at the default interval (60 s) that is {share:.0%} of the key's rate limit" in out
    assert f"the floor ({floor:g} s) keeps it at 50% at most" in out
    low = run("usage", "serve-metrics", "--interval", f"{floor - 1:g}")
    assert low.code == 2
    assert f"x>={floor:g}" in low.err


def test_the_series_are_the_api_figures(cli_sandbox: Sandbox, sdk: SyncScopix) -> None:
    exporter = _exporter(cli_sandbox)
    assert exporter.refresh() is None
    got = _samples(exporter)
    b = sdk.usage.get_breakdown()
    plan = sdk.usage.get_plan()
    tokens = sdk.usage.get_monthly_tokens()
    top = sdk.usage.get_top_endpoints(
        start_date=b.billing_period.start, end_date=b.billing_period.end
    )
    assert got["scopix_up"] == 1
    assert got["scopix_credits_used"] == b.total_credits_used > 0
    assert got["scopix_credits_remaining"] == b.credits_remaining
    assert got["scopix_credit_limit"] == b.credit_limit
    assert got["scopix_credits_usage_percent"] == b.usage_percentage
    assert got["scopix_billing_period_end_timestamp_seconds"] == b.billing_period.end.timestamp()
    for item in b.by_operation:
        op = getattr(item.operation_type, "value", item.operation_type)
        assert got[f'scopix_operation_credits_used{{operation_type="{op}"}}'] == item.credits_used
    assert plan.plan_details is not None
    assert plan.projections is not None
    d = plan.plan_details
    assert got[f'scopix_plan_info{{plan_id="{d.plan_id}",plan_name="{d.plan_name}"}}'] == 1
    for feat in plan.feature_limits:
        labels = f'{{feature="{feat.feature}",unit="{feat.unit or ""}"}}'
        assert got[f"scopix_plan_feature_used{labels}"] == feat.used
        assert got.get(f"scopix_plan_feature_limit{labels}") == feat.limit
    assert got["scopix_projected_credits"] == plan.projections.projected_credits
    assert got["scopix_will_exceed_limit"] == int(plan.projections.will_exceed_limit)
    assert got["scopix_monthly_input_tokens"] == tokens.total_input_tokens > 0
    assert got["scopix_monthly_output_tokens"] == tokens.total_output_tokens > 0
    endpoints = {k: v for k, v in got.items() if k.startswith("scopix_endpoint_requests{")}
    assert endpoints == {
        f'scopix_endpoint_requests{{endpoint="{e.endpoint}"}}': e.request_count
        for e in top.endpoints
    }
    assert len(endpoints) > 1
    assert got["scopix_client_requests_total"] == len(metrics.REFRESH_OPERATIONS)
    assert got["scopix_client_rate_limited_total"] == 0


def test_a_failed_refresh_keeps_the_last_values(own_sandbox: Sandbox) -> None:
    exporter = _exporter(own_sandbox, max_retries=1)
    assert exporter.refresh() is None
    before = _samples(exporter)
    own_sandbox.set_faults(error_500=1.0)
    assert exporter.refresh() is not None
    after = _samples(exporter)
    assert after["scopix_up"] == 0
    assert after["scopix_refresh_failures_total"] == 1
    assert after["scopix_credits_used"] == before["scopix_credits_used"]
    assert (
        after["scopix_last_refresh_timestamp_seconds"]
        == before["scopix_last_refresh_timestamp_seconds"]
    )
    assert after["scopix_client_retries_total"] == 1
    assert after["scopix_client_errors_total"] == 1
    own_sandbox.set_faults(None)
    assert exporter.refresh() is None
    assert _samples(exporter)["scopix_up"] == 1


def test_the_process_serves_openmetrics_and_exits_0_on_sigterm(
    cli_sandbox: Sandbox, sdk: SyncScopix
) -> None:
    with serving(cli_sandbox.api_key, cli_sandbox.base_url) as exporter:
        assert exporter.url.startswith("http://127.0.0.1:")
        got = exporter.wait_for("scopix_up 1", lambda s: s.get("scopix_up") == 1)
        assert got["scopix_credits_used"] == sdk.usage.get_breakdown().total_credits_used
        assert exporter.stop() == 0, exporter.lines


def test_sigterm_ends_a_refresh_that_is_still_waiting(cli_sandbox: Sandbox) -> None:
    # The first refresh's first request is held open (as a slow API or a long rate-limit wait
    # would): SIGTERM must end the process then, not when the request gives up.
    def first(path: str, query: Query) -> bool:
        return True

    with (
        holding_proxy(cli_sandbox.base_url, hold=first) as proxy,
        serving(cli_sandbox.api_key, proxy.url, "--timeout", "3600") as exporter,
    ):
        assert proxy.arrived.wait(timeout=DEADLINE), exporter.lines
        assert exporter.stop() == 0, exporter.lines
        assert not any("Traceback" in line for line in exporter.lines), exporter.lines


def test_the_process_survives_a_refused_key(cli_sandbox: Sandbox) -> None:
    key = cli_sandbox.api_key
    wrong = key[:-1] + ("x" if key[-1] != "x" else "y")
    with serving(wrong, cli_sandbox.base_url) as exporter:
        exporter.wait_for(
            "a failed refresh", lambda s: s.get("scopix_refresh_failures_total", 0) >= 1
        )
        got = exporter.scrape()
        assert got["scopix_up"] == 0
        assert "scopix_credits_used" not in got
        assert any("refresh failed (AuthenticationError" in line for line in exporter.lines)
        assert exporter.stop() == 0, exporter.lines


def test_a_refused_connection_is_named(cli_sandbox: Sandbox) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    with serving(cli_sandbox.api_key, f"http://127.0.0.1:{port}", "--max-retries", "0") as exporter:
        exporter.wait_for(
            "a failed refresh", lambda s: s.get("scopix_refresh_failures_total", 0) >= 1
        )
        want = f"refresh failed (APIConnectionError: cannot connect to 127.0.0.1:{port}: "
        want += "connection refused); serving the last figures with scopix_up 0"
        end = time.monotonic() + DEADLINE  # the line follows the count: wait for the reader
        while want not in exporter.lines and time.monotonic() < end:
            time.sleep(0.05)
        assert want in exporter.lines, exporter.lines
        assert exporter.stop() == 0, exporter.lines


def _exposed(name: str) -> str:
    return name + ("_total" if metrics.SERIES[name][0] == "counter" else "")


def test_the_docs_table_lists_every_series_as_served(
    cli_sandbox: Sandbox, redis_server: RedisServer
) -> None:
    whole = (Path(__file__).resolve().parents[2] / "docs" / "observability.md").read_text("utf-8")
    start = whole.index("## Prometheus")
    section = whole[start : whole.index("\n## ", start + 1)]  # the exporter's section only
    rows = {line.split("`")[1] for line in section.splitlines() if line.startswith("| `scopix_")}
    assert rows == {_exposed(n) for n in metrics.SERIES}
    for name, (kind, text) in metrics.SERIES.items():
        assert f"| `{_exposed(name)}` | {kind} | {text} |" in section
    ledger = _ledger(redis_server)
    exporter = _exporter(cli_sandbox, holds=True, credits=ledger)
    assert exporter.refresh() is None
    with _holder(cli_sandbox, ledger) as c, c.usage.reserve(item_count=1):  # an owner to show
        served = {key.split("{")[0] for key in _samples(exporter)}
    assert served == {_exposed(n) for n in metrics.SERIES}
    plain = _exporter(cli_sandbox)
    assert plain.refresh() is None
    without = {key.split("{")[0] for key in _samples(plain)}
    assert served - without == set(metrics.HOLD_SERIES)  # served only with a shared ledger


def _ledger(server: RedisServer) -> SyncRedisLedger:
    return SyncRedisLedger(redis.Redis.from_url(server.url, socket_timeout=5),
                           prefix=f"test:{uuid.uuid4().hex}")  # fmt: skip


def _holder(sb: Sandbox, ledger: SyncRedisLedger) -> SyncScopix:
    return SyncScopix(api_key=sb.api_key, base_url=sb.base_url, pacing=False, credits=ledger)


def _held(samples: dict[str, float]) -> tuple[float, ...]:
    return tuple(
        samples.get(name, -1)
        for name in ("scopix_credits_held", "scopix_holds", "scopix_reservations_waiting")
    )


def _owners(samples: dict[str, float]) -> dict[str, float]:
    return {k: v for k, v in samples.items() if k.startswith("scopix_owner_credits_held{")}


def test_the_hold_series_show_who_holds_what(
    cli_sandbox: Sandbox, redis_server: RedisServer
) -> None:
    ledger = _ledger(redis_server)
    exporter = _exporter(cli_sandbox, holds=True, credits=ledger)
    with _holder(cli_sandbox, ledger) as c:
        answer = c.usage.check(analysis_level="thorough", item_count=1)
        assert answer.credits_per_item
        most = answer.available_credits // answer.credits_per_item - 1  # leaves too few for 2
        assert _held(_samples(exporter))[:3] == (0, 0, 0)
        with (
            c.usage.reserve(analysis_level="thorough", item_count=most) as big,
            c.usage.reserve(analysis_level="thorough", item_count=1) as small,
        ):

            def wait() -> None:
                with c.usage.reserve(analysis_level="thorough", item_count=2, wait=30) as late:
                    late.release(credits_used=0)

            waiter = threading.Thread(target=wait)
            waiter.start()
            end = time.monotonic() + DEADLINE
            while (got := _samples(exporter))["scopix_reservations_waiting"] != 1:
                assert time.monotonic() < end, got
                time.sleep(0.01)
            total = big.required_credits + small.required_credits
            assert _held(got) == (total, 2, 1)
            assert got["scopix_ledger_up"] == 1
            (owner,) = {h.owner for h in c.usage.holds().holds}
            assert _owners(got) == {f'scopix_owner_credits_held{{owner="{owner}"}}': total}
            big.release(credits_used=0)
            waiter.join(DEADLINE)
        after = _samples(exporter)
        assert _held(after) == (0, 0, 0)
        assert _owners(after) == {}


def test_the_holds_of_an_async_fleet_are_served(
    cli_sandbox: Sandbox, redis_server: RedisServer
) -> None:
    prefix = f"test:{uuid.uuid4().hex}"
    ledger = SyncRedisLedger(redis.Redis.from_url(redis_server.url), prefix=prefix)
    exporter = _exporter(cli_sandbox, holds=True, credits=ledger)
    seen: dict[str, float] = {}

    async def main() -> None:
        shared = AsyncRedisLedger(redis.asyncio.Redis.from_url(redis_server.url), prefix=prefix)
        async with (
            Scopix(api_key=cli_sandbox.api_key, base_url=cli_sandbox.base_url, credits=shared) as c,
            c.usage.reserve(item_count=3) as hold,
        ):
            seen.update(await asyncio.to_thread(_samples, exporter))
            seen["required"] = hold.required_credits

    asyncio.run(main())
    assert _held(seen) == (seen["required"], 1, 0)
    assert _held(_samples(exporter)) == (0, 0, 0)


def test_a_ledger_out_of_reach_is_ledger_up_0(cli_sandbox: Sandbox) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    down = SyncRedisLedger(f"redis://127.0.0.1:{port}/0")
    exporter = _exporter(cli_sandbox, holds=True, credits=down)
    assert exporter.refresh() is None  # the API's figures do not need Redis
    got = _samples(exporter)
    assert got["scopix_up"] == 1
    assert got["scopix_ledger_up"] == 0
    assert _held(got) == (-1, -1, -1)  # left out, not stale


@pytest.mark.parametrize("how", ["--redis", "SCOPIX_REDIS_URL"])
def test_the_process_serves_the_holds_of_its_redis(
    cli_sandbox: Sandbox, redis_server: RedisServer, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    url = f"redis://127.0.0.1:{redis_server.port}/5"  # a database of its own
    redis.Redis.from_url(url).flushdb()
    args = ("--redis", url) if how == "--redis" else ()
    if how == "SCOPIX_REDIS_URL":
        monkeypatch.setenv("SCOPIX_REDIS_URL", url)
    ledger = SyncRedisLedger(url)  # the default prefix, as the exporter's
    with (
        serving(cli_sandbox.api_key, cli_sandbox.base_url, *args) as exporter,
        _holder(cli_sandbox, ledger) as c,
        c.usage.reserve(item_count=2) as hold,
    ):
        got = exporter.wait_for("the hold", lambda s: s.get("scopix_holds") == 1)
        assert got["scopix_credits_held"] == hold.required_credits
        assert got["scopix_ledger_up"] == 1
        assert exporter.stop() == 0, exporter.lines
