"""Waits the user would otherwise sit through in silence: a retry's (a 429's Retry-After) or the
pacing's, when 2 s or longer, are one line on stderr each (what for, how long, which attempt);
shorter ones, --quiet and -v (whose log says it) print no notice."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from tests.bodies import example, page
from tests.cli.conftest import Run, invoke

KEY = "scopix_test_" + "0" * 32
RETRY_LINE = "Waiting {:.1f} s to retry GET /v1/usage/breakdown after 429 Too Many Requests"


def answer_429_then_200(server: HTTPServer, retry_after: str) -> None:
    path = "/v1/usage/breakdown"
    server.expect_ordered_request(path).respond_with_json(
        {"code": "rate_limited", "message": "Too many requests"},
        status=429,
        headers={"Retry-After": retry_after},
    )
    server.expect_ordered_request(path).respond_with_json(example("UsageBreakdown"))


def breakdown(server: HTTPServer, *args: str) -> Run:
    done = invoke(
        ["usage", "breakdown", "--json", "--no-pacing", *args],
        api_key=KEY,
        base_url=server.url_for("").rstrip("/"),
    )
    assert done.code == 0, done.err
    server.check_assertions()  # both answers were asked for: the retry happened
    return done


@pytest.mark.parametrize(("retries", "of"), [([], 3), (["--max-retries", "1"], 2)])
def test_a_retry_wait_is_one_line(httpserver: HTTPServer, retries: list[str], of: int) -> None:
    answer_429_then_200(httpserver, "2")
    done = breakdown(httpserver, *retries)
    assert done.err_lines == [RETRY_LINE.format(2) + f" (attempt 2 of {of})"]


def test_a_short_wait_says_nothing(httpserver: HTTPServer) -> None:
    answer_429_then_200(httpserver, "1.8")  # over the SDK's 1 s (it logs it), under 2 s
    assert breakdown(httpserver).err == ""


def test_quiet_says_nothing(httpserver: HTTPServer) -> None:
    answer_429_then_200(httpserver, "2")
    assert breakdown(httpserver, "--quiet").err == ""


def test_verbose_logs_the_wait_instead(httpserver: HTTPServer) -> None:
    answer_429_then_200(httpserver, "2")
    done = breakdown(httpserver, "-v")
    assert any(line.endswith("scopix INFO retrying in 2.00 s") for line in done.err_lines)
    assert not [line for line in done.err_lines if line.startswith("Waiting")]


def test_a_pacing_wait_is_one_line(httpserver: HTTPServer, tmp_path: Path) -> None:
    # The first page says the key has no request left for 3 s: the client paces the second
    # page (no 429), and the export, without its progress bar, says so.
    path = "/v1/usage/details"
    event = example("UsageEvent")
    first = page("UsageDetails", "events", [event], offset=0, has_more=True)
    last = page("UsageDetails", "events", [dict(event, id="evt_2")], offset=1, has_more=False)
    spent = {"X-RateLimit-Limit": "30", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "3"}
    httpserver.expect_ordered_request(path).respond_with_json(dict(first, total=2), headers=spent)
    httpserver.expect_ordered_request(path).respond_with_json(dict(last, total=2))
    out = tmp_path / "events.jsonl"
    done = invoke(
        ["usage", "export", str(out), "--page-size", "1", "--no-progress"],
        api_key=KEY,
        base_url=httpserver.url_for("").rstrip("/"),
    )
    assert done.code == 0, done.err
    httpserver.check_assertions()
    assert "Exported 2 events" in done.out
    (line,) = done.err_lines
    waited = re.fullmatch(r"Waiting (\d+\.\d) s for the rate limit of usage requests", line)
    assert waited, line
    assert 2.0 <= float(waited[1]) <= 3.0
