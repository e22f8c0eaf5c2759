"""A saved state row is read back as it was written, and one whose position is not a pager's
(written by something else) is refused naming the database, not resumed from."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from scopix import Position
from scopix.usage_db import UsageDBError
from scopix.usage_db._engine import open_database
from scopix.usage_db._state import Scope, State

SCOPE = Scope("sha256:test", "http://127.0.0.1:1")


def test_a_saved_state_reads_back_as_it_was(tmp_path: Path) -> None:
    db = open_database(f"sqlite:///{tmp_path / 'u.db'}", 0)
    try:
        at = dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC)
        position: Position = {
            "version": 1,
            "operation": "get_details",
            "filters": {},
            "offset": 7,
            "done": False,
        }
        state = State("events", SCOPE, run_start=at, position=position, last_id="evt_7")
        db.save_state(state)
        back = db.load_state("events", SCOPE)
        assert (back.run_start, back.position, back.last_id) == (at, position, "evt_7")
    finally:
        db.close()


@pytest.mark.parametrize(
    "saved",
    [
        '{"offset": 3}',
        "[1, 2]",
        '{"version": 1, "operation": "x", "filters": {}, "offset": "3", "done": false}',
    ],
)
def test_a_position_that_is_not_a_pagers_is_refused(tmp_path: Path, saved: str) -> None:
    db = open_database(f"sqlite:///{tmp_path / 'u.db'}", 0)
    try:
        db.save_state(State("events", SCOPE, last_id="evt_1"))
        db.query("UPDATE scopix_sync_state SET position = ?", (saved,))
        with pytest.raises(UsageDBError, match=r"u\.db holds a sync state of events that"):
            db.load_state("events", SCOPE)
    finally:
        db.close()
