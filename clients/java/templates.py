"""Write the templateDir of the Java client (clients/java/config.yaml): openapi-generator's own
`native` ApiClient and JSON templates, read from the pinned generator's jar, without
jackson-datatype-jsr310, plus our templates (clients/java/templates/).

The `native` library registers jsr310's JavaTimeModule whatever `dateLibrary` says, and no
registry this project uses packages jsr310 (Debian ships jackson-core, -databind and
-annotations). Each edit below must match exactly once: when a generator upgrade changes these
lines, this fails naming the template instead of silently generating something else.

Usage: templates.py OUT_DIR
"""

from __future__ import annotations

import shutil
import sys
import zipfile
from collections.abc import Sequence
from pathlib import Path

import openapi_generator_cli

__all__ = ["EDITS", "write"]

HERE = Path(__file__).resolve().parent
JAR = Path(openapi_generator_cli.__file__).resolve().parent / "openapi-generator.jar"
IMPORT = "import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;\n"
# template in the jar -> (text to find, its replacement); RFC3339JavaTimeModule is ours.
EDITS: dict[str, list[tuple[str, str]]] = {
    "Java/libraries/native/ApiClient.mustache": [
        (IMPORT, ""),
        # RFC3339JavaTimeModule, registered on the next lines, reads and writes java.time.
        ("    mapper.registerModule(new JavaTimeModule());\n", ""),
    ],
    "Java/libraries/native/JSON.mustache": [
        (IMPORT, ""),
        (
            "        .addModule(new JavaTimeModule())\n",
            "        .addModule(new RFC3339JavaTimeModule())\n",
        ),
    ],
}


class TemplateChanged(Exception):
    """The pinned generator's template no longer has a line this script edits."""


def edited(name: str, text: str) -> str:
    for old, new in EDITS[name]:
        count = text.count(old)
        if count != 1:
            raise TemplateChanged(
                f"{JAR.name}:{name}: expected {old.strip()!r} once, found it {count} times;"
                " the generator changed: revisit clients/java/templates.py"
            )
        text = text.replace(old, new)
    return text


def write(out: Path) -> list[Path]:
    """The templates, under `out` as templateDir wants them; returns the files written."""
    if out.exists():
        shutil.rmtree(out)
    written = []
    with zipfile.ZipFile(JAR) as jar:
        for name in EDITS:
            target = out / name.removeprefix("Java/")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(edited(name, jar.read(name).decode("utf-8")), encoding="utf-8")
            written.append(target)
    for own in sorted((HERE / "templates").glob("*.mustache")):
        target = out / own.name
        shutil.copyfile(own, target)
        written.append(target)
    return written


def main(argv: Sequence[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        written = write(Path(argv[0]))
    except (TemplateChanged, KeyError, OSError) as err:
        print(f"templates.py: {err}", file=sys.stderr)
        return 1
    print(f"templates.py: {len(written)} templates in {argv[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
