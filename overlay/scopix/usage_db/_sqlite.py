"""SQLite (standard library): WAL, one `BEGIN IMMEDIATE` transaction per page, and the sync
lock as an OS file lock beside the database (`FILE-synclock`, released by the kernel however the
process ends)."""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING

from ._database import Database, Row, dumps
from ._errors import DatabaseUnavailableError, SyncLockedError

if TYPE_CHECKING:
    from .._json import JSON

__all__ = ["SQLiteDatabase", "lock_path"]

BUSY_TIMEOUT = 30.0  # seconds a page waits for another writer (readers never block it)


def lock_path(path: Path) -> Path:
    return path.with_name(path.name + "-synclock")


def _check_writable(path: Path) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise DatabaseUnavailableError(f"cannot create {path}: folder {folder} does not exist")
    if path.exists():
        if not path.is_file():
            raise DatabaseUnavailableError(f"cannot open {path}: not a file")
        if not os.access(path, os.R_OK | os.W_OK):
            raise DatabaseUnavailableError(f"cannot write {path}: the file is read-only")
    # SQLite writes its journal and the lock file beside the database.
    if not os.access(folder, os.W_OK | os.X_OK):
        raise DatabaseUnavailableError(f"cannot write {path}: folder {folder} is read-only")


class SQLiteDatabase(Database):
    dialect = "sqlite"
    time_inline = "(v.isoformat(timespec='microseconds') if v.tzinfo is UTC else T(v))"

    def __init__(self, path: Path) -> None:
        super().__init__(f"sqlite:///{path}")
        _check_writable(path)
        self.path = path
        self._lock_file: IO[str] | None = None
        try:
            self.conn = sqlite3.connect(
                path, timeout=BUSY_TIMEOUT, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as exc:
            raise DatabaseUnavailableError(f"cannot open {path}: {exc}") from None
        try:
            self.conn.execute("PRAGMA journal_mode = WAL")
            # WAL with NORMAL: a killed process loses no committed page (only a power cut can
            # lose the latest commits, and the database stays consistent).
            self.conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.Error as exc:
            self.conn.close()
            raise DatabaseUnavailableError(f"cannot use {path}: {exc}") from None

    def query(self, sql: str, params: Sequence[object] = ()) -> list[Row]:
        return self.conn.execute(sql, params).fetchall()

    def execute_many(self, sql: str, rows: Sequence[Row]) -> int:
        return self.conn.executemany(sql, rows).rowcount

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def lock(self, wait: float) -> None:
        where = lock_path(self.path)
        try:
            handle = where.open("a+", encoding="utf-8")
        except OSError as exc:
            raise DatabaseUnavailableError(f"cannot write {where}: {exc.strerror}") from None
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = _holder(where)
                    handle.close()
                    raise SyncLockedError(
                        f"another scopix usage sync is writing to {self.path}{holder}; "
                        "it holds the lock until it ends (wait for it, or give a lock wait)"
                    ) from None
                time.sleep(0.05)
        handle.seek(0)
        handle.truncate()
        started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        handle.write(json.dumps({"pid": os.getpid(), "since": started}))
        handle.flush()
        self._lock_file = handle

    def close(self) -> None:
        self.conn.close()
        if self._lock_file is not None:
            self._lock_file.close()  # closing the file releases the lock
            self._lock_file = None

    def check_writable(self) -> None:
        pass  # the file's and folder's rights were checked when it was opened

    def table_exists(self, name: str) -> bool:
        rows = self.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,))
        return bool(rows)

    def time_out(self, value: dt.datetime) -> str:
        if value.tzinfo is not dt.UTC:
            value = value.astimezone(dt.UTC)
        return value.isoformat(timespec="microseconds")

    def time_in(self, value: object) -> dt.datetime:
        if not isinstance(value, str):  # time_out writes ISO text
            raise TypeError(f"a {type(value).__name__} in a timestamp column")
        return dt.datetime.fromisoformat(value)

    def json_out(self, value: object) -> str:
        return dumps(value)

    def json_in(self, value: object) -> JSON:
        if not isinstance(value, str):  # json_out writes text
            raise TypeError(f"a {type(value).__name__} in a JSON column")
        parsed: JSON = json.loads(value)
        return parsed


def _holder(where: Path) -> str:
    try:
        info = json.loads(where.read_text("utf-8"))
        return f" (process {info['pid']}, since {info['since']})"
    except (OSError, ValueError, KeyError, TypeError):
        return ""
