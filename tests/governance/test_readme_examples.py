"""The READMEs show the pytest example as CI runs it (examples/pytest, `make check-dist`)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples" / "pytest").glob("*.py"))


@pytest.mark.parametrize("readme", ["README.md", "sandbox/README.md"])
@pytest.mark.parametrize("example", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_the_readme_shows_the_example_verbatim(readme: str, example: Path) -> None:
    block = "```python\n" + example.read_text("utf-8") + "```\n"
    assert block in (ROOT / readme).read_text("utf-8"), f"{readme} differs from {example.name}"
