"""DATABASE_URL: which database a sync writes to, parsed before anything is opened."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import unquote, urlsplit, urlunsplit

from ._errors import DatabaseURLError

__all__ = ["DEFAULT_URL", "SCHEMES", "Target", "parse_url"]

DEFAULT_URL = "sqlite:///scopix-usage.db"
# SQLAlchemy's spellings are accepted too, so one URL can serve both.
SCHEMES = {
    "sqlite": "sqlite",
    "postgresql": "postgresql",
    "postgres": "postgresql",
    "postgresql+psycopg": "postgresql",
}
Dialect = Literal["sqlite", "postgresql"]


@dataclass(frozen=True)
class Target:
    dialect: Dialect
    url: str  # as given (may hold a password: never shown)
    path: Path | None = None  # SQLite's file
    host: str = ""  # PostgreSQL's, for messages ("" when the driver picks: a local socket)
    port: int | None = None

    @property
    def conninfo(self) -> str:
        """What psycopg connects with: the URL in libpq's own scheme."""
        parts = urlsplit(self.url)
        return urlunsplit(("postgresql", *parts[1:]))

    @property
    def shown(self) -> str:
        """The URL without its password, for messages and summaries."""
        if self.dialect == "sqlite":
            return f"sqlite:///{self.path}"
        parts = urlsplit(self.url)
        netloc = parts.netloc
        if "@" in netloc:
            user, _, hostport = netloc.rpartition("@")
            netloc = f"{user.partition(':')[0]}@{hostport}"
        return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def parse_url(url: str) -> Target:
    """The target of `url`; a DatabaseURLError naming the accepted forms otherwise."""
    if not isinstance(url, str) or "://" not in url:
        raise DatabaseURLError(
            f"database URL {url!r} has no scheme; use sqlite:///PATH (a file, relative to the "
            "current directory; sqlite:////abs/path for an absolute one) or postgresql://..."
        )
    scheme = url.partition("://")[0].lower()
    dialect = SCHEMES.get(scheme)
    if dialect is None:
        raise DatabaseURLError(
            f"database URL scheme {scheme!r} is not supported; use one of "
            f"{', '.join(s + '://' for s in SCHEMES)}"
        )
    if dialect == "sqlite":
        rest = url.partition("://")[2]
        if not rest.startswith("/") or rest in ("/", "/:memory:") or "?" in rest:
            raise DatabaseURLError(
                f"SQLite URL {url!r} names no file; use sqlite:///PATH (relative) or "
                "sqlite:////abs/path (absolute), without query options"
            )
        return Target("sqlite", url, path=Path(unquote(rest[1:])))
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        raise DatabaseURLError(f"PostgreSQL URL has a bad port (host {parts.hostname!r})") from None
    return Target("postgresql", url, host=parts.hostname or "", port=port)
