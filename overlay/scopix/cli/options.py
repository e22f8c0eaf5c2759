"""Option types and the options every command shares (connection, output, logging)."""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields
from typing import Any, TypeVar

import click
from rich.console import Console

from .. import SyncScopix, _spec
from ..observe import Observer
from .errors import CliError, ExitCode

F = TypeVar("F", bound=Callable[..., Any])
sdk_log = logging.getLogger("scopix")


class IsoDateTime(click.ParamType):  # type: ignore[type-arg]
    """An ISO date or date-time. Without an offset it is UTC. A date alone starts that day, or
    for an end (`end=True`, exclusive in the API) ends it: --end-date 2026-11-30 includes Nov 30."""

    name = "date"

    def __init__(self, *, end: bool = False) -> None:
        self.end = end

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, dt.datetime):
            return value
        text = str(value).strip()
        try:
            if len(text) == 10:
                day = dt.date.fromisoformat(text)
                start = dt.datetime.combine(day, dt.time(), dt.UTC)
                return start + dt.timedelta(days=1) if self.end else start
            parsed = dt.datetime.fromisoformat(text)
        except ValueError:
            self.fail(f"{value!r} is not an ISO date (2026-11-30) or date-time", param, ctx)
        return parsed if parsed.utcoffset() is not None else parsed.replace(tzinfo=dt.UTC)


class IsoDate(click.ParamType):  # type: ignore[type-arg]
    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value).strip())
        except ValueError:
            self.fail(f"{value!r} is not an ISO date (2026-11-30)", param, ctx)


_SPEC_DEFAULT: Any = object()


def spec_param_type(operation_id: str, param: str) -> click.ParamType:  # type: ignore[type-arg]
    """The click type of an API parameter: its enum as a Choice, its integer bounds as an
    IntRange (from the spec, never typed here)."""
    schema = _spec.operation(operation_id).params[param].schema
    if "enum" in schema:
        return click.Choice(list(schema["enum"]))
    assert schema.get("type") == "integer", (operation_id, param)
    return click.IntRange(schema.get("minimum"), schema.get("maximum"))


def spec_option(
    flag: str,
    operation_id: str,
    param: str,
    *,
    default: Any = _SPEC_DEFAULT,
    dest: str | None = None,
    help_: str | None = None,
) -> Callable[[F], F]:
    """An option for an API parameter: its type and bounds, and unless the command chooses its
    own `default`, its default, from the spec."""
    if default is _SPEC_DEFAULT:
        default = _spec.operation(operation_id).params[param].default
    names = [flag] if dest is None else [flag, dest]
    return click.option(
        *names,
        type=spec_param_type(operation_id, param),
        default=default,
        show_default=default is not None,
        help=help_,
    )


def start_option(
    help_: str = "Start of the range (ISO date or date-time; UTC).",
) -> Callable[[F], F]:
    return click.option("--start-date", type=IsoDateTime(), help=help_)


def end_option() -> Callable[[F], F]:
    return click.option(
        "--end-date",
        type=IsoDateTime(end=True),
        help="End of the range, exclusive (a date alone includes that day).",
    )


def json_option() -> Callable[[F], F]:
    return click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")


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

    def merged(self, **given: Any) -> Settings:
        """These settings, with the options given to the command taking precedence."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        for name, value in given.items():
            flag = name in ("no_pacing", "verbose")  # a flag or a count can only add
            if value if flag else value is not None:
                values[name] = value
        return Settings(**values)


_COMMON: list[Callable[[F], F]] = [
    click.option("--api-key", help="API key (default: $SCOPIX_API_KEY)."),
    click.option("--base-url", help="API base URL (default: $SCOPIX_BASE_URL, else production)."),
    click.option("--timeout", type=click.FloatRange(min=0.1), help="Seconds per request (60)."),
    click.option("--max-retries", type=click.IntRange(min=0), help="Retries per request (2)."),
    click.option(
        "--max-wait",
        type=click.FloatRange(min=0),
        help="Longest rate-limit wait to sleep through before failing, seconds (60).",
    ),
    click.option(
        "--no-pacing",
        is_flag=True,
        help="Do not pace requests under the rate limit (the server's limit still applies).",
    ),
    click.option("-v", "--verbose", count=True, help="Log each request (-vv: debug)."),
]


def common_options(func: F) -> F:
    for option in reversed(_COMMON):
        func = option(func)
    return func


COMMON_NAMES = ("api_key", "base_url", "timeout", "max_retries", "max_wait", "no_pacing", "verbose")


def pop_settings(ctx: click.Context, kwargs: dict[str, Any]) -> Settings:
    given = {name: kwargs.pop(name, None) for name in COMMON_NAMES}
    parent = ctx.find_object(Settings) or Settings()
    return parent.merged(**given)


class _ConsoleHandler(logging.Handler):
    """One plain line per record through the rich console (so it stays above a progress bar)."""

    _scopix_env = True  # the SDK's SCOPIX_LOG setup sees a handler in place and adds none

    def __init__(self, console: Console) -> None:
        super().__init__()
        self.console = console
        self.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record)
            self.console.print(line, markup=False, highlight=False, soft_wrap=True, style="dim")
        except Exception:
            self.handleError(record)


@contextmanager
def logging_to(console: Console, verbose: int | None) -> Iterator[None]:
    """-v: one line per request (INFO), -vv: also retries (DEBUG); else as SCOPIX_LOG says.
    The lines go through `console`; the previous logger setup is back afterwards."""
    env = os.environ.get("SCOPIX_LOG", "").strip().upper()
    if verbose:
        level = logging.DEBUG if verbose > 1 else logging.INFO
    elif env in ("DEBUG", "INFO"):
        level = logging.getLevelName(env)
    else:
        yield
        return
    handler, previous = _ConsoleHandler(console), sdk_log.level
    sdk_log.addHandler(handler)
    sdk_log.setLevel(level)
    try:
        yield
    finally:
        sdk_log.removeHandler(handler)
        sdk_log.setLevel(previous)


def make_client(settings: Settings, observers: Sequence[Observer] = ()) -> SyncScopix:
    key = settings.api_key or os.environ.get("SCOPIX_API_KEY")
    if not key:
        raise CliError(
            "no API key: pass --api-key or set SCOPIX_API_KEY", ExitCode.AUTH, "ScopixError"
        )
    options: dict[str, Any] = {"api_key": key, "base_url": settings.base_url}
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
