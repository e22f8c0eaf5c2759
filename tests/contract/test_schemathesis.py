"""Schemathesis against the sandbox: generated requests (valid and invalid) get answers that
conform to the spec. Bounded example count; SCHEMATHESIS_EXAMPLES raises it."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, assume, given, settings

from scopix_sandbox.server import Sandbox, start
from tests import openapi

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "25"))


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    sb = start(events=2_000, rate_limit=False, record_requests=False, validate_responses=True)
    yield sb
    failures = sb.call(lambda app: app.validation_failures_total)
    sb.stop()
    assert failures == 0


SCHEMA = schemathesis.openapi.from_path(str(openapi.SPEC_PATH))
OPERATIONS = {
    op.label: op
    for op in (result.ok() for result in SCHEMA.get_all_operations())  # type: ignore[union-attr]
}


def _reversed_range(query: dict[str, Any]) -> bool:
    start, end = query.get("start_date"), query.get("end_date")
    if not isinstance(start, str) or not isinstance(end, str):
        return False
    try:
        a, b = dt.datetime.fromisoformat(start), dt.datetime.fromisoformat(end)
    except ValueError:
        return False
    if (a.tzinfo is None) != (b.tzinfo is None):
        return False
    return a > b


@pytest.mark.parametrize("label", sorted(OPERATIONS))
def test_the_sandbox_conforms_to_the_spec(label: str, sandbox: Sandbox) -> None:
    operation = OPERATIONS[label]
    headers = {"Authorization": f"Bearer {sandbox.api_key}"}

    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
    def check(case: Any) -> None:
        # The one rule the spec states in words only: a range's start may not follow its end.
        assume(not _reversed_range(case.query or {}))
        # A generous timeout: generated ranges may span millennia, and the machine may be busy.
        case.call_and_validate(base_url=sandbox.base_url, headers=headers, timeout=120)

    check()
