"""`tokens`: token usage by month, or one page of files or conversations."""

from __future__ import annotations

import datetime as dt

import click

from .. import render
from ..api_command import Env, api_command
from ..params import IsoDate, json_option, spec_option

__all__ = ["tokens"]


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
