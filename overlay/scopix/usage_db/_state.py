"""A row of `scopix_sync_state`: how far a kind is synced for one API key and base URL."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from .. import Position

__all__ = ["Scope", "State", "key_digest"]


def key_digest(api_key: str) -> str:
    """What the state table keeps of an API key: enough to tell keys apart, never the key."""
    return "sha256:" + hashlib.sha256(api_key.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Scope:
    key_digest: str
    base_url: str


@dataclass
class State:
    """`watermark`: events: the end of the last complete run's window; files and conversations:
    the newest item it saw. `run_*`, `position` and `last_id` describe the run under way (None
    when there is none): its window, the newest item so far, the pager's position after the
    last committed page and the id of that page's last item."""

    kind: str
    scope: Scope
    watermark: dt.datetime | None = None
    run_start: dt.datetime | None = None
    run_end: dt.datetime | None = None
    run_high: dt.datetime | None = None
    position: Position | None = None
    last_id: str | None = None
    runs_completed: int = 0
    last_completed_at: dt.datetime | None = None
    updated_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))

    @property
    def under_way(self) -> bool:
        return self.position is not None

    def complete(self, now: dt.datetime) -> None:
        """The run is done: the window's end (events) or the newest item seen becomes the
        watermark, and nothing is left to resume."""
        if self.run_end is not None:
            self.watermark = self.run_end
        elif self.run_high is not None:
            self.watermark = max(self.watermark or self.run_high, self.run_high)
        self.run_start = self.run_end = self.run_high = None
        self.position = self.last_id = None
        self.runs_completed += 1
        self.last_completed_at = now
