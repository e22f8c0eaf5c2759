"""`scopix usage export`: every item of a listing to JSON Lines or CSV, resumable.

Pages are walked by the SDK's public pager (`get_all_*(...).pages()`), whose pages carry the
rate-limit headers that feed the progress bar. After each page the file is flushed and synced,
then a sidecar state file (`FILE.scopix-export.json`) is replaced atomically: it holds the
snapshot (the pinned `end_date` and the filters), the items and bytes written, the pager's
`position` after the page and the id of the last item.

On any stop (Ctrl-C, an error) the file is cut back to the last committed page, so it holds whole
lines only. `--resume` cuts the file to the committed size (dropping whatever a hard kill left
behind), asks again (`resume_from=`) from one item before that position, checks that the
item there is the last one written (skipping past it if newer items pushed it down, refusing to
go on if it is gone) and goes on: no duplicate, no gap. The state file is removed when done.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import BinaryIO

import attrs

from .. import Page, Position, SyncScopix, _spec
from .. import types as t
from .errors import CliError, ExitCode
from .progress import Reporter
from .render import HasToDict

__all__ = [
    "FORMATS",
    "KINDS",
    "LARGEST_PAGE",
    "Export",
    "Kind",
    "Outcome",
    "State",
    "abandon",
    "resume",
    "snapshot_filters",
    "start",
    "state_path",
]

STATE_SUFFIX = ".scopix-export.json"
STATE_VERSION = 2  # 2: the pager's `position` instead of our own `next_offset`
FORMATS = ("jsonl", "csv")
# Exports ask for the largest page the list operations allow (their `limit` maximum in the spec).
LARGEST_PAGE: int = _spec.operation("get_details").params["limit"].schema["maximum"]


@dataclass(frozen=True)
class Kind:
    """A listing the export can walk."""

    noun: str
    model: type[attrs.AttrsInstance]
    id_field: str
    pager: str  # the get_all_* method on client.usage
    filtered: bool  # takes start_date/end_date/api_key_id/operation_type

    def columns(self) -> list[str]:
        return [a.name for a in attrs.fields(self.model) if a.init]  # not additional_properties


KINDS = {
    "events": Kind("events", t.UsageEvent, "id", "get_all_details", True),
    "files": Kind("files", t.FileTokenUsage, "file_id", "get_all_file_tokens", False),
    "conversations": Kind(
        "conversations",
        t.ConversationTokenUsage,
        "conversation_id",
        "get_all_conversation_tokens",
        False,
    ),
}


@dataclass
class State:
    kind: str
    format: str
    page_size: int
    filters: dict[str, str | None]
    columns: list[str] | None = None
    count: int = 0
    bytes: int = 0
    position: Position | None = None  # the pager's, after the last committed page
    last_id: str | None = None
    total: int | None = None
    started_at: str = field(default_factory=lambda: dt.datetime.now(dt.UTC).isoformat())
    version: int = STATE_VERSION

    @classmethod
    def load(cls, path: Path) -> State:
        try:
            data = json.loads(path.read_text("utf-8"))
            if data.get("version") != STATE_VERSION:
                raise ValueError(f"version {data.get('version')!r}")
            return cls(**data)
        except (OSError, ValueError, TypeError) as exc:
            raise CliError(
                f"cannot read the export state {path}: {exc}", ExitCode.INPUT, "ResumeError"
            ) from None

    def save(self, path: Path) -> None:
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(asdict(self), indent=1), "utf-8")
        os.replace(tmp, path)


def state_path(path: Path) -> Path:
    return path.with_name(path.name + STATE_SUFFIX)


def snapshot_filters(
    client: SyncScopix,
    start_date: dt.datetime | None,
    end_date: dt.datetime | None,
    api_key_id: str | None,
    operation_type: str | None,
) -> dict[str, str | None]:
    """The filters of an events export as `get_all_details` pins them (`end_date` now when not
    given), read from its pager's position (nothing is sent): events recorded while the export
    runs, or before it resumes, cannot shift its pages."""
    pager = client.usage.get_all_details(
        start_date=start_date,
        end_date=end_date,
        api_key_id=api_key_id,
        operation_type=t.OperationType(operation_type) if operation_type else None,
    )
    pinned = pager.position["filters"]  # all four are strings in a position, absent when None
    names = ("start_date", "end_date", "api_key_id", "operation_type")
    return {name: None if (text := pinned.get(name)) is None else str(text) for name in names}


def _call_args(filters: dict[str, str | None]) -> dict[str, object]:
    args: dict[str, object] = dict(filters)
    for name in ("start_date", "end_date"):
        if text := filters.get(name):
            args[name] = dt.datetime.fromisoformat(text)
    return args


@dataclass
class Outcome:
    count: int
    pages: int
    waited: float
    resumed_at: int


def _line(fmt: str, columns: Sequence[str] | None, item: HasToDict) -> bytes:
    data = item.to_dict()
    if fmt == "jsonl":
        return (json.dumps(data, ensure_ascii=False) + "\n").encode()
    buffer = io.StringIO()
    cells = [data.get(c) for c in columns or ()]
    csv.writer(buffer, lineterminator="\n").writerow([_cell(v) for v in cells])
    return buffer.getvalue().encode()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _header(columns: Sequence[str]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(columns)
    return buffer.getvalue().encode()


class Export:
    def __init__(self, client: SyncScopix, path: Path, state: State, reporter: Reporter) -> None:
        self.client = client
        self.path = path
        self.state_file = state_path(path)
        self.state = state
        self.kind = KINDS[state.kind]
        self.reporter = reporter
        self.resumed_at = state.count
        reporter.progress.update(reporter.task, completed=state.count, total=state.total)

    def run(self) -> Outcome:
        state, kind = self.state, self.kind
        overlap = state.count > 0  # ask from the last item written, to check it is still there
        position = state.position
        if position is not None and overlap:
            position = {**position, "offset": position["offset"] - 1}
        filters = _call_args(state.filters) if kind.filtered else {}
        pager = getattr(self.client.usage, kind.pager)(
            **filters, page_size=state.page_size, resume_from=position
        )
        pages = iter(pager.pages())
        with self.path.open("r+b") as out:
            out.truncate(state.bytes)
            out.seek(state.bytes)
            try:
                while (page := self._next(pages)) is not None:
                    items = list(page.items)
                    if overlap:
                        items = self._after_last(items, page.offset)
                        overlap = False
                    for item in items:
                        out.write(_line(state.format, state.columns, item))
                    state.count += len(items)
                    state.position = pager.position
                    state.total = page.total
                    if items:
                        state.last_id = getattr(items[-1], kind.id_field)
                    self._commit(out)
                    self.reporter.advance(state.count)
            except BaseException:
                out.truncate(State.load(self.state_file).bytes)  # back to whole lines
                raise
        self.state_file.unlink()
        return Outcome(state.count, self.reporter.pages, self.reporter.waited, self.resumed_at)

    def _next(self, pages: Iterator[Page[HasToDict]]) -> Page[HasToDict] | None:
        self.reporter.before_page()
        started = time.monotonic()
        page = next(pages, None)
        if page is not None:
            waited = max(time.monotonic() - started - page.elapsed, 0.0)
            self.reporter.after_page(total=page.total, rate=page.rate_limit, waited=waited)
        return page

    def _after_last(self, items: list[HasToDict], offset: int) -> list[HasToDict]:
        ids = [getattr(item, self.kind.id_field) for item in items]
        if self.state.last_id not in ids:
            raise CliError(
                f"cannot resume: the last exported item ({self.state.last_id}) is no longer at "
                f"offset {offset} of the listing, which changed since the export started; "
                "start over with --overwrite",
                ExitCode.INPUT,
                "ResumeError",
            )
        return items[ids.index(self.state.last_id) + 1 :]

    def _commit(self, out: BinaryIO) -> None:
        out.flush()
        os.fsync(out.fileno())
        self.state.bytes = out.tell()
        self.state.save(self.state_file)


def start(
    path: Path,
    *,
    kind: str,
    fmt: str,
    page_size: int,
    filters: dict[str, str | None],
    overwrite: bool,
) -> State:
    """A new export: the file (CSV header only) and its state, committed."""
    if not overwrite and (path.exists() or state_path(path).exists()):
        hint = "--resume continues it" if state_path(path).exists() else "pass --overwrite"
        raise CliError(f"{path} exists ({hint})", ExitCode.INPUT, "FileExistsError")
    columns = KINDS[kind].columns() if fmt == "csv" else None
    state = State(kind=kind, format=fmt, page_size=page_size, filters=filters, columns=columns)
    head = _header(columns) if columns else b""
    try:
        path.write_bytes(head)
    except OSError as exc:
        name = type(exc).__name__  # PermissionError, FileNotFoundError, ...
        raise CliError(f"cannot write {path}: {exc.strerror}", ExitCode.INPUT, name) from None
    state.bytes = len(head)
    state.save(state_path(path))
    return state


def resume(path: Path, given: Mapping[str, object]) -> State:
    """The state of an interrupted export; options given again must match it."""
    if not state_path(path).exists():
        raise CliError(
            f"nothing to resume: no {state_path(path).name} beside {path}",
            ExitCode.INPUT,
            "ResumeError",
        )
    state = State.load(state_path(path))
    recorded = {"kind": state.kind, "format": state.format, "page_size": state.page_size}
    recorded.update(state.filters)
    for name, value in given.items():
        if isinstance(value, dt.datetime):
            value = value.isoformat()
        if value is not None and name in recorded and recorded[name] != value:
            raise CliError(
                f"--resume continues the export as it started ({name}={recorded[name]!r}); "
                f"drop --{name.replace('_', '-')} or start over with --overwrite",
                ExitCode.INPUT,
                "ResumeError",
            )
    if not path.exists() or path.stat().st_size < state.bytes:
        raise CliError(
            f"{path} is missing or shorter than its export state says: start over with --overwrite",
            ExitCode.INPUT,
            "ResumeError",
        )
    return state


def abandon(path: Path, state: State) -> None:
    """Remove a new export that wrote nothing (so a plain re-run starts it afresh)."""
    if state.count == 0:
        for leftover in (path, state_path(path)):
            leftover.unlink(missing_ok=True)
