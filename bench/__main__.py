"""`make bench`: every benchmark, printed as ratios measured side by side in this run."""

from __future__ import annotations

from bench import ratelimit


def main() -> None:
    ratelimit.main()


if __name__ == "__main__":
    main()
