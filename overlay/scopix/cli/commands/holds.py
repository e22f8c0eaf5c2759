"""`holds`: who holds the account's credits on a shared (Redis) credit ledger right now."""

from __future__ import annotations

import datetime as dt
import json

import click
from rich.console import Group, RenderableType
from rich.text import Text

from ... import CreditLedgerUnavailableError
from ...credits import HeldCredits
from ..api_command import Env, api_command
from ..errors import CliError, ExitCode, describe
from ..formats import num, plural, table
from ..params import json_option
from .run import ledger_from_url, redis_option

__all__ = ["holds"]


def _view(seen: HeldCredits) -> RenderableType:
    head = Text(
        f"{num(seen.credits)} credits held by {plural(len(seen.holds), 'hold')}, "
        f"{num(seen.waiting)} waiting."
    )
    if not seen.holds:
        return head
    rows = table(">Credits", "Owner", "Lease ends", "Hold")
    now = dt.datetime.now(dt.UTC)
    for h in seen.holds:
        left = max(0.0, (h.expires_at - now).total_seconds())
        ends = f"{h.expires_at.astimezone(dt.UTC):%H:%M:%S} UTC (in {left:.0f} s)"
        rows.add_row(num(h.required_credits), h.owner, ends, h.id[:8])  # --json has it whole
    return Group(head, rows)


@api_command("holds")
@redis_option()
@json_option()
def holds(env: Env, redis_url: str | None, as_json: bool) -> int:
    """The account's live credit holds on a shared ledger: credits, owner (host:pid), when
    each lease ends, and how many reservations wait."""
    if not redis_url:
        raise CliError(
            "holds are shared through Redis: pass --redis URL or set SCOPIX_REDIS_URL",
            ExitCode.INPUT,
            "UsageError",
        )
    client = env.client.with_options(credits=ledger_from_url(redis_url))
    try:
        seen = client.usage.holds()
    except CreditLedgerUnavailableError as exc:  # one line, as run says it
        env.err.print(describe(exc), markup=False)
        return ExitCode.NETWORK
    if as_json:
        click.echo(json.dumps(seen.to_dict(), indent=2))
    else:
        env.show(_view(seen))
    return ExitCode.OK
