"""A small HTTP/1.1 server on asyncio.Protocol: keep-alive, pipelining, no framework.

It reads a request head (and a Content-Length body), hands a `Request` to a synchronous handler
and writes the `Response` it returns. Responses go out in request order; a response with a
`delay` holds the connection's later requests until it is sent. A response marked `cut` sends its
head and half its body, then closes the connection (a dropped connection, for fault injection).
"""

from __future__ import annotations

import asyncio
import ipaddress
import itertools
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus

log = logging.getLogger("scopix_sandbox.http")

MAX_HEAD = 64 * 1024
MAX_BODY = 1024 * 1024


@dataclass(slots=True)
class Request:
    method: str
    target: str
    headers: dict[str, str]
    """Lower-cased names."""
    body: bytes
    loopback_peer: bool


@dataclass(slots=True)
class Response:
    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    delay: float = 0.0
    cut: bool = False
    close: bool = False


Handler = Callable[[Request], Response]

_REASONS = {s.value: s.phrase for s in HTTPStatus}


def encode_head(resp: Response, close: bool) -> bytes:
    lines = [
        f"HTTP/1.1 {resp.status} {_REASONS.get(resp.status, 'Unknown')}",
        f"Content-Length: {len(resp.body)}",
    ]
    lines.extend(f"{k}: {v}" for k, v in resp.headers)
    if close:
        lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


_protocol_errors = itertools.count(1)


def _protocol_request_id() -> str:
    """Ids for responses the server writes itself (malformed requests), before any handler."""
    return f"req_http{next(_protocol_errors):012x}"


def _is_loopback(peer: object) -> bool:
    if isinstance(peer, tuple) and peer:
        try:
            return ipaddress.ip_address(str(peer[0])).is_loopback
        except ValueError:
            return False
    return False


class HttpProtocol(asyncio.Protocol):
    def __init__(self, handler: Handler, connections: set[HttpProtocol]) -> None:
        self.handler = handler
        self.connections = connections
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.busy = False
        self.paused = False
        self.loopback = False
        self.timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.loopback = _is_loopback(transport.get_extra_info("peername"))
        self.connections.add(self)

    def connection_lost(self, exc: Exception | None) -> None:
        self.transport = None
        self.connections.discard(self)
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None

    def pause_writing(self) -> None:
        self.paused = True

    def resume_writing(self) -> None:
        self.paused = False
        self._process()

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if not self.busy:
            self._process()

    def eof_received(self) -> bool:
        return False

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()

    def _process(self) -> None:
        buf = self.buffer
        while not self.busy and not self.paused and self.transport is not None and buf:
            end = buf.find(b"\r\n\r\n")
            if end < 0:
                if len(buf) > MAX_HEAD:
                    self._fail(431, "Request header too large")
                return
            try:
                head = buf[:end].decode("latin-1")
                request_line, *header_lines = head.split("\r\n")
                method, target, version = request_line.split(" ")
                headers: dict[str, str] = {}
                for line in header_lines:
                    name, sep, value = line.partition(":")
                    if not sep:
                        raise ValueError(line)
                    headers[name.strip().lower()] = value.strip()
                length = int(headers.get("content-length", "0"))
            except ValueError:
                self._fail(400, "Malformed request")
                return
            if not version.startswith("HTTP/1.") or length < 0:
                self._fail(400, "Unsupported protocol")
                return
            if "chunked" in headers.get("transfer-encoding", "").lower() or length > MAX_BODY:
                self._fail(411 if length <= MAX_BODY else 413, "Send a Content-Length body")
                return
            total = end + 4 + length
            if len(buf) < total:
                return
            body = bytes(buf[end + 4 : total])
            del buf[:total]
            conn = headers.get("connection", "").lower()
            close = conn == "close" or (version == "HTTP/1.0" and conn != "keep-alive")
            try:
                resp = self.handler(Request(method, target, headers, body, self.loopback))
            except Exception:
                log.exception("handler failed for %s %s", method, target)
                rid = ("X-Request-Id", _protocol_request_id())
                resp = Response(500, [rid, ("Content-Type", "text/plain")], b"internal error")
            close = close or resp.close
            if resp.delay > 0:
                self.busy = True
                loop = asyncio.get_running_loop()
                self.timer = loop.call_later(resp.delay, self._send_later, resp, close)
                return
            self._send(resp, close)

    def _send_later(self, resp: Response, close: bool) -> None:
        self.timer = None
        self.busy = False
        self._send(resp, close)
        self._process()

    def _send(self, resp: Response, close: bool) -> None:
        transport = self.transport
        if transport is None:
            return
        if resp.cut:
            transport.write(encode_head(resp, False) + resp.body[: len(resp.body) // 2])
            transport.close()
            self.transport = None
            return
        transport.write(encode_head(resp, close) + resp.body)
        if close:
            transport.close()
            self.transport = None

    def _fail(self, status: int, message: str) -> None:
        body = message.encode()
        headers = [("X-Request-Id", _protocol_request_id()), ("Content-Type", "text/plain")]
        self._send(Response(status, headers, body), True)


class HttpServer:
    """The listening socket and its open connections."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.connections: set[HttpProtocol] = set()
        self.server: asyncio.Server | None = None

    async def start(self, host: str, port: int) -> int:
        loop = asyncio.get_running_loop()
        self.server = await loop.create_server(
            lambda: HttpProtocol(self.handler, self.connections),
            host=host,
            port=port,
            reuse_address=True,
            backlog=1024,
        )
        sock = self.server.sockets[0]
        return int(sock.getsockname()[1])

    async def stop(self) -> None:
        if self.server is not None:
            self.server.close()
            for conn in list(self.connections):
                conn.close()
            await self.server.wait_closed()
            self.server = None
        # Let the transports run their close callbacks before the loop goes away.
        for _ in range(3):
            await asyncio.sleep(0)
