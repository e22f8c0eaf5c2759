"""The pytest plugin (the `pytest11` entry point): a sandbox for any project that installs us.

- `scopix_sandbox`: a running `Sandbox` (`.base_url`, `.api_key`, `.env`, ...). Unmarked tests
  share one per session, put back before each test to how it started (faults off, rate-limit
  windows empty, counters zero). A test marked `@pytest.mark.scopix_sandbox(**options)` (on the
  test, its class or its module; the nearest wins per keyword) gets one of its own with those
  `SandboxOptions`, stopped after it.
- `scopix_sandbox_factory`: `scopix_sandbox_factory(**options) -> Sandbox`, as many as a test
  wants, each stopped after the test.

Defaults for tests (`PLUGIN_DEFAULTS`): the small default dataset, no rate limit (the headers
still report the spec's), no recording of served requests (the data never moves), and every
response checked against the spec. Giving `limits` or `window_seconds` turns the limiter on.

Nothing heavy is imported until a fixture is used: the plugin loads in every pytest run of an
environment where the package is installed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import pytest

__all__ = [
    "MARKER",
    "PLUGIN_DEFAULTS",
    "pytest_configure",
    "sandbox_options",
    "scopix_sandbox",
    "scopix_sandbox_factory",
]

if TYPE_CHECKING:
    from scopix_sandbox.server import Sandbox

MARKER = "scopix_sandbox"
PLUGIN_DEFAULTS: Mapping[str, Any] = {
    "rate_limit": False,
    "record_requests": False,
    "validate_responses": True,
}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(**options): give this test a scopix sandbox of its own, started with these "
        "SandboxOptions (events=, seed=, now=, rate_limit=, limits=, window_seconds=, faults=, "
        "record_requests=, validate_responses=, ...)",
    )


def sandbox_options(options: Mapping[str, Any]) -> dict[str, Any]:
    """The plugin's defaults under `options`; a limit or a window asks for the limiter."""
    merged = {**PLUGIN_DEFAULTS, **options}
    if "rate_limit" not in options and ("limits" in options or "window_seconds" in options):
        merged["rate_limit"] = True
    return merged


def _start(options: Mapping[str, Any], where: str) -> Sandbox:
    from scopix_sandbox.server import SandboxOptions, start

    known = set(SandboxOptions.__dataclass_fields__)
    unknown = sorted(set(options) - known)
    if unknown:
        pytest.fail(
            f"{where}: unknown sandbox option(s) {', '.join(unknown)}; "
            f"known: {', '.join(sorted(known))}",
            pytrace=False,
        )
    return start(**sandbox_options(options))


def _stop_checked(sb: Sandbox, failures_before: int = 0) -> None:
    """Stop it; fail the test if it served a response that does not match the spec."""
    try:
        failures = _validation_failures(sb) - failures_before
    finally:
        sb.stop()
    if failures:
        pytest.fail(f"the scopix sandbox served {failures} response(s) that do not match its spec")


def _validation_failures(sb: Sandbox) -> int:
    return sb.call(lambda app: app.validation_failures_total)


def _marker_options(node: pytest.Item) -> dict[str, Any]:
    options: dict[str, Any] = {}
    for mark in reversed(list(node.iter_markers(MARKER))):  # farthest first, nearest last
        if mark.args:
            pytest.fail(
                f"{node.nodeid}: @pytest.mark.{MARKER} takes keywords only, e.g. "
                f"@pytest.mark.{MARKER}(events=1000, faults={{'error_503': 0.1}})",
                pytrace=False,
            )
        options.update(mark.kwargs)
    return options


class _Shared:
    """The session's shared sandbox, started on first use."""

    def __init__(self) -> None:
        self.sandbox: Sandbox | None = None

    def get(self) -> Sandbox:
        if self.sandbox is None:
            self.sandbox = _start({}, "scopix_sandbox")
        return self.sandbox

    def discard(self) -> None:
        if self.sandbox is not None:
            self.sandbox.stop()
            self.sandbox = None


@pytest.fixture(scope="session")
def _scopix_sandbox_shared() -> Iterator[_Shared]:
    shared = _Shared()
    yield shared
    shared.discard()


@pytest.fixture
def scopix_sandbox(
    request: pytest.FixtureRequest, _scopix_sandbox_shared: _Shared
) -> Iterator[Sandbox]:
    """A running scopix sandbox: `.base_url`, `.api_key` (see the module's docstring)."""
    assert isinstance(request.node, pytest.Item)
    options = _marker_options(request.node)
    if options:
        sb = _start(options, request.node.nodeid)
        yield sb
        _stop_checked(sb)
        return
    sb = _scopix_sandbox_shared.get()
    sb.restore()
    before = _validation_failures(sb)
    spends = sb.stats()["spends"]
    yield sb
    failures = _validation_failures(sb) - before
    stats = sb.stats()
    if stats["recorded"] or stats["spends"] != spends:
        # The test switched recording on or spent credits: the data moved for good.
        _scopix_sandbox_shared.discard()
    if failures:
        pytest.fail(f"the scopix sandbox served {failures} response(s) that do not match its spec")


@pytest.fixture
def scopix_sandbox_factory() -> Iterator[Callable[..., Sandbox]]:
    """`scopix_sandbox_factory(**options) -> Sandbox`: sandboxes stopped after the test."""
    made: list[Sandbox] = []

    def make(**options: Any) -> Sandbox:
        sb = _start(options, "scopix_sandbox_factory")
        made.append(sb)
        return sb

    yield make
    errors = []
    for sb in made:
        try:
            _stop_checked(sb)
        except pytest.fail.Exception as exc:
            errors.append(str(exc))
    if errors:
        pytest.fail("; ".join(errors))
