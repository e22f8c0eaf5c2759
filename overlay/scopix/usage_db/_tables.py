"""The tables a sync writes, their SQL for each dialect, and the schema's versions.

The columns are fixed here per schema version (a database is a contract with its readers): a
field the API adds later lands in `extra` (JSON) until a migration gives it a column.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "KINDS",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "STATE_TABLE",
    "VERSION_TABLE",
    "Column",
    "Table",
    "array_type",
    "migration_sql",
]

SqlType = Literal["text", "timestamp", "int", "bigint", "float", "json"]
_TYPES: dict[str, dict[SqlType, str]] = {
    # SQLite keeps date-times as ISO 8601 text in UTC (fixed width, so they sort and compare as
    # instants, and date()/strftime() read them).
    "sqlite": {
        "text": "TEXT",
        "timestamp": "TEXT",
        "int": "INTEGER",
        "bigint": "INTEGER",
        "float": "REAL",
        "json": "TEXT",
    },
    "postgresql": {
        "text": "TEXT",
        "timestamp": "TIMESTAMPTZ",
        "int": "INTEGER",
        "bigint": "BIGINT",
        "float": "DOUBLE PRECISION",
        "json": "JSONB",
    },
}


def array_type(dialect: str, sql_type: SqlType) -> str:
    return _TYPES[dialect][sql_type]


@dataclass(frozen=True)
class Column:
    name: str
    type: SqlType
    required: bool = False
    enum: bool = False  # the model may hold an enum member: its value is stored


@dataclass(frozen=True)
class Table:
    """A listing's table: its model's fields as columns, keyed by `key`, with `extra` (fields
    unknown to this schema, as JSON), `first_synced_at` (when a sync first wrote the row) and
    `synced_at` (when a sync last wrote it: first, or when its content changed)."""

    kind: str
    name: str
    key: str
    fields: tuple[Column, ...]
    indexes: tuple[str, ...]
    recency: tuple[str, ...]  # the fields the listing is ordered by, newest first

    @property
    def columns(self) -> tuple[str, ...]:
        return (*(c.name for c in self.fields), "extra", "first_synced_at", "synced_at")

    @property
    def types(self) -> tuple[SqlType, ...]:
        """The SQL type of each of `columns`."""
        return (*(c.type for c in self.fields), "json", "timestamp", "timestamp")

    def create(self, dialect: str) -> list[str]:
        types = _TYPES[dialect]
        cols = [
            f"{c.name} {types[c.type]}{' NOT NULL' if c.required else ''}"
            + (" PRIMARY KEY" if c.name == self.key else "")
            for c in self.fields
        ]
        cols += [
            f"extra {types['json']}",
            f"first_synced_at {types['timestamp']} NOT NULL",
            f"synced_at {types['timestamp']} NOT NULL",
        ]
        sql = [f"CREATE TABLE IF NOT EXISTS {self.name} (\n  " + ",\n  ".join(cols) + "\n)"]
        sql += [
            f"CREATE INDEX IF NOT EXISTS {self.name}_{c} ON {self.name} ({c})" for c in self.indexes
        ]
        return sql


EVENTS = Table(
    "events",
    "usage_events",
    "id",
    (
        Column("id", "text", True),
        Column("timestamp", "timestamp", True),
        Column("endpoint", "text", True),
        Column("method", "text", True),
        Column("operation_type", "text", True, enum=True),
        Column("status_code", "int", True),
        Column("credits_used", "bigint", True),
        Column("input_tokens", "bigint"),
        Column("output_tokens", "bigint"),
        Column("total_tokens", "bigint"),
        Column("latency_ms", "float"),
        Column("api_key_id", "text"),
    ),
    ("timestamp", "api_key_id", "operation_type"),
    ("timestamp",),
)
FILES = Table(
    "files",
    "file_token_usage",
    "file_id",
    (
        Column("file_id", "text", True),
        Column("filename", "text", True),
        Column("content_type", "text"),
        Column("size_bytes", "bigint"),
        Column("input_tokens", "bigint"),
        Column("output_tokens", "bigint"),
        Column("total_tokens", "bigint", True),
        Column("processed_at", "timestamp"),
    ),
    ("processed_at",),
    ("processed_at",),
)
CONVERSATIONS = Table(
    "conversations",
    "conversation_token_usage",
    "conversation_id",
    (
        Column("conversation_id", "text", True),
        Column("title", "text", True),
        Column("message_count", "int", True),
        Column("input_tokens", "bigint"),
        Column("output_tokens", "bigint"),
        Column("total_tokens", "bigint", True),
        Column("created_at", "timestamp"),
        Column("last_message_at", "timestamp"),
    ),
    ("last_message_at",),
    ("last_message_at", "created_at"),
)
KINDS: dict[str, Table] = {t.kind: t for t in (EVENTS, FILES, CONVERSATIONS)}

VERSION_TABLE = "scopix_schema"
STATE_TABLE = "scopix_sync_state"


def _state(dialect: str) -> list[str]:
    ts, js = _TYPES[dialect]["timestamp"], _TYPES[dialect]["json"]
    return [
        f"""CREATE TABLE IF NOT EXISTS {STATE_TABLE} (
  kind TEXT NOT NULL,
  key_digest TEXT NOT NULL,
  base_url TEXT NOT NULL,
  watermark {ts},
  run_start {ts},
  run_end {ts},
  run_high {ts},
  position {js},
  last_id TEXT,
  runs_completed INTEGER NOT NULL DEFAULT 0,
  last_completed_at {ts},
  updated_at {ts} NOT NULL,
  schema_version INTEGER NOT NULL,
  PRIMARY KEY (kind, key_digest, base_url)
)"""
    ]


def _v1(dialect: str) -> list[str]:
    sql = [f"CREATE TABLE IF NOT EXISTS {VERSION_TABLE} (version INTEGER NOT NULL)"]
    for table in KINDS.values():
        sql += table.create(dialect)
    return sql + _state(dialect)


# Version n's statements bring a database at n - 1 to n (version 0: no usage tables yet).
MIGRATIONS = {1: _v1}
SCHEMA_VERSION = max(MIGRATIONS)


def migration_sql(dialect: str, version: int) -> list[str]:
    return MIGRATIONS[version](dialect)
