"""The `/_sandbox/*` admin endpoints (not in the spec; no auth; loopback peers only), and the
reports they and `Sandbox` give: counters, accounts and keys, settings.

| endpoint | |
|---|---|
| `GET /_sandbox/stats` | counters since the last reset |
| `GET`/`POST /_sandbox/faults` | the fault settings; a POST replaces them (`{}`: none) |
| `GET`/`POST /_sandbox/config` | the settings; a POST changes some of them |
| `POST /_sandbox/reset` | empty rate-limit windows, zero counters, restart the fault draw |
| `POST /_sandbox/flush` | write buffered recorded requests now |
| `POST /_sandbox/spend` | one usage event costing N credits now (spending.py) |
| `GET /_sandbox/info` | clock, seed, accounts, every key with its secret, settings |
"""

from __future__ import annotations

import json
import time
from typing import Any

from scopix_sandbox import clock
from scopix_sandbox.app import App
from scopix_sandbox.catalog import ACCOUNTS, PLANS
from scopix_sandbox.http import Handler, Request, Response
from scopix_sandbox.injector import FaultConfig

__all__ = ["PREFIX", "admin", "info_json", "serve", "stats_json"]

PREFIX = "/_sandbox/"


def serve(app: App) -> Handler:
    """The server's handler: admin paths here, every other path to the API pipeline."""

    def handle(req: Request) -> Response:
        if req.target.startswith(PREFIX):
            return admin(app, req)
        return app.handle(req)

    return handle


def stats_json(app: App) -> dict[str, Any]:
    s = app.stats
    return {
        "requests": s.requests,
        "by_status": {str(k): v for k, v in sorted(s.by_status.items())},
        "by_operation": dict(sorted(s.by_operation.items())),
        "rate_limited": s.rate_limited,
        "faults": dict(app.faults.injected),
        "delayed": app.faults.delayed,
        "response_validation_failures": s.response_validation_failures,
        "handler_errors": s.handler_errors,
        "recorded": s.recorded,
        "uptime_seconds": round(time.time() - s.started, 3),
        "spends": app.credits.spends,
    }


def info_json(app: App) -> dict[str, Any]:
    return {
        "now": clock.fmt_instant(app.clock.now_us()),
        "clock_pinned": app.clock.pinned_us is not None,
        "seed": app.seed,
        "spec": str(app.spec.path),
        "accounts": [
            {
                "account_id": a.account_id,
                "name": a.name,
                "plan_id": a.plan_id,
                "plan_name": PLANS[a.plan_id].name if a.plan_id else None,
            }
            for a in ACCOUNTS
        ],
        "api_keys": [
            {
                "id": k.key_id,
                "name": k.name,
                "account_id": k.account_id,
                "secret": k.secret,
                "revoked": k.revoked_us is not None,
            }
            for k in app.store.keys.values()
        ],
        "config": app.settings.to_json(),
    }


def admin(app: App, req: Request) -> Response:
    rid = app.next_request_id()

    def reply(status: int, data: Any) -> Response:
        body = json.dumps(data, indent=1).encode()
        return Response(status, [("X-Request-Id", rid), ("Content-Type", "application/json")], body)

    if not req.loopback_peer:
        return reply(403, {"code": "forbidden", "message": "admin endpoints are loopback-only"})
    path = req.target.partition("?")[0]
    name = path[len(PREFIX) :]
    try:
        payload: Any = json.loads(req.body) if req.body else {}
        if not isinstance(payload, dict):
            raise ValueError("the body must be a JSON object")
        if name == "stats" and req.method == "GET":
            return reply(200, stats_json(app))
        if name == "info" and req.method == "GET":
            return reply(200, info_json(app))
        if name == "faults" and req.method == "GET":
            return reply(200, app.faults.config.to_json())
        if name == "faults" and req.method == "POST":
            app.faults.configure(FaultConfig.from_mapping(payload))
            return reply(200, app.faults.config.to_json())
        if name == "config" and req.method == "GET":
            return reply(200, app.settings.to_json())
        if name == "config" and req.method == "POST":
            app.settings.update(payload)
            return reply(200, app.settings.to_json())
        if name == "reset" and req.method == "POST":
            app.reset()
            return reply(200, {"reset": True})
        if name == "spend" and req.method == "POST":
            return reply(200, app.credits.spend(payload))
        if name == "flush" and req.method == "POST":
            app.store.flush()
            return reply(200, {"flushed": True})
    except (ValueError, TypeError) as exc:
        return reply(400, {"code": "bad_request", "message": str(exc)})
    return reply(404, {"code": "not_found", "message": f"no admin endpoint {req.method} {path}"})
