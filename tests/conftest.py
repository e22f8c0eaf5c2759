from __future__ import annotations

import pytest

from scopix import Scopix, SyncScopix

API_KEY = "scopix_test_key_0123456789"


@pytest.fixture(autouse=True)
def _no_scopix_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never pick up a developer's real key or URL."""
    monkeypatch.delenv("SCOPIX_API_KEY", raising=False)
    monkeypatch.delenv("SCOPIX_BASE_URL", raising=False)


__all__ = ["API_KEY", "Scopix", "SyncScopix"]
