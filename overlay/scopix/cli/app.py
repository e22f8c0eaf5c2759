"""The `scopix` command: the root group (every error one line and an exit status), the `usage`
group, and the commands wired into it (`commands/`, one module per family)."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

import click

from .. import __version__
from .commands import COMMANDS
from .reporting import run_reporting_errors
from .settings import common_options, pop_settings

__all__ = ["ScopixGroup", "cli", "usage"]


class ScopixGroup(click.Group):
    """The root group: every error ends as one line on stderr and a documented exit status."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: object,
    ) -> Any:  # click's overloads: Never when standalone, else what the command returns
        def invoke() -> object:
            return super(ScopixGroup, self).main(
                args, prog_name, complete_var, standalone_mode=False, **extra
            )

        code = run_reporting_errors(invoke)
        if standalone_mode:
            sys.exit(code)
        return code


@click.group(cls=ScopixGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="scopix")
@common_options
@click.pass_context
def cli(ctx: click.Context, /, **settings: object) -> None:
    """Scopix from the command line: credits, plan, usage, charts and exports.

    The API key comes from --api-key or SCOPIX_API_KEY, the server from --base-url or
    SCOPIX_BASE_URL. Exit status: 0 ok, 1 `check` cannot proceed, 2 input, 3 authentication,
    4 rate limit, 5 network, 6 other API error, 130 interrupted.
    """
    ctx.obj = pop_settings(ctx, settings)


@cli.group()
@common_options
@click.pass_context
def usage(ctx: click.Context, /, **settings: object) -> None:
    """Usage monitoring: credits, plan, requests, tokens."""
    ctx.obj = pop_settings(ctx, settings)


for _command in COMMANDS:
    usage.add_command(_command)
