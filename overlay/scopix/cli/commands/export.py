"""`export`: every event (or file, or conversation) to a file, resumable (`..export` runs it)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from .. import export as exports
from ..api_command import Env, api_command
from ..errors import CliError
from ..formats import plural
from ..params import api_key_id_option, end_option, spec_option, spec_param_type, start_option
from ..progress import Reporter

__all__ = ["export"]


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
                exports.snapshot_filters(
                    env.client, start_date, end_date, api_key_id, operation_type
                )
                if kind == "events"
                else {}
            ),
            overwrite=overwrite,
        )
    noun = exports.KINDS[state.kind].noun
    reporter = Reporter(env.err, noun, enabled=not (no_progress or env.quiet))
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
        f"Exported {done.count:,} {noun} to {file} ({plural(done.pages, 'page')}{resumed}{waited})",
        markup=False,
        soft_wrap=True,
    )


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
