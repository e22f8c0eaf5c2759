from __future__ import annotations

from collections.abc import Iterator

import pytest

from scopix import Scopix, SyncScopix
from tests.redis_server import RedisServer

API_KEY = "scopix_test_key_0123456789"


@pytest.fixture(autouse=True)
def _no_scopix_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never pick up a developer's real key or URL."""
    monkeypatch.delenv("SCOPIX_API_KEY", raising=False)
    monkeypatch.delenv("SCOPIX_BASE_URL", raising=False)


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


__all__ = ["API_KEY", "Scopix", "SyncScopix"]
