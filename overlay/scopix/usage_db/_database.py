"""What both databases share: the schema's migration, the state rows, and one transaction per
page (its rows upserted by key, the state after it). The dialects (`_sqlite`, `_postgres`)
bring the connection, the transaction, the lock and how values are sent."""

from __future__ import annotations

import datetime as dt
import json
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from enum import Enum
from typing import TypeGuard

from .. import Position
from ._errors import DatabaseUnavailableError, SchemaVersionError, UsageDBError
from ._state import Scope, State
from ._tables import (
    KINDS,
    SCHEMA_VERSION,
    STATE_TABLE,
    VERSION_TABLE,
    Table,
    migration_sql,
)

__all__ = ["Database", "Row", "dumps"]

Row = tuple[object, ...]  # the values of one row, as the driver sends or reads them
_STATE_COLUMNS = (
    "watermark",
    "run_start",
    "run_end",
    "run_high",
    "position",
    "last_id",
    "runs_completed",
    "last_completed_at",
    "updated_at",
)
_STATE_NAMES = ("kind", "key_digest", "base_url", *_STATE_COLUMNS, "schema_version")
_SAVE_STATE = (
    f"INSERT INTO {STATE_TABLE} ({', '.join(_STATE_NAMES)}) "
    f"VALUES ({', '.join('?' for _ in _STATE_NAMES)}) ON CONFLICT (kind, key_digest, base_url) "
    f"DO UPDATE SET {', '.join(f'{n} = excluded.{n}' for n in _STATE_NAMES[3:])}"
)
_STATE_TIMES = {"watermark", "run_start", "run_end", "run_high", "last_completed_at", "updated_at"}


