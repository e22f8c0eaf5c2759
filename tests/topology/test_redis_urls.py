"""`redis+sentinel://` and `redis+cluster://` URLs against a real Sentinel (master + replica + 3
sentinels) and a real 3-master Cluster: pacing and credit ledgers built from a URL, sync and
async; the CLI's --redis with each form; a URL-built client finding the new master after the
old one is SIGKILLed."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import redis

from scopix import CreditLedgerUnavailableError, InsufficientCreditsError, Scopix, SyncScopix
from scopix._flavours import async_redis_from_url, sync_redis_from_url
from scopix._redis_protocol import REDIS_SOCKET_TIMEOUT, timeout_warning
from scopix.credits import AsyncRedisLedger, SyncRedisLedger
from scopix.pacing import AsyncRedisLimiter, BucketLimit, RateLimits, SyncRedisLimiter
from scopix_sandbox.server import Sandbox

from .daemons import Daemon, binary, free_port, wait_until
from .redis_cluster import RedisCluster
from .redis_sentinel import MASTER_NAME, RedisSentinel

LIMITS = {"usage": 10, "check": 20}
CLIENT_WINDOW = 1.1  # 10% over the sandbox's 1 s window, as the other topology tests
PACING = RateLimits({"usage": BucketLimit(LIMITS["usage"], CLIENT_WINDOW)})
CLI = [sys.executable, "-m", "scopix.cli", "usage"]


@pytest.fixture(scope="module")
def sentinel() -> Iterator[RedisSentinel]:
    """One Sentinel topology for the tests that do not kill its master (the failover tests
    take their own `redis_sentinel`): starting one costs seconds."""
    topology = RedisSentinel()
    topology.start()
    yield topology
    topology.stop()


def sentinel_url(topology: RedisSentinel, query: str = "") -> str:
    hosts = ",".join(f"{h}:{p}" for h, p in topology.sentinel_addresses)
    return f"redis+sentinel://{hosts}/{MASTER_NAME}{query}"


def cluster_url(cluster: RedisCluster, start: int = 0) -> str:
    """The nodes from the `start`-th on: two clients starting at different nodes cannot both
    start at the one holding their keys' slot (a client that never asks the cluster would)."""
    nodes = cluster.startup_nodes[start:] + cluster.startup_nodes[:start]
    return "redis+cluster://" + ",".join(f"{h}:{p}" for h, p in nodes)


@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_url_clients_get_the_default_timeouts_and_the_urls_own(
    sentinel: RedisSentinel, redis_cluster: RedisCluster, flavour: str
) -> None:
    """What a URL's limiter would warn about (no socket_timeout) cannot happen: the master's
    and the sentinels' connections get 2 s, or what the URL says; so do a cluster's nodes."""
    make = sync_redis_from_url if flavour == "sync" else async_redis_from_url
    defaults = {"socket_timeout": REDIS_SOCKET_TIMEOUT, "socket_connect_timeout": 2.0}
    master = make(sentinel_url(sentinel, "?sentinel_socket_timeout=0.5"), **defaults)
    kwargs = master.connection_pool.connection_kwargs
    assert (kwargs["socket_timeout"], kwargs["socket_connect_timeout"]) == (2.0, 2.0)
    sentinels = master.connection_pool.sentinel_manager.sentinels
    assert {s.connection_pool.connection_kwargs["socket_timeout"] for s in sentinels} == {0.5}
    assert timeout_warning(master) is None
    cluster = make(cluster_url(redis_cluster) + "?socket_timeout=1.5", **defaults)
    if flavour == "sync":
        assert cluster.ping()  # the sync client too asks the cluster for its nodes first here
        node = cluster.get_default_node().redis_connection
        assert node.connection_pool.connection_kwargs["socket_timeout"] == 1.5
        cluster.close()
    else:
        assert cluster.get_connection_kwargs()["socket_timeout"] == 1.5
    assert timeout_warning(cluster) is None


MASTER_PASSWORD, SENTINEL_PASSWORD = "m@ster:p/w", "s3ntinel"


