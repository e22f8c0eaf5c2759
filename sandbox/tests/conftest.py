"""Shared fixtures of the sandbox tests: a pinned-clock sandbox, httpx clients, spec schemas."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from jsonschema import Draft202012Validator

from scopix_sandbox.server import Sandbox, start
from scopix_sandbox.spec import Spec, load_spec

PINNED_NOW = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)
"""The clock of the `pinned` sandbox: its data and billing period never move."""
PINNED_EVENTS = 6_000


@pytest.fixture(scope="session")
def spec() -> Spec:
    return load_spec()


@pytest.fixture(scope="session")
def pinned() -> Iterator[Sandbox]:
    """Clock pinned, no rate limit, no recording, response validation on."""
    sb = start(
        now=PINNED_NOW,
        events=PINNED_EVENTS,
        rate_limit=False,
        record_requests=False,
        validate_responses=True,
    )
    try:
        yield sb
        failures = sb.call(lambda app: app.validation_failures_total)
    finally:
        sb.stop()
    assert failures == 0, "the sandbox served responses that do not match openapi.yaml"


@pytest.fixture
def make_client() -> Iterator[Callable[..., httpx.Client]]:
    """`make_client(sandbox, key=None)`: an httpx.Client sending the key (default: key_01)."""
    made: list[httpx.Client] = []

    def make(sb: Sandbox, key: str | None = None) -> httpx.Client:
        c = httpx.Client(
            base_url=sb.base_url,
            headers={"Authorization": f"Bearer {key or sb.api_key}"},
            timeout=10,
        )
        made.append(c)
        return c

    yield make
    for c in made:
        c.close()


@pytest.fixture
def client(pinned: Sandbox, make_client: Callable[..., httpx.Client]) -> httpx.Client:
    return make_client(pinned)


@pytest.fixture(scope="session")
def path_of(spec: Spec) -> Callable[[str], str]:
    """The path of an operation id, from the spec."""
    return lambda operation_id: spec.operations[operation_id].path


@pytest.fixture(scope="session")
def schema_check(spec: Spec) -> Callable[[str, int, Any], list[str]]:
    """`schema_check(operation_id, status, body)`: problems of a body against the spec."""
    cache: dict[tuple[str, str], Draft202012Validator] = {}

    def check(operation_id: str, status: int, body: Any) -> list[str]:
        op = spec.operations[operation_id]
        key = str(status) if str(status) in op.responses else f"{str(status)[0]}XX"
        if (operation_id, key) not in cache:
            # The spec's own resolver has inlined every `$ref` of op.responses.
            media = op.responses[key]["content"]["application/json"]
            cache[(operation_id, key)] = Draft202012Validator(
                media["schema"], format_checker=Draft202012Validator.FORMAT_CHECKER
            )
        return [e.message for e in cache[(operation_id, key)].iter_errors(body)]

    return check
