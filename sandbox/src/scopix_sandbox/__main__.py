"""`scopix-sandbox` (or `python -m scopix_sandbox`): serve the sandbox until SIGINT/SIGTERM.

The first two stdout lines are machine-readable:

    SCOPIX_BASE_URL=http://127.0.0.1:PORT
    SCOPIX_API_KEY=scopix_sandbox_...

In a shell, `eval "$(scopix-sandbox --detach)"` serves in the background and sets and
exports them (and SCOPIX_SANDBOX_PID: `kill "$SCOPIX_SANDBOX_PID"` stops it).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import math
import os
import shlex
import signal
import subprocess
import sys
from datetime import datetime
from typing import Any

from scopix_sandbox import admin
from scopix_sandbox.faults import FAULTS
from scopix_sandbox.generator import main_account_events
from scopix_sandbox.http import HttpServer
from scopix_sandbox.injector import FaultConfig
from scopix_sandbox.server import SandboxOptions, base_url, build_app
from scopix_sandbox.spec import Spec, load_spec
from scopix_sandbox.store import EventFilter

__all__ = [
    "DEFAULTS",
    "DETACH",
    "EXPORT_SIZES",
    "detach",
    "export_cost",
    "export_summary",
    "export_table",
    "main",
    "parse_args",
    "serve",
]

DEFAULTS = SandboxOptions()
EXPORT_SIZES = (DEFAULTS.events, 2_000, 20_000, 100_000)
DETACH = "--detach"
_DETACHED = "_SCOPIX_SANDBOX_DETACHED"  # set for the background process by `detach`


def _share(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError("a share between 0 and 1")
    return value


def _latency(text: str) -> float | tuple[float, float]:
    lo, sep, hi = text.partition("-")
    return (float(lo), float(hi)) if sep else float(lo)


def _bucket_limit(text: str) -> tuple[str, int]:
    bucket, sep, n = text.partition("=")
    if not sep:
        raise argparse.ArgumentTypeError("BUCKET=N, e.g. usage=5")
    return bucket, int(n)


def _account_credits(text: str) -> tuple[str, int]:
    who, sep, n = text.partition("=")
    if not sep or not n.isdigit():
        raise argparse.ArgumentTypeError("ACCOUNT=N, e.g. acct_main=60 (or a key id: key_01=60)")
    return who, int(n)


def _now(text: str) -> datetime:
    dt = datetime.fromisoformat(text)
    if dt.tzinfo is None:
        raise argparse.ArgumentTypeError("give an offset, e.g. 2026-11-20T12:00:00Z")
    return dt


def _page_sizes(spec: Spec) -> tuple[int, int]:
    """get_details' `limit`: its default (the SDK's page size) and its maximum."""
    (limit,) = (p for p in spec.operations["get_details"].parameters if p["name"] == "limit")
    return int(limit["schema"]["default"]), int(limit["schema"]["maximum"])


def export_cost(spec: Spec, events: int, page_size: int | None = None) -> str:
    """What paging through `events` with get_details costs at the spec's rate limit: a sliding
    window of `limit` requests per `window` seconds lets the first `limit` go at once and each
    further `limit` one window later."""
    size = page_size or _page_sizes(spec)[0]
    requests = max(1, math.ceil(events / size))
    rate = spec.operations["get_details"].rate_limit
    waits = math.ceil(requests / rate.limit) - 1
    if not waits:
        return f"{requests:,} pages of {size}, within the first {rate.limit} requests: seconds"
    return f"{requests:,} pages of {size}, about {waits * rate.window_seconds / 60:.0f} min"


def export_summary(spec: Spec, events: int) -> str:
    """A full export of `events` by the SDK (its default page) and by `scopix usage export`
    (the CLI asks for the largest page the spec allows)."""
    default, biggest = _page_sizes(spec)
    sdk = export_cost(spec, events, default)
    cli = export_cost(spec, events, biggest)
    return f"get_all_details() {sdk}; scopix usage export {cli}"


def export_table(spec: Spec) -> str:
    rate = spec.operations["get_details"].rate_limit
    biggest = _page_sizes(spec)[1]
    default = _page_sizes(spec)[0]
    lines = [
        "A full export of key_01's account at the real API's rate limit "
        f"({rate.limit} usage requests per",
        f"{rate.window_seconds:g} s per key; the SDK paces to it): get_all_details() at "
        f"{default} a page (scopix usage export: {biggest}):",
    ]
    for events in EXPORT_SIZES:
        total = sum(main_account_events(events))
        line = f"  --events {events:<7} {total:>8,} events: {export_cost(spec, total)}"
        lines.append(line + f" ({export_cost(spec, total, biggest)})")
    return "\n".join(lines)


def parse_args(argv: list[str] | None = None) -> SandboxOptions:
    p = argparse.ArgumentParser(
        prog="scopix-sandbox",
        description=__doc__,
        epilog=export_table(load_spec()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--host", default="127.0.0.1", help="loopback address to bind (default %(default)s)"
    )
    p.add_argument("--port", type=int, default=0, help="port; 0 picks a free one (default)")
    p.add_argument(
        "--seed", type=int, default=DEFAULTS.seed, help="dataset seed (default %(default)s)"
    )
    p.add_argument(
        "--events",
        type=int,
        default=DEFAULTS.events,
        help="events of key_01; its account has 1.35 times as many (default %(default)s; "
        "what a full export costs: below)",
    )
    p.add_argument(
        "--months",
        type=int,
        default=DEFAULTS.months,
        help="months of history (default %(default)s)",
    )
    p.add_argument("--now", type=_now, help="pin the clock, e.g. 2026-11-20T12:00:00Z")
    p.add_argument("--db", default=":memory:", help="SQLite file (default: in memory)")
    p.add_argument(
        "--remaining-credits",
        type=_account_credits,
        action="append",
        default=[],
        metavar="ACCOUNT=N",
        help="credits an account (or a key's account) has left at start, e.g. acct_main=60",
    )
    g = p.add_argument_group("rate limits (from the spec's x-rate-limit unless overridden)")
    g.add_argument("--no-rate-limit", action="store_true", help="never answer 429")
    g.add_argument("--window", type=float, help="window seconds for every bucket (limits kept)")
    g.add_argument("--limit", type=_bucket_limit, action="append", default=[], metavar="BUCKET=N")
    g.add_argument("--limit-usage", type=int, help="same as --limit usage=N")
    g.add_argument("--limit-check", type=int, help="same as --limit check=N")
    r = p.add_argument_group("recording and validation")
    r.add_argument("--no-record", action="store_true", help="do not record served requests")
    r.add_argument(
        "--validate-responses",
        action="store_true",
        help="check every response against openapi.yaml (500 + log line on mismatch)",
    )
    f = p.add_argument_group("fault injection (shares between 0 and 1)")
    for fault in FAULTS:
        f.add_argument(
            f"--fault-{fault.name.replace('_', '-')}",
            type=_share,
            default=0.0,
            metavar="SHARE",
            help=fault.gets,
        )
    f.add_argument("--fault-latency-ms", type=_latency, default=0.0, metavar="MS|LO-HI")
    f.add_argument("--fault-retry-after", type=int, default=1, metavar="SECONDS")
    f.add_argument("--fault-slow-ms", type=float, default=2000.0, metavar="MS")
    f.add_argument("--fault-seed", type=int, default=0)
    f.add_argument(
        "--fault-operations",
        default="",
        metavar="OP,OP",
        help="only these operation ids get faults",
    )
    p.add_argument("-v", "--verbose", action="store_true", help="log at INFO")
    p.add_argument(
        DETACH,
        action="store_true",
        help="serve in the background; print the two lines as sh commands that export them, "
        'and SCOPIX_SANDBOX_PID: eval "$(scopix-sandbox --detach)"; kill "$SCOPIX_SANDBOX_PID"',
    )
    a = p.parse_args(argv)
    limits = dict(a.limit)
    if a.limit_usage is not None:
        limits["usage"] = a.limit_usage
    if a.limit_check is not None:
        limits["check"] = a.limit_check
    faults: dict[str, Any] = {f.name: getattr(a, f"fault_{f.name}") for f in FAULTS}
    faults.update(
        latency_ms=a.fault_latency_ms,
        retry_after=a.fault_retry_after,
        slow_ms=a.fault_slow_ms,
        seed=a.fault_seed,
        operations=tuple(o for o in a.fault_operations.split(",") if o),
    )
    logging.basicConfig(
        level=logging.INFO if a.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    return SandboxOptions(
        host=a.host,
        port=a.port,
        seed=a.seed,
        events=a.events,
        months=a.months,
        now=a.now,
        rate_limit=not a.no_rate_limit,
        window_seconds=a.window,
        limits=limits,
        record_requests=not a.no_record,
        validate_responses=a.validate_responses,
        faults=FaultConfig.from_mapping(faults),
        remaining_credits=dict(a.remaining_credits),
        db_path=a.db,
    )


async def serve(options: SandboxOptions) -> None:
    app = build_app(options)
    server = HttpServer(admin.serve(app))
    port = await server.start(options.host, options.port)
    sys.stdout.write(f"SCOPIX_BASE_URL={base_url(options.host, port)}\n")
    sys.stdout.write(f"SCOPIX_API_KEY={app.store.keys['key_01'].secret}\n")
    sys.stdout.flush()
    for k in app.store.keys.values():
        state = " (revoked)" if k.revoked_us is not None else ""
        print(f"# {k.key_id} {k.account_id} {k.name}{state}: {k.secret}", file=sys.stderr)
    main = app.store.keys["key_01"].account_id
    events = app.store.count(EventFilter(main))
    cost = export_summary(app.spec, events)
    print(
        f"# {main}: {events:,} events; a full export at the real rate limit: {cost}",
        file=sys.stderr,
    )
    if os.environ.get(_DETACHED):
        _let_go_of_stdio()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        await server.stop()
        app.store.close()


def _let_go_of_stdio() -> None:
    """The background server's stdout and stderr become /dev/null once it has started, so
    that the caller's pipes (`$(...)`, a CI step's log) reach their end."""
    sys.stdout.flush()
    sys.stderr.flush()
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.close(devnull)


def detach(argv: list[str]) -> int:
    """Serve `argv` in a process of its own session (no terminal's Ctrl-C or hang-up ends it);
    once it listens, pass on its start-up lines on stderr, print its two lines as
    `export NAME=VALUE` and its pid, and return 0."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "scopix_sandbox", *argv],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        env={**os.environ, _DETACHED: "1"},
    )
    assert proc.stdout is not None
    assert proc.stderr is not None
    lines = [proc.stdout.readline().strip() for _ in range(2)]
    for line in proc.stderr:  # until the server lets go of it (or exits)
        sys.stderr.write(line)
    proc.stdout.close()
    proc.stderr.close()
    names = [line.partition("=")[0] for line in lines]
    if names != ["SCOPIX_BASE_URL", "SCOPIX_API_KEY"]:
        code = proc.wait()
        print("sandbox: the background server did not start", file=sys.stderr)
        return code or 1
    for line in lines:
        name, _, value = line.partition("=")
        sys.stdout.write(f"export {name}={shlex.quote(value)}\n")
    sys.stdout.write(f"export SCOPIX_SANDBOX_PID={proc.pid}\n")
    print(f'# serving in the background: kill "$SCOPIX_SANDBOX_PID" ({proc.pid})', file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else list(argv)
    if DETACH not in args:
        return _run(args)
    code = _run(args)
    if code:
        # `eval "$(scopix-sandbox --detach)"` then fails too (eval of nothing would succeed)
        sys.stdout.write(f"(exit {code})\n")
    return code


def _run(args: list[str]) -> int:
    try:
        options = parse_args(args)
        if DETACH in args:
            return detach([arg for arg in args if arg != DETACH])
        asyncio.run(serve(options))
    except ValueError as exc:
        print(f"sandbox: {exc}", file=sys.stderr)
        return 2
    except SystemExit as exc:  # argparse: a bad flag (2), or --help (0)
        return exc.code if isinstance(exc.code, int) else 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
