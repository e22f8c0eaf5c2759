"""A fleet through Redis Cluster outages, on a real 3-master cluster on loopback.

Deployed while the cluster is down: limiters and ledgers built from a `redis+cluster://` URL
whose nodes do not answer yet are made without an error; meanwhile the limiter paces in-process
(one warning) and the ledger refuses in one line; once the cluster is up on those ports, the
limiter books in it and the ledger holds in it. And every node stopped mid-run, then started
again. Nothing is slept: the cluster's start waits for `cluster_state:ok`, and calls go on until
keys appear.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from scopix import CreditLedgerUnavailableError, Scopix, SyncScopix
from scopix.credits import AsyncRedisLedger, SyncRedisLedger
from scopix.pacing import (
    AsyncRedisLimiter,
    BucketLimit,
    RateLimits,
    SyncRedisLimiter,
)
from scopix_sandbox.server import Sandbox

from .redis_cluster import RedisCluster

LIMITS = {"usage": 10, "check": 20}
CLIENT_WINDOW = 1.1  # 10% over the sandbox's 1 s window, as the other topology tests
PACING = RateLimits({"usage": BucketLimit(LIMITS["usage"], CLIENT_WINDOW)})
# More than a window's budget: the last calls wait in-process, and one of them tries the
# cluster again (retry_redis_after) and fails again, the same outage: still one warning.
OUTAGE_CALLS = 12
RETRY_REDIS_AFTER = 0.2
UNAVAILABLE, BACK = "Redis pacing unavailable", "Redis pacing is back"


@pytest.fixture
def cluster_to_come() -> Iterator[RedisCluster]:
    """A cluster's free ports, nothing listening on them until the test starts it."""
    cluster = RedisCluster()
    yield cluster
    cluster.stop()


def _url(cluster: RedisCluster) -> str:
    return "redis+cluster://" + ",".join(f"{h}:{p}" for h, p in cluster.startup_nodes)


class _PacedClient:
    """A client paced by a limiter made from `url` (made here: no node answers yet); `call()`
    makes one call and waits for it, sync or async (one event loop for the client's life)."""

    def __init__(self, flavour: str, url: str, sandbox: Sandbox, prefix: str) -> None:
        where: dict[str, Any] = {"api_key": sandbox.api_key, "base_url": sandbox.base_url}
        options: dict[str, Any] = {
            "limits": PACING, "prefix": prefix, "retry_redis_after": RETRY_REDIS_AFTER,
        }  # fmt: skip
        if flavour == "sync":
            client = SyncScopix(**where, pacing=SyncRedisLimiter(url, **options))
            self.call: Callable[[], object] = client.usage.get_breakdown
            self.close: Callable[[], object] = client.close
            return
        runner = asyncio.Runner()
        aclient = Scopix(**where, pacing=AsyncRedisLimiter(url, **options))
        self.call = lambda: runner.run(aclient.usage.get_breakdown())

        def close() -> None:
            runner.run(aclient.aclose())
            runner.close()

        self.close = close


def _calls_until_booked(client: _PacedClient, cluster: RedisCluster, prefix: str) -> int:
    """Calls made once the cluster is (back) up until one of them books in it."""
    calls = 0
    while not cluster.keys(f"{prefix}*"):
        assert calls < 30, "30 calls after the cluster came up, none booked in it"
        client.call()
        calls += 1
    return calls


