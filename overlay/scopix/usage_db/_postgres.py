"""PostgreSQL through psycopg 3 (the `postgres` extra): one transaction per page, and the sync
lock as a session advisory lock (released by the server when the connection ends, however the
process ends)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from types import ModuleType
from typing import TYPE_CHECKING

from ._database import Database, Row, dumps
from ._errors import DatabaseUnavailableError, DriverMissingError, SyncLockedError
from ._tables import KINDS, STATE_TABLE
from ._url import Target

if TYPE_CHECKING:
    import psycopg
    from psycopg.rows import TupleRow


__all__ = ["LOCK_KEY", "PostgresDatabase"]

# pg_advisory_lock(int, int): "SCPX" and 1, so the holder can be found in pg_locks.
LOCK_KEY = (0x53435058, 1)
APPLICATION = "scopix usage sync"
CONNECT_TIMEOUT = 10


def _driver() -> ModuleType:
    try:
        import psycopg
    except ImportError:
        raise DriverMissingError(
            "syncing into PostgreSQL needs the psycopg driver: pip install 'scopix[postgres]'"
        ) from None
    return psycopg


def _cause(exc: Exception) -> str:
    lines = [line.strip() for line in str(exc).strip().splitlines() if line.strip()]
    return "; ".join(lines) or type(exc).__name__


class PostgresDatabase(Database):
    dialect = "postgresql"
    distinct = "IS DISTINCT FROM"
    time_inline = "v"  # psycopg sends aware datetimes as timestamptz

    def __init__(self, target: Target) -> None:
        super().__init__(target.shown)
        driver = _driver()
        self._driver = driver
        where = target.host or "the local socket"
        if target.port is not None:
            where += f":{target.port}"
        try:
            self.conn: psycopg.Connection[TupleRow] = driver.connect(
                target.conninfo,
                autocommit=True,
                connect_timeout=CONNECT_TIMEOUT,
                application_name=APPLICATION,
            )
        except driver.Error as exc:
            raise DatabaseUnavailableError(
                f"cannot connect to PostgreSQL at {where}: {_cause(exc)}"
            ) from None
        self._where = where

    def query(self, sql: str, params: Sequence[object] = ()) -> list[Row]:
        with self.conn.cursor() as cur:
            cur.execute(sql.replace("?", "%s"), params)
            return cur.fetchall() if cur.description else []

    def execute_many(self, sql: str, rows: Sequence[Row]) -> int:
        with self.conn.cursor() as cur:  # pipelined by psycopg: one round trip
            cur.executemany(sql.replace("?", "%s"), rows)
            return cur.rowcount

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self.conn.transaction():
            yield

    def migrate(self) -> None:
        try:
            super().migrate()
        except self._driver.Error as exc:
            raise DatabaseUnavailableError(
                f"cannot create the usage tables in {self.shown}: {_cause(exc)}"
            ) from None

    def check_writable(self) -> None:
        # A migrated database made read-only (a standby, default_transaction_read_only) or a
        # role that may only read would otherwise fail at the first page's commit.
        if self.query("SHOW transaction_read_only")[0][0] == "on":
            raise DatabaseUnavailableError(
                f"cannot write {self.shown}: the database is read-only (a standby server, or "
                "default_transaction_read_only is on)"
            )
        tables = [*(t.name for t in KINDS.values()), STATE_TABLE]
        denied = [
            t
            for t in tables
            if not self.query("SELECT has_table_privilege(?, 'INSERT, UPDATE')", (t,))[0][0]
        ]
        if denied:
            role = self.query("SELECT current_user")[0][0]
            raise DatabaseUnavailableError(
                f"cannot write {self.shown}: role {role} may not insert into or update "
                f"{', '.join(denied)} (GRANT INSERT, UPDATE ON them TO {role})"
            )

    def lock(self, wait: float) -> None:
        if wait > 0:
            errors = self._driver.errors
            try:
                self.query(f"SET lock_timeout = {int(wait * 1000)}")
                self.query("SELECT pg_advisory_lock(?, ?)", LOCK_KEY)
                return
            except errors.LockNotAvailable:
                pass
            finally:
                self.query("SET lock_timeout = 0")
        elif self.query("SELECT pg_try_advisory_lock(?, ?)", LOCK_KEY)[0][0]:
            return
        raise SyncLockedError(
            f"another scopix usage sync is writing to {self.shown}{self._holder()}; it holds "
            "the lock until it ends (wait for it, or give a lock wait)"
        )

    def _holder(self) -> str:
        rows = self.query(
            "SELECT a.pid, a.client_addr, a.backend_start FROM pg_locks l "
            "JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' "
            "AND l.granted AND l.classid = ? AND l.objid = ? AND l.objsubid = 2",
            LOCK_KEY,
        )
        if not rows:
            return ""
        pid, addr, since = rows[0]
        client = f" from {addr}" if addr else ""
        return f" (server process {pid}{client}, connected since {since:%Y-%m-%d %H:%M:%S%z})"

    def close(self) -> None:
        self.conn.close()

    def table_exists(self, name: str) -> bool:
        return self.query("SELECT to_regclass(?)", (name,))[0][0] is not None

    def time_out(self, value: dt.datetime) -> dt.datetime:
        return value

    def time_in(self, value: object) -> dt.datetime:
        if not isinstance(value, dt.datetime):  # psycopg reads timestamptz as aware datetimes
            raise TypeError(f"a {type(value).__name__} in a timestamptz column")
        return value

    def json_out(self, value: object) -> object:
        return self._driver.types.json.Jsonb(value, dumps=dumps)

    def json_in(self, value: object) -> object:
        return value  # psycopg reads jsonb as Python values
