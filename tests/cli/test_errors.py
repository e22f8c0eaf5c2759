"""Errors: one line on stderr (class, status, message), never a traceback, and an exit status per
kind: 2 input, 3 authentication, 4 rate limit, 5 network, 6 other API errors."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import socket
import ssl
import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

import scopix
from scopix_sandbox.server import Sandbox
from tests.cli.conftest import Run, Runner, invoke

# The one format of every error: `Class: message`; an answer's message starts `status NNN: `.
FORMAT = re.compile(r"(?P<cls>[A-Z][A-Za-z]*): (?P<status>status \d{3}: )?\S.*")
ANSWERS = ("APIStatusError", "APIResponseValidationError")  # and every APIStatusError class


def one_line(done: Run, start: str) -> str:
    assert done.out == ""
    assert "Traceback" not in done.err
    assert len(done.err_lines) == 1, done.err
    line = done.err_lines[0]
    assert line.startswith(start), line
    shape = FORMAT.fullmatch(line)
    assert shape, line
    cls = getattr(scopix, shape["cls"], None)
    answer = isinstance(cls, type) and issubclass(
        cls, (scopix.APIStatusError, scopix.APIResponseValidationError)
    )
    assert bool(shape["status"]) == answer, line  # a status exactly when the API answered
    return line


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def test_authentication(run: Runner, cli_sandbox: Sandbox) -> None:
    unknown = run("usage", "breakdown", api_key="scopix_sandbox_" + "0" * 32)
    assert unknown.code == 3
    one_line(unknown, "AuthenticationError: status 401: ")

    revoked = run("usage", "breakdown", api_key=cli_sandbox.api_keys["key_03"])
    assert revoked.code == 3
    assert "revoked" in one_line(revoked, "AuthenticationError: status 401: ")

    other_key = run("usage", "summary", "--api-key-id", "key_99")
    assert other_key.code == 3
    one_line(other_key, "PermissionDeniedError: status 403: ")

    no_key = invoke(["usage", "breakdown"], base_url=cli_sandbox.base_url)
    assert no_key.code == 3
    assert "SCOPIX_API_KEY" in one_line(no_key, "ScopixError: ")


def test_rate_limit(scopix_sandbox_factory: Callable[..., Sandbox]) -> None:
    # The server allows one usage request a minute; a second process-like run gets a 429 whose
    # Retry-After (60 s) is longer than --max-wait, so the SDK raises instead of sleeping.
    sb = scopix_sandbox_factory(events=200, limits={"usage": 1}, window_seconds=60)
    first = invoke(["usage", "breakdown"], api_key=sb.api_key, base_url=sb.base_url)
    assert first.code == 0
    second = invoke(
        ["usage", "breakdown", "--max-wait", "1"], api_key=sb.api_key, base_url=sb.base_url
    )
    assert second.code == 4
    line = one_line(second, "RateLimitError: status 429: ")
    assert "retry after 60 s" in line
    assert line.lower().count("retry after") == 1  # the sandbox's message says it: not twice


def test_rate_limit_without_a_wait_in_the_message(httpserver: HTTPServer) -> None:
    """A server whose 429 message does not say when: the line adds its Retry-After."""
    httpserver.expect_request("/v1/usage/breakdown").respond_with_json(
        {"code": "rate_limited", "message": "Too many requests"},
        status=429,
        headers={"Retry-After": "120", "X-Request-Id": "req_1"},
    )
    done = invoke(
        ["usage", "breakdown", "--max-wait", "1"],
        api_key="scopix_test_key",
        base_url=httpserver.url_for("").rstrip("/"),
    )
    assert done.code == 4
    assert one_line(done, "RateLimitError: status 429: ") == (
        "RateLimitError: status 429: Too many requests (request id req_1); retry after 120 s"
    )


def breakdown_at(base_url: str, key: str, *args: str) -> Run:
    return invoke(
        ["usage", "breakdown", "--max-retries", "0", *args], api_key=key, base_url=base_url
    )


def test_network(cli_sandbox: Sandbox, scopix_sandbox_factory: Callable[..., Sandbox]) -> None:
    """Each kind of connection failure names the host and port and what happened."""
    key, port = cli_sandbox.api_key, closed_port()
    refused = breakdown_at(f"http://127.0.0.1:{port}", key)
    assert refused.code == 5
    assert one_line(refused, "APIConnectionError: ") == (
        f"APIConnectionError: cannot connect to 127.0.0.1:{port}: connection refused "
        f"(GET http://127.0.0.1:{port}/v1/usage/breakdown)"
    )

    unknown = breakdown_at("https://nonexistent.invalid", key)  # a reserved name, never found
    assert unknown.code == 5
    assert one_line(unknown, "APIConnectionError: ").startswith(
        "APIConnectionError: cannot connect to nonexistent.invalid:443: DNS lookup failed ("
    )

    plain = cli_sandbox.base_url.replace("http://", "https://")  # TLS to a plain HTTP server
    no_tls = breakdown_at(plain, key)
    assert no_tls.code == 5
    where = plain.removeprefix("https://")
    assert one_line(no_tls, "APIConnectionError: ") == (
        f"APIConnectionError: cannot connect to {where}: TLS handshake failed "
        f"(wrong version number) (GET {plain}/v1/usage/breakdown)"
    )

    slow = scopix_sandbox_factory(events=200, rate_limit=False, faults={"latency_ms": 2000})
    timed_out = breakdown_at(slow.base_url, slow.api_key, "--timeout", "0.2")
    assert timed_out.code == 5
    where = slow.base_url.removeprefix("http://")
    assert one_line(timed_out, "APITimeoutError: ") == (
        f"APITimeoutError: {where}: no answer within 0.2 s (read timeout) "
        f"(GET {slow.base_url}/v1/usage/breakdown)"
    )

    cut = scopix_sandbox_factory(events=200, rate_limit=False, faults={"disconnect": 1.0})
    broken = breakdown_at(cut.base_url, cut.api_key)
    assert broken.code == 5
    where = cut.base_url.removeprefix("http://")
    assert one_line(broken, "APIConnectionError: ").startswith(
        f"APIConnectionError: {where}: the connection broke (peer closed connection without "
    )


@pytest.fixture
def self_signed_server(tmp_path: Path) -> Iterator[str]:
    """An HTTPS listener on 127.0.0.1 with a self-signed certificate (openssl), as
    https://127.0.0.1:PORT."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    listener = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return  # closed: the test is over
            with conn, contextlib.suppress(OSError):
                context.wrap_socket(conn, server_side=True)  # the client gives up

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        listener.shutdown(socket.SHUT_RDWR)  # wakes the accept (close alone does not)
        listener.close()
        thread.join(timeout=10)
        assert not thread.is_alive()


