"""The fast path at the user's boundary: the same calls against a real loopback server, in a fresh
interpreter with the `fast` extra and in one where msgspec cannot be imported (an install
without it), give the same results and the same errors; the fast run shows when msgspec decoded
the body (a body it refuses falls back, and after an unknown field the schema stays on the pure
parser for the process).

The calling script is this module: `python -m tests.overlay.test_parse_fast_calls URL PARSER`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from tests.bodies import minimal

ROOT = Path(__file__).resolve().parents[2]
API_KEY = "scopix_test_key_0123456789"


def _bodies() -> dict[str, bytes]:
    """The page served for each `offset` asked for."""
    valid = minimal("UsageDetails")
    as_float = json.loads(json.dumps(valid))
    as_float["events"][0]["credits_used"] = 3.0  # the pure parser takes it as 3; msgspec refuses
    nan = json.loads(json.dumps(valid))
    nan["events"][0]["latency_ms"] = float("nan")  # json.loads reads NaN; both refuse it
    unknown = {**valid, "next_cursor": "c_1"}  # a newer server's field
    return {
        "1": json.dumps(as_float).encode(),
        "2": json.dumps(nan).encode(),
        "3": json.dumps(valid).encode(),
        "4": json.dumps(unknown).encode(),
    }


# (offset asked for, whether msgspec decodes it in the fast run)
CALLS = [("1", True), ("2", True), ("3", True), ("4", True), ("3", False), ("4", False)]


@pytest.fixture(scope="module")
def server() -> Iterator[HTTPServer]:
    bodies = _bodies()
    httpserver = HTTPServer(host="127.0.0.1")
    httpserver.start()
    httpserver.expect_request("/v1/usage/details").respond_with_handler(
        lambda request: Response(
            bodies[request.args.get("offset", "3")], content_type="application/json"
        )
    )
    yield httpserver
    httpserver.clear()
    httpserver.stop()


def _run(server: HTTPServer, parser: str) -> list[dict[str, Any]]:
    done = subprocess.run(
        [sys.executable, "-m", "tests.overlay.test_parse_fast_calls", server.url_for("/"), parser],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    found: list[dict[str, Any]] = json.loads(done.stdout)
    return found


def test_fast_and_pure_installs_give_the_same_results_and_errors(server: HTTPServer) -> None:
    fast, pure = _run(server, "fast"), _run(server, "pure")
    assert [c["result"] for c in fast] == [c["result"] for c in pure]
    assert "credits_used=3," in fast[0]["result"]  # 3.0 read as the integer 3, by the fallback
    assert fast[1]["result"].startswith("APIResponseValidationError")
    assert "events[0].latency_ms" in fast[1]["result"]
    assert "next_cursor" in fast[3]["result"]  # kept in additional_properties
    assert not any(c["msgspec"] for c in pure)


def test_fast_path_falls_back_per_body_and_stays_off_after_an_unknown_field(
    server: HTTPServer,
) -> None:
    fast = _run(server, "fast")
    assert [c["msgspec"] for c in fast] == [decoded for _, decoded in CALLS]


def _decoded_by_msgspec(call: Any) -> tuple[Any, bool]:
    used = False

    def profile(frame: FrameType, event: str, arg: Any) -> None:
        nonlocal used
        if event == "c_call" and type(getattr(arg, "__self__", None)).__module__ == "msgspec.json":
            used = True

    sys.setprofile(profile)
    try:
        return call(), used
    finally:
        sys.setprofile(None)


def main(base_url: str, parser: str) -> None:
    if parser == "pure":
        sys.modules["msgspec"] = None  # type: ignore[assignment]  # as if not installed
    from scopix import APIResponseValidationError, SyncScopix

    out = []
    with SyncScopix(api_key=API_KEY, base_url=base_url, pacing=False, max_retries=0) as client:
        for offset, _ in CALLS:

            def call(offset: str = offset) -> str:
                try:
                    page = client.usage.get_details(offset=int(offset))
                except APIResponseValidationError as exc:
                    return f"{type(exc).__name__}: {exc}"
                null_fields = [sorted(e._null_fields) for e in page.events]
                return f"{page!r} {page.to_json()} {null_fields}"

            result, used = _decoded_by_msgspec(call)
            out.append({"result": result, "msgspec": used})
    print(json.dumps(out))


if __name__ == "__main__":
    main(*sys.argv[1:])
