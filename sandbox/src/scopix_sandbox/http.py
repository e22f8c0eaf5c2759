"""The HTTP/1.1 server: h11 parses requests and frames responses inside an asyncio.Protocol.

h11 does the protocol (request heads, repeated headers, Content-Length and chunked bodies,
`Expect: 100-continue`, keep-alive and `Connection: close`, pipelined requests, malformed input);
this module does the I/O and the two things fault injection needs from the socket:

- Order with delays: a response with a `delay` is sent that much later, and the connection's
  next requests wait for it (h11 pauses after each request until its response is complete), so
  answers always leave in request order.
- A cut: a response with `cut_after` sends its head and that many bytes of its body, then closes
  the connection.

Handlers are synchronous: a `Request` in, a `Response` out.
"""

from __future__ import annotations

import asyncio
import ipaddress
import itertools
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus

import h11

__all__ = ["MAX_BODY", "MAX_HEAD", "Handler", "HttpProtocol", "HttpServer", "Request", "Response"]

log = logging.getLogger("scopix_sandbox.http")

MAX_HEAD = 64 * 1024
MAX_BODY = 1024 * 1024


@dataclass(slots=True)
class Request:
    method: str
    target: str
    headers: list[tuple[str, str]]
    """In order, names lower-cased, repeated names kept."""
    body: bytes
    loopback_peer: bool

    def header_values(self, name: str) -> list[str]:
        """Every value sent for `name` (lower case), one per header line."""
        return [value for key, value in self.headers if key == name]


@dataclass(slots=True)
class Response:
    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    delay: float = 0.0
    cut_after: int | None = None
    """Send the head and this many bytes of the body, then close the connection."""
    close: bool = False


Handler = Callable[[Request], Response]

_REASONS = {s.value: s.phrase.encode() for s in HTTPStatus}
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
        self.conn = h11.Connection(h11.SERVER, max_incomplete_event_size=MAX_HEAD)
        self.request: h11.Request | None = None
        self.body = bytearray()
        self.head = False
        """The request being answered is a HEAD: its response goes without a body."""
        self.busy = False
        """A delayed response is pending: read nothing more until it is sent."""
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
        self.conn.receive_data(data)
        self._process()

    def eof_received(self) -> bool:
        # The client is done sending; answer what it asked, then close (h11 reports the close).
        self.conn.receive_data(b"")
        self._process()
        return True

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()
            self.transport = None

    # -- reading ------------------------------------------------------------------------------

    def _process(self) -> None:
        conn = self.conn
        while not self.busy and not self.paused and self.transport is not None:
            if conn.our_state is h11.DONE and conn.their_state is h11.DONE:
                conn.start_next_cycle()  # keep-alive: the next (maybe pipelined) request
            try:
                event = conn.next_event()
            except h11.RemoteProtocolError as exc:
                self._fail(exc.error_status_hint, f"Malformed request: {exc}")
                return
            if event is h11.NEED_DATA or event is h11.PAUSED:
                return
            if isinstance(event, h11.Request):
                self._start(event)
            elif isinstance(event, h11.Data):
                self.body += event.data
                if len(self.body) > MAX_BODY:
                    self._fail(413, f"Request body over {MAX_BODY} bytes")
                    return
            elif isinstance(event, h11.EndOfMessage):
                self._dispatch()
            elif isinstance(event, h11.ConnectionClosed):
                self.close()
                return

    def _start(self, event: h11.Request) -> None:
        self.request = event
        self.body = bytearray()
        length = dict(event.headers).get(b"content-length")
        if length is not None and int(length) > MAX_BODY:
            self._fail(413, f"Request body over {MAX_BODY} bytes")
        elif self.conn.they_are_waiting_for_100_continue:
            self._write(h11.InformationalResponse(status_code=100, headers=[], reason=b"Continue"))

    def _dispatch(self) -> None:
        event = self.request
        assert event is not None
        self.request = None
        self.head = event.method == b"HEAD"
        request = Request(
            event.method.decode("ascii"),
            event.target.decode("ascii"),
            [(name.decode("latin-1"), value.decode("latin-1")) for name, value in event.headers],
            bytes(self.body),
            self.loopback,
        )
        try:
            resp = self.handler(request)
        except Exception:
            log.exception("handler failed for %s %s", request.method, request.target)
            rid = ("X-Request-Id", _protocol_request_id())
            resp = Response(500, [rid, ("Content-Type", "text/plain")], b"internal error")
        if resp.delay > 0:
            self.busy = True
            loop = asyncio.get_running_loop()
            self.timer = loop.call_later(resp.delay, self._send_later, resp)
            return
        self._send(resp)

    # -- writing ------------------------------------------------------------------------------

    def _send_later(self, resp: Response) -> None:
        self.timer = None
        self.busy = False
        self._send(resp)
        self._process()

    def _write(self, *events: h11.Event) -> None:
        """Frame `events` with h11 and hand them to the socket in one write."""
        send = self.conn.send
        data = b"".join(send(event) or b"" for event in events)
        if data and self.transport is not None:
            self.transport.write(data)

    def _send(self, resp: Response) -> None:
        if self.transport is None:
            return
        headers = [("Content-Length", str(len(resp.body))), *resp.headers]
        if resp.close:
            headers.append(("Connection", "close"))
        reason = _REASONS.get(resp.status, b"Unknown")
        head = h11.Response(status_code=resp.status, headers=headers, reason=reason)
        if resp.cut_after is not None:
            self._write(head, h11.Data(data=resp.body[: resp.cut_after]))
            self.close()
            return
        if resp.body and not self.head:
            self._write(head, h11.Data(data=resp.body), h11.EndOfMessage())
        else:
            self._write(head, h11.EndOfMessage())
        if self.conn.our_state is h11.MUST_CLOSE:
            self.close()

    def _fail(self, status: int, message: str) -> None:
        """Answer a request that cannot be served, then close the connection."""
        if self.conn.our_state in (h11.IDLE, h11.SEND_RESPONSE):
            headers = [("X-Request-Id", _protocol_request_id()), ("Content-Type", "text/plain")]
            self._send(Response(status, headers, message.encode(), close=True))
        self.close()


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
