"""The sandbox's work that costs credits: `POST /_sandbox/spend` and `Sandbox.spend()`, and the
credits left an account can be given for a test (`remaining_credits`)."""

from __future__ import annotations

import httpx
import pytest

from scopix import SyncScopix
from scopix_sandbox import Sandbox


def _client(sb: Sandbox) -> SyncScopix:
    return SyncScopix(base_url=sb.base_url, api_key=sb.api_key, pacing=False)


@pytest.mark.scopix_sandbox(remaining_credits={"acct_main": 100})
def test_a_spend_shows_in_check_breakdown_summary_and_details_at_once(
    scopix_sandbox: Sandbox,
) -> None:
    with _client(scopix_sandbox) as client:
        assert client.usage.check(item_count=1).available_credits == 100
        before = client.usage.get_breakdown()
        reply = httpx.post(
            f"{scopix_sandbox.base_url}/_sandbox/spend",
            json={"api_key": scopix_sandbox.api_key, "credits": 30, "operation_type": "chat"},
        )
        assert reply.status_code == 200, reply.text
        assert reply.json()["credits_remaining"] == 70
        answer = client.usage.check(analysis_level="basic", item_count=71)
        assert (answer.available_credits, answer.can_proceed) == (70, False)
        after = client.usage.get_breakdown()
        assert after.total_credits_used == before.total_credits_used + 30
        assert after.credits_remaining == 70
        summary = client.usage.get_summary(period="month")
        assert summary.limits is not None
        assert summary.limits.remaining == 70
        newest = client.usage.get_details(limit=1, operation_type="chat").events[0]
        assert (newest.id, newest.credits_used) == (reply.json()["event_id"], 30)
        scopix_sandbox.spend(70, operation_type="video_analysis")
        assert client.usage.check(analysis_level="basic", item_count=1).available_credits == 0


def test_remaining_credits_set_while_running_and_put_back_by_restore(
    scopix_sandbox_factory: object,
) -> None:
    sb: Sandbox = scopix_sandbox_factory()  # type: ignore[operator]
    with _client(sb) as client:
        plan_credits = client.usage.check(item_count=1).available_credits
        sb.configure(remaining_credits={"key_01": 7})  # a key id names its account
        assert client.usage.check(item_count=1).available_credits == 7
        assert client.usage.get_breakdown().credits_remaining == 7
        sb.restore()
        assert client.usage.check(item_count=1).available_credits == plan_credits


@pytest.mark.parametrize(
    ("body", "names"),
    [
        ({"api_key": None, "credits": 1}, "api_key"),
        ({"api_key": "scopix_nope", "credits": 1}, "api_key"),
        ({"credits": -1}, "credits"),
        ({"credits": 1.5}, "credits"),
        ({"credits": True}, "credits"),
        ({"credits": 1, "operation_type": "usage_query"}, "operation_type must be one of"),
        ({"credits": 1, "cost": 2}, "unknown fields"),
    ],
)
def test_bad_spends_are_refused_naming_the_field(
    scopix_sandbox: Sandbox, body: dict[str, object], names: str
) -> None:
    if "api_key" not in body:
        body = {"api_key": scopix_sandbox.api_key, **body}
    reply = httpx.post(f"{scopix_sandbox.base_url}/_sandbox/spend", json=body)
    assert reply.status_code == 400
    assert names in reply.json()["message"]
    assert scopix_sandbox.stats()["spends"] == 0


def test_bad_remaining_credits_are_refused_naming_the_account(scopix_sandbox: Sandbox) -> None:
    for value, names in (
        ({"acct_nope": 5}, "acct_nope"),
        ({"acct_free": 5}, "no plan"),
        ({"acct_main": -5}, "remaining_credits['acct_main']"),
    ):
        reply = httpx.post(
            f"{scopix_sandbox.base_url}/_sandbox/config", json={"remaining_credits": value}
        )
        assert reply.status_code == 400
        assert names in reply.json()["message"]
