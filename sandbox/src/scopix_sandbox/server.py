"""Starting the sandbox: options, the app they build, and a handle to a background server.

`run_sandbox(**options)` (a context manager) and `start(**options)` run the server in a thread
with its own event loop, on a free loopback port, and return a `Sandbox` handle.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import ipaddress
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from scopix_sandbox import admin, clock
from scopix_sandbox.app import App
from scopix_sandbox.generator import generate
from scopix_sandbox.http import HttpServer
from scopix_sandbox.injector import FaultConfig, FaultInjector
from scopix_sandbox.ratelimit import SlidingWindowLimiter
from scopix_sandbox.spec import SPEC_PATH, load_spec
from scopix_sandbox.store import Store

__all__ = [
    "Sandbox",
    "SandboxOptions",
    "base_url",
    "build_app",
    "check_host",
    "run_sandbox",
    "start",
]

T = TypeVar("T")


@dataclass(frozen=True)
class SandboxOptions:
    host: str = "127.0.0.1"
    """A loopback address (or `localhost`); anything else is refused."""
    port: int = 0
    """0 picks a free port."""
    seed: int = 42
    events: int = 300
    """Events of the main key (key_01); the other keys' counts follow from it. The default keeps
    a full export of its account (about 400 events) inside one minute's rate limit."""
    months: int = 6
    now: datetime | None = None
    """Pin the clock (timezone-aware); the data is generated relative to it. None: real time."""
    rate_limit: bool = True
    window_seconds: float | None = None
    """Override every bucket's window (limits stay those of the spec unless `limits` is set)."""
    limits: Mapping[str, int] = field(default_factory=dict)
    """Override limits per bucket (`{"usage": 5, "check": 10}`)."""
    record_requests: bool = True
    """Record served requests as `usage_query` events (see README: pagination)."""
    validate_responses: bool = False
    """Check every response against openapi.yaml; a mismatch is a logged 500."""
    faults: FaultConfig | Mapping[str, Any] | None = None
    remaining_credits: Mapping[str, int] = field(default_factory=dict)
    """Credits left at start per account or key id (`{"acct_main": 60}`); others have their
    plan's credits less what the dataset used."""
    spec_path: Path = SPEC_PATH
    db_path: str = ":memory:"

    def fault_config(self) -> FaultConfig:
        if isinstance(self.faults, FaultConfig):
            return self.faults
        return FaultConfig.from_mapping(self.faults or {})


def check_host(host: str) -> None:
    if host == "localhost":
        return
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise ValueError(f"the sandbox binds loopback addresses only, not {host!r}")


def build_app(options: SandboxOptions) -> App:
    check_host(options.host)
    spec = load_spec(options.spec_path)
    the_clock = clock.Clock(options.now)
    usage_endpoints = tuple(sorted((op.method, op.path) for op in spec.operations.values()))
    anchor = the_clock.now_us()
    if the_clock.pinned_us is None:
        # Real time: anchor the data at the start of the minute, so sandboxes started within the
        # same minute share one generated dataset (it is cached).
        anchor -= anchor % 60_000_000
    dataset = generate(
        seed=options.seed,
        now_us=anchor,
        events=options.events,
        months=options.months,
        usage_endpoints=usage_endpoints,
    )
    store = Store(dataset, options.db_path)
    buckets = spec.buckets()
    unknown = set(options.limits) - set(buckets)
    if unknown:
        raise ValueError(
            f"unknown rate-limit buckets {sorted(unknown)}; the spec has {sorted(buckets)}"
        )
    limits = {b: int(options.limits.get(b, rl.limit)) for b, rl in buckets.items()}
    windows = {b: float(options.window_seconds or rl.window_seconds) for b, rl in buckets.items()}
    limiter = SlidingWindowLimiter(limits, windows, enabled=options.rate_limit)
    app = App(
        spec,
        store,
        the_clock,
        limiter,
        FaultInjector(options.fault_config()),
        record_requests=options.record_requests,
        validate_responses=options.validate_responses,
        seed=options.seed,
    )
    app.credits.set_remaining(options.remaining_credits, initial=True)
    return app


def base_url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


