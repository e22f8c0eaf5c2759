"""The HTTP/1.1 layer on raw sockets: keep-alive, pipelining, repeated headers, chunked bodies,
`Expect: 100-continue`, size limits, HEAD, and the socket-level faults (ordered delays, a cut)."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator

import pytest

from scopix_sandbox.server import Sandbox, run_sandbox
from scopix_sandbox.spec import load_spec

SPEC = load_spec()
CHECK = SPEC.operations["check"].path
BREAKDOWN = SPEC.operations["get_breakdown"].path


@pytest.fixture(scope="module")
def sb() -> Iterator[Sandbox]:
    with run_sandbox(
        events=50, rate_limit=False, record_requests=False, validate_responses=True
    ) as sandbox:
        yield sandbox


def connect(sb: Sandbox) -> socket.socket:
    host, port = sb.base_url.removeprefix("http://").rsplit(":", 1)
    return socket.create_connection((host, int(port)), timeout=5)


def read_all(s: socket.socket) -> bytes:
    """Everything until the server closes the connection (a timeout fails the test)."""
    chunks = []
    while data := s.recv(65536):
        chunks.append(data)
    return b"".join(chunks)


def exchange(sb: Sandbox, payload: bytes) -> bytes:
    with connect(sb) as s:
        s.sendall(payload)
        return read_all(s)


def request(
    sb: Sandbox,
    target: str,
    *headers: str,
    method: str = "GET",
    body: bytes = b"",
    version: str = "1.1",
    auth: bool = True,
) -> bytes:
    lines = [f"{method} {target} HTTP/{version}", f"Host: {sb.base_url.removeprefix('http://')}"]
    if auth:
        lines.append(f"Authorization: Bearer {sb.api_key}")
    lines += headers
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def split(out: bytes) -> list[tuple[bytes, bytes]]:
    """Responses with a Content-Length, as (head, body), in the order they came."""
    responses = []
    while out:
        head, _, rest = out.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.lower() == b"content-length":
                length = int(value)
        if head.startswith(b"HTTP/1.1 1"):  # an interim response has no body
            length = 0
        responses.append((head, rest[:length]))
        out = rest[length:]
    return responses


def test_pipelined_requests_are_answered_in_order_on_one_connection(sb: Sandbox) -> None:
    one = [request(sb, f"{CHECK}?item_count={n}") for n in (1, 2, 3)]
    out = exchange(sb, one[0] + one[1] + one[2][:-2] + b"Connection: close\r\n\r\n")
    answers = split(out)
    assert [head.split(b"\r\n")[0] for head, _ in answers] == [b"HTTP/1.1 200 OK"] * 3
    assert [json.loads(body)["item_count"] for _, body in answers] == [1, 2, 3]
    assert b"Connection: close" in answers[-1][0]


def test_http_1_0_and_malformed_requests(sb: Sandbox) -> None:
    old = exchange(sb, request(sb, CHECK, version="1.0"))
    assert old.startswith(b"HTTP/1.1 200 OK")  # answered, then closed (no keep-alive asked)
    bad = exchange(sb, b"NONSENSE\r\n\r\n")
    assert bad.startswith(b"HTTP/1.1 400")
    assert b"X-Request-Id: req_http" in bad
    broken = b"GET / HTTP/1.1\r\nHost: x\r\nbroken header line\r\n\r\n"
    assert exchange(sb, broken).startswith(b"HTTP/1.1 400")
    no_host = b"GET " + CHECK.encode() + b" HTTP/1.1\r\n\r\n"  # HTTP/1.1 requires Host
    assert exchange(sb, no_host).startswith(b"HTTP/1.1 400")


def test_repeated_headers_are_all_seen(sb: Sandbox) -> None:
    # Two Authorization headers: ambiguous credentials are refused, not the last one taken.
    twice = request(sb, CHECK, f"Authorization: Bearer {sb.api_key}", "Connection: close")
    (head, body), *_ = split(exchange(sb, twice))
    assert head.startswith(b"HTTP/1.1 401")
    assert json.loads(body)["code"] == "malformed_api_key"
    assert "2 Authorization headers" in json.loads(body)["message"]
    # Connection given twice: the close in the second line is honoured.
    with connect(sb) as s:
        s.sendall(request(sb, CHECK, "Connection: keep-alive", "Connection: close"))
        out = read_all(s)  # returns only because the server closed
    assert [head.split(b"\r\n")[0] for head, _ in split(out)] == [b"HTTP/1.1 200 OK"]
    # Content-Length twice: the same value is one length; two values are a 400.
    lengths = ("Content-Length: 2", "Content-Length: 2", "Connection: close")
    same = request(sb, "/_sandbox/faults", *lengths, method="POST", auth=False, body=b"{}")
    assert exchange(sb, same).startswith(b"HTTP/1.1 200")
    conflicting = ("Content-Length: 2", "Content-Length: 3")
    differ = request(sb, "/_sandbox/faults", *conflicting, method="POST", auth=False, body=b"{}")
    assert exchange(sb, differ).startswith(b"HTTP/1.1 400")


def test_chunked_request_bodies(sb: Sandbox) -> None:
    payload = json.dumps({"error_503": 0.25, "seed": 9}).encode()
    first, second = payload[:10], payload[10:]
    body = b"%x\r\n%s\r\n%x;note=ext\r\n%s\r\n0\r\nX-Trailer: yes\r\n\r\n" % (
        len(first),
        first,
        len(second),
        second,
    )
    post = request(
        sb, "/_sandbox/faults", "Transfer-Encoding: chunked", method="POST", auth=False, body=body
    )
    get = request(sb, "/_sandbox/faults", "Connection: close", auth=False)
    try:
        (post_head, post_body), (_, got) = split(exchange(sb, post + get))
        assert post_head.startswith(b"HTTP/1.1 200")
        assert json.loads(post_body)["error_503"] == 0.25
        assert json.loads(got)["seed"] == 9  # the same connection goes on after a chunked body
    finally:
        sb.set_faults()


def test_expect_100_continue(sb: Sandbox) -> None:
    body = b'{"seed": 4}'
    head = request(
        sb,
        "/_sandbox/faults",
        f"Content-Length: {len(body)}",
        "Expect: 100-continue",
        "Connection: close",
        method="POST",
        auth=False,
    )
    try:
        with connect(sb) as s:
            s.sendall(head)
            assert s.recv(65536).startswith(b"HTTP/1.1 100 Continue\r\n")
            s.sendall(body)
            answers = split(read_all(s))
        assert answers[0][0].startswith(b"HTTP/1.1 200")
        assert json.loads(answers[0][1])["seed"] == 4
    finally:
        sb.set_faults()


def test_size_limits(sb: Sandbox) -> None:
    huge = request(sb, "/_sandbox/faults", "Content-Length: 2000000", method="POST")
    assert exchange(sb, huge).startswith(b"HTTP/1.1 413")
    endless_head = request(sb, CHECK, "X-Padding: " + "a" * 70_000)[:-4]  # never ends
    assert exchange(sb, endless_head).startswith(b"HTTP/1.1 431")


def test_head_gets_a_head_without_a_body(sb: Sandbox) -> None:
    out = exchange(sb, request(sb, CHECK, method="HEAD") + request(sb, CHECK, "Connection: close"))
    head, _, rest = out.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 405")
    assert b"Content-Length: " in head  # the size a GET's answer would have; no body follows
    ((after_head, after),) = split(rest)
    assert after_head.startswith(b"HTTP/1.1 200")
    assert json.loads(after)["item_count"] == 1


def test_a_delayed_answer_holds_the_next_one_back(sb: Sandbox) -> None:
    sb.set_faults(latency_ms=1000, operations=["get_breakdown"])
    try:
        with connect(sb) as s:
            s.sendall(request(sb, BREAKDOWN) + request(sb, CHECK, "Connection: close"))
            # Held: not even the undelayed check's answer can come before a second has passed.
            s.settimeout(0.2)
            with pytest.raises(TimeoutError):
                s.recv(1)
            s.settimeout(5)
            out = read_all(s)
    finally:
        sb.set_faults()
    (_, breakdown), (_, check) = split(out)
    assert "total_credits_used" in json.loads(breakdown)
    assert "can_proceed" in json.loads(check)
    assert sb.stats()["delayed"] >= 1


def test_a_cut_answer_sends_its_head_and_half_its_body(sb: Sandbox) -> None:
    sb.set_faults(disconnect=1.0)
    try:
        out = exchange(sb, request(sb, CHECK))
    finally:
        sb.set_faults()
    head, _, body = out.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 OK")
    length = int(next(h for h in head.split(b"\r\n") if h.startswith(b"Content-Length"))[15:])
    assert len(body) == length // 2
