"""A sync Redis Cluster client that looks for its nodes at its first command, as the async one does.

redis-py's sync `RedisCluster` asks its startup nodes for the slots while it is made, so one made
while no node answers raises there. A limiter or ledger built from a `redis+cluster://` URL holds
this instead: it is made at once and makes the `RedisCluster` at its first command, and again at
each command until one is made. Meanwhile each command raises as a Redis out of reach does (the
limiter paces in-process, the ledger refuses), and the first command after the cluster answers
runs on it. Imported only when such a URL is used: `redis` is not needed before.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

import redis.exceptions
from redis.cluster import ClusterNode, RedisCluster
from redis.typing import EncodableT, KeyT

__all__ = ["LazyRedisCluster"]


class LazyRedisCluster:
    """Made as `redis.cluster.RedisCluster(startup_nodes=..., **options)` is; every attribute
    but these few is the made client's."""

    connection_pool = None  # as on RedisCluster: a pool per node, none of its own

    def __init__(self, startup_nodes: Sequence[ClusterNode], **options: object) -> None:
        self._nodes = [(node.host, node.port) for node in startup_nodes]
        self._options = options
        self._client: RedisCluster | None = None
        self._lock = threading.Lock()
        self._scripts: dict[str, Callable[..., object]] = {}

    def _make(self) -> RedisCluster:
        # new nodes each time: a failed try leaves its node clients on the ones it was given
        nodes = [ClusterNode(host, port) for host, port in self._nodes]  # type: ignore[no-untyped-call]
        return RedisCluster(startup_nodes=nodes, **self._options)  # type: ignore[arg-type]

    def client(self) -> RedisCluster:
        """The `RedisCluster`, made now if it is not yet."""
        client = self._client
        if client is None:
            with self._lock:  # one thread makes it; the others find it made, or try in turn
                if self._client is None:
                    self._client = _made(self._make)
                client = self._client
        return client

    def register_script(self, source: str) -> Callable[..., object]:
        """The script, run by the made client (registered on it at its first call)."""

        def run(keys: Sequence[KeyT] = (), args: Sequence[EncodableT] = ()) -> object:
            script = self._scripts.get(source)
            if script is None:
                script = self._scripts[source] = self.client().register_script(source)
            return script(keys=keys, args=args)

        return run

    def get_default_node(self) -> object:
        """The made client's default node; before, the first startup node (for messages)."""
        if self._client is None:
            return ClusterNode(*self._nodes[0])  # type: ignore[no-untyped-call]
        return self._client.get_default_node()  # type: ignore[no-untyped-call]

    def close(self) -> None:
        if self._client is not None:
            self._client.close()

    def __getattr__(self, name: str) -> object:
        if name.startswith("_"):  # copy, pickle and friends probe these: not the client's
            raise AttributeError(name)
        return getattr(self.client(), name)


def _made(make: Callable[[], RedisCluster]) -> RedisCluster:
    """`make()`; a cluster none of whose startup nodes answered raises redis-py's
    `ConnectionError`, what any Redis out of reach raises, with its own message and cause."""
    unreachable = getattr(redis.exceptions, "RedisClusterUnreachableError", None)
    try:
        return make()
    except redis.exceptions.RedisClusterException as exc:
        if unreachable is None or not isinstance(exc, unreachable):
            raise
        raise redis.exceptions.ConnectionError(str(exc)) from exc