def test_an_untrusted_certificate_is_named(cli_sandbox: Sandbox, self_signed_server: str) -> None:
    done = breakdown_at(self_signed_server, cli_sandbox.api_key)
    assert done.code == 5
    where = self_signed_server.removeprefix("https://")
    line = one_line(done, "APIConnectionError: ")
    # OpenSSL 1.1 says "self signed", 3.x "self-signed"
    assert re.fullmatch(
        f"APIConnectionError: cannot connect to {re.escape(where)}: TLS handshake failed "
        f"\\(certificate verify failed: self.signed certificate\\) "
        f"\\(GET {re.escape(self_signed_server)}/v1/usage/breakdown\\)",
        line,
    ), line


def test_server_errors(scopix_sandbox_factory: Callable[..., Sandbox]) -> None:
    sb = scopix_sandbox_factory(events=200, rate_limit=False, faults={"error_500": 1.0})
    failed = invoke(
        ["usage", "breakdown", "--max-retries", "0"], api_key=sb.api_key, base_url=sb.base_url
    )
    assert failed.code == 6
    one_line(failed, "InternalServerError: status 500: ")

    sb.set_faults(truncated=1.0)
    garbled = invoke(["usage", "breakdown"], api_key=sb.api_key, base_url=sb.base_url)
    assert garbled.code == 6
    line = one_line(
        garbled, "APIResponseValidationError: status 200: the body is not what the spec says: "
    )
    assert line.count("status 200") == 1


