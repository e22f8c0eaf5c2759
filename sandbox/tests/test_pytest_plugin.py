"""The pytest plugin as a user meets it: a test file of their own, no conftest, `--strict-markers`.

Each test writes a user's test file into a fresh directory and runs pytest on it in a fresh
interpreter (in-process runs would re-import httpx's dependencies under the running tests). The
plugin comes from the package's `pytest11` entry point, nothing else: autoloaded in the first
test; named with `-p scopix_sandbox` in the others, with autoloading off, which spares each run
the 3 s that this environment's other plugins (hypothesis, schemathesis) take to load.
"""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

HEADER = """
import httpx
import pytest

def get(sb, path="/v1/usage/summary", **params):
    headers = {"Authorization": f"Bearer {sb.api_key}"}
    return httpx.get(sb.base_url + path, params=params, headers=headers, timeout=10)
"""


@pytest.fixture(autouse=True)
def _no_other_plugins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")


def run(pytester: pytest.Pytester, body: str) -> pytest.RunResult:
    pytester.makepyfile(test_user=HEADER + body)
    return pytester.runpytest_subprocess(
        "--strict-markers", "-p", "no:cacheprovider", "-p", "scopix_sandbox"
    )


def test_the_entry_point_provides_it(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.makepyfile(test_user=HEADER + "\ndef test_it(scopix_sandbox):\n    pass\n")
    monkeypatch.delenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
    # With autoloading off and the plugin not named, there is no such fixture.
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*fixture 'scopix_sandbox' not found*"])


def test_the_fixture_needs_no_conftest_and_is_shared_and_put_back(
    pytester: pytest.Pytester,
) -> None:
    result = run(
        pytester,
        """
urls = []

def test_first(scopix_sandbox):
    assert scopix_sandbox.base_url.startswith("http://127.0.0.1:")
    assert scopix_sandbox.api_key.startswith("scopix_sandbox_")
    assert scopix_sandbox.env == {
        "SCOPIX_BASE_URL": scopix_sandbox.base_url, "SCOPIX_API_KEY": scopix_sandbox.api_key
    }
    assert get(scopix_sandbox).status_code == 200
    scopix_sandbox.set_faults(error_500=1.0)  # left behind on purpose
    scopix_sandbox.configure(rate_limit=True, limits={"usage": 1})
    assert get(scopix_sandbox).status_code == 500
    urls.append(scopix_sandbox.base_url)

def test_second_gets_it_back_as_it_started(scopix_sandbox):
    assert scopix_sandbox.base_url == urls[0]  # one sandbox for the session
    assert [get(scopix_sandbox).status_code for _ in range(3)] == [200, 200, 200]
    assert scopix_sandbox.stats()["requests"] == 3  # counters start at zero for each test
""",
    )
    result.assert_outcomes(passed=2)


def test_the_marker_chooses_data_rate_limits_and_faults(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
pytestmark = pytest.mark.scopix_sandbox(events=120)  # the module's default, per keyword

def details_total(sb):
    return get(sb, "/v1/usage/details", api_key_id="key_01", limit=1).json()["total"]

def test_module_marker(scopix_sandbox):
    assert details_total(scopix_sandbox) == 120

@pytest.mark.scopix_sandbox(faults={"error_503": 1.0, "retry_after": 7})
def test_faults(scopix_sandbox):
    r = get(scopix_sandbox)
    assert (r.status_code, r.headers["Retry-After"]) == (503, "7")
    assert scopix_sandbox.stats()["faults"]["error_503"] == 1

@pytest.mark.scopix_sandbox(limits={"usage": 2}, window_seconds=60)
def test_limits_turn_the_limiter_on(scopix_sandbox):
    assert [get(scopix_sandbox).status_code for _ in range(3)] == [200, 200, 429]

@pytest.mark.scopix_sandbox(events=40)
def test_the_nearest_marker_wins(scopix_sandbox):
    assert details_total(scopix_sandbox) == 40
""",
    )
    result.assert_outcomes(passed=4)


def test_the_factory_makes_as_many_as_asked(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
def test_two(scopix_sandbox_factory):
    small = scopix_sandbox_factory(events=10)
    limited = scopix_sandbox_factory(events=10, limits={"check": 1})
    assert small.base_url != limited.base_url
    assert get(small, "/v1/usage/check").status_code == 200
    assert [get(limited, "/v1/usage/check").status_code for _ in range(2)] == [200, 429]
""",
    )
    result.assert_outcomes(passed=1)


def test_misuse_is_named(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
@pytest.mark.scopix_sandbox(event=10)
def test_typo(scopix_sandbox):
    pass

@pytest.mark.scopix_sandbox(10)
def test_positional(scopix_sandbox):
    pass

def test_factory_typo(scopix_sandbox_factory):
    scopix_sandbox_factory(rate_limits=False)
""",
    )
    result.assert_outcomes(errors=2, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*test_typo*unknown sandbox option(s) event; known: *events*",
            "*test_positional*takes keywords only*",
            "*scopix_sandbox_factory: unknown sandbox option(s) rate_limits; known:*rate_limit*",
        ],
        consecutive=False,
    )


def test_an_answer_off_the_spec_fails_the_test(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
def break_breakdown(app):
    from scopix_sandbox.app import Route
    path = app.spec.operations["get_breakdown"].path
    route = app.routes[path]["GET"]
    app.routes[path]["GET"] = Route(route.op, route.validator, lambda ctx, p: {"oops": 1})

@pytest.mark.scopix_sandbox(events=10)
def test_drift(scopix_sandbox):
    scopix_sandbox.call(break_breakdown)
    assert get(scopix_sandbox, "/v1/usage/breakdown").status_code == 500
""",
    )
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*served 1 response(s) that do not match its spec*"])
