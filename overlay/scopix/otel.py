"""OpenTelemetry for the SDK's calls (`pip install 'scopix[otel]'`: the API only; the app brings
the SDK and its exporters).

    from scopix import SyncScopix
    from scopix.otel import OTelObserver

    client = SyncScopix(observers=[OTelObserver()])

Per call, one CLIENT span after the HTTP client semantic conventions (`GET /v1/usage/breakdown`,
with `http.request.method`, `server.address`, `server.port`, `url.full`, `url.template`,
`http.response.status_code`, `error.type`, `http.request.resend_count`) and the SDK's own
attributes (`scopix.*`: operation, attempts, retry and pacing waits, rate-limit remaining,
request id). Two histograms: `http.client.request.duration` per attempt on the wire, and
`scopix.client.pacing.wait` per call. The span starts and ends when the call did (it is made
when the call is over, in the caller's context, so it nests under the caller's span).

Nothing here is imported by `import scopix`; without this observer nothing is recorded.
"""

from __future__ import annotations

from typing import Any

import httpx
from opentelemetry import metrics, trace
from opentelemetry.trace import SpanKind, Status, StatusCode

from ._version import __version__
from .observe import CallInfo

__all__ = ["OTelObserver"]

_DURATION_BOUNDARIES = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10)
"""The semantic conventions' advice for `http.client.request.duration`."""


class OTelObserver:
    """Spans and metrics of every call, through the global OpenTelemetry providers or the ones
    passed in."""

    def __init__(
        self,
        *,
        tracer_provider: trace.TracerProvider | None = None,
        meter_provider: metrics.MeterProvider | None = None,
    ) -> None:
        self._tracer = trace.get_tracer("scopix", __version__, tracer_provider=tracer_provider)
        meter = metrics.get_meter("scopix", __version__, meter_provider=meter_provider)
        self._duration = meter.create_histogram(
            "http.client.request.duration",
            unit="s",
            description="Duration of HTTP client requests (each attempt, on the wire).",
            explicit_bucket_boundaries_advisory=_DURATION_BOUNDARIES,
        )
        self._pacing = meter.create_histogram(
            "scopix.client.pacing.wait",
            unit="s",
            description="Time a call waited for the client-side rate limit, all attempts.",
        )

    def on_call(self, info: CallInfo) -> None:
        url = httpx.URL(info.url)
        port = url.port or (443 if url.scheme == "https" else 80)
        common: dict[str, Any] = {
            "http.request.method": info.method,
            "server.address": url.host,
            "server.port": port,
        }
        attributes: dict[str, Any] = {
            **common,
            "url.full": info.url,
            "url.template": info.url_template,
            "scopix.operation": info.operation,
            "scopix.attempts": info.attempts,
            "scopix.retry_wait": info.retry_wait,
            "scopix.pacing_wait": info.pacing_wait,
        }
        optional = {
            "http.response.status_code": info.status_code,
            "http.request.resend_count": info.retries or None,
            "error.type": info.error_type,
            "scopix.rate_limit.remaining": info.rate_limit_remaining,
            "scopix.request_id": info.request_id,
        }
        attributes.update({k: v for k, v in optional.items() if v is not None})
        span = self._tracer.start_span(
            f"{info.method} {info.url_template}",
            kind=SpanKind.CLIENT,
            attributes=attributes,
            start_time=info.start_time_ns,
        )
        if info.error_type is not None:
            span.set_status(Status(StatusCode.ERROR, info.error_type))
        span.end(end_time=info.start_time_ns + int(info.duration * 1e9))

        attempts = zip(info.statuses, info.attempt_errors, info.attempt_durations, strict=True)
        for status, error, seconds in attempts:
            measured = dict(common)
            if status is not None:
                measured["http.response.status_code"] = status
                if status >= 400:
                    measured["error.type"] = str(status)
            elif error is not None:
                measured["error.type"] = error
            self._duration.record(seconds, measured)
        self._pacing.record(info.pacing_wait, {**common, "scopix.operation": info.operation})
