"""Routing and the request pipeline of the API paths (the admin endpoints are in admin.py).

For an API path: route (404/405) -> authenticate (401) -> draw a fault -> rate limit (429, no
slot taken) -> validate the query (400/422) -> handler (403 for another account's key id) ->
validate the response against the spec (test mode; a mismatch becomes a logged 500) -> body
faults -> record the request as a usage event (when recording is on).

Every API response carries X-Request-Id and X-RateLimit-Limit/Remaining/Reset, except the two
injected faults that imitate something in front of the API (the gateway's HTML 502 and the
HTML 200 page), which carry only X-Request-Id.
"""

from __future__ import annotations

import logging
import os
import time
from collections import Counter
from dataclasses import dataclass
from functools import partial
from typing import Any

from scopix_sandbox import clock
from scopix_sandbox.auth import authenticate
from scopix_sandbox.catalog import ACCOUNTS, Account, ApiKey, check_against_spec
from scopix_sandbox.context import Context, Handler
from scopix_sandbox.errors import RequestError
from scopix_sandbox.faults import Fault, Scene
from scopix_sandbox.handlers import HANDLERS
from scopix_sandbox.http import Request, Response
from scopix_sandbox.injector import FaultInjector
from scopix_sandbox.params import RequestValidator
from scopix_sandbox.ratelimit import Decision, SlidingWindowLimiter
from scopix_sandbox.response_check import ResponseValidator
from scopix_sandbox.responses import JSON_TYPE, encode, error_body, rate_headers
from scopix_sandbox.settings import Settings
from scopix_sandbox.spec import Operation, Spec
from scopix_sandbox.spending import CreditBook
from scopix_sandbox.store import Store

__all__ = ["App", "Route", "Stats"]

log = logging.getLogger("scopix_sandbox")


@dataclass(frozen=True)
class Route:
    op: Operation
    validator: RequestValidator
    handler: Handler


class Stats:
    def __init__(self) -> None:
        self.requests = 0
        self.by_status: Counter[int] = Counter()
        self.by_operation: Counter[str] = Counter()
        self.rate_limited = 0
        self.response_validation_failures = 0
        self.handler_errors = 0
        self.recorded = 0
        self.started = time.time()


