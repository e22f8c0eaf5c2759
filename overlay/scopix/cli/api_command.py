"""`ApiCommand`, the class of every `scopix usage` command that calls the API: its own options,
then the shared ones; its function gets an `Env` (a client made from them, the consoles)."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import click
from rich.console import Console, RenderableType

from .. import SyncScopix
from . import render
from .errors import EXPECTED
from .logs import logging_to
from .params import check_range
from .settings import common_params, make_client, pop_settings

__all__ = ["ApiCommand", "Env", "api_command"]

MAX_CHART_WIDTH = 100
R = TypeVar("R", bound=render.HasToDict)


@dataclass
class Env:
    """What a command works with: the client, stdout and stderr."""

    client: SyncScopix
    out: Console
    err: Console
    quiet: bool = False  # --quiet: nothing on stderr but errors

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


class ApiCommand(click.Command):
    """A command whose function is called as `func(env, **its_own_options)`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:  # click.Command's, passed on
        super().__init__(*args, **kwargs)
        self.params.extend(common_params())  # after the command's own in --help

    def invoke(self, ctx: click.Context) -> object:
        check_range(ctx)  # before the client: the SDK would name the dates as it got them
        kwargs = dict(ctx.params)
        settings = pop_settings(ctx, kwargs)
        out = Console(highlight=False)
        err = Console(stderr=True, highlight=False, soft_wrap=True)
        assert self.callback is not None
        try:
            with (
                logging_to(err, settings.verbose, quiet=bool(settings.quiet)),
                make_client(settings) as client,
            ):
                env = Env(client, out, err, quiet=bool(settings.quiet))
                return ctx.invoke(self.callback, env, **kwargs)
        except Exception as exc:
            if (settings.verbose or 0) > 1 and not isinstance(exc, EXPECTED):
                traceback.print_exc()  # -vv: a bug's traceback, for the report
            raise


def api_command(name: str) -> Callable[[Callable[..., object]], ApiCommand]:
    """`@api_command("breakdown")` over `def breakdown(env: Env, ...)`."""
    return click.command(name, cls=ApiCommand)
