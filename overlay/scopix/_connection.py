"""A transport failure in words: which host and port, and what happened (refused, DNS, TLS, a
timeout and its limit, a broken connection). httpx names only its class (`ConnectError`); the
cause (`[Errno 111] Connection refused`) is further down the exception chain."""

from __future__ import annotations

import socket
import ssl

import httpx

__all__ = ["describe_transport_error", "host_port"]

_DEFAULT_PORTS = {"http": 80, "https": 443}


def host_port(url: httpx.URL) -> str:
    """`HOST:PORT` of `url`, the port filled in from the scheme; an IPv6 host in brackets."""
    host = f"[{url.host}]" if ":" in url.host else url.host
    return f"{host}:{url.port or _DEFAULT_PORTS.get(url.scheme, '?')}"


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def _limit(request: httpx.Request, which: str) -> str:
    seconds = request.extensions.get("timeout", {}).get(which)
    return f" within {seconds:g} s" if isinstance(seconds, int | float) else ""


def _tls_reason(exc: ssl.SSLError) -> str:
    reason = str(exc.reason or exc).replace("_", " ").lower()  # WRONG_VERSION_NUMBER
    detail = getattr(exc, "verify_message", None)  # a certificate's: "self-signed certificate"
    return f"{reason}: {detail}" if detail else reason


def _connect_cause(chain: list[BaseException]) -> str:
    for exc in chain:
        if isinstance(exc, ssl.SSLError):
            return f"TLS handshake failed ({_tls_reason(exc)})"
        if isinstance(exc, socket.gaierror):
            return f"DNS lookup failed ({exc.strerror or exc})"
        if isinstance(exc, ConnectionRefusedError):
            return "connection refused"
    os_error = next((e for e in chain if isinstance(e, OSError)), None)
    if os_error is not None:
        return os_error.strerror or str(os_error)
    return str(chain[0]) or type(chain[0]).__name__


def describe_transport_error(exc: httpx.TransportError, request: httpx.Request) -> str:
    """`cannot connect to HOST:PORT: connection refused`, `HOST:PORT: no answer within 60 s
    (read timeout)`, ...: what `exc` says, from its causes."""
    where = host_port(request.url)
    chain = _chain(exc)
    if isinstance(exc, httpx.ConnectTimeout):
        return f"cannot connect to {where}{_limit(request, 'connect')} (connect timeout)"
    if isinstance(exc, httpx.ReadTimeout):
        return f"{where}: no answer{_limit(request, 'read')} (read timeout)"
    if isinstance(exc, httpx.WriteTimeout):
        return f"{where}: could not send the request{_limit(request, 'write')} (write timeout)"
    if isinstance(exc, httpx.PoolTimeout):
        return f"{where}: no free connection{_limit(request, 'pool')} (pool timeout)"
    if isinstance(exc, httpx.ConnectError):
        return f"cannot connect to {where}: {_connect_cause(chain)}"
    if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError | httpx.WriteError):
        return f"{where}: the connection broke ({exc or type(exc).__name__})"
    return f"{where}: {type(exc).__name__}: {exc}" if str(exc) else f"{where}: {type(exc).__name__}"
