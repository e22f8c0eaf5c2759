"""Rate-limiting gateways on 127.0.0.1 in front of an HTTP server (the sandbox or
pytest-httpserver), each writing one line per request it decided on, with the time the request
arrived, so a test can check the departures independently of the client:

- HAProxy: a stick-table per Authorization header storing `http_req_rate(<period>)`; over
  `limit` -> 429 with no rate-limit headers. The rate is HAProxy's smoothed counter (the current
  period plus the previous one weighted by what is left of it), and denied requests count.
- nginx: `limit_req` (a leaky bucket of `rate` per second, `burst` = rate, nodelay): 429; with
  `rate=None` no limit, only the log (a proxy that stamps arrivals in front of the sandbox).
"""

from __future__ import annotations

import shutil
import socket
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .daemons import Daemon, binary, free_port, wait_until

__all__ = ["Gateway", "HAProxy", "Hit", "Nginx"]


@dataclass(frozen=True)
class Hit:
    at: float  # Unix seconds the request arrived at the gateway (its clock)
    status: int


def _accepts(port: int) -> bool | None:
    with socket.create_connection(("127.0.0.1", port), timeout=0.5):
        return True


class Gateway:
    """What both gateways share: a folder, a port, a log of hits, start and stop."""

    name = "gateway"

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.folder = Path(tempfile.mkdtemp(prefix=f"scopix-{self.name}-"))
        self.port = free_port()
        self.hits_file = self.folder / "hits.log"
        self.daemon = Daemon(self.name, self._args(), self.folder)

    def _args(self) -> list[str]:
        raise NotImplementedError

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        try:
            self.daemon.start()
            wait_until(self._accepting, f"{self.name} to accept connections on port {self.port}")
        except BaseException:
            self.stop()
            raise

    def _accepting(self) -> bool | None:
        self.daemon.check_alive()
        return _accepts(self.port)

    def answered(self, count: int) -> list[Hit]:
        """The hits once `count` of them are 200s: a gateway logs a request when it is done,
        which can be just after its client has the answer."""
        wait_until(lambda: self._if_answered(count), f"{self.name} to log {count} answers")
        return self.hits()

    def _if_answered(self, count: int) -> bool | None:
        return True if sum(h.status == 200 for h in self.hits()) >= count else None

    def _lines(self) -> list[list[str]]:
        """The log's lines of `<time> <status> ...` (other lines: the gateway's own notices)."""
        out = []
        if self.hits_file.exists():
            for line in self.hits_file.read_text().splitlines():
                parts = line.split()
                if len(parts) >= 2 and parts[1].isdigit() and parts[0].replace(".", "").isdigit():
                    out.append(parts)
        return out

    def hits(self) -> list[Hit]:
        """Every request decided so far, in arrival order."""
        return sorted((Hit(float(p[0]), int(p[1])) for p in self._lines()), key=lambda h: h.at)

    def stop(self) -> None:
        self.daemon.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


class HAProxy(Gateway):
    name = "haproxy"

    def __init__(self, upstream_port: int, *, limit: int = 10, period: float = 4.0) -> None:
        self.limit, self.period = limit, period
        super().__init__(upstream_port)

    def _args(self) -> list[str]:
        config = self.folder / "haproxy.cfg"
        period_ms = int(self.period * 1000)
        config.write_text(
            f"""global
    log stdout format raw local0
    maxconn 512
defaults
    mode http
    log global
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout http-keep-alive 60s
frontend api
    bind 127.0.0.1:{self.port}
    # the request's arrival time, taken before the decision (the log is written after it)
    http-request set-var(txn.arrived) date(0,ms)
    stick-table type string len 200 size 10k expire 60s store http_req_rate({period_ms}ms)
    http-request track-sc0 req.hdr(authorization)
    http-request deny deny_status 429 if {{ sc_http_req_rate(0) gt {self.limit} }}
    log-format "%[var(txn.arrived)] %ST %[sc_http_req_rate(0)]"
    default_backend upstream
backend upstream
    server api 127.0.0.1:{self.upstream_port}
"""
        )
        # -db: foreground, the log on stdout; it goes to the hits file
        return [binary("haproxy"), "-db", "-f", str(config)]

    def start(self) -> None:
        self.daemon.log = self.hits_file  # stdout carries the log lines
        super().start()

    def hits(self) -> list[Hit]:
        return [Hit(h.at / 1000, h.status) for h in super().hits()]


class Nginx(Gateway):
    name = "nginx"

    def __init__(self, upstream_port: int, *, rate: int | None = 10) -> None:
        self.rate = rate  # None: no limit, only the log of arrivals
        super().__init__(upstream_port)

    def _args(self) -> list[str]:
        config = self.folder / "nginx.conf"
        f = self.folder
        zone = limit = ""
        if self.rate is not None:
            zone = f"limit_req_zone $http_authorization zone=api:1m rate={self.rate}r/s; "
            zone += "limit_req_status 429;"
            limit = f"limit_req zone=api burst={self.rate} nodelay;"
        config.write_text(
            f"""daemon off;
master_process off;
worker_processes 1;
pid {f}/nginx.pid;
error_log {f}/error.log warn;
events {{ worker_connections 512; }}
http {{
    access_log off;
    client_body_temp_path {f}/body;
    proxy_temp_path {f}/proxy;
    fastcgi_temp_path {f}/fastcgi;
    uwsgi_temp_path {f}/uwsgi;
    scgi_temp_path {f}/scgi;
    log_format hits '$msec $status $request_time';
    {zone}
    upstream api {{ server 127.0.0.1:{self.upstream_port}; keepalive 32; }}
    server {{
        listen 127.0.0.1:{self.port};
        access_log {self.hits_file} hits;
        location / {{
            {limit}
            proxy_pass http://api;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
        }}
    }}
}}
"""
        )
        return [binary("nginx"), "-p", str(f), "-c", str(config), "-e", str(f / "error.log")]

    def hits(self) -> list[Hit]:
        # nginx logs when a request is done ($msec); it arrived $request_time before that
        arrived = (Hit(float(p[0]) - float(p[2]), int(p[1])) for p in self._lines())
        return sorted(arrived, key=lambda h: h.at)
