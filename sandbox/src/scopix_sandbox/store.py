"""The SQLite store (standard library) every endpoint answers from: loading, recording, pages.

The tables and indexes are schema.py's. One connection, used only on the server's event-loop
thread. Events are ordered newest first by `(ts DESC, id DESC)`; `id` is the rowid, so the
`(account_id, ts)` and `(key_id, ts)` indexes serve both the range filters and that order.
Requests the sandbox records go to a small buffer that is written (one `executemany`) before the
next query that reads events, so a query always sees every request served before it.

Every aggregate (reports.py: totals, series, per endpoint/operation/status/day, distinct
conversations, the latency histogram) is one cached grouped-sum query (`Store.grouped`) that
catches up incrementally when rows are added, so recording requests never forces a full recount.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from scopix_sandbox.catalog import USAGE_QUERY, ApiKey
from scopix_sandbox.clock import DAY_US, month_index
from scopix_sandbox.schema import CONVERSATIONS, EVENTS, FILES, INDEXES, TABLES, Dataset, EventRow

__all__ = ["EventFilter", "EventOut", "Store", "latency_bucket"]

_EVENT_SELECT = (
    "SELECT id, ts, key_id, endpoint, method, op, status, credits, in_tok, out_tok, latency "
    "FROM events"
)
EventOut = tuple[int, int, str, str, str, str, int, int, int, int, float]


@dataclass(frozen=True)
class EventFilter:
    """Which events a query covers: one account, optionally one key, one type, a range."""

    account_id: str
    key_id: str | None = None
    op: str | None = None
    start_us: int | None = None
    end_us: int | None = None

    def where(self) -> tuple[str, list[Any]]:
        # A key belongs to one account (the handlers check it), so a key filter replaces the
        # account filter and the (key_id, ...) indexes cover the query without table lookups.
        clauses: list[str] = ["account_id = ?"]
        args: list[Any] = [self.account_id]
        if self.key_id is not None:
            clauses, args = ["key_id = ?"], [self.key_id]
        if self.op is not None:
            clauses.append("op = ?")
            args.append(self.op)
        if self.start_us is not None:
            clauses.append("ts >= ?")
            args.append(self.start_us)
        if self.end_us is not None:
            clauses.append("ts < ?")
            args.append(self.end_us)
        return " WHERE " + " AND ".join(clauses), args


def latency_bucket(latency_ms: float) -> int:
    """Histogram bucket of a latency: 1% wide (`floor(100 * ln(ms))`)."""
    return math.floor(100 * math.log(max(latency_ms, 0.001)))


@dataclass
class _Aggregate:
    high_water: int
    groups: dict[tuple[Any, ...], list[float]]


class Store:
    def __init__(self, dataset: Dataset, db_path: str = ":memory:") -> None:
        self.db = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode = OFF")
        self.db.execute("PRAGMA synchronous = OFF")
        self.db.execute("PRAGMA temp_store = MEMORY")
        for table in TABLES:
            self.db.execute(f"DROP TABLE IF EXISTS {table.name}")
            self.db.execute(table.create())
        self.db.execute("BEGIN")
        self._insert_events(dataset.events)
        self._insert(FILES.name, FILES.names, dataset.files)
        self._insert(CONVERSATIONS.name, CONVERSATIONS.names, dataset.conversations)
        self.db.execute("COMMIT")
        self.db.executescript(INDEXES)
        self.keys: dict[str, ApiKey] = {k.key_id: k for k in dataset.keys}
        self.keys_by_secret: dict[str, ApiKey] = {k.secret: k for k in dataset.keys}
        self.max_id = dataset.events[-1][0] if dataset.events else 0
        """The newest event id written; aggregates remember up to which id they counted."""
        self._pending: list[EventRow] = []
        self._month_of_day: dict[int, int] = {}
        self._cursors: dict[tuple[EventFilter, int], tuple[int, int]] = {}
        self._credits: dict[tuple[str, int, int], int] = {}
        self._aggregates: dict[tuple[Any, ...], _Aggregate] = {}

    def close(self) -> None:
        self.db.close()

    def _insert(
        self, table: str, columns: tuple[str, ...], rows: Iterable[tuple[Any, ...]]
    ) -> None:
        marks = ", ".join("?" for _ in columns)
        self.db.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)

    def _insert_events(self, rows: Iterable[EventRow]) -> None:
        self._insert(
            EVENTS.name,
            (*EVENTS.names, *(name for name, _ in EVENTS.derived)),
            ((*row, latency_bucket(row[11])) for row in rows),
        )

    # -- recording ----------------------------------------------------------------------------

    def record(
        self, ts_us: int, key: ApiKey, endpoint: str, method: str, status: int, latency_ms: float
    ) -> None:
        """Record a served request as a `usage_query` event (0 credits, no tokens).

        `ts_us` is rounded up to the millisecond, so the event is never before the request
        arrived: a query whose exclusive `end_date` is at or before that instant never sees it.
        """
        ts = -(-ts_us // 1000) * 1000
        day = ts // DAY_US
        month = self._month_of_day.get(day)
        if month is None:
            month = self._month_of_day[day] = month_index(ts)
        next_id = self.max_id + len(self._pending) + 1
        latency = round(latency_ms, 3)
        self._pending.append(
            (next_id, ts, key.account_id, key.key_id, endpoint, method, USAGE_QUERY, status,
             0, 0, 0, latency, None, 1, None, None, day, month)
        )  # fmt: skip
        if len(self._pending) >= 1000:
            self.flush()

    def record_spend(
        self, ts_us: int, key: ApiKey, op: str, route: tuple[str, str, int], credits: int
    ) -> int:
        """Record a successful event of `op` costing `credits` (`POST /_sandbox/spend`), written
        at once so every query sees it; returns its id."""
        self.flush()
        endpoint, method, status = route
        ts = -(-ts_us // 1000) * 1000
        day = ts // DAY_US
        row: EventRow = (
            self.max_id + 1, ts, key.account_id, key.key_id, endpoint, method, op, status,
            credits, 0, 0, 0.0, None, 1, None, None, day, month_index(ts),
        )  # fmt: skip
        self._pending.append(row)
        self.flush()
        self._credits.clear()  # unlike recorded requests, this one costs credits
        return row[0]

    def flush(self) -> None:
        """Write the recorded requests. Newest-first page cursors are dropped (new rows shift
        offsets); aggregates are kept and catch up from the rows after their high-water id;
        credit totals stay valid (recorded requests cost no credits)."""
        if not self._pending:
            return
        self.db.execute("BEGIN")
        self._insert_events(self._pending)
        self.db.execute("COMMIT")
        self.max_id = self._pending[-1][0]
        self._pending.clear()
        self._cursors.clear()

    # -- grouped sums: the one aggregate primitive --------------------------------------------

    def grouped(
        self,
        f: EventFilter,
        group: tuple[str, ...] = (),
        sums: tuple[str, ...] = (),
        where: str = "",
    ) -> dict[tuple[Any, ...], list[float]]:
        """`{group values: [count, TOTAL(sum) ...]}` over the filter's events (and `where`).

        Cached per query and kept current incrementally: when rows were added since, only the
        rows after the cached high-water id are aggregated (a rowid range scan) and added in.
        The returned dict is the cache's own: read it, do not keep or change it.
        """
        self.flush()
        key = (f, group, sums, where)
        agg = self._aggregates.get(key)
        if agg is not None and agg.high_water == self.max_id:
            return agg.groups
        sql_where, args = f.where()
        if where:
            sql_where += f" AND ({where})"
        cols = ", ".join((*group, "COUNT(*)", *(f"TOTAL({s})" for s in sums)))
        group_by = f" GROUP BY {', '.join(group)}" if group else ""
        n = len(group)
        if agg is None:
            rows = self.db.execute(f"SELECT {cols} FROM events{sql_where}{group_by}", args)
            agg = _Aggregate(self.max_id, {})
            if len(self._aggregates) > 5_000:
                self._aggregates.clear()
            self._aggregates[key] = agg
        else:
            sql = f"SELECT {cols} FROM events NOT INDEXED{sql_where} AND id > ?{group_by}"
            rows = self.db.execute(sql, [*args, agg.high_water])
            agg.high_water = self.max_id
        groups = agg.groups
        for row in rows:
            if not row[n]:
                continue  # COUNT(*) without GROUP BY answers one row even when nothing matched
            k = tuple(row[:n])
            acc = groups.get(k)
            if acc is None:
                groups[k] = list(row[n:])
            else:
                for i, v in enumerate(row[n:]):
                    acc[i] += v
        return groups

    # -- events -------------------------------------------------------------------------------

    def count(self, f: EventFilter) -> int:
        acc = self.grouped(f).get(())
        return int(acc[0]) if acc else 0

    def page(self, f: EventFilter, limit: int, offset: int) -> list[EventOut]:
        """Events newest first (`ts DESC, id DESC`), `limit` of them after skipping `offset`.

        A page that continues the previous one (same filter, offset = previous offset + its
        length) starts from that page's last row instead of skipping `offset` rows again, so
        paging through 100,000 events costs the same per page at the end as at the start.
        """
        self.flush()
        where, args = f.where()
        cursor = self._cursors.get((f, offset)) if offset else None
        if cursor is not None:
            ts, row_id = cursor
            sql = f"{_EVENT_SELECT}{where} AND ts <= ? AND (ts < ? OR id < ?)"
            sql += " ORDER BY ts DESC, id DESC LIMIT ?"
            rows = self.db.execute(sql, [*args, ts, ts, row_id, limit]).fetchall()
        else:
            sql = f"{_EVENT_SELECT}{where} ORDER BY ts DESC, id DESC LIMIT ? OFFSET ?"
            rows = self.db.execute(sql, [*args, limit, offset]).fetchall()
        if rows:
            if len(self._cursors) > 10_000:
                self._cursors.clear()
            self._cursors[(f, offset + len(rows))] = (rows[-1][1], rows[-1][0])
        return rows

    def credits_used(self, account_id: str, start_us: int, end_us: int) -> int:
        """Credits in [start, end) for the account; cached without flushing the recorded
        requests (they cost no credits), which keeps `check` cheap."""
        key = (account_id, start_us, end_us)
        cached = self._credits.get(key)
        if cached is None:
            f = EventFilter(account_id, start_us=start_us, end_us=end_us)
            acc = self.grouped(f, (), ("credits",)).get(())
            cached = int(acc[1]) if acc else 0
            if len(self._credits) > 1_000:
                self._credits.clear()
            self._credits[key] = cached
        return cached

    # -- files and conversations --------------------------------------------------------------

    def files_count(self, account_id: str) -> int:
        sql = "SELECT COUNT(*) FROM files WHERE account_id = ?"
        return int(self.db.execute(sql, (account_id,)).fetchone()[0])

    def files_page(self, account_id: str, limit: int, offset: int) -> list[tuple[Any, ...]]:
        sql = (
            "SELECT id, filename, content_type, size_bytes, in_tok, out_tok, processed_ts"
            " FROM files WHERE account_id = ? ORDER BY processed_ts DESC, id DESC LIMIT ? OFFSET ?"
        )
        return self.db.execute(sql, (account_id, limit, offset)).fetchall()

    def conversations_count(self, account_id: str) -> int:
        sql = "SELECT COUNT(*) FROM conversations WHERE account_id = ?"
        return int(self.db.execute(sql, (account_id,)).fetchone()[0])

    def conversations_page(self, account_id: str, limit: int, offset: int) -> list[tuple[Any, ...]]:
        sql = (
            "SELECT id, title, message_count, in_tok, out_tok, created_ts, last_ts"
            " FROM conversations WHERE account_id = ? ORDER BY last_ts DESC, id DESC"
            " LIMIT ? OFFSET ?"
        )
        return self.db.execute(sql, (account_id, limit, offset)).fetchall()

    def explain(self, sql: str, args: Iterable[Any] = ()) -> list[str]:
        """SQLite's query plan (for tests that keep the queries indexed)."""
        return [str(r[-1]) for r in self.db.execute("EXPLAIN QUERY PLAN " + sql, list(args))]
