"""`reserve()` is as strict with its keywords as the API methods: a typo is a TypeError naming
it, with the accepted keywords, when `reserve()` is called, and nothing is sent."""

from __future__ import annotations

import asyncio

import pytest
from pytest_httpserver import HTTPServer

from scopix import InvalidParameterTypeError, Scopix, SyncScopix
from tests.conftest import API_KEY


def _refusal(call: object) -> str:
    assert isinstance(call, InvalidParameterTypeError)
    assert isinstance(call, TypeError)
    return str(call)


def test_sync_reserve_refuses_a_misspelt_keyword(httpserver: HTTPServer) -> None:
    with SyncScopix(api_key=API_KEY, base_url=httpserver.url_for("")) as client:
        with pytest.raises(InvalidParameterTypeError) as caught:
            client.usage.reserve(item_cont=3)  # type: ignore[call-arg]
        message = _refusal(caught.value)
        assert "reserve() got an unexpected keyword argument 'item_cont'" in message
        assert "did you mean 'item_count'?" in message
        for accepted in ("analysis_level", "wait", "ttl", "timeout", "max_retries"):
            assert accepted in message
        assert caught.value.parameter == "item_cont"
        with pytest.raises(TypeError, match="keyword arguments only"):
            client.usage.reserve("thorough")  # type: ignore[call-arg]
    assert httpserver.log == []


def test_async_reserve_refuses_a_misspelt_keyword(httpserver: HTTPServer) -> None:
    async def main() -> None:
        async with Scopix(api_key=API_KEY, base_url=httpserver.url_for("")) as client:
            with pytest.raises(InvalidParameterTypeError) as caught:
                client.usage.reserve(credits=5)  # type: ignore[call-arg]
            assert "reserve() got an unexpected keyword argument 'credits'" in str(caught.value)

    asyncio.run(main())
    assert httpserver.log == []
