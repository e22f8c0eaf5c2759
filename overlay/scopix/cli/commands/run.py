"""`run`: a command run inside a credit hold (`client.usage.reserve()`), so that many runs on
one account (CI jobs, cron jobs, a fleet of workers) never spend together more than it has."""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

import click

from ... import CreditLedgerUnavailableError, InsufficientCreditsError, InvalidParameterError
from ... import types as t
from ..api_command import Env, api_command
from ..errors import CliError, ExitCode, describe
from ..params import spec_option

if TYPE_CHECKING:
    from ...credits import SyncRedisLedger

__all__ = ["ledger_from_url", "redis_option", "run"]

NOT_FOUND, NOT_EXECUTABLE = 127, 126  # as shells answer
F = TypeVar("F", bound=Callable[..., object])


def ledger_from_url(url: str) -> SyncRedisLedger:
    """The ledger of `--redis`; nothing connects before its first step (a Redis out of reach is
    that step's CreditLedgerUnavailableError: one line, exit 5)."""
    from ..._redis_urls import redact

    try:
        from ...credits import SyncRedisLedger

        return SyncRedisLedger(url)
    except InvalidParameterError as exc:  # the URL's (password masked) and the forms
        raise click.BadParameter(str(exc), param_hint="'--redis'") from None
    except ValueError as exc:  # redis-py's word on a redis:// URL it cannot parse
        raise click.BadParameter(f"{exc}: {redact(url)!r}", param_hint="'--redis'") from None
    except ImportError as exc:
        raise CliError(
            f"--redis needs the redis package: pip install 'scopix[redis]' ({exc})",
            ExitCode.INPUT,
            "ImportError",
        ) from None


def redis_option(
    help_: str = "The shared ledger's Redis (SCOPIX_REDIS_URL).",
) -> Callable[[F], F]:
    return click.option(
        "--redis", "redis_url", envvar="SCOPIX_REDIS_URL", metavar="URL", help=help_
    )


@api_command("run")
@spec_option("--analysis-level", "check", "analysis_level")
@spec_option("--items", "check", "item_count", dest="item_count")
@click.option("--content-category", help="The kind of content (e.g. documents).")
@click.option(
    "--wait",
    type=click.FloatRange(min=0, max=86_400),
    default=0.0,
    show_default=True,
    help="Seconds to wait, in arrival order, for other holds to end.",
)
@click.option(
    "--ttl",
    type=click.FloatRange(min=0.5, max=86_400),
    default=60.0,
    show_default=True,
    help="The hold's lease in seconds, renewed while the command runs.",
)
@redis_option(
    "Hold through this Redis (SCOPIX_REDIS_URL), shared by every run that uses it; "
    "without it the hold guards this process only."
)
@click.argument("command", nargs=-1, required=True, type=click.UNPROCESSED)
def run(
    env: Env,
    analysis_level: t.AnalysisLevelValue,
    item_count: int,
    content_category: str | None,
    wait: float,
    ttl: float,
    redis_url: str | None,
    command: tuple[str, ...],
) -> int:
    """Run COMMAND inside a hold of an operation's credits; exit with its status.

    scopix usage run --analysis-level thorough --items 10 --redis redis://... -- ./job.sh

    Exit 1 with a one-line reason when the credits are not there (as `check`), 5 when the
    Redis ledger cannot be reached (nothing is held, nothing is run). The command gets
    SCOPIX_HELD_CREDITS; its hold ends when it does, counted as spending all it held.
    """
    client = env.client
    if redis_url:
        client = client.with_options(credits=ledger_from_url(redis_url))
    try:
        with client.usage.reserve(
            analysis_level=analysis_level,
            item_count=item_count,
            content_category=content_category,
            wait=wait,
            ttl=ttl,
        ) as hold:
            return _run(env, command, hold.required_credits)
    except InsufficientCreditsError as exc:
        env.err.print(describe(exc), markup=False)
        return ExitCode.CANNOT_PROCEED
    except CreditLedgerUnavailableError as exc:
        env.err.print(describe(exc), markup=False)
        return ExitCode.NETWORK


def _run(env: Env, command: tuple[str, ...], held: int) -> int:
    child_env = {**os.environ, "SCOPIX_HELD_CREDITS": str(held)}
    try:
        proc = subprocess.Popen(command, env=child_env)
    except FileNotFoundError:
        env.err.print(f"OSError: {command[0]}: command not found", markup=False)
        return NOT_FOUND
    except PermissionError:
        env.err.print(f"OSError: {command[0]}: permission denied", markup=False)
        return NOT_EXECUTABLE
    try:
        code = proc.wait()
    except KeyboardInterrupt:
        proc.wait()  # Ctrl-C reached it too: let it finish before the hold ends
        raise
    # Killed by a signal: the status a shell gives (128 + the signal's number).
    return 128 + signal.Signals(-code).value if code < 0 else code
