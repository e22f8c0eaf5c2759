"""`scopix`, the command line of the SDK (`pip install 'scopix[cli]'`).

scopix usage check --analysis-level thorough --items 10   # exit 0: go, 1: not enough credits
scopix usage dashboard
scopix usage export events.jsonl                         # Ctrl-C, then --resume

Exit status:
  0    done (for `check`: the operation can proceed)
  1    `check`: the operation cannot proceed
  2    input: a bad option or argument, a value the API does not accept, an unwritable file
  3    authentication: no API key, or it was refused (401, 403)
  4    rate limit: 429, or a wait for the rate limit longer than --max-wait
  5    network: the server could not be reached, the connection broke, or it timed out
  6    any other API error (5xx, other statuses, a response not matching the spec)
  130  interrupted (Ctrl-C)

click and rich (the `cli` extra) are imported only here, never by `import scopix`.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> None:
    """The `scopix` console script."""
    try:
        import click  # noqa: F401
        import rich  # noqa: F401
    except ImportError as exc:
        missing = exc.name or "click/rich"
        # the one error format (`Class: message`), as cli/errors.py writes it once click is here
        sys.stderr.write(
            f"ImportError: the command line needs {missing}: pip install 'scopix[cli]'\n"
        )
        sys.exit(2)
    from .app import cli

    cli.main(args=list(argv) if argv is not None else None, prog_name="scopix")


__all__ = ["main"]