class Sandbox:
    """A sandbox server running in a background thread (own event loop)."""

    def __init__(self, options: SandboxOptions) -> None:
        self.options = options
        self.app: App | None = None
        self.port = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._stopped = False

    # -- facts --------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return base_url(self.options.host, self.port)

    @property
    def api_key(self) -> str:
        """The secret of key_01, the main demo key (Pro plan)."""
        return self.api_keys["key_01"]

    @property
    def api_keys(self) -> dict[str, str]:
        """Every key id to its secret (key_03 is revoked: its secret gets 401)."""
        assert self.app is not None
        return {k.key_id: k.secret for k in self.app.store.keys.values()}

    @property
    def env(self) -> dict[str, str]:
        """`SCOPIX_BASE_URL` and `SCOPIX_API_KEY` for it, as the SDK and the CLI read them."""
        return {"SCOPIX_BASE_URL": self.base_url, "SCOPIX_API_KEY": self.api_key}

    @property
    def now(self) -> datetime:
        """The clock's current instant (fixed when `now` was pinned)."""
        assert self.app is not None
        return clock.from_us(self.app.clock.now_us())

    # -- lifecycle ----------------------------------------------------------------------------

    def start(self) -> Sandbox:
        self._thread = threading.Thread(target=self._run, name="scopix-sandbox", daemon=True)
        self._thread.start()
        self._ready.wait()
        if self._error is not None:
            self._thread.join()
            raise self._error
        return self

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        server: HttpServer | None = None
        try:
            asyncio.set_event_loop(loop)
            self.app = build_app(self.options)
            server = HttpServer(admin.serve(self.app))
            self.port = loop.run_until_complete(server.start(self.options.host, self.options.port))
        except BaseException as exc:
            self._error = exc
            self._ready.set()
            loop.close()
            return
        self._ready.set()
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(server.stop())
            self.app.store.close()
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    def stop(self) -> None:
        if self._stopped or self._loop is None or self._thread is None:
            return
        self._stopped = True
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=30)

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- control (runs on the server's loop thread) -------------------------------------------

    def call(self, fn: Callable[[App], T], timeout: float = 30) -> T:
        """Run `fn(app)` on the server's thread and return its result."""
        if self._loop is None or self.app is None or self._stopped:
            raise RuntimeError("the sandbox is not running")
        app = self.app
        fut: concurrent.futures.Future[T] = concurrent.futures.Future()

        def run() -> None:
            try:
                fut.set_result(fn(app))
            except BaseException as exc:
                fut.set_exception(exc)

        self._loop.call_soon_threadsafe(run)
        return fut.result(timeout)

    def set_faults(self, config: FaultConfig | Mapping[str, Any] | None = None, **kw: Any) -> None:
        """Replace the fault settings (`set_faults(error_500=0.1, seed=7)`); none turns them off."""
        if isinstance(config, FaultConfig):
            cfg = replace(config, **kw) if kw else config
        else:
            cfg = FaultConfig.from_mapping({**(config or {}), **kw})
        self.call(lambda app: app.faults.configure(cfg))

    def configure(self, **settings: Any) -> dict[str, Any]:
        """Change `record_requests`, `rate_limit`, `limits`, `window_seconds` or
        `remaining_credits` (`{account or key id: credits left now}`) while running."""

        def apply(app: App) -> dict[str, Any]:
            app.settings.update(settings)
            return app.settings.to_json()

        return self.call(apply)

    def spend(
        self, credits: int, *, api_key: str | None = None, operation_type: str = "document_analysis"
    ) -> dict[str, Any]:
        """Record one usage event costing `credits` now, for `api_key` (a secret; the main key
        when not given): what `POST /_sandbox/spend` does. Returns the event's summary."""
        payload = {
            "api_key": self.api_key if api_key is None else api_key,
            "credits": credits,
            "operation_type": operation_type,
        }
        return self.call(lambda app: app.credits.spend(payload))

    def stats(self) -> dict[str, Any]:
        return self.call(admin.stats_json)

    def info(self) -> dict[str, Any]:
        return self.call(admin.info_json)

    def reset(self) -> None:
        """Empty the rate-limit windows, zero the counters, restart the fault sequence."""
        self.call(lambda app: app.reset())

    def restore(self) -> None:
        """Back to the options it was started with (faults, rate limits, recording), then
        `reset()`. The data stays as it is: requests recorded meanwhile remain events."""
        self.call(lambda app: app.restore())


def start(**options: Any) -> Sandbox:
    """Start a sandbox in a background thread; call `.stop()` when done."""
    return Sandbox(SandboxOptions(**options)).start()


@contextmanager
def run_sandbox(**options: Any) -> Iterator[Sandbox]:
    """`with run_sandbox(events=2000, rate_limit=False) as sb: httpx.get(sb.base_url + ...)`."""
    sb = start(**options)
    try:
        yield sb
    finally:
        sb.stop()
