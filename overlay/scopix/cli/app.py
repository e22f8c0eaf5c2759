"""The commands. Each builds a SyncScopix from the options (or the environment), calls the SDK,
and prints a table, a chart or (`--json`) the model's dict form."""

from __future__ import annotations

import datetime as dt
import functools
import os
import signal
import sys
import threading
import traceback
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO, TypeVar

import click
from rich.console import Console, RenderableType

from .. import ScopixError, SyncScopix, __version__
from .. import prometheus as metrics
from .. import types as t
from ..observe import Stats
from . import export as exports
from . import render
from .chart import bar_chart
from .errors import CliError, ExitCode, describe, exit_code
from .options import (
    IsoDate,
    common_options,
    end_option,
    json_option,
    logging_to,
    make_client,
    pop_settings,
    spec_option,
    spec_param_type,
    start_option,
)

MAX_CHART_WIDTH = 100
EXPECTED = (click.ClickException, ScopixError, OSError)  # reported as one line, by kind
R = TypeVar("R", bound=render.HasToDict)
F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class Env:
    client: SyncScopix
    out: Console
    err: Console

    def show(self, renderable: RenderableType) -> None:
        self.out.print(renderable)

    def emit(self, result: R, as_json: bool, view: Callable[[R], RenderableType]) -> None:
        """The result as JSON (its dict form) or as its readable view."""
        if as_json:
            click.echo(render.as_json(result))
        else:
            self.show(view(result))

    @property
    def chart_width(self) -> int:
        return min(self.out.width, MAX_CHART_WIDTH)


class ScopixGroup(click.Group):
    """The root group: every error ends as one line on stderr and a documented exit status."""

    def main(
        self,
        args: Any = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        def invoke() -> Any:
            return super(ScopixGroup, self).main(
                args, prog_name, complete_var, standalone_mode=False, **extra
            )

        code = run_reporting_errors(invoke)
        if standalone_mode:
            sys.exit(code)
        return code


def _show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: TextIO | None = None,
    line: str | None = None,
) -> None:
    Console(stderr=True, soft_wrap=True).print(
        f"{category.__name__}: {message}", markup=False, highlight=False
    )


def run_reporting_errors(invoke: Callable[[], Any]) -> int:
    err = Console(stderr=True, soft_wrap=True, highlight=False)
    try:
        with warnings.catch_warnings():
            warnings.showwarning = _show_warning
            result = invoke()
    except (KeyboardInterrupt, click.Abort):
        err.print("Interrupted", markup=False)
        return ExitCode.INTERRUPTED
    except BrokenPipeError:
        _stdout_gone()
        return ExitCode.OK  # the reader (| head) has all it wanted
    except EXPECTED as exc:
        err.print(describe(exc), markup=False)
        return exit_code(exc)
    except Exception as exc:
        err.print(f"{describe(exc)} (unexpected: -vv shows the traceback)", markup=False)
        return ExitCode.API
    return result if isinstance(result, int) else ExitCode.OK


@click.group(cls=ScopixGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="scopix")
@common_options
@click.pass_context
def cli(ctx: click.Context, /, **settings: Any) -> None:
    """Scopix from the command line: credits, plan, usage, charts and exports.

    The API key comes from --api-key or SCOPIX_API_KEY, the server from --base-url or
    SCOPIX_BASE_URL. Exit status: 0 ok, 1 `check` cannot proceed, 2 input, 3 authentication,
    4 rate limit, 5 network, 6 other API error, 130 interrupted.
    """
    ctx.obj = pop_settings(ctx, settings)


@cli.group()
@common_options
@click.pass_context
def usage(ctx: click.Context, /, **settings: Any) -> None:
    """Usage monitoring: credits, plan, requests, tokens."""
    ctx.obj = pop_settings(ctx, settings)


def api_command(name: str) -> Callable[[Callable[..., Any]], click.Command]:
    """A `scopix usage NAME` command; the function gets an Env and its own options."""

    def decorate(func: Callable[..., Any]) -> click.Command:
        @functools.wraps(func)
        def run(ctx: click.Context, /, **kwargs: Any) -> Any:
            settings = pop_settings(ctx, kwargs)
            env_out = Console(highlight=False)
            env_err = Console(stderr=True, highlight=False, soft_wrap=True)
            try:
                with logging_to(env_err, settings.verbose), make_client(settings) as client:
                    return func(Env(client, env_out, env_err), **kwargs)
            except Exception as exc:
                if (settings.verbose or 0) > 1 and not isinstance(exc, EXPECTED):
                    traceback.print_exc()  # -vv: a bug's traceback, for the report
                raise

        own = list(getattr(func, "__click_params__", []))
        run.__click_params__ = []  # type: ignore[attr-defined]
        common_options(run)
        run.__click_params__ += own  # type: ignore[attr-defined]  # listed first in --help
        return usage.command(name)(click.pass_context(run))

    return decorate


