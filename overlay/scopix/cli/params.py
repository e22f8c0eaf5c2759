"""The commands' own options: ISO dates, API parameters typed from the spec, `--json`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TypeVar

import click

from .. import _spec

__all__ = [
    "IsoDate",
    "IsoDateTime",
    "api_key_id_option",
    "check_range",
    "end_option",
    "json_option",
    "spec_option",
    "spec_param_type",
    "start_option",
]

F = TypeVar("F", bound=Callable[..., object])

# ctx.meta key: {param name: (the text given, the instant it names)}, for messages in the
# user's own words (an end date alone is passed on as the next midnight).
_GIVEN = "scopix.cli.dates"


def _given(
    ctx: click.Context | None, param: click.Parameter | None, text: str, at: dt.date
) -> None:
    if ctx is not None and param is not None and param.name:
        ctx.meta.setdefault(_GIVEN, {})[param.name] = (text, at)


def check_range(ctx: click.Context) -> None:
    """Refuse a --start-date after --end-date, naming both as the user typed them."""
    given = ctx.meta.get(_GIVEN, {})
    if "start_date" not in given or "end_date" not in given:
        return
    (start_text, start), (end_text, end) = given["start_date"], given["end_date"]
    if start > end:
        param = next(p for p in ctx.command.params if p.name == "end_date")
        raise click.BadParameter(
            f"{end_text} is before --start-date {start_text}", ctx=ctx, param=param
        )


class IsoDateTime(click.ParamType):  # type: ignore[type-arg]
    """An ISO date or date-time. Without an offset it is UTC. A date alone starts that day, or
    for an end (`end=True`, exclusive in the API) ends it: --end-date 2026-11-30 includes Nov 30."""

    name = "date"

    def __init__(self, *, end: bool = False) -> None:
        self.end = end

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> dt.datetime:
        if isinstance(value, dt.datetime):
            return value
        text = str(value).strip()
        try:
            if len(text) == 10:
                day = dt.date.fromisoformat(text)
                start = dt.datetime.combine(day, dt.time(), dt.UTC)
                _given(ctx, param, text, start)
                return start + dt.timedelta(days=1) if self.end else start
            parsed = dt.datetime.fromisoformat(text)
        except ValueError:
            self.fail(f"{value!r} is not an ISO date (2026-11-30) or date-time", param, ctx)
        aware = parsed if parsed.utcoffset() is not None else parsed.replace(tzinfo=dt.UTC)
        _given(ctx, param, text, aware)
        return aware


class IsoDate(click.ParamType):  # type: ignore[type-arg]
    name = "date"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> dt.date:
        if isinstance(value, dt.date):
            return value
        text = str(value).strip()
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            self.fail(f"{value!r} is not an ISO date (2026-11-30)", param, ctx)
        _given(ctx, param, text, day)
        return day


_SPEC_DEFAULT = object()  # `default` not given: the spec's


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
    default: object = _SPEC_DEFAULT,
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


def api_key_id_option() -> Callable[[F], F]:
    return click.option("--api-key-id", help="Only this API key's usage (an id like key_01).")
