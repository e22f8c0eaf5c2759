"""A connection error in words: which host and port, and what happened (refused, DNS, TLS, a
timeout and its limit, a broken connection). The SDK's message names only httpx's class; the
cause is further down the exception chain."""

from __future__ import annotations

import socket
import ssl

import httpx

__all__ = ["connection_problem"]

_DEFAULT_PORTS = {"http": 80, "https": 443}


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
    return os_error.strerror or str(os_error) if os_error else str(chain[0])


def connection_problem(exc: BaseException, request: httpx.Request) -> str:
    """`cannot connect to HOST:PORT: connection refused`, `HOST:PORT: no answer within 60 s
    (read timeout)`, ...: what `exc` (an `APIConnectionError`) says, from its causes."""
    url = request.url
    host = f"[{url.host}]" if ":" in url.host else url.host
    where = f"{host}:{url.port or _DEFAULT_PORTS.get(url.scheme, '?')}"
    chain = _chain(exc)
    cause = next((e for e in chain if isinstance(e, httpx.TransportError)), None)
    if isinstance(cause, httpx.ConnectTimeout):
        return f"cannot connect to {where}{_limit(request, 'connect')} (connect timeout)"
    if isinstance(cause, httpx.ReadTimeout):
        return f"{where}: no answer{_limit(request, 'read')} (read timeout)"
    if isinstance(cause, httpx.WriteTimeout):
        return f"{where}: could not send the request{_limit(request, 'write')} (write timeout)"
    if isinstance(cause, httpx.PoolTimeout):
        return f"{where}: no free connection{_limit(request, 'pool')} (pool timeout)"
    if isinstance(cause, httpx.ConnectError):
        return f"cannot connect to {where}: {_connect_cause(chain)}"
    if isinstance(cause, httpx.RemoteProtocolError | httpx.ReadError | httpx.WriteError):
        return f"{where}: the connection broke ({cause})"
    return f"{where}: {cause or exc}"