def api_key_id_option() -> Callable[[F], F]:
    return click.option("--api-key-id", help="Only this API key's usage (an id like key_01).")


def _period_label(label: str, period_type: str) -> str:
    """Short x labels: 2026-11-20 -> 11-20, 2026-11-20T13:00 -> 13h, months stay."""
    if period_type == "day" and len(label) == 10:
        return label[5:]
    if period_type == "hour" and "T" in label:
        return label.split("T")[1][:2] + "h"
    return label


@api_command("check")
@spec_option("--analysis-level", "check", "analysis_level")
@spec_option("--items", "check", "item_count", dest="item_count")
@click.option("--content-category", help="The kind of content (e.g. documents).")
@json_option()
def check(
    env: Env,
    analysis_level: t.AnalysisLevelValue,
    item_count: int,
    content_category: str | None,
    as_json: bool,
) -> int:
    """Would an operation fit in the remaining credits? Exit 0 if it can proceed, 1 if not."""
    result = env.client.usage.check(
        analysis_level=analysis_level, item_count=item_count, content_category=content_category
    )
    if as_json:
        click.echo(render.as_json(result))
    else:
        env.show(render.check(result))
    return ExitCode.OK if result.can_proceed else ExitCode.CANNOT_PROCEED


@api_command("breakdown")
@json_option()
def breakdown(env: Env, as_json: bool) -> None:
    """Credits used this billing period, by operation type."""
    result = env.client.usage.get_breakdown()
    env.emit(result, as_json, render.breakdown)


@api_command("summary")
@spec_option("--period", "get_summary", "period")
@start_option()
@end_option()
@api_key_id_option()
@json_option()
def summary(
    env: Env,
    period: t.SummaryPeriodValue,
    start_date: dt.datetime | None,
    end_date: dt.datetime | None,
    api_key_id: str | None,
    as_json: bool,
) -> None:
    """Credits, requests, tokens, limits and plan for a period (default: this month)."""
    result = env.client.usage.get_summary(
        period=period, start_date=start_date, end_date=end_date, api_key_id=api_key_id
    )
    env.emit(result, as_json, render.summary)


@api_command("plan")
@spec_option("--period", "get_plan", "period")
@click.option("--no-projections", is_flag=True, help="Leave out the projections.")
@json_option()
def plan(env: Env, period: t.PlanPeriodValue, no_projections: bool, as_json: bool) -> None:
    """Plan utilization: limits, projections and recommendations."""
    result = env.client.usage.get_plan(period=period, include_projections=not no_projections)
    env.emit(result, as_json, render.plan)


@api_command("tokens")
@click.argument("what", type=click.Choice(["monthly", "files", "conversations"]), default="monthly")
@click.option("--start-date", type=IsoDate(), help="monthly: first date (ISO), inclusive.")
@click.option("--end-date", type=IsoDate(), help="monthly: last date (ISO), inclusive.")
@spec_option("--limit", "get_file_tokens", "limit", default=20, help_="files/conversations.")
@spec_option("--offset", "get_file_tokens", "offset", help_="files/conversations: skip this many.")
@json_option()
def tokens(
    env: Env,
    what: str,
    start_date: dt.date | None,
    end_date: dt.date | None,
    limit: int,
    offset: int,
    as_json: bool,
) -> None:
    """Token usage: by month (default), or one page of files or conversations."""
    result: render.HasToDict
    if what == "monthly":
        monthly = env.client.usage.get_monthly_tokens(start_date=start_date, end_date=end_date)
        result, shown = monthly, render.monthly_tokens(monthly)
    elif start_date or end_date:
        raise click.UsageError(f"--start-date and --end-date apply to monthly tokens, not {what}")
    elif what == "files":
        files = env.client.usage.get_file_tokens(limit=limit, offset=offset)
        result, shown = files, render.file_tokens(files)
    else:
        chats = env.client.usage.get_conversation_tokens(limit=limit, offset=offset)
        result, shown = chats, render.conversation_tokens(chats)
    env.emit(result, as_json, lambda _: shown)


