"""The options every command shares (connection, logging), merged from the group's and the
command's own, and the client they make."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from typing import TypedDict, TypeVar

import click

from .. import SyncScopix
from .._config import api_key_from
from ..observe import Observer
from .errors import CliError, ExitCode

__all__ = ["Settings", "common_options", "common_params", "make_client", "pop_settings"]

F = TypeVar("F", bound=Callable[..., object])


@dataclass
class Settings:
    """Connection and logging settings, from the group's and the command's options."""

    api_key: str | None = None
    base_url: str | None = None
    timeout: float | None = None
    max_retries: int | None = None
    max_wait: float | None = None
    no_pacing: bool | None = None
    verbose: int | None = None
    quiet: bool | None = None

    def merged(self, **given: object) -> Settings:
        """These settings, with the options given to the command taking precedence."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        for name, value in given.items():
            flag = name in ("no_pacing", "verbose", "quiet")  # a flag or a count can only add
            if value if flag else value is not None:
                values[name] = value
        return Settings(**values)


# (flags, click attributes): made into options of the groups and of every command.
class _OptionAttrs(TypedDict, total=False):
    help: str
    type: click.FloatRange | click.IntRange
    is_flag: bool
    count: bool


class _ClientArgs(TypedDict, total=False):
    api_key: str
    base_url: str | None
    observers: Sequence[Observer]
    timeout: float
    max_retries: int
    max_retry_wait: float
    pacing: bool


_COMMON: list[tuple[tuple[str, ...], _OptionAttrs]] = [
    (("--api-key",), {"help": "API key (default: $SCOPIX_API_KEY)."}),
    (("--base-url",), {"help": "API base URL (default: $SCOPIX_BASE_URL, else production)."}),
    (("--timeout",), {"type": click.FloatRange(min=0.1), "help": "Seconds per request (60)."}),
    (("--max-retries",), {"type": click.IntRange(min=0), "help": "Retries per request (2)."}),
    (
        ("--max-wait",),
        {
            "type": click.FloatRange(min=0),
            "help": "Longest rate-limit wait to sleep through before failing, seconds (60).",
        },
    ),
    (
        ("--no-pacing",),
        {
            "is_flag": True,
            "help": "Do not pace requests under the rate limit (the server's limit still applies).",
        },
    ),
    (("-v", "--verbose"), {"count": True, "help": "Log each request (-vv: debug)."}),
    (
        ("-q", "--quiet"),
        {
            "is_flag": True,
            "help": "Only errors on stderr: no notice of a wait (2 s or more), no progress bar.",
        },
    ),
]
COMMON_NAMES = tuple(f.name for f in fields(Settings))


def common_options(func: F) -> F:
    """Decorate a group or command function with the shared options (listed in this order)."""
    for flags, attrs in reversed(_COMMON):
        func = click.option(*flags, **attrs)(func)
    return func


def common_params() -> list[click.Parameter]:
    """The shared options as parameters, for a command class to append to its own."""
    return [click.Option(list(flags), **attrs) for flags, attrs in _COMMON]


def pop_settings(ctx: click.Context, kwargs: dict[str, object]) -> Settings:
    """Take the shared options out of `kwargs`, over those given to the enclosing groups."""
    given = {name: kwargs.pop(name, None) for name in COMMON_NAMES}
    parent = ctx.find_object(Settings) or Settings()
    return parent.merged(**given)


def make_client(settings: Settings, observers: Sequence[Observer] = ()) -> SyncScopix:
    """The command's client. The key and base URL are looked up as the SDK does (the option,
    else the environment; the base URL by SyncScopix itself); only a missing key is told here,
    as the command line's exit status 3."""
    key = api_key_from(settings.api_key)
    if not key:
        raise CliError(
            "no API key: pass --api-key or set SCOPIX_API_KEY", ExitCode.AUTH, "ScopixError"
        )
    options: _ClientArgs = {"api_key": key, "base_url": settings.base_url}
    if observers:
        options["observers"] = observers
    if settings.timeout is not None:
        options["timeout"] = settings.timeout
    if settings.max_retries is not None:
        options["max_retries"] = settings.max_retries
    if settings.max_wait is not None:
        options["max_retry_wait"] = settings.max_wait
    if settings.no_pacing:
        options["pacing"] = False
    return SyncScopix(**options)
