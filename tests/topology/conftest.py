"""Fixtures that start a real topology on 127.0.0.1 in a temporary folder and stop it after: a
3-master Redis Cluster, a master + replica + 3 sentinels, HAProxy and nginx in front of a server.
A missing binary fails the test with a message naming `make install` (nothing is skipped)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from .gateways import HAProxy, Nginx
from .redis_cluster import RedisCluster
from .redis_sentinel import RedisSentinel

__all__ = ["haproxy_factory", "nginx_factory", "redis_cluster", "redis_sentinel"]


@pytest.fixture(scope="session")
def redis_cluster() -> Iterator[RedisCluster]:
    cluster = RedisCluster()
    cluster.start()
    yield cluster
    cluster.stop()


@pytest.fixture
def redis_sentinel() -> Iterator[RedisSentinel]:
    """Per test: a test may kill its master."""
    topology = RedisSentinel()
    topology.start()
    yield topology
    topology.stop()


@pytest.fixture
def haproxy_factory() -> Iterator[Callable[..., HAProxy]]:
    """`haproxy_factory(upstream_port, limit=10, period=4.0) -> HAProxy`, started."""
    made: list[HAProxy] = []

    def make(upstream_port: int, *, limit: int = 10, period: float = 4.0) -> HAProxy:
        gateway = HAProxy(upstream_port, limit=limit, period=period)
        gateway.start()
        made.append(gateway)
        return gateway

    yield make
    for gateway in made:
        gateway.stop()


@pytest.fixture
def nginx_factory() -> Iterator[Callable[..., Nginx]]:
    """`nginx_factory(upstream_port, rate=10) -> Nginx`, started."""
    made: list[Nginx] = []

    def make(upstream_port: int, rate: int = 10) -> Nginx:
        gateway = Nginx(upstream_port, rate=rate)
        gateway.start()
        made.append(gateway)
        return gateway

    yield make
    for gateway in made:
        gateway.stop()
