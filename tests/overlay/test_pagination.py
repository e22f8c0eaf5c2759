"""get_all_*: every item of every page in order, filters on every page, and it always stops."""

from __future__ import annotations

import datetime as dt

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.bodies import example, page

from .driver import Driver

LISTS = [
    ("get_all_details", "/v1/usage/details", "UsageDetails", "events", "UsageEvent", "id"),
    (
        "get_all_file_tokens",
        "/v1/usage/tokens/files",
        "FileTokenUsageList",
        "files",
        "FileTokenUsage",
        "file_id",
    ),
    (
        "get_all_conversation_tokens",
        "/v1/usage/tokens/conversations",
        "ConversationTokenUsageList",
        "conversations",
        "ConversationTokenUsage",
        "conversation_id",
    ),
]


def _serve(
    httpserver: HTTPServer,
    path: str,
    schema: str,
    key: str,
    item: str,
    id_field: str,
    total: int,
    *,
    lie_has_more: bool = False,
    cap: int | None = None,
) -> list[dict[str, str]]:
    seen: list[dict[str, str]] = []

    def handler(request: Request) -> Response:
        args = dict(request.args)
        seen.append(args)
        limit, offset = int(args["limit"]), int(args["offset"])
        if cap is not None:
            limit = min(limit, cap)
        items = []
        for i in range(offset, min(offset + limit, total)):
            one = example(item)
            one[id_field] = f"id_{i:05d}"
            items.append(one)
        body = page(
            schema, key, items, offset=offset, has_more=lie_has_more or offset + limit < total
        )
        body["limit"] = limit
        return Response(__import__("json").dumps(body), content_type="application/json")

    httpserver.expect_request(path).respond_with_handler(handler)
    return seen


@pytest.mark.parametrize(("method", "path", "schema", "key", "item", "id_field"), LISTS)
@pytest.mark.parametrize(("total", "page_size"), [(0, 10), (7, 10), (10, 10), (23, 10), (5, 1)])
def test_every_item_once_in_order(
    httpserver: HTTPServer,
    driver: Driver,
    method: str,
    path: str,
    schema: str,
    key: str,
    item: str,
    id_field: str,
    total: int,
    page_size: int,
) -> None:
    seen = _serve(httpserver, path, schema, key, item, id_field, total)
    items = driver.collect(method, page_size=page_size)
    assert [getattr(x, id_field) for x in items] == [f"id_{i:05d}" for i in range(total)]
    assert [int(s["offset"]) for s in seen] == list(range(0, max(total, 1), page_size))[: len(seen)]
    assert all(s["limit"] == str(page_size) for s in seen)


def test_filters_go_to_every_page(httpserver: HTTPServer, driver: Driver) -> None:
    seen = _serve(httpserver, "/v1/usage/details", "UsageDetails", "events", "UsageEvent", "id", 25)
    start = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    items = driver.collect(
        "get_all_details",
        start_date=start,
        api_key_id="key_01",
        operation_type="chat",
        page_size=10,
    )
    assert len(items) == 25
    assert len(seen) == 3
    for args in seen:
        assert args["start_date"] == "2026-11-01T00:00:00+00:00"
        assert (args["api_key_id"], args["operation_type"]) == ("key_01", "chat")


def test_stops_on_empty_pages_that_claim_more(httpserver: HTTPServer, driver: Driver) -> None:
    seen = _serve(
        httpserver,
        "/v1/usage/details",
        "UsageDetails",
        "events",
        "UsageEvent",
        "id",
        0,
        lie_has_more=True,
    )
    assert driver.collect("get_all_details") == []
    assert len(seen) == 1


def test_stops_on_a_short_page_that_claims_more(httpserver: HTTPServer, driver: Driver) -> None:
    seen = _serve(
        httpserver,
        "/v1/usage/details",
        "UsageDetails",
        "events",
        "UsageEvent",
        "id",
        15,
        lie_has_more=True,
    )
    assert len(driver.collect("get_all_details", page_size=10)) == 15
    assert len(seen) == 2


def test_a_server_that_caps_the_page_size_is_followed(
    httpserver: HTTPServer, driver: Driver
) -> None:
    seen = _serve(
        httpserver, "/v1/usage/details", "UsageDetails", "events", "UsageEvent", "id", 25, cap=10
    )
    assert len(driver.collect("get_all_details", page_size=50)) == 25
    assert [s["offset"] for s in seen] == ["0", "10", "20"]


def test_lazy_and_early_break(httpserver: HTTPServer, driver: Driver) -> None:
    seen = _serve(
        httpserver, "/v1/usage/details", "UsageDetails", "events", "UsageEvent", "id", 100
    )
    pager = driver.client.usage.get_all_details(page_size=10)
    assert seen == []  # nothing is fetched before iteration
    items = driver.collect("get_all_details", stop_after=15, page_size=10)
    assert len(items) == 15
    assert len(seen) == 2
    del pager