@pytest.fixture
def guarded_sentinel(tmp_path: Path) -> Iterator[int]:
    """A master with a password watched by one sentinel with a password of its own (as many
    deployments are); yields the sentinel's port once it names the master."""
    master_port, sentinel_port = free_port(), free_port()
    master = Daemon("master", [
        binary("redis-server"), "--bind", "127.0.0.1", "--port", str(master_port),
        "--requirepass", MASTER_PASSWORD, "--save", "", "--appendonly", "no",
        "--dir", str(tmp_path),
    ], tmp_path)  # fmt: skip
    config = tmp_path / "sentinel.conf"
    config.write_text(
        f"port {sentinel_port}\nbind 127.0.0.1\ndir {tmp_path}\n"
        f'requirepass "{SENTINEL_PASSWORD}"\n'
        f"sentinel monitor {MASTER_NAME} 127.0.0.1 {master_port} 1\n"
        f'sentinel auth-pass {MASTER_NAME} "{MASTER_PASSWORD}"\n'
    )
    sentinel = Daemon("sentinel", [binary("redis-sentinel"), str(config)], tmp_path)
    master.start()
    sentinel.start()
    try:
        asks = redis.Redis(port=sentinel_port, password=SENTINEL_PASSWORD, socket_timeout=2)

        def names_the_master() -> bool | None:
            sentinel.check_alive()
            found: Any = asks.sentinel_get_master_addr_by_name(MASTER_NAME)
            return True if found and int(found[1]) == master_port else None

        wait_until(names_the_master, "the sentinel to name the master")
        yield sentinel_port
    finally:
        sentinel.stop()
        master.stop()


@pytest.mark.scopix_sandbox(remaining_credits={"acct_main": 30})
def test_a_sentinel_url_carries_the_masters_and_the_sentinels_passwords(
    guarded_sentinel: int, scopix_sandbox: Sandbox
) -> None:
    """The master's password (percent-encoded @, : and /) in the user part, the sentinels' as
    `sentinel_password`: a hold is taken and listed. Without `sentinel_password` the sentinel
    refuses and the ledger says so."""
    master_password = quote(MASTER_PASSWORD, safe="")
    base = f"redis+sentinel://:{master_password}@127.0.0.1:{guarded_sentinel}/{MASTER_NAME}"
    where: dict[str, Any] = {"base_url": scopix_sandbox.base_url, "api_key": scopix_sandbox.api_key}
    url = f"{base}?sentinel_password={SENTINEL_PASSWORD}"
    with (
        SyncScopix(**where, credits=SyncRedisLedger(url)) as client,
        client.usage.reserve(analysis_level="thorough", item_count=2),
    ):
        assert client.usage.holds().credits == 6
    with (
        SyncScopix(**where, credits=SyncRedisLedger(base)) as client,
        pytest.raises(CreditLedgerUnavailableError) as refused,
    ):
        client.usage.holds()
    assert "failed (MasterNotFoundError: no sentinel named a master (" in str(refused.value)
    assert f"127.0.0.1:{guarded_sentinel}: " in str(refused.value)
    assert "authenticate the client" in str(refused.value)  # the sentinel's NOAUTH
    assert "p/w" not in str(refused.value)


def _sandbox(factory: Callable[..., Sandbox]) -> Sandbox:
    return factory(window_seconds=1.0, limits=LIMITS, record_requests=False)


def _two_paced_clients(sandbox: Sandbox, urls: list[str], prefix: str, flavour: str) -> None:
    """Two clients, each with its own limiter built from `url` (as two processes would have),
    10 calls each at once: they meet only in Redis. Paced alone, 10 x 429."""
    if flavour == "sync":
        from concurrent.futures import ThreadPoolExecutor

        def one_client(url: str) -> None:
            limiter = SyncRedisLimiter(url, limits=PACING, prefix=prefix)
            with SyncScopix(api_key=sandbox.api_key, base_url=sandbox.base_url,
                            pacing=limiter) as client, ThreadPoolExecutor(10) as pool:  # fmt: skip
                list(pool.map(lambda _: client.usage.get_breakdown(), range(10)))

        with ThreadPoolExecutor(2) as clients:
            list(clients.map(one_client, urls))
        return

    async def one_async_client(url: str) -> None:
        limiter = AsyncRedisLimiter(url, limits=PACING, prefix=prefix)
        async with Scopix(api_key=sandbox.api_key, base_url=sandbox.base_url,
                          pacing=limiter) as client:  # fmt: skip
            await asyncio.gather(*(client.usage.get_breakdown() for _ in range(10)))

    async def main() -> None:
        await asyncio.gather(*(one_async_client(url) for url in urls))

    asyncio.run(main())


@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_pacing_over_a_sentinel_url(
    sentinel: RedisSentinel, scopix_sandbox_factory: Callable[..., Sandbox], flavour: str
) -> None:
    sandbox = _sandbox(scopix_sandbox_factory)
    prefix = f"urls:{uuid.uuid4().hex}"
    _two_paced_clients(sandbox, [sentinel_url(sentinel)] * 2, prefix, flavour)
    stats = sandbox.stats()
    assert stats["rate_limited"] == 0
    assert stats["by_status"] == {"200": 20}
    master = sentinel.client(sentinel.master_port)
    assert list(master.scan_iter(match=f"{prefix}*")), "nothing booked on the master"