@api_command("top")
@spec_option("--limit", "get_top_endpoints", "limit")
@start_option()
@end_option()
@json_option()
def top(
    env: Env,
    limit: int,
    start_date: dt.datetime | None,
    end_date: dt.datetime | None,
    as_json: bool,
) -> None:
    """The most used endpoints, by request count."""
    result = env.client.usage.get_top_endpoints(
        limit=limit, start_date=start_date, end_date=end_date
    )
    env.emit(result, as_json, render.top)


@api_command("by-period")
@spec_option("--period-type", "get_by_period", "period_type")
@start_option()
@end_option()
@api_key_id_option()
@json_option()
def by_period(
    env: Env,
    period_type: t.PeriodTypeValue,
    start_date: dt.datetime | None,
    end_date: dt.datetime | None,
    api_key_id: str | None,
    as_json: bool,
) -> None:
    """Requests, credits and tokens per hour, day or month."""
    result = env.client.usage.get_by_period(
        period_type=period_type, start_date=start_date, end_date=end_date, api_key_id=api_key_id
    )
    env.emit(result, as_json, render.by_period)


@api_command("details")
@spec_option("--limit", "get_details", "limit", default=20)
@spec_option("--offset", "get_details", "offset")
@start_option()
@end_option()
@api_key_id_option()
@spec_option("--operation-type", "get_details", "operation_type")
@json_option()
def details(
    env: Env,
    limit: int,
    offset: int,
    start_date: dt.datetime | None,
    end_date: dt.datetime | None,
    api_key_id: str | None,
    operation_type: t.OperationTypeValue | None,
    as_json: bool,
) -> None:
    """One page of usage events, newest first (`export` writes them all)."""
    result = env.client.usage.get_details(
        limit=limit,
        offset=offset,
        start_date=start_date,
        end_date=end_date,
        api_key_id=api_key_id,
        operation_type=operation_type,
    )
    env.emit(result, as_json, render.details)


@api_command("dashboard")
@spec_option("--period", "get_dashboard_analytics", "period")
@click.option(
    "--metric",
    type=click.Choice(list(render.DASHBOARD_METRICS)),
    default="requests",
    help="What the daily chart shows.",
)
@json_option()
def dashboard(env: Env, period: t.DashboardPeriodValue, metric: str, as_json: bool) -> None:
    """Totals, tokens, latency and a chart of daily activity for the last week, month or year."""
    result = env.client.usage.get_dashboard_analytics(period=period)
    if as_json:
        click.echo(render.as_json(result))
    else:
        env.show(render.dashboard(result, metric=metric, width=env.chart_width))


CHART_METRICS = {"requests": "value", "credits": "credits_used", "tokens": "tokens"}


@api_command("chart")
@spec_option("--period-type", "get_by_period", "period_type")
@click.option("--metric", type=click.Choice(list(CHART_METRICS)), default="requests")
@start_option()
@end_option()
@api_key_id_option()
@click.option("--height", type=click.IntRange(3, 40), default=10, show_default=True)
def chart(
    env: Env,
    period_type: t.PeriodTypeValue,
    metric: str,
    start_date: dt.datetime | None,
    end_date: dt.datetime | None,
    api_key_id: str | None,
    height: int,
) -> None:
    """A bar chart of requests, credits or tokens per hour, day or month."""
    result = env.client.usage.get_by_period(
        period_type=period_type, start_date=start_date, end_date=end_date, api_key_id=api_key_id
    )
    points = result.data
    values = [getattr(p, CHART_METRICS[metric]) or 0 for p in points]
    labels = [_period_label(p.label, period_type) for p in points]
    title = f"{metric.capitalize()} per {period_type}"
    if points:
        title += f", {points[0].label} to {points[-1].label} (total {render.num(sum(values))})"
    lines = bar_chart(
        labels, values, width=env.chart_width, height=height, title=title, unit=period_type
    )
    env.show(render.chart(lines))


