"""What a usage sync refuses, before or instead of writing anything."""

from __future__ import annotations

__all__ = [
    "DatabaseURLError",
    "DatabaseUnavailableError",
    "DriverMissingError",
    "SchemaVersionError",
    "SyncLockedError",
    "UsageDBError",
]


class UsageDBError(Exception):
    """A usage sync could not use its database; nothing was written by this run."""


class DatabaseURLError(UsageDBError, ValueError):
    """The database URL has a scheme or shape this SDK does not sync into."""


class DriverMissingError(UsageDBError, ImportError):
    """The database needs a driver that is not installed (the message names the extra)."""


class DatabaseUnavailableError(UsageDBError):
    """The database cannot be opened or written: unreachable, refused, read-only, missing."""


class SchemaVersionError(UsageDBError):
    """The database's usage tables were made by a newer SDK (their schema is newer than ours)."""


class SyncLockedError(UsageDBError):
    """Another sync holds the database's sync lock (the message says who, since when)."""
