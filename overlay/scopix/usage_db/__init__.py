"""`scopix.usage_db`: the account's usage in your own database, incrementally and exactly once.

    from scopix import SyncScopix
    from scopix.usage_db import sync_usage

    with SyncScopix() as client:
        report = sync_usage(client, "sqlite:///scopix-usage.db")   # or postgresql://...
    print(report.rows_inserted, "new rows")

Tables: `usage_events`, `file_token_usage`, `conversation_token_usage` (one column per field,
keyed by id) and `scopix_sync_state` (per kind, API key digest and base URL: the watermark, the
run under way). Each page's rows and the position after it are committed in one transaction; a
run that stops anywhere (Ctrl-C, a kill, an error) goes on from there next time. Runs after the
first read only what is new: events from the last window's end less `lag`, files and
conversations (newest first) until items older than the last run's newest less `lag`.
PostgreSQL needs the `postgres` extra (psycopg 3).
"""

from .._public import publish
from ._errors import (
    DatabaseUnavailableError,
    DatabaseURLError,
    DriverMissingError,
    SchemaVersionError,
    SyncLockedError,
    UsageDBError,
)
from ._plan import DEFAULT_LAG, LARGEST_PAGE
from ._report import KindReport, PageProgress, SyncReport
from ._run import async_sync_usage, sync_usage
from ._tables import KINDS, SCHEMA_VERSION
from ._url import DEFAULT_URL

__all__ = [
    "DEFAULT_LAG",
    "DEFAULT_URL",
    "KINDS",
    "LARGEST_PAGE",
    "SCHEMA_VERSION",
    "DatabaseURLError",
    "DatabaseUnavailableError",
    "DriverMissingError",
    "KindReport",
    "PageProgress",
    "SchemaVersionError",
    "SyncLockedError",
    "SyncReport",
    "UsageDBError",
    "async_sync_usage",
    "sync_usage",
]

publish(__name__, __all__, globals())
