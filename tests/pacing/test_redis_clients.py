"""Redis clients that cannot run the pacing scripts, on a real redis-server: the limiter raises
RedisPacingError with the cause at the first call (and the next), and never paces alone."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from scopix.pacing import BucketLimit, RateLimits, RedisPacingError, SyncRedisLimiter
from tests.redis_server import RedisServer

LIMITS = RateLimits({"usage": BucketLimit(5, 1.0)})


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[RedisServer]:
    """A redis-server of this test alone: the tests below change its role and its password."""
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


def assert_fails_loudly(
    client: redis.Redis, match: str, hint: str, caplog: pytest.LogCaptureFixture
) -> None:
    limiter = SyncRedisLimiter(client, limits=LIMITS).for_key("scopix_" + uuid.uuid4().hex)
    with caplog.at_level(logging.WARNING, logger="scopix"):
        for _ in range(2):
            with pytest.raises(RedisPacingError, match=match) as caught:
                limiter.acquire("usage")
            assert hint in str(caught.value)
    assert "pacing in-process" not in caplog.text


def test_a_read_only_replica_fails_loudly(
    own_server: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    admin = redis.from_url(own_server.url, socket_timeout=2.0)
    admin.replicaof("127.0.0.1", "1")  # a replica (of nothing reachable)
    client = redis.from_url(own_server.url, socket_timeout=2.0)
    assert_fails_loudly(client, "ReadOnlyError", "master_for", caplog)
    admin.replicaof("NO", "ONE")


def test_a_wrong_password_fails_loudly(
    own_server: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    secret = uuid.uuid4().hex
    redis.from_url(own_server.url, socket_timeout=2.0).config_set("requirepass", secret)
    client = redis.from_url(own_server.url, password="wrong", socket_timeout=2.0)
    assert_fails_loudly(client, "AuthenticationError", "invalid", caplog)
    assert secret not in caplog.text