@api_command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--kind", type=click.Choice(list(exports.KINDS)), help="What to export (default: events)."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(exports.FORMATS),
    help="Default: csv for a .csv file, else jsonl.",
)
@start_option("events: start of the range (ISO date or date-time; UTC).")
@end_option()
@api_key_id_option()
@spec_option("--operation-type", "get_details", "operation_type")
@click.option(
    "--page-size",
    type=spec_param_type("get_details", "limit"),
    help=f"Items per request (default {exports.LARGEST_PAGE}, the API's largest page).",
)
@click.option("--resume", is_flag=True, help="Continue an interrupted export of FILE.")
@click.option("--overwrite", is_flag=True, help="Replace FILE (and any unfinished export).")
@click.option("--no-progress", is_flag=True, help="No progress bar.")
def export(
    env: Env,
    file: Path,
    kind: str | None,
    fmt: str | None,
    start_date: dt.datetime | None,
    end_date: dt.datetime | None,
    api_key_id: str | None,
    operation_type: str | None,
    page_size: int | None,
    resume: bool,
    overwrite: bool,
    no_progress: bool,
) -> None:
    """Write every usage event (or file, or conversation) to FILE, JSON Lines or CSV.

    Ctrl-C leaves FILE with whole lines; the same command with --resume continues it where it
    stopped, against the same snapshot, without duplicates or gaps.
    """
    filters = {
        "start_date": start_date,
        "end_date": end_date,
        "api_key_id": api_key_id,
        "operation_type": operation_type,
    }
    if resume and overwrite:
        raise click.UsageError("--resume and --overwrite exclude each other")
    if resume:
        given = {"kind": kind, "format": fmt, "page_size": page_size, **filters}
        state = exports.resume(file, given)
    else:
        kind = kind or "events"
        fmt = fmt or ("csv" if file.suffix.lower() == ".csv" else "jsonl")
        if kind != "events" and any(v is not None for v in filters.values()):
            raise click.UsageError(f"date, key and type filters apply to events, not {kind}")
        state = exports.start(
            file,
            kind=kind,
            fmt=fmt,
            page_size=page_size or exports.LARGEST_PAGE,
            filters=(
                exports.snapshot_filters(start_date, end_date, api_key_id, operation_type)
                if kind == "events"
                else {}
            ),
            overwrite=overwrite,
        )
    noun = exports.KINDS[state.kind].noun
    reporter = exports.Reporter(env.err, noun, enabled=not no_progress)
    try:
        with reporter:
            done = exports.Export(env.client, file, state, reporter).run()
    except CliError:
        raise  # the export's own refusal: resuming would not help
    except BaseException:
        _stopped(env, file, resumed=resume)
        raise
    resumed = f", resumed after {done.resumed_at:,}" if done.resumed_at else ""
    waited = f", waited {done.waited:.1f} s for the rate limit" if done.waited >= 0.1 else ""
    env.out.print(
        f"Exported {done.count:,} {noun} to {file} ({done.pages} pages{resumed}{waited})",
        markup=False,
        soft_wrap=True,
    )


def _serve_metrics_help() -> str:
    share = metrics.budget_share(metrics.DEFAULT_INTERVAL)
    return (
        "Serve the key's usage as Prometheus metrics (OpenMetrics) at /metrics, refreshed every "
        f"--interval seconds. Each refresh makes {metrics.refresh_requests()} requests; at the "
        f"default interval ({metrics.DEFAULT_INTERVAL:g} s) that is {share:.0%} of the key's "
        f"rate limit (the spec's), and the floor ({metrics.min_interval():g} s) keeps it at "
        f"{metrics.MAX_BUDGET_SHARE:.0%} at most. A failed refresh sets scopix_up to 0 and keeps "
        "the last values. Exits 0 on SIGTERM. Needs scopix[metrics]."
    )


@usage.command("serve-metrics", help=_serve_metrics_help())
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
@common_options
@click.pass_context
def serve_metrics(
    ctx: click.Context, /, host: str, port: int, interval: float, top: int, **given: Any
) -> None:
    settings = pop_settings(ctx, given)
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
        with logging_to(err, settings.verbose), make_client(settings, [stats]) as client:
            exporter = metrics.UsageExporter(client, stats, top=top)
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


def _stopped(env: Env, file: Path, *, resumed: bool) -> None:
    """After a stop: drop a new export that wrote nothing, else say how to continue."""
    path = exports.state_path(file)
    if not path.exists():
        return
    state = exports.State.load(path)
    if state.count == 0 and not resumed:
        exports.abandon(file, state)
        return
    total = f" of {state.total:,}" if state.total is not None else ""
    env.err.print(
        f"Export stopped: {state.count:,}{total} {exports.KINDS[state.kind].noun} in {file}; "
        "run the same command with --resume to continue.",
        markup=False,
    )


def _stdout_gone() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
