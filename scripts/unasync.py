"""Write the sync shell (overlay/scopix/_sync/) from the async one (overlay/scopix/_async/).

Sync and async logic is written once: the async files are the source, and their sync twins are
derived by renaming code tokens (never text in strings or comments) and dropping async/await.
`--check` fails when the committed sync files differ from what this writes.
"""

from __future__ import annotations

import io
import subprocess
import sys
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "overlay" / "scopix" / "_async"
DST = ROOT / "overlay" / "scopix" / "_sync"

RENAMES = {
    "AsyncClient": "Client",
    "AsyncIterator": "Iterator",
    "AsyncPager": "SyncPager",
    "AsyncFetch": "SyncFetch",
    "ag_frame": "gi_frame",
    "Scopix": "SyncScopix",
    "AsyncAPI": "SyncAPI",
    "AsyncResource": "SyncResource",
    "__aenter__": "__enter__",
    "__aexit__": "__exit__",
    "__aiter__": "__iter__",
    "__anext__": "__next__",
    "StopAsyncIteration": "StopIteration",
    "aclose": "close",
    "as_raw_async": "as_raw_sync",
    "AsyncLimiter": "SyncLimiter",
    "AsyncWake": "SyncWake",
    "async_sleep": "sync_sleep",
    "async_shielded": "sync_shielded",
    "async_paced": "sync_paced",
    "async_redis_from_url": "sync_redis_from_url",
    "AsyncRedisLimiter": "SyncRedisLimiter",
    "async_limiter": "sync_limiter",
    "AsyncLocalLedger": "SyncLocalLedger",
    "async_local_ledger": "sync_local_ledger",
    "AsyncHold": "SyncHold",
    "AsyncReservation": "SyncReservation",
    "AsyncRedisLedger": "SyncRedisLedger",
    "AsyncRenewal": "SyncRenewal",
}
HEADER = "# Generated from _async/{name} by scripts/unasync.py; edit that, then make generate.\n"


def convert(source: str) -> str:
    lines = source.splitlines(keepends=True)
    edits: list[tuple[int, int, int, str]] = []  # row, start col, end col, new text
    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    for i, tok in enumerate(tokens):
        if tok.type == tokenize.STRING and tok.string[1:-1] in RENAMES:  # names in __all__
            (row, start), (_, end) = tok.start, tok.end
            edits.append((row, start, end, f'"{RENAMES[tok.string[1:-1]]}"'))
        if tok.type != tokenize.NAME:
            continue
        (row, start), (_, end) = tok.start, tok.end
        if tok.string in ("async", "await"):
            nxt = tokens[i + 1]
            edits.append((row, start, nxt.start[1] if nxt.start[0] == row else end, ""))
        elif tok.string in RENAMES:
            edits.append((row, start, end, RENAMES[tok.string]))
    for row, start, end, text in sorted(edits, reverse=True):
        line = lines[row - 1]
        lines[row - 1] = line[:start] + text + line[end:]
    return "".join(lines)


def render() -> dict[str, str]:
    out = {}
    for path in sorted(SRC.glob("*.py")):
        text = convert(path.read_text(encoding="utf-8"))
        out[path.name] = HEADER.format(name=path.name) + text
    return out


def _tidy(folder: Path) -> None:
    ruff = str(Path(sys.executable).parent / "ruff")
    subprocess.run([ruff, "check", "--fix-only", "--quiet", str(folder)], check=True, cwd=ROOT)
    subprocess.run([ruff, "format", "--quiet", str(folder)], check=True, cwd=ROOT)


def main(argv: list[str]) -> int:
    check = "--check" in argv
    target = DST
    if check:
        import tempfile

        target = Path(tempfile.mkdtemp(prefix="unasync-", dir=ROOT / "overlay" / "scopix"))
    target.mkdir(exist_ok=True)
    try:
        for name, text in render().items():
            (target / name).write_text(text, encoding="utf-8")
        _tidy(target)
        if not check:
            return 0
        stale = [
            name
            for name in render()
            if not (DST / name).exists() or (DST / name).read_text() != (target / name).read_text()
        ]
        extra = {p.name for p in DST.glob("*.py")} - set(render())
        if stale or extra:
            print(
                f"overlay/scopix/_sync is stale ({', '.join(stale + sorted(extra))}): make generate"
            )
            return 1
        print("overlay/scopix/_sync matches overlay/scopix/_async")
        return 0
    finally:
        if check:
            import shutil

            shutil.rmtree(target)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
