"""Exit codes, and every error as one line on stderr: `ErrorClass: status NNN: message`."""

from __future__ import annotations

from enum import IntEnum

import click

import scopix as sdk

__all__ = ["EXPECTED", "CliError", "ExitCode", "describe", "exit_code"]


class ExitCode(IntEnum):
    OK = 0
    CANNOT_PROCEED = 1
    INPUT = 2
    AUTH = 3
    RATE_LIMIT = 4
    NETWORK = 5
    API = 6
    INTERRUPTED = 130


class CliError(click.ClickException):
    """An error the CLI reports itself (`name` is shown as the class)."""

    def __init__(self, message: str, code: ExitCode, name: str = "Error") -> None:
        super().__init__(message)
        self.code = code
        self.name = name


# Reported as one line, by kind; anything else is a bug (-vv shows its traceback).
EXPECTED = (click.ClickException, sdk.ScopixError, OSError)


def exit_code(exc: BaseException) -> ExitCode:
    if isinstance(exc, CliError):
        return exc.code
    if isinstance(
        exc, click.ClickException | sdk.InvalidParameterError | sdk.InvalidParameterTypeError
    ):
        return ExitCode.INPUT
    if isinstance(exc, sdk.AuthenticationError | sdk.PermissionDeniedError):
        return ExitCode.AUTH
    if isinstance(exc, sdk.RateLimitError):
        return ExitCode.RATE_LIMIT
    if isinstance(exc, sdk.APIConnectionError):
        return ExitCode.NETWORK
    if isinstance(exc, OSError):  # a file that cannot be read or written
        return ExitCode.INPUT
    return ExitCode.API


def _one_line(text: str) -> str:
    return " ".join(text.split())


def describe(exc: BaseException) -> str:
    """The one line shown for `exc`; never the API key (the SDK's messages hold none)."""
    if isinstance(exc, CliError):
        return _one_line(f"{exc.name}: {exc.format_message()}")
    if isinstance(exc, click.ClickException):
        hint = " (see --help)" if isinstance(exc, click.UsageError) else ""
        return _one_line(f"{type(exc).__name__}: {exc.format_message()}{hint}")
    name = type(exc).__name__
    if isinstance(exc, sdk.APIStatusError):
        body = exc.body
        message = body.get("message") if isinstance(body, dict) else None
        text = message if isinstance(message, str) else exc.message
        if exc.request_id and exc.request_id not in text:
            text += f" (request id {exc.request_id})"
        if (
            isinstance(exc, sdk.RateLimitError)
            and exc.retry_after is not None
            and "retry after" not in text.lower()  # the server's message may say it already
        ):
            text += f"; retry after {exc.retry_after:.0f} s"
        return _one_line(f"{name}: status {exc.status_code}: {text}")
    if isinstance(exc, sdk.APIConnectionError) and exc.request is not None:
        url = exc.request.url  # shown without userinfo or query
        where = f"{url.scheme}://{url.netloc.decode()}{url.path}"
        return _one_line(f"{name}: {exc.message} ({exc.request.method} {where})")
    if isinstance(exc, sdk.APIResponseValidationError):
        return _one_line(f"{name}: status {exc.status_code}: {exc.message}")
    return _one_line(f"{name}: {exc}")