class Database(ABC):
    """One open connection that holds the database's sync lock until `close()`."""

    dialect: str
    distinct = "IS NOT"  # null-safe "differs" (PostgreSQL: IS DISTINCT FROM)
    # `time_out(v)` as an expression of an aware datetime `v`, written into the compiled row
    # builder (a call per timestamp was a fifth of building a row).
    time_inline = "T(v)"

    def __init__(self, shown: str) -> None:
        self.shown = shown
        self._upserts: dict[tuple[str, str], str] = {}
        self._makers: dict[str, Callable[[object, object], Row]] = {}

    # -- the dialect's part -------------------------------------------------------------------

    @abstractmethod
    def query(self, sql: str, params: Sequence[object] = ()) -> list[Row]: ...

    @abstractmethod
    def execute_many(self, sql: str, rows: Sequence[Row]) -> int:
        """`sql` for each row, in one round trip where the driver can; the rows it wrote."""

    @abstractmethod
    def transaction(self) -> AbstractContextManager[None]: ...

    @abstractmethod
    def lock(self, wait: float) -> None:
        """Take the database's sync lock, waiting up to `wait` seconds (SyncLockedError)."""

    @abstractmethod
    def close(self) -> None: ...

    @abstractmethod
    def table_exists(self, name: str) -> bool: ...

    @abstractmethod
    def time_out(self, value: dt.datetime) -> object: ...

    @abstractmethod
    def time_in(self, value: object) -> dt.datetime: ...

    @abstractmethod
    def json_out(self, value: object) -> object: ...

    @abstractmethod
    def json_in(self, value: object) -> object:
        """A JSON column's value as Python values (a position, checked where it is read)."""

    @abstractmethod
    def check_writable(self) -> None:
        """Refuse, before any request is made, a database this sync could read but not write."""

    # -- the schema -----------------------------------------------------------------------------

    def schema_version(self) -> int:
        if not self.table_exists(VERSION_TABLE):
            return 0
        (version,) = self.query(f"SELECT MAX(version) FROM {VERSION_TABLE}")[0]
        return version if isinstance(version, int) else 0  # NULL: an empty table

    def migrate(self) -> None:
        """Bring the usage tables to this SDK's schema; refuse a newer one, or tables of the
        same names that scopix did not make."""
        version = self.schema_version()
        if version > SCHEMA_VERSION:
            raise SchemaVersionError(
                f"{self.shown} holds usage tables of schema version {version}, newer than this "
                f"SDK's {SCHEMA_VERSION}: upgrade scopix to sync into it"
            )
        if version == SCHEMA_VERSION:
            return
        if version == 0:
            taken = [
                t for t in (*(k.name for k in KINDS.values()), STATE_TABLE) if self.table_exists(t)
            ]
            if taken:
                raise DatabaseUnavailableError(
                    f"{self.shown} already has table(s) {', '.join(taken)} that scopix did not "
                    f"make (no {VERSION_TABLE} table): use another database or schema"
                )
        with self.transaction():
            for step in range(version + 1, SCHEMA_VERSION + 1):
                for sql in migration_sql(self.dialect, step):
                    self.query(sql)
            self.query(f"DELETE FROM {VERSION_TABLE}")
            self.query(f"INSERT INTO {VERSION_TABLE} (version) VALUES (?)", (SCHEMA_VERSION,))

    # -- state ----------------------------------------------------------------------------------

    def load_state(self, kind: str, scope: Scope) -> State:
        rows = self.query(
            f"SELECT {', '.join(_STATE_COLUMNS)} FROM {STATE_TABLE} "
            "WHERE kind = ? AND key_digest = ? AND base_url = ?",
            (kind, scope.key_digest, scope.base_url),
        )
        if not rows:
            return State(kind, scope)
        row = dict(zip(_STATE_COLUMNS, rows[0], strict=True))

        def time(name: str) -> dt.datetime | None:
            value = row[name]
            return None if value is None else self.time_in(value)

        position = None if row["position"] is None else self.json_in(row["position"])
        last_id, runs = row["last_id"], row["runs_completed"]
        if not (_is_position(position) or position is None) or not isinstance(runs, int):
            raise UsageDBError(f"{self.shown} holds a sync state of {kind} that is not scopix's")
        return State(
            kind, scope,
            watermark=time("watermark"), run_start=time("run_start"), run_end=time("run_end"),
            run_high=time("run_high"), position=position,
            last_id=last_id if isinstance(last_id, str) else None, runs_completed=runs,
            last_completed_at=time("last_completed_at"),
            updated_at=time("updated_at") or dt.datetime.now(dt.UTC),
        )  # fmt: skip

    def _state_row(self, state: State) -> Row:
        state.updated_at = dt.datetime.now(dt.UTC)
        values: list[object] = [state.kind, state.scope.key_digest, state.scope.base_url]
        for name in _STATE_COLUMNS:
            value = getattr(state, name)
            if value is not None and name in _STATE_TIMES:
                value = self.time_out(value)
            elif value is not None and name == "position":
                value = self.json_out(value)
            values.append(value)
        return (*values, SCHEMA_VERSION)

    def _save_state(self, state: State) -> None:
        self.query(_SAVE_STATE, self._state_row(state))

    def save_state(self, state: State) -> None:
        with self._writing(), self.transaction():
            self._save_state(state)

    # -- pages ----------------------------------------------------------------------------------

    def write_page(self, table: Table, items: Sequence[object], state: State) -> tuple[int, int]:
        """Upsert one page's items and save `state`, in one transaction: either both are in
        the database or neither. Returns (rows inserted, rows whose content changed)."""
        make = self.row_maker(table)
        synced = self.time_out(dt.datetime.now(dt.UTC))
        rows = [make(item, synced) for item in items]
        inserted = updated = 0
        with self._writing(), self.transaction():
            if rows:
                # New rows go in as a plain insert would (the usual page: all new); only when
                # some were there already are they compared and the changed ones rewritten.
                inserted = self.execute_many(self._sql(table, "insert"), rows)
                if inserted < len(rows):
                    updated = self.execute_many(self._sql(table, "update"), rows)
            self._save_state(state)
        return inserted, updated

    def _sql(self, table: Table, which: str) -> str:
        sql = self._upserts.get((table.name, which))
        if sql is None:
            cols = table.columns
            values = f"VALUES ({', '.join('?' for _ in cols)})"
            head = (
                f"INSERT INTO {table.name} ({', '.join(cols)}) {values} ON CONFLICT ({table.key})"
            )
            if which == "insert":
                sql = f"{head} DO NOTHING"
            else:  # an unchanged row is left alone (and not counted)
                content = [c for c in cols if c not in (table.key, "first_synced_at", "synced_at")]
                differs = " OR ".join(
                    f"{table.name}.{c} {self.distinct} excluded.{c}" for c in content
                )
                updated = [c for c in cols if c not in (table.key, "first_synced_at")]
                sets = ", ".join(f"{c} = excluded.{c}" for c in updated)
                sql = f"{head} DO UPDATE SET {sets} WHERE {differs}"
            self._upserts[(table.name, which)] = sql
        return sql

    def row_maker(self, table: Table) -> Callable[[object, object], Row]:
        """item, synced_at -> the row of its table's columns: date-times and JSON as this
        dialect sends them, enum members as their values. Compiled once per table into one
        tuple expression (a page of 100 rows is built in well under a millisecond)."""
        made = self._makers.get(table.name)
        if made is not None:
            return made
        parts = []
        for c in table.fields:
            ref = f"item.{c.name}"
            if c.type == "timestamp":
                parts.append(f"(None if (v := {ref}) is None else {self.time_inline})")
            elif c.enum:  # _value_: what the .value property reads, without the property
                parts.append(f"(v._value_ if isinstance(v := {ref}, Enum) else v)")
            else:
                parts.append(ref)
        parts.append("(J(a) if (a := item.additional_properties) else None)")
        parts += ["synced", "synced"]  # first_synced_at, synced_at
        source = f"lambda item, synced: ({', '.join(parts)},)"
        names: dict[str, object] = {
            "T": self.time_out,
            "J": self.json_out,
            "Enum": Enum,
            "UTC": dt.UTC,
        }
        make: Callable[[object, object], Row] = eval(source, names)
        self._makers[table.name] = make
        return make

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """A driver's error while writing, as a UsageDBError naming the database."""
        try:
            yield
        except Exception as exc:
            if type(exc).__module__.startswith(("sqlite3", "psycopg")):
                raise UsageDBError(f"writing to {self.shown} failed: {exc}") from exc
            raise


def dumps(value: object) -> str:
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


def _is_position(value: object) -> TypeGuard[Position]:
    """A saved pager position: the keys and types `Walk.position` writes."""
    return (
        isinstance(value, dict)
        and isinstance(value.get("version"), int)
        and isinstance(value.get("operation"), str)
        and isinstance(value.get("filters"), dict)
        and isinstance(value.get("offset"), int)
        and isinstance(value.get("done"), bool)
    )