@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_pacing_over_a_cluster_url(
    redis_cluster: RedisCluster, scopix_sandbox_factory: Callable[..., Sandbox], flavour: str
) -> None:
    sandbox = _sandbox(scopix_sandbox_factory)
    prefix = f"urls:{uuid.uuid4().hex}"
    urls = [cluster_url(redis_cluster, 0), cluster_url(redis_cluster, 1)]
    _two_paced_clients(sandbox, urls, prefix, flavour)
    stats = sandbox.stats()
    assert stats["rate_limited"] == 0
    assert stats["by_status"] == {"200": 20}
    keys = redis_cluster.keys(f"{prefix}*")
    assert keys, "nothing booked in the cluster"
    assert len({key.split(":", 1)[0] for key in keys}) == 1, keys  # one slot, one master


def _holds_are_shared(sandbox: Sandbox, urls: list[str], flavour: str) -> int:
    """Two clients with their own ledger from `url`: the second is refused what the first
    holds. Returns the credits the second saw held."""
    prefix = f"urls:{uuid.uuid4().hex}"
    where: dict[str, Any] = {
        "base_url": sandbox.base_url, "api_key": sandbox.api_key, "pacing": False,
    }  # fmt: skip
    if flavour == "sync":
        with (
            SyncScopix(**where, credits=SyncRedisLedger(urls[0], prefix=prefix)) as one,
            SyncScopix(**where, credits=SyncRedisLedger(urls[1], prefix=prefix)) as two,
            one.usage.reserve(analysis_level="thorough", item_count=20),
        ):
            with (
                pytest.raises(InsufficientCreditsError),
                two.usage.reserve(analysis_level="thorough", item_count=20),
            ):
                pass
            return two.usage.holds().credits

    async def main() -> int:
        async with (
            Scopix(**where, credits=AsyncRedisLedger(urls[0], prefix=prefix)) as one,
            Scopix(**where, credits=AsyncRedisLedger(urls[1], prefix=prefix)) as two,
            one.usage.reserve(analysis_level="thorough", item_count=20),
        ):
            with pytest.raises(InsufficientCreditsError):
                async with two.usage.reserve(analysis_level="thorough", item_count=20):
                    pass
            return (await two.usage.holds()).credits

    return asyncio.run(main())


@pytest.mark.scopix_sandbox(remaining_credits={"acct_main": 100})
@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_a_credit_ledger_over_a_sentinel_url(
    sentinel: RedisSentinel, scopix_sandbox: Sandbox, flavour: str
) -> None:
    assert _holds_are_shared(scopix_sandbox, [sentinel_url(sentinel)] * 2, flavour) == 60


@pytest.mark.scopix_sandbox(remaining_credits={"acct_main": 100})
@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_a_credit_ledger_over_a_cluster_url(
    redis_cluster: RedisCluster, scopix_sandbox: Sandbox, flavour: str
) -> None:
    urls = [cluster_url(redis_cluster, 0), cluster_url(redis_cluster, 1)]
    assert _holds_are_shared(scopix_sandbox, urls, flavour) == 60


def _env(sb: Sandbox) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCOPIX_")}
    return {**env, **sb.env}


