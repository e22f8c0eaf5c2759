"""Pagers as objects: page by page with each page's request id and rate limit, a position that
survives JSON and resumes the walk, and a second iteration that repeats the walk."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

import scopix
from scopix import AsyncPager, Page, SyncPager
from tests.bodies import example, page

from .driver import Driver

TOTAL = 23


def _serve(httpserver: HTTPServer, total: int = TOTAL) -> list[dict[str, str]]:
    """/v1/usage/details with `total` events id_00000..., X-Request-Id req_<offset> and a
    remaining rate limit that counts down."""
    seen: list[dict[str, str]] = []

    def handler(request: Request) -> Response:
        args = dict(request.args)
        seen.append(args)
        limit, offset = int(args["limit"]), int(args["offset"])
        events = [
            {**example("UsageEvent"), "id": f"id_{i:05d}"}
            for i in range(offset, min(offset + limit, total))
        ]
        more = offset + limit < total
        body = page("UsageDetails", "events", events, offset=offset, has_more=more)
        body.update(limit=limit, total=total)
        headers = {
            "X-Request-Id": f"req_{offset}",
            "X-RateLimit-Limit": "30",
            "X-RateLimit-Remaining": str(30 - len(seen)),
            "X-RateLimit-Reset": "60",
        }
        return Response(json.dumps(body), content_type="application/json", headers=headers)

    httpserver.expect_request("/v1/usage/details").respond_with_handler(handler)
    return seen


def _pages(driver: Driver, pager: Any, stop_after: int | None = None) -> list[Page[Any]]:
    if isinstance(pager, SyncPager):
        out = []
        for p in pager.pages():
            out.append(p)
            if stop_after is not None and len(out) >= stop_after:
                break
        return out

    async def gather() -> list[Page[Any]]:
        out = []
        async for p in pager.pages():
            out.append(p)
            if stop_after is not None and len(out) >= stop_after:
                break
        await pager.aclose()
        return out

    return list(driver.run(gather()))


def _items(driver: Driver, pager: Any, stop_after: int | None = None) -> list[str]:
    if isinstance(pager, SyncPager):
        ids = []
        for event in pager:
            ids.append(event.id)
            if stop_after is not None and len(ids) >= stop_after:
                break
        return ids

    async def gather() -> list[str]:
        ids = []
        async for event in pager:
            ids.append(event.id)
            if stop_after is not None and len(ids) >= stop_after:
                break
        await pager.aclose()
        return ids

    return list(driver.run(gather()))


ALL = [f"id_{i:05d}" for i in range(TOTAL)]


def test_pages_carry_items_has_more_request_id_and_rate_limit(
    httpserver: HTTPServer, driver: Driver
) -> None:
    _serve(httpserver)
    pager = driver.client.usage.get_all_details(page_size=10)
    assert isinstance(pager, SyncPager | AsyncPager)
    pages = _pages(driver, pager)
    assert [len(p.items) for p in pages] == [10, 10, 3]
    assert [p.offset for p in pages] == [0, 10, 20]
    assert [p.has_more for p in pages] == [True, True, False]
    assert [p.request_id for p in pages] == ["req_0", "req_10", "req_20"]
    assert [p.rate_limit.remaining for p in pages] == [29, 28, 27]
    assert {p.total for p in pages} == {TOTAL}
    assert [e.id for p in pages for e in p.items] == ALL
    assert all(p.elapsed >= 0 for p in pages)


def test_iterating_twice_repeats_the_walk(httpserver: HTTPServer, driver: Driver) -> None:
    seen = _serve(httpserver)
    pager = driver.client.usage.get_all_details(page_size=10)
    assert _items(driver, pager) == ALL
    assert _items(driver, pager) == ALL
    assert [p.items[0].id for p in _pages(driver, pager)] == ["id_00000", "id_00010", "id_00020"]
    assert [s["offset"] for s in seen] == ["0", "10", "20"] * 3
    end_dates = {s["end_date"] for s in seen}
    assert len(end_dates) == 1  # every walk of one pager lists the same snapshot


@pytest.mark.parametrize("stop_after", [0, 1, 10, 15, TOTAL])
def test_position_survives_json_and_resumes_after_the_last_item(
    httpserver: HTTPServer, driver: Driver, stop_after: int
) -> None:
    seen = _serve(httpserver)
    start = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    pager = driver.client.usage.get_all_details(
        page_size=10, start_date=start, operation_type="chat"
    )
    first = _items(driver, pager, stop_after) if stop_after else []
    saved = json.dumps(pager.position)
    position = json.loads(saved)
    assert position["offset"] == stop_after
    assert position["done"] is (stop_after == TOTAL)
    later = driver.client.usage.get_all_details(page_size=10, resume_from=position)
    rest = _items(driver, later)
    assert first + rest == ALL
    for args in seen:  # the resumed walk keeps the filters and the snapshot
        assert args["start_date"] == "2026-11-01T00:00:00+00:00"
        assert args["operation_type"] == "chat"
    assert len({s["end_date"] for s in seen}) == 1


def test_position_after_pages_resumes_after_the_last_page(
    httpserver: HTTPServer, driver: Driver
) -> None:
    _serve(httpserver)
    pager = driver.client.usage.get_all_details(page_size=10)
    first = _pages(driver, pager, stop_after=1)
    assert pager.position["offset"] == 10
    later = driver.client.usage.get_all_details(page_size=10, resume_from=pager.position)
    assert [e.id for e in first[0].items] + _items(driver, later) == ALL


@pytest.mark.parametrize(
    ("change", "error", "words"),
    [
        (lambda p: {**p, "version": 99}, ValueError, ["resume_from", "version"]),
        (lambda p: {**p, "operation": "get_file_tokens"}, ValueError, ["get_file_tokens"]),
        (lambda p: {**p, "offset": -1}, ValueError, ["offset"]),
        (lambda p: "offset=5", TypeError, ["resume_from", "dict"]),
    ],
)
def test_a_bad_position_is_refused_before_sending(
    httpserver: HTTPServer,
    driver: Driver,
    change: Callable[[Mapping[str, object]], Any],  # a bad position, of any type
    error: type[Exception],
    words: list[str],
) -> None:
    position = driver.client.usage.get_all_details().position
    with pytest.raises(error) as caught:
        driver.client.usage.get_all_details(resume_from=change(position))
    assert isinstance(caught.value, scopix.ScopixError)
    for word in words:
        assert word in str(caught.value)
    assert httpserver.log == []


def test_resuming_with_other_filters_is_refused(httpserver: HTTPServer, driver: Driver) -> None:
    position = driver.client.usage.get_all_details(operation_type="chat").position
    with pytest.raises(scopix.InvalidParameterError, match="operation_type"):
        driver.client.usage.get_all_details(operation_type="search", resume_from=position)
    with pytest.raises(scopix.InvalidParameterError, match="api_key_id"):
        driver.client.usage.get_all_details(api_key_id="key_01", resume_from=position)
    same = driver.client.usage.get_all_details(operation_type="chat", resume_from=position)
    assert same.position == position
    assert httpserver.log == []
