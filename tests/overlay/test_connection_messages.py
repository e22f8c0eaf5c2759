"""What `str(e)` of a connection error tells an SDK user: the host and port it could not reach
and why (refused, DNS, TLS, a timeout and its limit), without digging in `__cause__`."""

from __future__ import annotations

import pickle
import socket
from collections.abc import Iterator

import pytest
from pytest_httpserver import HTTPServer

import scopix

from .conftest import MakeDriver


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port  # nothing listens on it once the socket is closed


@pytest.fixture
def silent_server() -> Iterator[str]:
    """Accepts connections (the kernel does, from the backlog) and never answers."""
    listener = socket.create_server(("127.0.0.1", 0))
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        listener.close()


def connection_error(make_driver: MakeDriver, base_url: str, **kwargs: object) -> str:
    driver = make_driver(base_url=base_url, **kwargs)
    with pytest.raises(scopix.APIConnectionError) as caught:
        driver.call("get_breakdown")
    message = str(caught.value)
    assert message == caught.value.message
    assert str(pickle.loads(pickle.dumps(caught.value))) == message
    return message


def test_refused(make_driver: MakeDriver) -> None:
    port = closed_port()
    message = connection_error(make_driver, f"http://127.0.0.1:{port}")
    assert message == f"cannot connect to 127.0.0.1:{port}: connection refused"


def test_unknown_host(make_driver: MakeDriver) -> None:
    message = connection_error(make_driver, "https://nonexistent.invalid")  # reserved: never found
    assert message.startswith("cannot connect to nonexistent.invalid:443: DNS lookup failed (")


def test_tls_to_a_plain_http_server(make_driver: MakeDriver, httpserver: HTTPServer) -> None:
    plain = httpserver.url_for("").rstrip("/").replace("http://", "https://")
    message = connection_error(make_driver, plain)
    where = plain.removeprefix("https://")
    assert message == f"cannot connect to {where}: TLS handshake failed (wrong version number)"


def test_read_timeout(make_driver: MakeDriver, silent_server: str) -> None:
    driver = make_driver(base_url=silent_server, timeout=0.3)
    with pytest.raises(scopix.APITimeoutError) as caught:
        driver.call("get_breakdown")
    where = silent_server.removeprefix("http://")
    assert str(caught.value) == f"{where}: no answer within 0.3 s (read timeout)"
