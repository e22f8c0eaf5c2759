"""`sync`: the account's usage into a database of one's own, incrementally and exactly once
(the engine is `scopix.usage_db`; this is its command line)."""

from __future__ import annotations

import datetime as dt
import json
import re

import click

from ... import usage_db
from ..api_command import Env, api_command
from ..errors import CliError, ExitCode
from ..params import IsoDateTime, spec_param_type
from ..progress import Reporter

__all__ = ["Duration", "Progress", "sync"]

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class Duration(click.ParamType):  # type: ignore[type-arg]
    """Seconds, or a number with a unit: 90s, 15m, 1h, 2d."""

    name = "duration"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> dt.timedelta:
        if isinstance(value, dt.timedelta):
            return value
        match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", str(value))
        if match is None:
            self.fail(f"{value!r} is not a duration (seconds, or 90s, 15m, 1h, 2d)", param, ctx)
        number, unit = match.groups()
        return dt.timedelta(seconds=float(number) * _UNITS[unit or "s"])


class Progress:
    """One progress bar per kind, on stderr, as `export` draws them."""

    def __init__(self, env: Env, *, enabled: bool) -> None:
        self.env, self.enabled = env, enabled
        self.reporter: Reporter | None = None
        self.kind = ""
        self.rows = 0
        self.pages = 0  # committed in this run, all kinds

    def __call__(self, page: usage_db.PageProgress) -> None:
        if page.kind != self.kind:
            self.close()
            self.kind, self.rows = page.kind, 0
            noun = usage_db.KINDS[page.kind].name
            self.reporter = Reporter(self.env.err, noun, enabled=self.enabled).__enter__()
        assert self.reporter is not None
        self.pages += 1
        self.rows += page.rows
        # A run that stops at items synced before is done: its bar full, not at 100/221.
        total = self.rows if page.complete else page.total
        self.reporter.after_page(total=total, rate=page.rate_limit, waited=page.waited)
        self.reporter.advance(self.rows)

    def close(self) -> None:
        if self.reporter is not None:
            self.reporter.__exit__()
            self.reporter = None


@api_command("sync")
@click.argument("database_url", required=False, default=usage_db.DEFAULT_URL)
@click.option(
    "--kind",
    type=click.Choice(["all", *usage_db.KINDS]),
    default="all",
    show_default=True,
    help="What to sync.",
)
@click.option(
    "--since",
    type=IsoDateTime(),
    help="A first sync starts here (ISO date or date-time; UTC); later runs go on from the last.",
)
@click.option(
    "--lag",
    type=Duration(),
    default=f"{usage_db.DEFAULT_LAG.total_seconds() / 3600:g}h",
    show_default=True,
    help="How far back each run re-reads for events that arrive late (90s, 15m, 1h, 2d).",
)
@click.option(
    "--page-size",
    type=spec_param_type("get_details", "limit"),
    help=f"Items per request (default {usage_db.LARGEST_PAGE}, the API's largest page).",
)
@click.option(
    "--wait-lock",
    type=click.FloatRange(min=0),
    default=0.0,
    help="Seconds to wait while another sync writes to the database (default: refuse at once).",
)
@click.option("--json", "as_json", is_flag=True, help="Print a summary as JSON.")
@click.option("--no-progress", is_flag=True, help="No progress bar.")
def sync(
    env: Env,
    database_url: str,
    kind: str,
    since: dt.datetime | None,
    lag: dt.timedelta,
    page_size: int | None,
    wait_lock: float,
    as_json: bool,
    no_progress: bool,
) -> None:
    """Sync the account's usage into DATABASE_URL: sqlite:///PATH (default
    sqlite:///scopix-usage.db, no server) or postgresql://... (pip install 'scopix[postgres]').

    Tables usage_events, file_token_usage, conversation_token_usage and scopix_sync_state. The
    first run reads everything (or from --since); later runs only what is new. Each page is
    committed with the position after it, so a run stopped anywhere goes on where it stopped
    the next time: no row lost, none twice.
    """
    progress = Progress(env, enabled=not (no_progress or env.quiet or as_json))
    try:
        report = usage_db.sync_usage(
            env.client,
            database_url,
            kinds=kind,
            since=since,
            lag=lag,
            page_size=page_size or usage_db.LARGEST_PAGE,
            lock_wait=wait_lock,
            on_page=progress,
        )
    except usage_db.UsageDBError as exc:
        raise CliError(str(exc), ExitCode.INPUT, type(exc).__name__) from None
    except BaseException as exc:
        progress.close()
        if (progress.pages or isinstance(exc, KeyboardInterrupt)) and not env.quiet:
            env.err.print(
                "Sync stopped: the pages committed so far are in the database; run the same "
                "command again to go on from there.",
                markup=False,
            )
        raise
    progress.close()
    if as_json:
        click.echo(json.dumps(report.to_dict()))
        return
    for name, done in report.kinds.items():
        resumed = ", resumed" if done.resumed else ""
        pages = f"{done.pages:,} page{'' if done.pages == 1 else 's'}"
        env.out.print(
            f"{name}: {done.rows_inserted:,} new, {done.rows_updated:,} updated "
            f"({pages}{resumed}) in {done.table}",
            markup=False,
            soft_wrap=True,
        )
    waited = f", waited {report.waited:.1f} s for the rate limit" if report.waited >= 0.1 else ""
    env.out.print(f"Synced into {report.database}{waited}", markup=False, soft_wrap=True)
