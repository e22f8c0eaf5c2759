"""pytest fixtures for the sandbox, registered through the `pytest11` entry point.

- `sandbox_server` (session): one sandbox with the default dataset, no rate limit, no request
  recording (stable data) and response validation on; the session fails at teardown if any
  response did not match openapi.yaml. Shared: do not leave faults or config changed on it
  (use `make_sandbox` for that).
- `make_sandbox` (function): `make_sandbox(**options) -> Sandbox`, any `SandboxOptions` keyword;
  defaults as `SandboxOptions` except `record_requests=False` and `validate_responses=True`.
  Every sandbox it made is stopped at teardown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from scopix_sandbox.server import Sandbox, start

SESSION_OPTIONS: dict[str, Any] = {
    "rate_limit": False,
    "record_requests": False,
    "validate_responses": True,
}
FACTORY_DEFAULTS: dict[str, Any] = {"record_requests": False, "validate_responses": True}


def _validation_failures(sb: Sandbox) -> int:
    return sb.call(lambda app: app.validation_failures_total)


@pytest.fixture(scope="session")
def sandbox_server() -> Iterator[Sandbox]:
    sb = start(**SESSION_OPTIONS)
    try:
        yield sb
        failures = _validation_failures(sb)
    finally:
        sb.stop()
    if failures:
        pytest.fail(f"the sandbox served {failures} response(s) that do not match openapi.yaml")


@pytest.fixture
def make_sandbox() -> Iterator[Callable[..., Sandbox]]:
    made: list[Sandbox] = []

    def make(**options: Any) -> Sandbox:
        sb = start(**{**FACTORY_DEFAULTS, **options})
        made.append(sb)
        return sb

    yield make
    for sb in made:
        sb.stop()
