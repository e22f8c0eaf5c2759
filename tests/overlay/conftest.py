from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from tests.conftest import API_KEY

from .driver import Driver

MakeDriver = Callable[..., Driver]


@pytest.fixture(params=["sync", "async"])
def flavour(request: pytest.FixtureRequest) -> str:
    value: str = request.param
    return value


@pytest.fixture
def make_driver(httpserver: HTTPServer, flavour: str) -> Iterator[MakeDriver]:
    drivers: list[Driver] = []

    def make(**kwargs: Any) -> Driver:
        kwargs.setdefault("api_key", API_KEY)
        kwargs.setdefault("base_url", httpserver.url_for("/").rstrip("/"))
        kwargs.setdefault("max_retries", 0)
        kwargs.setdefault("pacing", False)
        driver = Driver(flavour, **kwargs)
        drivers.append(driver)
        return driver

    yield make
    for driver in drivers:
        driver.close()


@pytest.fixture
def driver(make_driver: MakeDriver) -> Driver:
    return make_driver()
