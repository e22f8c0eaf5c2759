"""Write openapi.yaml as the JSON the overlay reads at run time (bounds, enums, defaults, limits).

The overlay ships no YAML parser, so `make generate` writes this copy and `make check-generated`
fails when it drifts from the spec.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml


def main(src: str, dst: str) -> None:
    spec = yaml.safe_load(Path(src).read_text(encoding="utf-8"))
    text = json.dumps(spec, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    Path(dst).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
