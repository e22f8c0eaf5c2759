"""The topology tests' own tools: a missing server binary is a clear failure (never a skip), and
the independent checks on a gateway's log count as the gateways do."""

from __future__ import annotations

import pytest

from .daemons import binary
from .departures import leaky_bucket_excess, max_in_window


def test_a_missing_binary_fails_naming_make_install() -> None:
    with pytest.raises(
        RuntimeError, match=r"scopix-no-such-server is not installed: run `make install`"
    ):
        binary("scopix-no-such-server")


def test_max_in_window_counts_a_half_open_window() -> None:
    assert max_in_window([0.0, 0.5, 0.99, 1.0, 1.5], 1.0) == 3  # [0, 1) and [0.5, 1.5)
    assert max_in_window([0.0, 1.0, 2.0], 1.0) == 1
    assert max_in_window([], 1.0) == 0


def test_leaky_bucket_excess_as_nginx_counts_it() -> None:
    # rate 10/s: 11 at once is an excess of 10 (burst=10 lets it through), a 12th would be 11
    assert leaky_bucket_excess([0.0] * 11, rate=10) == 10
    assert leaky_bucket_excess([0.0] * 12, rate=10) == 11
    # one every 0.1 s drains as fast as it fills
    assert leaky_bucket_excess([i * 0.1 for i in range(50)], rate=10) == pytest.approx(0, abs=1e-9)
    # a second of rest drains 10
    assert leaky_bucket_excess([0.0] * 11 + [1.0] * 10, rate=10) == 10
