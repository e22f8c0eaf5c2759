"""`scopix.otel.OTelObserver` over real calls to the sandbox, read back with the
opentelemetry-sdk's in-memory span exporter and metric reader."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import HistogramDataPoint, InMemoryMetricReader
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

import scopix
from scopix.otel import OTelObserver
from scopix_sandbox.server import Sandbox

from .driver import Driver


@dataclass
class Telemetry:
    spans: InMemorySpanExporter
    reader: InMemoryMetricReader
    tracer_provider: TracerProvider
    observer: OTelObserver

    def finished(self) -> list[ReadableSpan]:
        return list(self.spans.get_finished_spans())

    def points(self, name: str) -> list[HistogramDataPoint]:
        data = self.reader.get_metrics_data()
        assert data is not None
        out = []
        for resource in data.resource_metrics:
            for scope in resource.scope_metrics:
                for metric in scope.metrics:
                    if metric.name == name:
                        out += [
                            p for p in metric.data.data_points if isinstance(p, HistogramDataPoint)
                        ]
        return out


@pytest.fixture
def telemetry() -> Iterator[Telemetry]:
    spans = InMemorySpanExporter()
    tracer_provider = TracerProvider()
    tracer_provider.add_span_processor(SimpleSpanProcessor(spans))
    reader = InMemoryMetricReader()
    meter_provider = MeterProvider(metric_readers=[reader])
    observer = OTelObserver(tracer_provider=tracer_provider, meter_provider=meter_provider)
    yield Telemetry(spans, reader, tracer_provider, observer)
    tracer_provider.shutdown()
    meter_provider.shutdown()


@pytest.fixture
def drive(scopix_sandbox: Sandbox, flavour: str, telemetry: Telemetry) -> Iterator[Driver]:
    d = Driver(
        flavour,
        api_key=scopix_sandbox.api_key,
        base_url=scopix_sandbox.base_url,
        pacing=False,
        max_retries=2,
        observers=[telemetry.observer],
    )
    yield d
    d.close()


def _attrs(span: ReadableSpan) -> dict[str, Any]:
    return dict(span.attributes or {})


def test_one_client_span_per_call_after_the_http_conventions(
    drive: Driver, telemetry: Telemetry, scopix_sandbox: Sandbox
) -> None:
    raw = drive.raw("get_details", limit=5)
    (span,) = telemetry.finished()
    host, port = scopix_sandbox.base_url.removeprefix("http://").rsplit(":", 1)
    assert span.name == "GET /v1/usage/details"
    assert span.kind is SpanKind.CLIENT
    assert span.status.status_code is StatusCode.UNSET
    assert _attrs(span) == {
        "http.request.method": "GET",
        "server.address": host,
        "server.port": int(port),
        "url.full": f"{scopix_sandbox.base_url}/v1/usage/details?limit=5&offset=0",
        "url.template": "/v1/usage/details",
        "http.response.status_code": 200,
        "scopix.operation": "get_details",
        "scopix.attempts": 1,
        "scopix.retry_wait": 0.0,
        "scopix.pacing_wait": pytest.approx(0, abs=0.5),
        "scopix.rate_limit.remaining": raw.rate_limit.remaining,
        "scopix.request_id": raw.request_id,
    }
    assert scopix_sandbox.api_key not in repr(span.to_json())
    assert span.start_time is not None
    assert span.end_time is not None
    assert span.end_time > span.start_time
    (duration,) = telemetry.points("http.client.request.duration")
    assert duration.count == 1
    assert dict(duration.attributes or {}) == {
        "http.request.method": "GET",
        "server.address": host,
        "server.port": int(port),
        "http.response.status_code": 200,
    }
    assert 0 < duration.sum <= (span.end_time - span.start_time) / 1e9
    (pacing,) = telemetry.points("scopix.client.pacing.wait")
    assert pacing.count == 1


@pytest.mark.scopix_sandbox(limits={"usage": 1}, window_seconds=2.0)
def test_a_retried_429_shows_in_the_span_and_the_histograms(
    drive: Driver, telemetry: Telemetry
) -> None:
    drive.call("get_breakdown")
    drive.call("get_breakdown")
    _, second = telemetry.finished()
    attrs = _attrs(second)
    assert attrs["scopix.attempts"] == 2
    assert attrs["http.request.resend_count"] == 1
    assert attrs["http.response.status_code"] == 200
    assert attrs["scopix.retry_wait"] > 0
    assert "error.type" not in attrs
    assert second.status.status_code is StatusCode.UNSET
    by_status = {
        dict(p.attributes or {})["http.response.status_code"]: p
        for p in telemetry.points("http.client.request.duration")
    }
    assert by_status[200].count == 2
    assert by_status[429].count == 1
    assert dict(by_status[429].attributes or {})["error.type"] == "429"
    (pacing,) = telemetry.points("scopix.client.pacing.wait")
    assert pacing.count == 2


def test_a_failed_call_is_an_error_span(
    drive: Driver, telemetry: Telemetry, scopix_sandbox: Sandbox
) -> None:
    key = scopix_sandbox.api_key
    drive.client = drive.client.with_options(api_key=key[:-1] + ("x" if key[-1] != "x" else "y"))
    with pytest.raises(scopix.AuthenticationError):
        drive.call("get_plan")
    (span,) = telemetry.finished()
    assert span.status.status_code is StatusCode.ERROR
    assert _attrs(span)["error.type"] == "401"
    assert _attrs(span)["http.response.status_code"] == 401


def test_the_span_nests_under_the_callers(scopix_sandbox: Sandbox, telemetry: Telemetry) -> None:
    tracer = telemetry.tracer_provider.get_tracer("app")
    with (
        scopix.SyncScopix(
            api_key=scopix_sandbox.api_key,
            base_url=scopix_sandbox.base_url,
            observers=[telemetry.observer],
        ) as client,
        tracer.start_as_current_span("nightly report") as parent,
    ):
        client.usage.get_breakdown()
    call, outer = telemetry.finished()
    assert outer.name == "nightly report"
    assert call.parent is not None
    assert call.parent.span_id == parent.get_span_context().span_id
    assert call.context is not None
    assert call.context.trace_id == parent.get_span_context().trace_id


def test_import_scopix_loads_no_telemetry_package() -> None:
    """`import scopix` and a client with Stats import neither opentelemetry nor
    prometheus_client (-X importtime lists every module imported)."""
    code = (
        "import scopix, scopix.observe\n"
        "scopix.SyncScopix(api_key='scopix_test_' + 'a' * 32, observers=[scopix.observe.Stats()])"
    )
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        capture_output=True,
        text=True,
        check=True,
    )
    modules = [line.rsplit("|", 1)[-1].strip() for line in out.stderr.splitlines()]
    assert "scopix.observe" in modules
    assert [m for m in modules if m.split(".")[0] in ("opentelemetry", "prometheus_client")] == []


def _observability_doc_examples() -> list[str]:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "observability.md").read_text("utf-8")
    return [block.split("\n```", 1)[0] for block in doc.split("```python\n")[1:]]


def test_the_observability_doc_examples_run(scopix_sandbox: Sandbox) -> None:
    examples = _observability_doc_examples()
    assert len(examples) == 3
    env = {**os.environ, **scopix_sandbox.env}
    outputs, errors = [], []
    for code in examples:
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
        )
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout)
        errors.append(done.stderr)
    assert '"name": "GET /v1/usage/breakdown"' in outputs[0]
    assert '"scopix.operation": "get_breakdown"' in outputs[0]
    assert re.match(r"\d+ requests, 0 answered 429, 0 retries\n", outputs[1])
    holds = [line for line in errors[2].splitlines() if line.startswith("holds: ")]
    assert [line.split(" after ")[0].split(" for ")[0] for line in holds] == [
        "holds: granted 2 credits", "holds: released 2 credits",
    ]  # fmt: skip
