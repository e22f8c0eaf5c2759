"""Parsing a 1,000-event `UsageDetails` page: json.loads alone, json.loads + the SDK's checking
parser (what `get_details` does with a body), and json.loads + the generated `from_dict` (which
checks nothing), in alternating rounds.

    python -m bench parse
"""

from __future__ import annotations

import json

from bench._common import Result, cpu_per_call, info, interleaved, median, paired_ratio
from bench.percall import body
from scopix import _parse
from scopix_api.models import UsageDetails

EVENTS, ROUNDS, BATCH = 1000, 15, 8


def measure(rounds: int = ROUNDS, batch: int = BATCH) -> dict[str, list[float]]:
    content = body(EVENTS)
    parser = _parse.parser_for("UsageDetails")
    assert len(parser(json.loads(content)).events) == EVENTS
    contenders = {
        "json_loads": cpu_per_call(lambda: json.loads(content), batch),
        "sdk": cpu_per_call(lambda: parser(json.loads(content)), batch),
        "generated": cpu_per_call(lambda: UsageDetails.from_dict(json.loads(content)), batch),
    }
    interleaved(contenders, 2)
    return interleaved(contenders, rounds)


def results(samples: dict[str, list[float]] | None = None) -> list[Result]:
    s = samples if samples is not None else measure()

    def ms(name: str) -> str:
        return f"{median(s[name]) * 1e3:.2f} ms"

    return [
        info(
            f"{EVENTS:,}-event page: json.loads + SDK parse / json.loads",
            paired_ratio(s["sdk"], s["json_loads"]),
            f"json.loads {ms('json_loads')}, + parse {ms('sdk')}; "
            f"+ generated from_dict {ms('generated')} "
            f"(x{paired_ratio(s['generated'], s['json_loads']):.2f})",
        )
    ]


def main() -> None:
    for row in results():
        print(f"{row.name}: {row.measured}  ({row.raw})")


if __name__ == "__main__":
    main()
