"""Usage sync tests: a real PostgreSQL server per session (and xdist worker), SQLite files in
tmp_path, sandboxes with served requests recorded (so an account grows as it is used), and
helpers that read back what a sync wrote with the test's own SQL."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from scopix import SyncScopix
from scopix.usage_db import KINDS, LARGEST_PAGE
from scopix_sandbox.server import Sandbox, start
from tests.usage_db.postgres_server import PostgresServer

DIALECTS = ("sqlite", "postgresql")
LISTINGS = {
    "events": "get_all_details",
    "files": "get_all_file_tokens",
    "conversations": "get_all_conversation_tokens",
}
MakeUrl = Callable[[], str]


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    server = PostgresServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(params=DIALECTS)
def dialect(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


@pytest.fixture
def new_url(dialect: str, tmp_path: Path, request: pytest.FixtureRequest) -> MakeUrl:
    """Makes the URL of a new, empty database of the test's dialect."""
    count = iter(range(1_000))

    def make() -> str:
        if dialect == "sqlite":
            return f"sqlite:///{tmp_path / f'usage-{next(count)}.db'}"
        server: PostgresServer = request.getfixturevalue("postgres_server")
        return server.create_database()

    return make


@pytest.fixture
def url(new_url: MakeUrl) -> str:
    return new_url()


@pytest.fixture
def live_sandbox() -> Iterator[Sandbox]:
    """A sandbox of its own that records served requests (each is a new usage event), on the
    real clock, no rate limit, every response checked against the spec."""
    sb = start(events=300, rate_limit=False, record_requests=True, validate_responses=True)
    try:
        yield sb
        failures = sb.call(lambda app: app.validation_failures_total)
    finally:
        sb.stop()
    assert failures == 0, f"{failures} sandbox responses did not match the spec"


@pytest.fixture
def client(live_sandbox: Sandbox) -> Iterator[SyncScopix]:
    with SyncScopix(
        api_key=live_sandbox.api_key, base_url=live_sandbox.base_url, pacing=False
    ) as c:
        yield c


def details_requests(sb: Sandbox) -> int:
    """The listing requests the sandbox answered (its own count, not the client's)."""
    count: int = sb.stats()["by_operation"].get("get_details", 0)
    return count


def record_event(sb: Sandbox, when: dt.datetime, key_id: str = "key_01") -> None:
    """A usage event stamped `when` that arrives now (late, as the API's ingestion can)."""
    us = int(when.timestamp() * 1_000_000)

    def add(app: Any) -> None:
        app.store.record(us, app.store.keys[key_id], "/v1/search", "GET", 200, 12.5)
        app.store.flush()

    sb.call(add)


# -- reading back -------------------------------------------------------------------------------


def query(url: str, sql: str) -> list[dict[str, Any]]:
    """Rows as dicts, date-times as aware datetimes, JSON as Python values, whatever the
    dialect stores them as."""
    if url.startswith("sqlite"):
        conn = sqlite3.connect(url.removeprefix("sqlite:///"))
        try:
            cur = conn.execute(sql)
            names = [d[0] for d in cur.description]
            rows = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
        finally:
            conn.close()
        for row in rows:
            for name, value in row.items():
                if isinstance(value, str) and name in TIME_COLUMNS:
                    row[name] = dt.datetime.fromisoformat(value)
                elif isinstance(value, str) and name in ("extra", "position"):
                    row[name] = json.loads(value)
        return rows
    import psycopg
    from psycopg.rows import dict_row

    with psycopg.connect(url, row_factory=dict_row) as pg:
        return list(pg.execute(sql).fetchall())


TIME_COLUMNS = {
    "timestamp",
    "processed_at",
    "created_at",
    "last_message_at",
    "synced_at",
    "first_synced_at",
    "watermark",
    "run_start",
    "run_end",
    "run_high",
    "last_completed_at",
    "updated_at",
}


def as_row(item: Any, kind: str) -> dict[str, Any]:
    """What a table's row should hold for an item of the API: every field, enums as values."""
    row: dict[str, Any] = {}
    for column in KINDS[kind].fields:
        value = getattr(item, column.name)
        row[column.name] = getattr(value, "value", value)
    row["extra"] = item.additional_properties or None
    return row


def expected(client: SyncScopix, kind: str, **filters: Any) -> dict[str, dict[str, Any]]:
    """An independent listing of the API (the SDK's pager): every item as its row should read."""
    pager = getattr(client.usage, LISTINGS[kind])(page_size=LARGEST_PAGE, **filters)
    key = KINDS[kind].key
    return {getattr(item, key): as_row(item, kind) for item in pager}


def table_rows(url: str, kind: str) -> dict[str, dict[str, Any]]:
    """A table's rows by key, as the test's own SQL reads them (without the sync's times)."""
    table = KINDS[kind]
    rows = query(url, f"SELECT * FROM {table.name}")
    for row in rows:
        assert row.pop("first_synced_at") <= row.pop("synced_at")
    return {row[table.key]: row for row in rows}


def execute(url: str, sql: str) -> None:
    if url.startswith("sqlite"):
        conn = sqlite3.connect(url.removeprefix("sqlite:///"))
        with conn:
            conn.execute(sql)
        conn.close()
        return
    import psycopg

    with psycopg.connect(url, autocommit=True) as pg:
        pg.execute(sql)