@pytest.mark.scopix_sandbox(remaining_credits={"acct_main": 30})
def test_the_cli_holds_through_a_cluster_url_and_lists_through_it(
    redis_cluster: RedisCluster, scopix_sandbox: Sandbox
) -> None:
    """`usage run --redis redis+cluster://...` holds while its command runs `usage holds
    --redis` on the same URL, which sees the run's hold."""
    url = cluster_url(redis_cluster)
    listing = [*CLI, "holds", "--redis", cluster_url(redis_cluster, 1), "--json"]
    done = subprocess.run(
        [*CLI, "run", "--analysis-level", "thorough", "--items", "6", "--redis", url, "--",
         *listing],
        env=_env(scopix_sandbox), capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    assert seen["credits"] == 18
    assert len(seen["holds"]) == 1


@pytest.mark.scopix_sandbox(remaining_credits={"acct_main": 30})
def test_the_cli_lists_holds_through_a_sentinel_url(
    sentinel: RedisSentinel, scopix_sandbox: Sandbox
) -> None:
    url = sentinel_url(sentinel)
    ledger = SyncRedisLedger(url)
    where: dict[str, Any] = {"base_url": scopix_sandbox.base_url, "api_key": scopix_sandbox.api_key}
    with (
        SyncScopix(**where, credits=ledger) as client,
        client.usage.reserve(analysis_level="thorough", item_count=4),
    ):
        done = subprocess.run(
            [*CLI, "holds", "--redis", url], env=_env(scopix_sandbox),
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("12 credits held by 1 hold, 0 waiting."), done.stdout


def test_the_cli_names_redis_for_a_bad_sentinel_url_and_hides_its_password(
    scopix_sandbox: Sandbox,
) -> None:
    done = subprocess.run(
        [*CLI, "holds", "--redis", "redis+sentinel://me:hunter2@127.0.0.1:1"],
        env=_env(scopix_sandbox), capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("UsageError: Invalid value for '--redis': Redis URL must be ")
    assert "the service name is missing" in done.stderr
    assert "me:***@127.0.0.1:1" in done.stderr
    assert "hunter2" not in done.stderr


@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_a_sentinel_url_client_finds_the_new_master_after_a_failover(
    redis_sentinel: RedisSentinel, scopix_sandbox_factory: Callable[..., Sandbox], flavour: str
) -> None:
    """Paced calls through a limiter built from the URL; the master is SIGKILLed and the
    replica promoted; the calls after it are answered and booked on the new master."""
    sandbox = _sandbox(scopix_sandbox_factory)
    prefix = f"urls:{uuid.uuid4().hex}"
    url = sentinel_url(redis_sentinel, "?socket_timeout=1&sentinel_socket_timeout=0.5")
    options: dict[str, Any] = {"limits": PACING, "prefix": prefix, "retry_redis_after": 0.5}
    where: dict[str, Any] = {"api_key": sandbox.api_key, "base_url": sandbox.base_url}
    new_master = redis_sentinel.client(redis_sentinel.replica_port)
    promoted_us = [0]

    def fail_over() -> None:
        redis_sentinel.kill_master()
        redis_sentinel.wait_failover()
        seconds, micros = new_master.time()
        promoted_us[0] = int(seconds) * 1_000_000 + int(micros)

    def booked_after_failover() -> bool:
        """A booking scored after the promotion (the replica holds the old ones already)."""
        return any(
            new_master.type(key) == "zset" and new_master.zcount(key, f"({promoted_us[0]}", "+inf")
            for key in new_master.scan_iter(match=f"{prefix}*")
        )

    if flavour == "sync":
        with SyncScopix(**where, pacing=SyncRedisLimiter(url, **options)) as client:
            for _ in range(5):
                client.usage.get_breakdown()
            fail_over()
            # the first calls may pace in-process while the client learns of the failover
            for _ in range(30):
                client.usage.get_breakdown()
                if booked_after_failover():
                    break
    else:

        async def main() -> None:
            async with Scopix(**where, pacing=AsyncRedisLimiter(url, **options)) as client:
                for _ in range(5):
                    await client.usage.get_breakdown()
                fail_over()
                for _ in range(30):
                    await client.usage.get_breakdown()
                    if booked_after_failover():
                        break

        asyncio.run(main())
    stats = sandbox.stats()
    assert stats["rate_limited"] == 0
    assert booked_after_failover(), "nothing booked on the new master after the failover"


def test_the_cli_says_a_cluster_url_out_of_reach_is_exit_5(scopix_sandbox: Sandbox) -> None:
    """No node answers: the ledger's one line and the CLI's network status (as for a plain
    URL), not redis-py's traceback from making its sync cluster client; nothing runs."""
    port = free_port()
    done = subprocess.run(
        [*CLI, "holds", "--redis", f"redis+cluster://me:hunter2@127.0.0.1:{port}"],
        env=_env(scopix_sandbox), capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 5, done.stderr
    assert done.stderr.startswith(
        f"CreditLedgerUnavailableError: the credit ledger in Redis (127.0.0.1:{port}) cannot be "
        "reached (ConnectionError: Redis Cluster cannot be connected. "
    ), done.stderr
    assert len(done.stderr.splitlines()) == 1
    assert "hunter2" not in done.stderr


def test_the_cli_says_sentinels_out_of_reach_is_exit_5_without_the_passwords(
    scopix_sandbox: Sandbox,
) -> None:
    """No sentinel answers: the ledger's one line and exit 5; neither the master's password
    nor the sentinels' appears (redis-py's error quotes the sentinel client's repr)."""
    url = f"redis+sentinel://me:hunter2@127.0.0.1:{free_port()}/svc?sentinel_password=hunter3"
    done = subprocess.run(
        [*CLI, "holds", "--redis", url],
        env=_env(scopix_sandbox), capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 5, done.stderr
    assert done.stderr.startswith("CreditLedgerUnavailableError: the credit ledger in Redis ")
    assert "(Sentinel service 'svc' via 127.0.0.1:" in done.stderr
    assert "cannot be reached (MasterNotFoundError: no sentinel named a master (" in done.stderr
    assert "Connection refused" in done.stderr
    assert len(done.stderr.splitlines()) == 1
    assert "hunter" not in done.stderr
