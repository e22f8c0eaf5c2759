"""What a refused hold says about where its Redis is: the server a user can go and look at, for
plain, unix-socket and Sentinel clients (whose pool knows no host of its own), in one line."""

from __future__ import annotations

import socket

import pytest
import redis
import redis.asyncio
import redis.asyncio.sentinel
import redis.sentinel

from scopix import CreditLedgerUnavailableError, SyncScopix
from scopix._redis_ledger import redis_server_name
from scopix.credits import SyncRedisLedger


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_each_kind_of_client_is_named_by_what_it_points_at() -> None:
    assert redis_server_name(redis.Redis(host="127.0.0.1", port=6390)) == "127.0.0.1:6390"
    assert redis_server_name(redis.Redis(unix_socket_path="/run/r.sock")) == "/run/r.sock"
    sentinels = [("127.0.0.1", 26379), ("127.0.0.1", 26380)]
    sync_master = redis.sentinel.Sentinel(sentinels).master_for("cache")
    async_master = redis.asyncio.sentinel.Sentinel(sentinels).master_for("cache")
    for client in (sync_master, async_master):
        assert redis_server_name(client) == (
            "Sentinel service 'cache' via 127.0.0.1:26379, 127.0.0.1:26380"
        )


def test_no_sentinel_answering_is_one_short_line_naming_them() -> None:
    port = _closed_port()
    url = f"redis+sentinel://127.0.0.1:{port}/svc"
    client = SyncScopix(
        api_key="scopix_k", base_url="http://127.0.0.1:9", credits=SyncRedisLedger(url)
    )
    with pytest.raises(CreditLedgerUnavailableError) as caught, client.usage.reserve(item_count=1):
        pass
    assert str(caught.value) == (
        f"the credit ledger in Redis (Sentinel service 'svc' via 127.0.0.1:{port}) cannot be"
        " reached (MasterNotFoundError: no sentinel named a master (ConnectionError: Error 111"
        f" connecting to 127.0.0.1:{port}. Connection refused.)); nothing was held"
    )