@pytest.mark.parametrize(
    ("args", "start"),
    [
        (["usage", "summary", "--start-date", "yesterday"], "UsageError: "),
        (["usage", "summary", "--start-date", "2025-06-31"], "UsageError: "),
        (["usage", "details", "--limit", "1000"], "UsageError: "),  # the spec's bounds
        (["usage", "check", "--analysis-level", "deep"], "UsageError: "),
        (
            ["usage", "summary", "--start-date", "2025-06-10", "--end-date", "2025-06-01"],
            "UsageError: ",
        ),
        (["usage", "no-such-command"], "UsageError: "),
        (["usage", "breakdown", "--no-such-option"], "UsageError: "),
        (["usage", "tokens", "files", "--start-date", "2025-06-01"], "UsageError: "),
    ],
)
def test_input(run: Runner, args: list[str], start: str) -> None:
    done = run(*args)
    assert done.code == 2
    one_line(done, start)


@pytest.mark.parametrize(
    ("command", "start", "end"),
    [
        ("summary", "2026-11-15", "2026-11-01"),  # an end date alone means through that day
        ("summary", "2026-11-02", "2026-11-01"),  # reversed by the user's words, if not by 1 day
        ("details", "2026-11-15T10:00", "2026-11-15T09:59:59"),
        ("top", "2026-11-15T10:00:00+02:00", "2026-11-15T07:00Z"),
        ("export", "2026-11-15", "2026-11-01"),
        ("tokens", "2026-11-15", "2026-11-01"),  # monthly: both dates inclusive
    ],
)
def test_reversed_dates_are_named_as_typed(
    run: Runner, tmp_path: Path, command: str, start: str, end: str
) -> None:
    extra = [str(tmp_path / "out.jsonl")] if command == "export" else []
    done = run("usage", command, *extra, "--start-date", start, "--end-date", end)
    assert done.code == 2
    assert one_line(done, "UsageError: ") == (
        f"UsageError: Invalid value for '--end-date': {end} is before --start-date {start} "
        "(see --help)"
    )
    assert list(tmp_path.iterdir()) == []  # refused before anything was written or sent


@pytest.mark.parametrize(
    ("start", "end"),
    [("2025-06-10", "2025-06-10"), ("2025-06-10T08:00", "2025-06-10T08:00")],
)
def test_a_range_of_one_day_or_none_is_not_reversed(run: Runner, start: str, end: str) -> None:
    done = run("usage", "summary", "--start-date", start, "--end-date", end, "--json")
    assert done.code == 0, done.err


def test_plain_http_off_loopback_is_refused(run: Runner) -> None:
    done = run("usage", "breakdown", base_url="http://example.com")
    assert done.code == 2
    one_line(done, "InvalidParameterError: ")


@pytest.mark.parametrize(
    ("name", "errno_name"),
    [("missing/events.jsonl", "FileNotFoundError"), ("a-file/events.jsonl", "NotADirectoryError")],
)
def test_a_file_that_cannot_be_written(
    run: Runner, tmp_path: Path, name: str, errno_name: str
) -> None:
    (tmp_path / "a-file").write_text("")
    target = tmp_path / name
    done = run("usage", "export", str(target))
    assert done.code == 2
    line = one_line(done, f"{errno_name}: cannot write {target}: ")
    assert line == f"{errno_name}: cannot write {target}: {os.strerror(ERRNO[errno_name])}"


ERRNO = {"FileNotFoundError": errno.ENOENT, "NotADirectoryError": errno.ENOTDIR}


@pytest.mark.parametrize("args", [[], ["usage"]])
def test_a_group_alone_prints_its_help(run: Runner, args: list[str]) -> None:
    done = invoke(args)
    assert (done.code, done.err) == (0, "")
    first = done.out.splitlines()[0]  # the program's name is the test runner's
    assert re.fullmatch(r"Usage: \S+ " + "".join(f"{a} " for a in args) + r"\[OPTIONS\] .*", first)


def test_help_and_version(run: Runner) -> None:
    top = run("--help")
    assert top.code == 0
    assert "Exit status" in top.out
    for command in ("check", "export", "chart", "dashboard", "by-period"):
        assert command in run("usage", "--help").out
    assert run("--version").code == 0
