"""A sync in a process of its own, for the kill tests: `python sync_child.py URL BASE_URL PAGE
[--step]` (the API key from SCOPIX_API_KEY). After each committed page it prints one JSON line
(kind, pages, rows); with --step it then waits for a line on stdin before going on,
so the parent can kill it exactly at a page boundary. "ready" before the sync starts, "done"
when it completes."""

from __future__ import annotations

import json
import os
import sys

from scopix import SyncScopix
from scopix.usage_db import PageProgress, sync_usage


def main() -> None:
    url, base_url, page = sys.argv[1], sys.argv[2], int(sys.argv[3])
    step = "--step" in sys.argv

    def committed(progress: PageProgress) -> None:
        print(json.dumps({"kind": progress.kind, "pages": progress.pages, "rows": progress.rows}))
        sys.stdout.flush()
        if step and not sys.stdin.readline():
            os._exit(3)  # the parent went away

    with SyncScopix(api_key=os.environ["SCOPIX_API_KEY"], base_url=base_url, pacing=False) as c:
        print("ready", flush=True)
        sync_usage(c, url, page_size=page, on_page=committed)
    print("done", flush=True)


if __name__ == "__main__":
    main()
