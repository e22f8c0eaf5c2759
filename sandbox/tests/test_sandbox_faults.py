"""Fault injection: each kind at its share (seeded), its shape on the wire, the admin endpoints."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import fields
from typing import Any

import httpx
import pytest

from scopix_sandbox.__main__ import parse_args
from scopix_sandbox.body_faults import unknown_enums, wrong_types
from scopix_sandbox.faults import FAULTS, KINDS
from scopix_sandbox.injector import FaultConfig, FaultInjector
from scopix_sandbox.server import Sandbox, start
from scopix_sandbox.spec import load_spec

SPEC = load_spec()
CHECK = SPEC.operations["check"].path
N = 300
SHARE = 0.2


@pytest.fixture(scope="module")
def faulty() -> Iterator[Sandbox]:
    sb = start(events=300, rate_limit=False, record_requests=False, validate_responses=True)
    try:
        yield sb
    finally:
        sb.stop()


def _outcome(c: httpx.Client) -> str:
    """What a client sees: ok, a status, html, bad_json, wrong_types or disconnect."""
    try:
        r = c.get(CHECK, timeout=0.5)
    except (httpx.RemoteProtocolError, httpx.ReadError):
        return "disconnect"
    except httpx.ReadTimeout:
        return "slow"
    if r.status_code != 200:
        return str(r.status_code)
    if r.headers["Content-Type"].startswith("text/html"):
        return "html"
    try:
        body = r.json()
    except json.JSONDecodeError:
        return "bad_json"
    return "ok" if isinstance(body["available_credits"], int) else "wrong_types"


EXPECTED = {
    "error_500": "500",
    "error_502": "502",
    "error_503": "503",
    "rate_limit": "429",
    "disconnect": "disconnect",
    "html": "html",
    "truncated": "bad_json",
    "wrong_types": "wrong_types",
    "slow": "slow",
}


@pytest.mark.parametrize("kind", [k for k in KINDS if k != "unknown_enum"])  # check has no enum
def test_each_fault_shows_up_at_its_share(
    kind: str, faulty: Sandbox, make_client: Callable[..., httpx.Client]
) -> None:
    faulty.set_faults({kind: SHARE, "seed": 7, "slow_ms": 1000})
    faulty.reset()
    c = make_client(faulty)
    try:
        seen = [_outcome(c) for _ in range(N)]
    finally:
        faulty.set_faults()
    hits = seen.count(EXPECTED[kind])
    assert set(seen) == {"ok", EXPECTED[kind]}
    assert 0.12 * N <= hits <= 0.28 * N
    stats = faulty.stats()
    assert stats["faults"][kind] == hits
    assert stats["requests"] == N


def test_fault_shapes(faulty: Sandbox, make_client: Callable[..., httpx.Client]) -> None:
    c = make_client(faulty)
    shapes: dict[str, httpx.Response] = {}
    for kind in ("error_500", "error_502", "error_503", "rate_limit", "truncated"):
        faulty.set_faults({kind: 1.0, "retry_after": 3})
        shapes[kind] = c.get(CHECK)
    faulty.set_faults()
    r500, r502, r503, r429 = (
        shapes[k] for k in ("error_500", "error_502", "error_503", "rate_limit")
    )
    assert r500.json()["code"] == "internal_error"
    assert r500.json()["request_id"] == r500.headers["X-Request-Id"]
    assert "X-RateLimit-Remaining" in r500.headers
    assert r502.headers["Content-Type"].startswith("text/html")
    assert b"502 Bad Gateway" in r502.content
    assert "X-Request-Id" in r502.headers
    assert "X-RateLimit-Limit" not in r502.headers  # a gateway does not speak for the API
    assert r503.json()["code"] == "service_unavailable"
    assert r503.headers["Retry-After"] == "3"
    assert r429.json()["code"] == "rate_limited"
    assert r429.headers["Retry-After"] == "3"
    assert r429.headers["X-RateLimit-Remaining"] == "0"
    truncated = shapes["truncated"]
    assert truncated.status_code == 200
    assert int(truncated.headers["Content-Length"]) == len(truncated.content)
    with pytest.raises(json.JSONDecodeError):
        truncated.json()


def test_disconnect_raises_on_the_client(faulty: Sandbox) -> None:
    faulty.set_faults(disconnect=1.0)
    try:
        with (
            httpx.Client(headers={"Authorization": f"Bearer {faulty.api_key}"}) as c,
            pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)),
        ):
            c.get(faulty.base_url + CHECK)
    finally:
        faulty.set_faults()


def test_same_seed_same_faults(faulty: Sandbox, make_client: Callable[..., httpx.Client]) -> None:
    c = make_client(faulty)
    runs = []
    for _ in range(2):
        faulty.set_faults(error_500=0.1, error_503=0.1, html=0.1, seed=11)
        runs.append([_outcome(c) for _ in range(60)])
    faulty.set_faults()
    assert runs[0] == runs[1]
    assert len(set(runs[0])) == 4


def test_latency_fixed_and_range(faulty: Sandbox, make_client: Callable[..., httpx.Client]) -> None:
    c = make_client(faulty)
    c.get(CHECK)
    faulty.set_faults(latency_ms=80)
    t0 = time.perf_counter()
    assert c.get(CHECK).status_code == 200
    assert time.perf_counter() - t0 >= 0.08
    faulty.set_faults(latency_ms=(20, 40), seed=3)
    t0 = time.perf_counter()
    for _ in range(5):
        c.get(CHECK)
    assert time.perf_counter() - t0 >= 0.1  # a delay is never shorter; longer on a busy machine
    assert faulty.stats()["delayed"] >= 6
    faulty.set_faults()


def test_faults_limited_to_operations(
    faulty: Sandbox, make_client: Callable[..., httpx.Client]
) -> None:
    c = make_client(faulty)
    faulty.set_faults(error_500=1.0, operations=["get_breakdown"])
    try:
        assert c.get(CHECK).status_code == 200
        assert c.get(SPEC.operations["get_breakdown"].path).status_code == 500
    finally:
        faulty.set_faults()


def test_admin_endpoints(faulty: Sandbox) -> None:
    with httpx.Client(base_url=faulty.base_url) as admin:
        r = admin.post("/_sandbox/faults", json={"error_503": 0.5, "latency_ms": [1, 2], "seed": 5})
        assert r.status_code == 200
        assert r.json()["error_503"] == 0.5
        assert r.json()["latency_ms"] == [1, 2]
        assert admin.get("/_sandbox/faults").json() == r.json()
        assert admin.post("/_sandbox/faults", json={"error_999": 1}).status_code == 400
        assert (
            admin.post("/_sandbox/faults", json={"error_500": 0.7, "html": 0.7}).status_code == 400
        )
        assert admin.post("/_sandbox/faults", content=b"{not json").status_code == 400
        with httpx.Client(headers={"Authorization": f"Bearer {faulty.api_key}"}) as c:
            for _ in range(20):
                c.get(faulty.base_url + CHECK)
        stats: dict[str, Any] = admin.get("/_sandbox/stats").json()
        assert stats["requests"] >= 20
        assert stats["faults"]["error_503"] > 0
        assert sum(stats["by_status"].values()) == stats["requests"]
        assert admin.post("/_sandbox/reset").status_code == 200
        zeroed = admin.get("/_sandbox/stats").json()
        assert zeroed["requests"] == 0
        assert zeroed["faults"]["error_503"] == 0
        assert admin.post("/_sandbox/faults", json={}).json()["error_503"] == 0
        info = admin.get("/_sandbox/info").json()
        assert {k["id"] for k in info["api_keys"]} == set(faulty.api_keys)
        config = admin.post("/_sandbox/config", json={"record_requests": True}).json()
        assert config["record_requests"] is True
        admin.post("/_sandbox/config", json={"record_requests": False})
        assert admin.get("/_sandbox/nothing").status_code == 404


def test_config_validation() -> None:
    with pytest.raises(ValueError, match="add up"):
        FaultConfig(error_500=0.6, error_502=0.6)
    with pytest.raises(ValueError, match="between 0 and 1"):
        FaultConfig(html=1.5)
    with pytest.raises(ValueError, match="latency"):
        FaultConfig(latency_ms=(50, 10))
    assert not FaultConfig().active
    assert FaultConfig(latency_ms=5).active


def test_every_fault_is_one_row_acting_at_one_point() -> None:
    # A new kind is a row of FAULTS and a share of FaultConfig; the command line follows.
    shares = {f.name for f in fields(FaultConfig)}
    for fault in FAULTS:
        points = (fault.answer, fault.document, fault.encoded, fault.cut, fault.late or None)
        assert sum(point is not None for point in points) == 1, fault.name
        assert fault.name in shares
        options = parse_args([f"--fault-{fault.name.replace('_', '-')}", "0.25"])
        assert getattr(options.fault_config(), fault.name) == 0.25


def test_injector_is_deterministic_and_counts() -> None:
    a, b = (
        FaultInjector(FaultConfig(error_500=0.3, seed=1)),
        FaultInjector(FaultConfig(error_500=0.3, seed=1)),
    )
    seq_a = [a.draw("check").kind for _ in range(1000)]
    assert seq_a == [b.draw("check").kind for _ in range(1000)]
    assert a.injected["error_500"] == seq_a.count("error_500")
    assert 250 <= seq_a.count("error_500") <= 350


def test_unknown_enum_serves_values_the_spec_does_not_list(
    faulty: Sandbox, make_client: Callable[..., httpx.Client]
) -> None:
    c = make_client(faulty)
    faulty.set_faults(unknown_enum=1.0)
    try:
        breakdown = c.get(SPEC.operations["get_breakdown"].path)
        plan = c.get(SPEC.operations["get_plan"].path)
        checked = c.get(CHECK)
    finally:
        faulty.set_faults()
    kinds = {item["operation_type"] for item in breakdown.json()["by_operation"]}
    assert kinds
    assert kinds <= {f"{kind}_v2" for kind in SPEC.enum("OperationType")}
    body = plan.json()
    assert body["period"] == "month_v2"
    assert all(r["priority"].endswith("_v2") for r in body["recommendations"])
    assert not body["billing_period"]["start"].endswith("_v2")  # only enums change
    assert checked.json()["analysis_level"] == "standard"  # a plain string, not an open enum
    assert faulty.stats()["response_validation_failures"] == 0


def test_unknown_enums_follow_the_schema() -> None:
    schema = SPEC.operations["get_plan"].responses["200"]["content"]["application/json"]["schema"]
    body = {"period": "year", "plan_details": None, "recommendations": [{"priority": "low"}]}
    assert unknown_enums(body, schema) == {
        "period": "year_v2",
        "plan_details": None,
        "recommendations": [{"priority": "low_v2"}],
    }


def test_wrong_types_turns_an_integer_into_a_string() -> None:
    out = json.loads(wrong_types(b'{"ok":true,"items":[{"n":3}],"total":5}'))
    assert out["total"] == "5"
    assert out["items"] == [{"n": 3}]