def _said(caplog: pytest.LogCaptureFixture, words: str) -> int:
    return sum(words in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize(
    "flavour",
    [
        "sync",
        "async",  # its first command raises RedisClusterUnreachableError
    ],
)
def test_a_limiter_made_while_the_cluster_is_down_paces_alone_then_shares(
    cluster_to_come: RedisCluster,
    scopix_sandbox_factory: Callable[..., Sandbox],
    caplog: pytest.LogCaptureFixture,
    flavour: str,
) -> None:
    sandbox = scopix_sandbox_factory(window_seconds=1.0, limits=LIMITS, record_requests=False)
    prefix = f"at-start:{uuid.uuid4().hex}"
    with caplog.at_level(logging.INFO, logger="scopix"):
        client = _PacedClient(flavour, _url(cluster_to_come), sandbox, prefix)
        try:
            for _ in range(OUTAGE_CALLS):
                client.call()
            assert (_said(caplog, UNAVAILABLE), _said(caplog, BACK)) == (1, 0), caplog.text
            cluster_to_come.start()
            shared_after = _calls_until_booked(client, cluster_to_come, prefix)
        finally:
            client.close()
    stats = sandbox.stats()
    assert stats["rate_limited"] == 0
    assert stats["by_status"] == {"200": OUTAGE_CALLS + shared_after}
    # the first call books: the retry delay (0.2 s) ran out while the cluster formed (redis-cli
    # waits a second for the nodes to join)
    assert shared_after == 1
    assert (_said(caplog, UNAVAILABLE), _said(caplog, BACK)) == (1, 1), caplog.text
    keys = cluster_to_come.keys(f"{prefix}*")
    assert len({key.split(":", 1)[0] for key in keys}) == 1, keys  # one slot, one master


@pytest.mark.scopix_sandbox(remaining_credits={"acct_main": 100})
@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_a_ledger_made_while_the_cluster_is_down_refuses_then_holds(
    cluster_to_come: RedisCluster, scopix_sandbox: Sandbox, flavour: str
) -> None:
    """Refused in one line that names a node and says it cannot be reached (money fails
    closed); once the cluster is up, the same ledger holds, and its keys are in the cluster."""
    url, prefix = _url(cluster_to_come), f"at-start:{uuid.uuid4().hex}"
    host, port = cluster_to_come.startup_nodes[0]
    where: dict[str, Any] = {"base_url": scopix_sandbox.base_url, "api_key": scopix_sandbox.api_key}
    if flavour == "sync":
        with SyncScopix(**where, credits=SyncRedisLedger(url, prefix=prefix)) as client:
            with pytest.raises(CreditLedgerUnavailableError) as refused:
                client.usage.holds()
            cluster_to_come.start()
            with client.usage.reserve(analysis_level="thorough", item_count=2):
                held = client.usage.holds().credits
    else:

        async def main() -> tuple[pytest.ExceptionInfo[CreditLedgerUnavailableError], int]:
            async with Scopix(**where, credits=AsyncRedisLedger(url, prefix=prefix)) as client:
                with pytest.raises(CreditLedgerUnavailableError) as refused:
                    await client.usage.holds()
                await asyncio.to_thread(cluster_to_come.start)
                async with client.usage.reserve(analysis_level="thorough", item_count=2):
                    return refused, (await client.usage.holds()).credits

        refused, held = asyncio.run(main())
    message = str(refused.value)
    assert message.startswith(f"the credit ledger in Redis ({host}:{port}) cannot be reached ("), (
        message
    )
    assert message.endswith("; nothing was held")
    assert "\n" not in message
    assert held == 6
    assert cluster_to_come.keys(f"{prefix}*"), "nothing held in the cluster"


@pytest.mark.parametrize(
    "flavour",
    ["sync", "async"],
)
def test_a_limiter_paces_alone_while_every_node_is_down_then_shares_again(
    cluster_to_come: RedisCluster,
    scopix_sandbox_factory: Callable[..., Sandbox],
    caplog: pytest.LogCaptureFixture,
    flavour: str,
) -> None:
    """Booked in the cluster; every node stopped: the calls go on paced in-process (0 lost, 0 x
    429, one warning); the nodes started again: the calls book in the cluster again."""
    sandbox = scopix_sandbox_factory(window_seconds=1.0, limits=LIMITS, record_requests=False)
    prefix = f"outage:{uuid.uuid4().hex}"
    cluster_to_come.start()
    with caplog.at_level(logging.INFO, logger="scopix"):
        client = _PacedClient(flavour, _url(cluster_to_come), sandbox, prefix)
        try:
            client.call()
            assert cluster_to_come.keys(f"{prefix}*"), "the first call booked nothing"
            cluster_to_come.halt()
            for _ in range(OUTAGE_CALLS):
                client.call()
            assert (_said(caplog, UNAVAILABLE), _said(caplog, BACK)) == (1, 0), caplog.text
            cluster_to_come.resume()  # the nodes keep no data: a key now is a new booking
            shared_after = _calls_until_booked(client, cluster_to_come, prefix)
        finally:
            client.close()
    stats = sandbox.stats()
    assert stats["rate_limited"] == 0
    assert stats["by_status"] == {"200": 1 + OUTAGE_CALLS + shared_after}
    assert (_said(caplog, UNAVAILABLE), _said(caplog, BACK)) == (1, 1), caplog.text


@pytest.mark.scopix_sandbox(remaining_credits={"acct_main": 100})
@pytest.mark.parametrize(
    "flavour",
    [
        "sync",
        "async",
    ],
)
def test_a_ledger_that_may_hold_locally_does_while_no_node_answers(
    cluster_to_come: RedisCluster,
    scopix_sandbox: Sandbox,
    caplog: pytest.LogCaptureFixture,
    flavour: str,
) -> None:
    url, prefix = _url(cluster_to_come), f"at-start:{uuid.uuid4().hex}"
    where: dict[str, Any] = {"base_url": scopix_sandbox.base_url, "api_key": scopix_sandbox.api_key}
    options: dict[str, Any] = {"prefix": prefix, "unreachable": "local"}
    if flavour == "sync":
        with (
            SyncScopix(**where, credits=SyncRedisLedger(url, **options)) as client,
            client.usage.reserve(analysis_level="thorough", item_count=2) as hold,
        ):
            held = hold.required_credits
    else:

        async def main() -> int:
            async with (
                Scopix(**where, credits=AsyncRedisLedger(url, **options)) as client,
                client.usage.reserve(analysis_level="thorough", item_count=2) as hold,
            ):
                return hold.required_credits

        held = asyncio.run(main())
    assert held == 6
    assert _said(caplog, "holding on this process's ledger") == 1, caplog.text
