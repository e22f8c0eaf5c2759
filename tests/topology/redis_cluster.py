"""A real 3-master Redis Cluster on 127.0.0.1: three `redis-server --cluster-enabled yes` nodes
in a temporary folder, joined by `redis-cli --cluster create`, ready once every node reports
`cluster_state:ok` and knows all 16384 slots."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from functools import partial
from pathlib import Path
from typing import Any

import redis

from .daemons import Daemon, binary, free_port, wait_until

__all__ = ["RedisCluster"]

BUS_OFFSET = 10_000  # Redis puts a node's cluster bus on its port + 10000


class RedisCluster:
    def __init__(self, masters: int = 3) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="scopix-cluster-"))
        server = binary("redis-server")
        self._cli = binary("redis-cli")
        self.ports = [free_port(bus_offset=BUS_OFFSET) for _ in range(masters)]
        self.nodes = [Daemon(f"node-{port}", self._args(server, port), self.folder)
                      for port in self.ports]  # fmt: skip

    def _args(self, server: str, port: int) -> list[str]:
        return [
            server, "--bind", "127.0.0.1", "--port", str(port),
            "--cluster-enabled", "yes", "--cluster-config-file", f"nodes-{port}.conf",
            "--cluster-node-timeout", "2000", "--save", "", "--appendonly", "no",
            "--dir", str(self.folder),
        ]  # fmt: skip

    @property
    def startup_nodes(self) -> list[tuple[str, int]]:
        return [("127.0.0.1", port) for port in self.ports]

    @property
    def url(self) -> str:
        """redis-py's cluster URL form: one node; the client discovers the others."""
        return f"redis://127.0.0.1:{self.ports[0]}"

    def _node(self, port: int) -> Any:  # redis-py's replies are loosely typed
        return redis.Redis(host="127.0.0.1", port=port, socket_timeout=2)

    def start(self) -> None:
        try:
            self._start()
        except BaseException:
            self.stop()
            raise

    def _start(self) -> None:
        for node in self.nodes:
            node.start()
        for node, port in zip(self.nodes, self.ports, strict=True):
            wait_until(partial(self._answers, node, port), f"{node.name} to answer PING")
        created = subprocess.run(
            [
                self._cli, "--cluster", "create",
                *(f"127.0.0.1:{port}" for port in self.ports),
                "--cluster-replicas", "0", "--cluster-yes",
            ],
            capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
        if created.returncode != 0:
            output = created.stdout + created.stderr
            raise RuntimeError(f"redis-cli --cluster create failed:\n{output}")
        for port in self.ports:
            wait_until(partial(self._ready, port), f"node {port} to report cluster_state:ok")

    def halt(self) -> None:
        """Stop every node (a whole-cluster outage); their folder keeps the cluster's layout."""
        for node in self.nodes:
            node.stop()

    def resume(self) -> None:
        """Start the halted nodes on their ports; ready, as after `start`, once every node
        reports `cluster_state:ok` again (no data is kept: the nodes save nothing)."""
        for node in self.nodes:
            node.start()
        for port in self.ports:
            wait_until(partial(self._ready, port), f"node {port} to report cluster_state:ok")

    def _answers(self, node: Daemon, port: int) -> bool | None:
        node.check_alive()
        return True if self._node(port).ping() else None

    def _ready(self, port: int) -> bool | None:
        reply = self._node(port).execute_command("CLUSTER INFO")
        info = {str(k): str(v) for k, v in dict(reply).items()}
        ok = info.get("cluster_state") == "ok" and info.get("cluster_slots_ok") == "16384"
        return True if ok and info.get("cluster_known_nodes") == str(len(self.ports)) else None

    def keys(self, pattern: str) -> list[str]:
        """Matching keys across every master, as `port:key`."""
        found = []
        for port in self.ports:
            for key in self._node(port).scan_iter(match=pattern):
                found.append(f"{port}:{key.decode()}")
        return found

    def stop(self) -> None:
        for node in self.nodes:
            node.stop()
        shutil.rmtree(self.folder, ignore_errors=True)
