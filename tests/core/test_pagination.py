"""`OffsetPages`, the paging rules of every `get_all_*` (and the CLI's export), on plain pages:
what it asks for next and when it stops."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from scopix._pagination import OffsetPages


@dataclass
class Page:
    items: list[int] = field(default_factory=list)
    has_more: bool = True
    limit: int = 10


def pages_of(page_size: int) -> OffsetPages[int]:
    return OffsetPages[int](page_size, lambda page: page.items)


def walk(pager: OffsetPages[int], answers: Sequence[Page]) -> list[dict[str, int]]:
    """Feed `answers` until the pager is done; the arguments it asked with."""
    asked = []
    for page in answers:
        assert not pager.done
        asked.append(pager.next_args())
        pager.take(page)
        if pager.done:
            break
    return asked


def test_asks_from_offset_zero_with_its_page_size() -> None:
    assert pages_of(25).next_args() == {"limit": 25, "offset": 0}


def test_offsets_advance_by_the_items_received() -> None:
    pager = pages_of(3)
    answers = [Page([1, 2, 3], limit=3), Page([4, 5, 6], limit=3), Page([7], False, 3)]
    assert walk(pager, answers) == [
        {"limit": 3, "offset": 0},
        {"limit": 3, "offset": 3},
        {"limit": 3, "offset": 6},
    ]
    assert pager.done
    assert pager.offset == 7


def test_take_returns_the_items_of_the_page() -> None:
    pager = pages_of(2)
    assert list(pager.take(Page([8, 9], limit=2))) == [8, 9]


def test_stops_when_the_server_says_there_is_no_more() -> None:
    pager = pages_of(2)
    pager.take(Page([1, 2], has_more=False, limit=2))
    assert pager.done


def test_stops_on_an_empty_page_even_if_the_server_says_more() -> None:
    pager = pages_of(2)
    pager.take(Page([], has_more=True, limit=2))
    assert pager.done


def test_stops_on_a_short_page_even_if_the_server_says_more() -> None:
    pager = pages_of(5)
    pager.take(Page([1, 2], has_more=True, limit=5))
    assert pager.done
    assert pager.offset == 2


def test_a_page_size_capped_by_the_server_is_not_short() -> None:
    pager = pages_of(100)
    pager.take(Page(list(range(20)), has_more=True, limit=20))  # the server used 20, not 100
    assert not pager.done
    assert pager.next_args() == {"limit": 100, "offset": 20}
    pager.take(Page([20, 21], has_more=True, limit=20))
    assert pager.done


def test_a_page_without_a_usable_limit_is_judged_by_the_size_asked() -> None:
    pager = pages_of(3)
    pager.take(Page([1, 2, 3], has_more=True, limit=0))
    assert not pager.done
    pager.take(Page([4, 5], has_more=True, limit=0))
    assert pager.done


def test_a_server_that_always_says_more_cannot_make_it_loop() -> None:
    pager = pages_of(2)
    full = [Page([i, i + 1], has_more=True, limit=2) for i in range(0, 10, 2)]
    asked = walk(pager, [*full, Page([], has_more=True, limit=2), *full])
    assert len(asked) == 6
    assert pager.done
