"""`python -m scopix_sandbox`: serve the sandbox until SIGINT/SIGTERM.

The first two stdout lines are machine-readable:

    SCOPIX_BASE_URL=http://127.0.0.1:PORT
    SCOPIX_API_KEY=scopix_sandbox_...
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from datetime import datetime
from typing import Any

from scopix_sandbox.faults import KINDS, FaultConfig
from scopix_sandbox.http import HttpServer
from scopix_sandbox.server import SandboxOptions, base_url, build_app


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


def _now(text: str) -> datetime:
    dt = datetime.fromisoformat(text)
    if dt.tzinfo is None:
        raise argparse.ArgumentTypeError("give an offset, e.g. 2026-11-20T12:00:00Z")
    return dt


def parse_args(argv: list[str] | None = None) -> SandboxOptions:
    p = argparse.ArgumentParser(
        prog="python -m scopix_sandbox",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--host", default="127.0.0.1", help="loopback address to bind (default %(default)s)"
    )
    p.add_argument("--port", type=int, default=0, help="port; 0 picks a free one (default)")
    p.add_argument("--seed", type=int, default=42, help="dataset seed (default %(default)s)")
    p.add_argument(
        "--events", type=int, default=20_000, help="events of key_01 (default %(default)s)"
    )
    p.add_argument("--months", type=int, default=6, help="months of history (default %(default)s)")
    p.add_argument("--now", type=_now, help="pin the clock, e.g. 2026-11-20T12:00:00Z")
    p.add_argument("--db", default=":memory:", help="SQLite file (default: in memory)")
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
    for kind in KINDS:
        f.add_argument(
            f"--fault-{kind.replace('_', '-')}", type=_share, default=0.0, metavar="SHARE"
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
    a = p.parse_args(argv)
    limits = dict(a.limit)
    if a.limit_usage is not None:
        limits["usage"] = a.limit_usage
    if a.limit_check is not None:
        limits["check"] = a.limit_check
    faults: dict[str, Any] = {k: getattr(a, f"fault_{k}") for k in KINDS}
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
        db_path=a.db,
    )


async def serve(options: SandboxOptions) -> None:
    app = build_app(options)
    server = HttpServer(app.handle)
    port = await server.start(options.host, options.port)
    sys.stdout.write(f"SCOPIX_BASE_URL={base_url(options.host, port)}\n")
    sys.stdout.write(f"SCOPIX_API_KEY={app.store.keys['key_01'].secret}\n")
    sys.stdout.flush()
    for k in app.store.keys.values():
        state = " (revoked)" if k.revoked_us is not None else ""
        print(f"# {k.key_id} {k.account_id} {k.name}{state}: {k.secret}", file=sys.stderr)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        await server.stop()
        app.store.close()


def main(argv: list[str] | None = None) -> int:
    try:
        options = parse_args(argv)
        asyncio.run(serve(options))
    except ValueError as exc:
        print(f"sandbox: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
