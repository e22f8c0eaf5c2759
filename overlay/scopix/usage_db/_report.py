"""What a sync reports: per page (for progress bars) and at the end (for logs and `--json`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

from .. import Position, RateLimitInfo

__all__ = ["KindReport", "PageProgress", "SyncReport"]


@dataclass(frozen=True)
class PageProgress:
    """One page committed: its rows are in the database with the position after it."""

    kind: str
    pages: int  # pages committed so far in this run of the kind
    rows: int  # items on this page
    inserted: int
    updated: int  # rows whose content changed
    total: int | None  # the listing's size, as the server counts it
    rate_limit: RateLimitInfo
    waited: float  # seconds this page waited for the rate limit or retries
    # The kind's run ended with this page: its listing's end, or (files and conversations)
    # items already synced, so the rest of `total` is not read.
    complete: bool = False


@dataclass
class KindReport:
    kind: str
    table: str
    pages: int = 0
    rows_seen: int = 0
    rows_inserted: int = 0
    rows_updated: int = 0
    resumed: bool = False  # went on from an interrupted run's committed position
    restarts: int = 0  # times the listing had moved under a resumed position: re-read
    complete: bool = False
    window_start: dt.datetime | None = None  # events: the range this run read
    window_end: dt.datetime | None = None
    watermark: dt.datetime | None = None  # after the run
    position: Position | None = None  # where an unfinished run stopped (None: complete)
    waited: float = 0.0

    def to_dict(self) -> dict[str, object]:
        return {k: _plain(v) for k, v in asdict(self).items()}


@dataclass
class SyncReport:
    database: str  # the URL without its password
    kinds: dict[str, KindReport] = field(default_factory=dict)
    elapsed: float = 0.0

    @property
    def pages(self) -> int:
        return sum(k.pages for k in self.kinds.values())

    @property
    def rows_inserted(self) -> int:
        return sum(k.rows_inserted for k in self.kinds.values())

    @property
    def rows_updated(self) -> int:
        return sum(k.rows_updated for k in self.kinds.values())

    @property
    def waited(self) -> float:
        return sum(k.waited for k in self.kinds.values())

    def to_dict(self) -> dict[str, object]:
        return {
            "database": self.database,
            "pages": self.pages,
            "rows_inserted": self.rows_inserted,
            "rows_updated": self.rows_updated,
            "waited": round(self.waited, 3),
            "elapsed": round(self.elapsed, 3),
            "kinds": {name: k.to_dict() for name, k in self.kinds.items()},
        }


def _plain(value: object) -> object:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 3)
    return value
