"""How a run ends: every error as one line on stderr and its exit status, warnings as one line,
Ctrl-C as "Interrupted", a closed stdout (`| head`) as success, a group without its command as
its help."""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Callable
from typing import TextIO

import click
from rich.console import Console

from .errors import EXPECTED, ExitCode, describe, exit_code

__all__ = ["run_reporting_errors"]


def run_reporting_errors(invoke: Callable[[], object]) -> int:
    """Run `invoke` and return the exit status: its own (an int) or that of what it raised."""
    err = Console(stderr=True, soft_wrap=True, highlight=False)
    try:
        with warnings.catch_warnings():
            warnings.showwarning = _show_warning
            result = invoke()
    except (KeyboardInterrupt, click.Abort):
        err.print("Interrupted", markup=False)
        return ExitCode.INTERRUPTED
    except click.exceptions.NoArgsIsHelpError as exc:
        click.echo(exc.format_message())  # `scopix`, `scopix usage` alone: the help, as gh does
        return ExitCode.OK
    except BrokenPipeError:
        _stdout_gone()
        return ExitCode.OK  # the reader (| head) has all it wanted
    except EXPECTED as exc:
        err.print(describe(exc), markup=False)
        return exit_code(exc)
    except Exception as exc:
        err.print(f"{describe(exc)} (unexpected: -vv shows the traceback)", markup=False)
        return ExitCode.API
    return result if isinstance(result, int) else ExitCode.OK


def _show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: TextIO | None = None,
    line: str | None = None,
) -> None:
    Console(stderr=True, soft_wrap=True).print(
        f"{category.__name__}: {message}", markup=False, highlight=False
    )


def _stdout_gone() -> None:
    """Point stdout at /dev/null, so that flushing it at exit raises no second BrokenPipeError."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
