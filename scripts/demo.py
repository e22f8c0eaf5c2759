"""`make demo`: start the sandbox on a free loopback port, run every script in examples/ against
it, print their output, and stop the sandbox whatever happens."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from scopix_sandbox.server import start

ROOT = Path(__file__).resolve().parent.parent
# A small account so the examples' full listings stay readable, and a 10-second rate-limit window
# (the real one is 60 s) so a newcomer sees pacing at work without waiting minutes.
DEMO_OPTIONS = {"events": 150, "window_seconds": 10.0}
CLI_COMMANDS = [["usage", "dashboard"], ["usage", "chart", "--period-type", "day"]]


def main() -> int:
    sandbox = start(**DEMO_OPTIONS)
    failed = []
    try:
        print(f"Sandbox at {sandbox.base_url} (rate limits of the spec, 10-second window)\n")
        env = {
            **os.environ,
            "SCOPIX_BASE_URL": sandbox.base_url,
            "SCOPIX_API_KEY": sandbox.api_key,
        }
        for script in sorted((ROOT / "examples").glob("*.py")):
            print(f"=== examples/{script.name} " + "=" * max(0, 60 - len(script.name)))
            started = time.monotonic()
            done = subprocess.run([sys.executable, str(script)], env=env, check=False)
            took = time.monotonic() - started
            print(f"--- {script.name}: exit {done.returncode} in {took:.1f} s\n")
            if done.returncode:
                failed.append(script.name)
        # The command line (the `cli` extra) on the same sandbox: the dashboard and the chart.
        for command in CLI_COMMANDS:
            shown = "scopix " + " ".join(command)
            print(f"=== {shown} " + "=" * max(0, 70 - len(shown)), flush=True)
            cli = [sys.executable, "-m", "scopix.cli", *command]
            if subprocess.run(cli, env=env, check=False).returncode:
                failed.append(shown)
            print(flush=True)
    finally:
        stats = sandbox.stats()
        sandbox.stop()
    served, by_status = stats["requests"], stats["by_status"]
    print(f"Sandbox served {served} requests: {by_status} (429s: {stats['rate_limited']})")
    if failed:
        print(f"FAILED: {', '.join(failed)}")
        return 1
    print("All examples ran.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
