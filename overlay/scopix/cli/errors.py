"""Exit codes, and every error as one line on stderr: `Class: message`, where Class is the
error's class (the SDK's, `UsageError` for a bad command line, `ResumeError`, an OSError's) and
an API answer's message starts with `status NNN: `."""

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
    """An error the CLI finds itself; `name` is the class shown (`ResumeError`, an OSError's)."""

    def __init__(self, message: str, code: ExitCode, name: str) -> None:
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


def _with_request_id(text: str, request_id: str | None) -> str:
    return f"{text} (request id {request_id})" if request_id and request_id not in text else text


def _answer(exc: sdk.APIStatusError) -> str:
    body = exc.body
    message = body.get("message") if isinstance(body, dict) else None
    text = _with_request_id(message if isinstance(message, str) else exc.message, exc.request_id)
    if (
        isinstance(exc, sdk.RateLimitError)
        and exc.retry_after is not None
        and "retry after" not in text.lower()  # the server's message may say it already
    ):
        text += f"; retry after {exc.retry_after:.0f} s"
    return f"status {exc.status_code}: {text}"


def _os_error(exc: OSError) -> str:
    what = exc.strerror or str(exc)
    return f"{exc.filename}: {what}" if exc.filename else what


def _parts(exc: BaseException) -> tuple[str, str]:
    """(the class shown, the message) of `exc`."""
    if isinstance(exc, CliError):
        return exc.name, exc.format_message()
    if isinstance(exc, click.UsageError):  # BadParameter, NoSuchOption, ...: one name
        return "UsageError", f"{exc.format_message()} (see --help)"
    if isinstance(exc, click.ClickException):
        return type(exc).__name__, exc.format_message()
    name = type(exc).__name__
    if isinstance(exc, sdk.APIStatusError):
        return name, _answer(exc)
    if isinstance(exc, sdk.APIResponseValidationError):
        reason = _with_request_id(exc.reason, exc.request_id)
        return name, f"status {exc.status_code}: the body is not what the spec says: {reason}"
    if isinstance(exc, sdk.APIConnectionError) and exc.request is not None:
        url = exc.request.url  # shown without userinfo or query
        where = f"{url.scheme}://{url.netloc.decode()}{url.path}"
        return name, f"{exc.message} ({exc.request.method} {where})"
    if isinstance(exc, OSError):
        return name, _os_error(exc)
    return name, str(exc) or "(no message)"


def describe(exc: BaseException) -> str:
    """The one line shown for `exc`, `Class: message` (an API answer's message begins with
    `status NNN: `); never the API key (the SDK's messages hold none)."""
    name, text = _parts(exc)
    return _one_line(f"{name}: {text}")
