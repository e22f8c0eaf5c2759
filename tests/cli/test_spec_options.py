"""The CLI's options for API parameters take their choices, bounds and defaults from the spec."""

from __future__ import annotations

from typing import Any

import click
import pytest

from scopix import _spec
from scopix.cli import export as exports
from scopix.cli.app import usage

# command, option, operation, parameter, the command's own default (a screenful; else the spec's)
OPTIONS: list[tuple[str, str, str, str, Any]] = [
    ("check", "analysis_level", "check", "analysis_level", None),
    ("check", "item_count", "check", "item_count", None),
    ("run", "analysis_level", "check", "analysis_level", None),
    ("run", "item_count", "check", "item_count", None),
    ("summary", "period", "get_summary", "period", None),
    ("plan", "period", "get_plan", "period", None),
    ("tokens", "limit", "get_file_tokens", "limit", 20),
    ("tokens", "offset", "get_file_tokens", "offset", None),
    ("top", "limit", "get_top_endpoints", "limit", None),
    ("by-period", "period_type", "get_by_period", "period_type", None),
    ("details", "limit", "get_details", "limit", 20),
    ("details", "offset", "get_details", "offset", None),
    ("details", "operation_type", "get_details", "operation_type", None),
    ("dashboard", "period", "get_dashboard_analytics", "period", None),
    ("chart", "period_type", "get_by_period", "period_type", None),
    ("export", "operation_type", "get_details", "operation_type", None),
    ("export", "page_size", "get_details", "limit", None),
    ("sync", "page_size", "get_details", "limit", None),
]


# Options named after an API parameter (or, page_size, a list operation's limit).
API_NAMES = {name for op in _spec.operations().values() for name in op.params} | {"page_size"}


def _option(command: str, name: str) -> click.Parameter:
    cmd = usage.commands[command]
    return next(p for p in cmd.params if p.name == name)


@pytest.mark.parametrize(("command", "name", "operation", "param", "own"), OPTIONS)
def test_cli_options_follow_the_spec(
    command: str, name: str, operation: str, param: str, own: Any
) -> None:
    option = _option(command, name)
    schema = _spec.operation(operation).params[param].schema
    if "enum" in schema:
        assert isinstance(option.type, click.Choice)
        assert list(option.type.choices) == schema["enum"]
    else:
        assert isinstance(option.type, click.IntRange)
        assert (option.type.min, option.type.max) == (schema["minimum"], schema.get("maximum"))
    if command in ("export", "sync"):
        pass  # no default: a new walk asks for the largest page, a resumed one for its own
    elif own is not None:
        assert option.default == own
        assert schema["minimum"] <= own <= schema["maximum"]
    else:
        assert option.default == schema.get("default")


def test_export_asks_for_the_largest_page() -> None:
    assert _spec.operation("get_details").params["limit"].schema["maximum"] == exports.LARGEST_PAGE


def test_every_api_parameter_option_is_listed() -> None:
    """No command grows an enum or integer option for an API parameter outside the table."""
    listed = {(c, n) for c, n, *_ in OPTIONS}
    for command, cmd in usage.commands.items():
        for p in cmd.params:
            if isinstance(p.type, click.Choice | click.IntRange) and p.name in API_NAMES:
                assert (command, p.name) in listed, (command, p.name)
