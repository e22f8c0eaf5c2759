"""The `scopix usage` commands, one module per family; `COMMANDS` lists them for the group."""

from __future__ import annotations

import click

from .activity import by_period, details, top
from .charts import chart, dashboard
from .credits import breakdown, check, plan, summary
from .export import export
from .holds import holds
from .run import run
from .serve_metrics import serve_metrics
from .sync import sync
from .tokens import tokens

__all__ = ["COMMANDS"]

COMMANDS: tuple[click.Command, ...] = (
    check,
    run,
    holds,
    breakdown,
    summary,
    plan,
    tokens,
    top,
    by_period,
    details,
    dashboard,
    chart,
    export,
    sync,
    serve_metrics,
)
