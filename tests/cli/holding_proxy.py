"""A loopback HTTP proxy that holds one request open: a test learns that a real process has got
exactly that far (`arrived`), acts on it (a signal, a kill) while the process waits for the
answer, then `release()`s it. A state the program reports, instead of a guessed sleep."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import httpx

Query = dict[str, list[str]]
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding"}


class HoldingProxy:
    def __init__(self, upstream: str, hold: Callable[[str, Query], bool]) -> None:
        self.upstream = upstream.rstrip("/")
        self.hold = hold
        self.arrived = threading.Event()  # the held request is here
        self._released = threading.Event()
        self._held_once = False
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def release(self) -> None:
        self._released.set()

    def _should_hold(self, path: str) -> bool:
        parts = urlsplit(path)
        with self._lock:
            if self._held_once or not self.hold(parts.path, parse_qs(parts.query)):
                return False
            self._held_once = True
            return True

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                if proxy._should_hold(self.path):
                    proxy.arrived.set()
                    proxy._released.wait()
                headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
                answer = httpx.get(proxy.upstream + self.path, headers=headers, timeout=60)
                try:
                    self.send_response(answer.status_code)
                    for name, value in answer.headers.items():
                        if name.lower() not in HOP_BY_HOP:
                            self.send_header(name, value)
                    self.send_header("Content-Length", str(len(answer.content)))
                    self.end_headers()
                    self.wfile.write(answer.content)
                except OSError:
                    pass  # the client is gone (it was interrupted): nothing to answer

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self.release()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


@contextmanager
def holding_proxy(upstream: str, hold: Callable[[str, Query], bool]) -> Iterator[HoldingProxy]:
    """A running proxy to `upstream` that holds the first request `hold(path, query)` picks."""
    proxy = HoldingProxy(upstream, hold)
    proxy.start()
    try:
        yield proxy
    finally:
        proxy.stop()
