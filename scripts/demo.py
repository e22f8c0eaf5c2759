"""`make demo`: start the sandbox on a free loopback port, run every script in examples/ against
it, print their output, and stop the sandbox whatever happens.

The sandbox has its default dataset and the real rate limits (30 usage requests a minute per
key). Rate limits count per API key, so each script gets a key of its own on the same account,
and every run fits in its key's first minute: the demo takes seconds."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import time
from pathlib import Path

from scopix_sandbox import start

ROOT = Path(__file__).resolve().parent.parent
# key_01 "Production" and key_02 "Staging" see the same account (key_03 is revoked).
SCRIPT_KEYS = ("key_01", "key_02")
CLI_COMMANDS = [["usage", "dashboard"], ["usage", "chart", "--period-type", "day"]]


def main() -> int:
    sandbox = start()
    failed = []
    try:
        print(f"Sandbox at {sandbox.base_url} (the default dataset and the real rate limits)\n")
        env = {**os.environ, **sandbox.env}
        scripts = sorted((ROOT / "examples").glob("*.py"))
        for script, key_id in zip(scripts, itertools.cycle(SCRIPT_KEYS), strict=False):
            print(f"=== examples/{script.name} ({key_id}) " + "=" * max(0, 52 - len(script.name)))
            started = time.monotonic()
            script_env = {**env, "SCOPIX_API_KEY": sandbox.api_keys[key_id]}
            done = subprocess.run([sys.executable, str(script)], env=script_env, check=False)
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
