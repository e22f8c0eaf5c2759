"""The fault kinds: one object each, saying at which point of a request it acts and how.

An API request goes: authenticate -> draw a fault (injector.py) -> rate limit -> handler ->
response validation -> encode -> send. A fault acts at one point of that path:

- `answer`: right after the draw, an answer of its own instead of the rest of the path (so it
  takes no rate-limit slot): the 5xx, the injected 429 and the HTML pages.
- `document`: on a 200's JSON value, after response validation, with the operation's schema.
- `encoded`: on the encoded body of whatever was answered.
- `cut`: on the wire, how many body bytes leave before the connection is closed.
- `late`: the answer leaves `slow_ms` later.

The app and the HTTP server ask the drawn fault, never its name; a new kind is one row of
`FAULTS` and one share in `FaultConfig`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from scopix_sandbox.body_faults import truncate, unknown_enums, wrong_types
from scopix_sandbox.http import Response
from scopix_sandbox.ratelimit import Decision
from scopix_sandbox.responses import HTML_TYPE, JSON_TYPE, encode, error_body, rate_headers

__all__ = [
    "FAULTS",
    "GATEWAY_502_HTML",
    "KINDS",
    "MAINTENANCE_HTML",
    "Fault",
    "Scene",
]


@dataclass(frozen=True)
class Scene:
    """What an `answer` fault answers from."""

    request_id: str
    retry_after: int
    """The configured Retry-After seconds."""
    rate: Callable[[], Decision]
    """The caller's rate-limit state for the operation's bucket, taking no slot."""


@dataclass(frozen=True)
class Fault:
    name: str
    gets: str
    """What the client gets (the command's --help)."""
    answer: Callable[[Scene], Response] | None = None
    document: Callable[[Any, Any], Any] | None = None
    encoded: Callable[[bytes], bytes] | None = None
    cut: Callable[[bytes], int] | None = None
    late: bool = False


GATEWAY_502_HTML = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    b"</body>\r\n</html>\r\n"
)
MAINTENANCE_HTML = (
    b'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>Scheduled maintenance</title>'
    b"</head>\n<body><h1>We'll be right back</h1><p>Scopix is undergoing scheduled maintenance."
    b"</p></body></html>\n"
)


def _page(status: int, page: bytes) -> Callable[[Scene], Response]:
    """Something in front of the API answers: only X-Request-Id, no rate-limit headers."""

    def answer(scene: Scene) -> Response:
        headers = [("X-Request-Id", scene.request_id), ("Server", "nginx"), HTML_TYPE]
        return Response(status, headers, page)

    return answer


def _error(
    status: int, code: str, message: str, *, retry: bool, refused: bool = False
) -> Callable[[Scene], Response]:
    """An ErrorResponse with the caller's rate-limit headers, Retry-After when `retry`; when
    `refused` the headers say the window is full until then (as a real 429's do)."""

    def answer(scene: Scene) -> Response:
        state = scene.rate()
        if refused:
            state = Decision(False, state.limit, 0, float(scene.retry_after))
        headers = [("X-Request-Id", scene.request_id), *rate_headers(state)]
        if retry:
            headers.append(("Retry-After", str(scene.retry_after)))
        headers.append(JSON_TYPE)
        text = message.format(retry=scene.retry_after)
        return Response(status, headers, encode(error_body(code, text, scene.request_id)))

    return answer


def _half(body: bytes) -> int:
    return len(body) // 2


FAULTS: tuple[Fault, ...] = (
    Fault(
        "error_500",
        "500, ErrorResponse internal_error",
        answer=_error(500, "internal_error", "Internal server error (injected).", retry=False),
    ),
    Fault(
        "error_502",
        "502, a gateway's HTML page without rate-limit headers",
        answer=_page(502, GATEWAY_502_HTML),
    ),
    Fault(
        "error_503",
        "503, ErrorResponse service_unavailable with Retry-After",
        answer=_error(
            503,
            "service_unavailable",
            "The service is temporarily unavailable (injected).",
            retry=True,
        ),
    ),
    Fault(
        "rate_limit",
        "429 with Retry-After, Remaining 0 (takes no slot)",
        answer=_error(
            429,
            "rate_limited",
            "Rate limit exceeded (injected); retry after {retry} s.",
            retry=True,
            refused=True,
        ),
    ),
    Fault("disconnect", "headers and half the body, then the connection closes", cut=_half),
    Fault("html", "200 with an HTML maintenance page", answer=_page(200, MAINTENANCE_HTML)),
    Fault("truncated", "200, the JSON body cut in half", encoded=truncate),
    Fault("wrong_types", "200, one integer field sent as a string", encoded=wrong_types),
    Fault("unknown_enum", "200, open enum values the spec does not list", document=unknown_enums),
    Fault("slow", "the answer, slow_ms late", late=True),
)
"""In the order the draw lays their shares out on [0, 1): reordering changes what a seed does."""

KINDS = tuple(fault.name for fault in FAULTS)
