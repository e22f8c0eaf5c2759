"""Tests of usage_report.py against a local Scopix sandbox: no conftest, no account, no network.

`pip install ./sandbox` (from a checkout) gives pytest the `scopix_sandbox` fixture and marker.
"""

from __future__ import annotations

import asyncio

import pytest
from scopix import Scopix, SyncScopix
from scopix_sandbox import Sandbox

from usage_report import can_run_batch, credits_left, requests_by_endpoint


def top_endpoints(client: SyncScopix) -> dict[str, int]:
    return {e.endpoint: e.request_count for e in client.usage.get_top_endpoints(limit=50).endpoints}


def test_requests_by_endpoint_match_the_top_endpoints(scopix_sandbox: Sandbox) -> None:
    with SyncScopix(base_url=scopix_sandbox.base_url, api_key=scopix_sandbox.api_key) as client:
        assert requests_by_endpoint(client) == top_endpoints(client)


def test_batches_from_the_environment(
    scopix_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in scopix_sandbox.env.items():  # SCOPIX_BASE_URL, SCOPIX_API_KEY
        monkeypatch.setenv(name, value)

    async def main() -> tuple[bool, bool]:
        async with Scopix() as client:
            return await can_run_batch(client, 10), await can_run_batch(client, 5_000)

    assert asyncio.run(main()) == (True, False)  # the Pro plan has 10,000 credits a month


@pytest.mark.scopix_sandbox(events=2_000, faults={"error_503": 0.3, "retry_after": 0})
def test_a_flaky_api_loses_nothing(scopix_sandbox: Sandbox) -> None:
    with SyncScopix(
        base_url=scopix_sandbox.base_url,
        api_key=scopix_sandbox.api_key,
        max_retries=8,
        pacing=False,  # the sandbox does not rate-limit here: page at full speed
    ) as client:
        assert requests_by_endpoint(client) == top_endpoints(client)
    assert scopix_sandbox.stats()["faults"]["error_503"] > 0


@pytest.mark.scopix_sandbox(limits={"usage": 1}, window_seconds=60)
def test_credits_left_is_none_while_rate_limited(scopix_sandbox: Sandbox) -> None:
    with SyncScopix(
        base_url=scopix_sandbox.base_url,
        api_key=scopix_sandbox.api_key,
        pacing=False,  # let the 429 through: it is what this test is about
        max_retries=0,
    ) as client:
        assert credits_left(client) is not None
        assert credits_left(client) is None