class App:
    def __init__(
        self,
        spec: Spec,
        store: Store,
        now: clock.Clock,
        limiter: SlidingWindowLimiter,
        faults: FaultInjector,
        *,
        record_requests: bool,
        validate_responses: bool,
        seed: int,
    ) -> None:
        missing = set(spec.operations) - set(HANDLERS)
        extra = set(HANDLERS) - set(spec.operations)
        if missing or extra:
            raise RuntimeError(
                f"handlers and spec disagree: no handler for {sorted(missing)}, "
                f"handlers without an operation {sorted(extra)}"
            )
        check_against_spec(spec.enum("OperationType"), spec.enum("AnalysisLevel"))
        self.spec = spec
        self.store = store
        self.clock = now
        self.limiter = limiter
        self.faults = faults
        self.accounts: dict[str, Account] = {a.account_id: a for a in ACCOUNTS}
        self.credits = CreditBook(store, now, self.accounts)
        self.settings = Settings(
            limiter,
            faults,
            self.credits,
            record_requests=record_requests,
            validate_responses=validate_responses,
        )
        self.seed = seed
        self.routes: dict[str, dict[str, Route]] = {}
        for op in spec.operations.values():
            route = Route(op, RequestValidator(op), HANDLERS[op.operation_id])
            self.routes.setdefault(op.path, {})[op.method] = route
        self.response_validator = ResponseValidator(spec) if validate_responses else None
        self.usage_op = spec.operations["get_summary"]
        self.check_op = spec.operations["check"]
        self.stats = Stats()
        self.validation_failures_total = 0
        """Response validation failures since start (`reset()` leaves it)."""
        self._rid_prefix = os.urandom(4).hex()
        self._rid = 0

    # -- state -------------------------------------------------------------------------------

    def next_request_id(self) -> str:
        self._rid += 1
        return f"req_{self._rid_prefix}{self._rid:08x}"

    def reset(self) -> None:
        """Empty the rate-limit windows, zero the counters, restart the fault sequence."""
        self.limiter.reset()
        self.faults.reset_counters()
        self.stats = Stats()

    def restore(self) -> None:
        """Back to the settings it started with, then `reset()`."""
        self.settings.restore()
        self.reset()

    # -- requests -----------------------------------------------------------------------------

    def handle(self, req: Request) -> Response:
        t0 = time.perf_counter()
        rid = self.next_request_id()
        path, _, query = req.target.partition("?")
        methods = self.routes.get(path)
        route = methods.get(req.method) if methods else None
        if route is None:
            return self._unrouted(req, path, rid, methods)
        op = route.op
        bucket = op.rate_limit.bucket
        stats = self.stats
        stats.requests += 1
        stats.by_operation[op.operation_id] += 1

        key = None
        status: int
        try:
            sent = req.header_values("authorization")
            key = authenticate(sent, self.store.keys_by_secret, self.clock.now_us())
        except RequestError as exc:
            status = exc.status
            limit = self.limiter.limits[bucket]
            headers = [
                ("X-Request-Id", rid),
                *rate_headers(Decision(True, limit, limit, 0.0)),
                JSON_TYPE,
            ]
            return self._finish(op, status, error_body(exc.code, exc.message, rid), headers, None)

        draw = self.faults.draw(op.operation_id)
        fault = draw.fault
        if fault is not None and fault.answer is not None:
            peek = partial(self.limiter.peek, key.key_id, bucket)
            resp = fault.answer(Scene(rid, self.faults.config.retry_after, peek))
            resp.delay = draw.delay
            stats.by_status[resp.status] += 1
            self._record(key, req, resp.status, t0, draw.delay)
            return resp

        decision = self.limiter.acquire(key.key_id, bucket)
        headers = [("X-Request-Id", rid), *rate_headers(decision)]
        if not decision.allowed:
            stats.rate_limited += 1
            status = 429
            headers.append(("Retry-After", str(decision.retry_after)))
            window = self.limiter.windows[bucket]
            body: Any = error_body(
                "rate_limited",
                f"Rate limit of {decision.limit} requests per {window:g} seconds exceeded for "
                f"this API key ({bucket} bucket); retry after {decision.retry_after} s.",
                rid,
                {"bucket": bucket, "limit": decision.limit, "window_seconds": window},
            )
        else:
            try:
                params = route.validator.parse(query)
                ctx = Context(
                    store=self.store,
                    now_us=self.clock.now_us(),
                    key=key,
                    account=self.accounts[key.account_id],
                    usage_per_minute=self.settings.per_minute(self.usage_op.rate_limit.bucket),
                    check_per_minute=self.settings.per_minute(self.check_op.rate_limit.bucket),
                    usage_limit=(
                        self.limiter.limits[self.usage_op.rate_limit.bucket],
                        self.limiter.windows[self.usage_op.rate_limit.bucket],
                    ),
                    credit_limits=self.credits.limits,
                )
                body = route.handler(ctx, params)
                status = 200
            except RequestError as exc:
                status = exc.status
                body = error_body(exc.code, exc.message, rid, exc.details)
            except Exception:
                log.exception("sandbox handler %s failed (request %s)", op.operation_id, rid)
                stats.handler_errors += 1
                status = 500
                body = error_body("internal_error", "The sandbox failed on this request.", rid)
        headers.append(JSON_TYPE)
        resp = self._finish(op, status, body, headers, fault)
        resp.delay = draw.delay
        self._record(key, req, resp.status, t0, draw.delay)
        return resp

    def _finish(
        self,
        op: Operation,
        status: int,
        body: Any,
        headers: list[tuple[str, str]],
        fault: Fault | None,
    ) -> Response:
        rv = self.response_validator
        if rv is not None:
            problems = rv.check(op.operation_id, status, body, dict(headers))
            if problems:
                self.stats.response_validation_failures += 1
                self.validation_failures_total += 1
                rid = dict(headers).get("X-Request-Id", "")
                log.error(
                    "RESPONSE VALIDATION FAILED: %s %d (request %s) does not match openapi.yaml:"
                    " %s",
                    op.operation_id,
                    status,
                    rid,
                    "; ".join(problems[:10]),
                )
                status = 500
                body = error_body(
                    "response_validation_failed",
                    f"The sandbox's {op.operation_id} response does not match openapi.yaml: "
                    + "; ".join(problems[:3]),
                    rid,
                    {"problems": problems[:20]},
                )
        if fault is not None and fault.document is not None and status == 200:
            body = fault.document(body, op.body_schema("200"))
        encoded = encode(body)
        if fault is not None and fault.encoded is not None:
            encoded = fault.encoded(encoded)
        resp = Response(status, headers, encoded)
        if fault is not None and fault.cut is not None:
            resp.cut_after = fault.cut(encoded)
        self.stats.by_status[status] += 1
        return resp

    def _record(self, key: ApiKey, req: Request, status: int, t0: float, delay: float) -> None:
        if not self.settings.record_requests:
            return
        latency_ms = (time.perf_counter() - t0 + delay) * 1000.0
        path = req.target.partition("?")[0]
        self.store.record(self.clock.now_us(), key, path, req.method, status, latency_ms)
        self.stats.recorded += 1

    def _unrouted(
        self, req: Request, path: str, rid: str, methods: dict[str, Route] | None
    ) -> Response:
        self.stats.requests += 1
        headers = [("X-Request-Id", rid)]
        limit = self.limiter.limits[self.usage_op.rate_limit.bucket]
        headers += rate_headers(Decision(True, limit, limit, 0.0))
        headers.append(JSON_TYPE)
        if methods:
            allow = ", ".join(sorted(methods))
            headers.append(("Allow", allow))
            status = 405
            body = error_body(
                "method_not_allowed", f"{req.method} is not allowed on {path}; use {allow}.", rid
            )
        else:
            status = 404
            body = error_body("not_found", f"No operation at {path}.", rid)
        self.stats.by_status[status] += 1
        return Response(status, headers, encode(body))
