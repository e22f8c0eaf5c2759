"""The async shell. `scripts/unasync.py` writes the sync shell (`_sync/`) from these files."""

__all__: list[str] = []  # a package of modules; import them by name
