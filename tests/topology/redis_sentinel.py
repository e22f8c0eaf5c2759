"""A master, a replica and three sentinels on 127.0.0.1 (`redis-server`, `redis-sentinel`) in a
temporary folder. Ready once the replica reports its link up and every sentinel sees the replica
and the two other sentinels; `kill_master()` SIGKILLs the master and `wait_failover()` waits
until every sentinel names the replica as the master and it reports the role."""

from __future__ import annotations

import shutil
import tempfile
from functools import partial
from pathlib import Path
from typing import Any

import redis

from .daemons import Daemon, binary, free_port, wait_until

__all__ = ["MASTER_NAME", "RedisSentinel"]

MASTER_NAME = "scopix"
DOWN_AFTER_MS = 500  # how long a silent master takes to be judged down


class RedisSentinel:
    def __init__(self, sentinels: int = 3) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="scopix-sentinel-"))
        server, sentinel = binary("redis-server"), binary("redis-sentinel")
        self.master_port, self.replica_port = free_port(), free_port()
        self.sentinel_ports = [free_port() for _ in range(sentinels)]
        common = ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.master = Daemon(
            "master", [server, "--port", str(self.master_port), *common, "--dir", str(self.folder)],
            self.folder,
        )  # fmt: skip
        self.replica = Daemon(
            "replica",
            [server, "--port", str(self.replica_port), *common, "--dir", str(self.folder),
             "--replicaof", "127.0.0.1", str(self.master_port)],
            self.folder,
        )  # fmt: skip
        self.sentinels = [
            Daemon(f"sentinel-{port}", [sentinel, str(self._config(port))], self.folder)
            for port in self.sentinel_ports
        ]

    def _config(self, port: int) -> Path:
        # sentinels rewrite their file (what they learn): one writable file each
        path = self.folder / f"sentinel-{port}.conf"
        path.write_text(
            f"port {port}\nbind 127.0.0.1\ndir {self.folder}\n"
            f"sentinel monitor {MASTER_NAME} 127.0.0.1 {self.master_port} 2\n"
            f"sentinel down-after-milliseconds {MASTER_NAME} {DOWN_AFTER_MS}\n"
            f"sentinel failover-timeout {MASTER_NAME} 10000\n"
            f"sentinel parallel-syncs {MASTER_NAME} 1\n"
        )
        return path

    @property
    def sentinel_addresses(self) -> list[tuple[str, int]]:
        return [("127.0.0.1", port) for port in self.sentinel_ports]

    @staticmethod
    def client(port: int) -> Any:  # redis-py's replies are loosely typed
        return redis.Redis(host="127.0.0.1", port=port, socket_timeout=2, decode_responses=True)

    def start(self) -> None:
        try:
            self._start()
        except BaseException:
            self.stop()
            raise

    def _start(self) -> None:
        self.master.start()
        wait_until(self._master_answers, "the master to answer PING")
        self.replica.start()
        wait_until(self._replica_synced, "the replica to report master_link_status:up")
        for daemon in self.sentinels:
            daemon.start()
        for daemon, port in zip(self.sentinels, self.sentinel_ports, strict=True):
            wait_until(partial(self._sees_all, daemon, port),
                       f"{daemon.name} to see the replica and the other sentinels")  # fmt: skip

    def _replica_synced(self) -> bool | None:
        self.replica.check_alive()
        info = self.client(self.replica_port).info("replication")
        return True if info.get("master_link_status") == "up" else None

    def _master_answers(self) -> bool | None:
        self.master.check_alive()
        return True if self.client(self.master_port).ping() else None

    def _sees_all(self, daemon: Daemon, port: int) -> bool | None:
        daemon.check_alive()
        state = self.client(port).sentinel_master(MASTER_NAME)
        others = len(self.sentinel_ports) - 1
        ok = state["num-other-sentinels"] == others and state["num-slaves"] == 1
        return True if ok and state["port"] == self.master_port else None

    def master_addr(self, sentinel_port: int) -> int:
        _host, port = self.client(sentinel_port).sentinel_get_master_addr_by_name(MASTER_NAME)
        return int(port)

    def kill_master(self) -> None:
        self.master.kill()

    def wait_failover(self, timeout: float = 30.0) -> None:
        """Every sentinel names the replica, and the replica says it is the master."""

        def done() -> bool | None:
            named = {self.master_addr(port) for port in self.sentinel_ports}
            role = self.client(self.replica_port).info("replication")["role"]
            return True if named == {self.replica_port} and role == "master" else None

        wait_until(done, "the sentinels to promote the replica", timeout)

    def new_master_keys(self, pattern: str) -> list[str]:
        return list(self.client(self.replica_port).scan_iter(match=pattern))

    def stop(self) -> None:
        for daemon in [*self.sentinels, self.replica, self.master]:
            daemon.stop()
        shutil.rmtree(self.folder, ignore_errors=True)
