"""The async shell. `scripts/unasync.py` writes the sync shell (`_sync/`) from these files."""
