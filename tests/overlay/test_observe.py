"""Observers over real calls to the sandbox: what `Stats` counts and what each `CallInfo` says."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest

import scopix
from scopix.observe import CallInfo, Stats
from scopix.pacing import BucketLimit, RateLimits
from scopix_sandbox.server import Sandbox

from .driver import Driver


class Recorder:
    def __init__(self) -> None:
        self.calls: list[CallInfo] = []

    def on_call(self, info: CallInfo) -> None:
        self.calls.append(info)


@pytest.fixture
def drivers() -> Iterator[list[Driver]]:
    made: list[Driver] = []
    yield made
    for d in made:
        d.close()


def _driver(made: list[Driver], flavour: str, sb: Sandbox, **kwargs: Any) -> Driver:
    kwargs.setdefault("pacing", False)
    d = Driver(flavour, api_key=sb.api_key, base_url=sb.base_url, **kwargs)
    made.append(d)
    return d


@pytest.mark.scopix_sandbox(limits={"usage": 1}, window_seconds=2.0)
def test_a_429_then_a_retry_is_counted(
    scopix_sandbox: Sandbox, flavour: str, drivers: list[Driver]
) -> None:
    stats, rec = Stats(), Recorder()
    d = _driver(drivers, flavour, scopix_sandbox, observers=[stats, rec], max_retries=2)
    d.call("get_breakdown")
    d.call("get_breakdown")
    first, second = rec.calls
    assert first.statuses == (200,)
    assert second.statuses == (429, 200)
    assert (second.attempts, second.retries, second.rate_limited) == (2, 1, 1)
    assert second.retry_wait > 0
    assert second.error is None
    assert second.error_type is None
    assert second.operation == "get_breakdown"
    assert second.method == "GET"
    assert second.url == f"{scopix_sandbox.base_url}/v1/usage/breakdown"
    assert second.request_id
    assert second.request_id != first.request_id
    assert second.rate_limit_remaining == 0
    assert second.duration >= second.retry_wait
    assert stats.as_dict() | {"retry_wait": 0} == {
        "calls": 2,
        "requests": 3,
        "rate_limited": 1,
        "retries": 1,
        "errors": 0,
        "pacing_wait": pytest.approx(0, abs=0.5),
        "retry_wait": 0,
        "holds_granted": 0,
        "holds_refused": 0,
        "holds_released": 0,
        "leases_lost": 0,
        "hold_wait": 0,
    }
    assert stats.retry_wait == second.retry_wait


def test_pacing_waits_are_counted_and_no_429_comes(
    scopix_sandbox: Sandbox, flavour: str, drivers: list[Driver]
) -> None:
    stats, rec = Stats(), Recorder()
    pacing = RateLimits({"usage": BucketLimit(1, 1.0)})
    d = _driver(drivers, flavour, scopix_sandbox, observers=[stats, rec], pacing=pacing)
    for _ in range(3):
        d.call("get_breakdown")
    assert (stats.calls, stats.requests, stats.rate_limited, stats.retries) == (3, 3, 0, 0)
    first, second, third = (c.pacing_wait for c in rec.calls)
    # The window (1 s) is far longer than a call: the 2nd and 3rd waited, the 1st did not.
    assert second > first
    assert third > first
    assert stats.pacing_wait == pytest.approx(first + second + third)
    assert stats.retry_wait == 0


def test_errors_are_reported_with_their_type(
    scopix_sandbox: Sandbox, flavour: str, drivers: list[Driver]
) -> None:
    rec = Recorder()
    d = _driver(drivers, flavour, scopix_sandbox, observers=[rec])
    key = scopix_sandbox.api_key
    d.client = d.client.with_options(api_key=key[:-1] + ("x" if key[-1] != "x" else "y"))
    with pytest.raises(scopix.AuthenticationError):
        d.call("get_breakdown")
    (info,) = rec.calls
    assert info.statuses == (401,)
    assert isinstance(info.error, scopix.AuthenticationError)
    assert info.error_type == "401"


def test_a_failing_observer_never_breaks_the_call(
    scopix_sandbox: Sandbox,
    flavour: str,
    drivers: list[Driver],
    caplog: pytest.LogCaptureFixture,
) -> None:
    class Broken:
        def on_call(self, info: CallInfo) -> None:
            raise RuntimeError("observer bug")

    stats = Stats()
    d = _driver(drivers, flavour, scopix_sandbox, observers=[Broken(), stats])
    with caplog.at_level(logging.ERROR, logger="scopix"):
        assert d.call("get_breakdown").credit_limit > 0
    assert stats.calls == 1
    assert "observer bug" in caplog.text


@pytest.mark.parametrize("bad", [object(), [object()], "stats", [Stats, 1]])
def test_observers_must_have_on_call(bad: Any, scopix_sandbox: Sandbox) -> None:
    with pytest.raises(scopix.InvalidParameterTypeError, match="observers"):
        scopix.SyncScopix(api_key=scopix_sandbox.api_key, observers=bad)
