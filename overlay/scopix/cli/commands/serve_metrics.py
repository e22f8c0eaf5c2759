"""`serve-metrics`: the key's usage as Prometheus metrics, until SIGTERM (`scopix.prometheus`)."""

from __future__ import annotations

import signal
import threading

import click
from rich.console import Console

from ... import prometheus as metrics
from ...observe import Stats
from ..errors import CliError, ExitCode
from ..logs import logging_to
from ..settings import common_options, make_client, pop_settings
from .run import ledger_from_url, redis_option

__all__ = ["serve_metrics"]


def _help() -> str:
    share = metrics.budget_share(metrics.DEFAULT_INTERVAL)
    return (
        "Serve the key's usage as Prometheus metrics (OpenMetrics) at /metrics, refreshed every "
        f"--interval seconds. Each refresh makes {metrics.refresh_requests()} requests; at the "
        f"default interval ({metrics.DEFAULT_INTERVAL:g} s) that is {share:.0%} of the key's "
        f"rate limit (the spec's), and the floor ({metrics.min_interval():g} s) keeps it at "
        f"{metrics.MAX_BUDGET_SHARE:.0%} at most. A failed refresh sets scopix_up to 0 and keeps "
        "the last values. With --redis, each scrape also reads who holds the account's "
        "credits on that shared ledger (no API request). Exits 0 on SIGTERM. Needs "
        "scopix[metrics]."
    )


@click.command("serve-metrics", help=_help())
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback)."
)
@click.option(
    "--port", type=click.IntRange(0, 65535), default=9464, show_default=True, help="0: any free."
)
@click.option(
    "--interval",
    type=click.FloatRange(min=metrics.min_interval()),
    default=metrics.DEFAULT_INTERVAL,
    show_default=True,
    help="Seconds between refreshes.",
)
@click.option(
    "--top", type=click.IntRange(1, 100), default=10, show_default=True, help="Endpoints listed."
)
@redis_option("Serve the holds of the shared credit ledger in this Redis (SCOPIX_REDIS_URL).")
@common_options
@click.pass_context
def serve_metrics(
    ctx: click.Context,
    /,
    host: str,
    port: int,
    interval: float,
    top: int,
    redis_url: str | None,
    **given: object,
) -> None:
    settings = pop_settings(ctx, given)
    ledger = ledger_from_url(redis_url) if redis_url else None
    try:
        import prometheus_client  # noqa: F401
    except ImportError:
        raise CliError(
            "serve-metrics needs prometheus-client: pip install 'scopix[metrics]'",
            ExitCode.INPUT,
            "ImportError",
        ) from None
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    stats = Stats()

    def terminate(signum: int, frame: object) -> None:
        # Raised, not only flagged: a refresh may be waiting out the rate limit or a slow
        # answer for minutes, and SIGTERM should end the process now (a second one is ignored
        # while the server shuts down).
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        raise _Terminated

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        with (
            logging_to(err, settings.verbose, quiet=bool(settings.quiet)),
            make_client(settings, [stats]) as client,
        ):
            if ledger is not None:
                client = client.with_options(credits=ledger)
            exporter = metrics.UsageExporter(client, stats, top=top, holds=ledger is not None)
            metrics.serve(
                exporter,
                host=host,
                port=port,
                interval=interval,
                stop=threading.Event(),
                say=lambda line: click.echo(line, err=True),
            )
    except _Terminated:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)


class _Terminated(BaseException):
    """SIGTERM arrived: unwinds serve-metrics from wherever it waits (never caught as an error)."""
