"""The dataset's row schema: the tables' columns (names and SQL types), indexes, row types.

The generator makes rows in exactly this column order and the store creates its tables and
inserts from it, so a column is added here once. `lat_b` (the latency histogram bucket) is the
one column the store derives itself when it writes an event.
"""

from __future__ import annotations

from dataclasses import dataclass

from scopix_sandbox.catalog import Account, ApiKey

__all__ = [
    "CONVERSATIONS",
    "EVENTS",
    "FILES",
    "INDEXES",
    "TABLES",
    "ConversationRow",
    "Dataset",
    "EventRow",
    "FileRow",
    "Table",
]


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[tuple[str, str], ...]
    """(name, SQL type and constraints) of each column a row carries, in row order."""
    derived: tuple[tuple[str, str], ...] = ()
    """Columns the store computes from a row when it writes it, after the row's own."""

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.columns)

    def create(self) -> str:
        cols = ", ".join(f"{name} {sql}" for name, sql in (*self.columns, *self.derived))
        return f"CREATE TABLE {self.name} ({cols})"


EVENTS = Table(
    "events",
    (
        ("id", "INTEGER PRIMARY KEY"), ("ts", "INTEGER NOT NULL"),
        ("account_id", "TEXT NOT NULL"), ("key_id", "TEXT NOT NULL"),
        ("endpoint", "TEXT NOT NULL"), ("method", "TEXT NOT NULL"), ("op", "TEXT NOT NULL"),
        ("status", "INTEGER NOT NULL"), ("credits", "INTEGER NOT NULL"),
        ("in_tok", "INTEGER NOT NULL"), ("out_tok", "INTEGER NOT NULL"),
        ("latency", "REAL NOT NULL"), ("level", "TEXT"), ("units", "INTEGER NOT NULL"),
        ("conv_id", "INTEGER"), ("file_id", "INTEGER"),
        ("day", "INTEGER NOT NULL"), ("month", "INTEGER NOT NULL"),
    ),
    derived=(("lat_b", "INTEGER NOT NULL"),),
)  # fmt: skip
EventRow = tuple[
    int, int, str, str, str, str, str, int, int, int, int, float, str | None, int,
    int | None, int | None, int, int,
]  # fmt: skip

FILES = Table(
    "files",
    (
        ("id", "INTEGER PRIMARY KEY"), ("account_id", "TEXT NOT NULL"),
        ("key_id", "TEXT NOT NULL"), ("filename", "TEXT NOT NULL"),
        ("content_type", "TEXT NOT NULL"), ("size_bytes", "INTEGER NOT NULL"),
        ("in_tok", "INTEGER NOT NULL"), ("out_tok", "INTEGER NOT NULL"),
        ("uploaded_ts", "INTEGER NOT NULL"), ("processed_ts", "INTEGER NOT NULL"),
    ),
)  # fmt: skip
FileRow = tuple[int, str, str, str, str, int, int, int, int, int]

CONVERSATIONS = Table(
    "conversations",
    (
        ("id", "INTEGER PRIMARY KEY"), ("account_id", "TEXT NOT NULL"),
        ("key_id", "TEXT NOT NULL"), ("title", "TEXT NOT NULL"),
        ("created_ts", "INTEGER NOT NULL"), ("last_ts", "INTEGER NOT NULL"),
        ("message_count", "INTEGER NOT NULL"), ("in_tok", "INTEGER NOT NULL"),
        ("out_tok", "INTEGER NOT NULL"),
    ),
)  # fmt: skip
ConversationRow = tuple[int, str, str, str, int, int, int, int, int]

TABLES = (EVENTS, FILES, CONVERSATIONS)

# Created after loading (faster than indexing row by row). `id` is the rowid, so the (..., ts)
# indexes also serve the store's newest-first order `(ts DESC, id DESC)`.
INDEXES = """
CREATE INDEX events_account_ts ON events (account_id, ts);
CREATE INDEX events_key_ts ON events (key_id, ts);
CREATE INDEX events_account_op_ts ON events (account_id, op, ts);
CREATE INDEX events_key_op_ts ON events (key_id, op, ts);
CREATE INDEX files_account_processed ON files (account_id, processed_ts);
CREATE INDEX conversations_account_last ON conversations (account_id, last_ts);
ANALYZE;
"""


@dataclass(frozen=True)
class Dataset:
    """Every row of a generated dataset, with the accounts and keys it belongs to."""

    now_us: int
    start_us: int
    seed: int
    accounts: tuple[Account, ...]
    keys: tuple[ApiKey, ...]
    events: tuple[EventRow, ...]
    files: tuple[FileRow, ...]
    conversations: tuple[ConversationRow, ...]
