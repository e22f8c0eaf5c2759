"""The Redis ledger on a real 3-master Redis Cluster: an account's keys share one hash slot, so
every script runs (no CROSSSLOT) and reads one node's clock; holds are shared as on one Redis."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import redis

from scopix import InsufficientCreditsError, SyncScopix
from scopix.credits import SyncRedisLedger
from scopix_sandbox import Sandbox
from tests.topology.redis_cluster import RedisCluster


@pytest.fixture(scope="module")
def cluster() -> Iterator[RedisCluster]:
    topology = RedisCluster()
    topology.start()
    yield topology
    topology.stop()


@pytest.mark.scopix_sandbox(remaining_credits={"acct_main": 100})
def test_holds_are_shared_through_a_redis_cluster(
    scopix_sandbox: Sandbox, cluster: RedisCluster
) -> None:
    prefix = f"test:{uuid.uuid4().hex}"

    def client() -> SyncScopix:
        node = redis.RedisCluster.from_url(cluster.url, socket_timeout=5)
        ledger = SyncRedisLedger(node, prefix=prefix)
        return SyncScopix(base_url=scopix_sandbox.base_url, api_key=scopix_sandbox.api_key,
                          pacing=False, credits=ledger)  # fmt: skip

    with client() as one, client() as two:
        with one.usage.reserve(analysis_level="thorough", item_count=20, wait=5) as hold:
            with (
                pytest.raises(InsufficientCreditsError) as refused,
                two.usage.reserve(analysis_level="thorough", item_count=20),
            ):
                pass
            assert refused.value.held == hold.required_credits == 60
            assert two.usage.holds().credits == 60
        with two.usage.reserve(analysis_level="thorough", item_count=13) as second:
            assert second.required_credits == 39  # asked after the first hold ended
            keys = cluster.keys(f"{prefix}:*")
    assert {k.rsplit(":", 1)[1] for k in keys} == {"holds", "spends"}
    assert len({k.split(":", 1)[0] for k in keys}) == 1, keys  # all on one node
