"""`make clients`: run the TypeScript client's check (clients/typescript/build/check.mjs) against a
local sandbox, then confirm from the sandbox's side that every operation of the spec was called
and that every answer matched the spec."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from scopix_sandbox.server import start

ROOT = Path(__file__).resolve().parent.parent
CHECK = ROOT / "clients" / "typescript" / "build" / "check.mjs"


def operation_ids() -> set[str]:
    spec = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))
    return {
        op["operationId"]
        for item in spec["paths"].values()
        for op in item.values()
        if isinstance(op, dict) and "operationId" in op
    }


def main() -> int:
    if not CHECK.exists():
        print(f"check_ts_client: {CHECK} is missing: run `make clients`", file=sys.stderr)
        return 2
    # validate_responses: the sandbox checks each answer against the spec too (a mismatch is a 500).
    sandbox = start(rate_limit=False, record_requests=False, validate_responses=True)
    try:
        env = {
            **os.environ,
            "SCOPIX_BASE_URL": sandbox.base_url,
            "SCOPIX_API_KEY": sandbox.api_key,
            "SCOPIX_API_KEY_NO_PLAN": sandbox.api_keys["key_05"],  # an account without a plan
        }
        done = subprocess.run(["node", str(CHECK)], env=env, check=False, timeout=120)
        stats = sandbox.stats()
    finally:
        sandbox.stop()
    problems = []
    missed = operation_ids() - set(stats["by_operation"])
    if missed:
        problems.append(f"operations never called: {', '.join(sorted(missed))}")
    if stats["response_validation_failures"]:
        problems.append(f"{stats['response_validation_failures']} answers did not match the spec")
    if done.returncode:
        problems.append(f"node exited {done.returncode}")
    served = ", ".join(f"{k}: {v}" for k, v in sorted(stats["by_status"].items()))
    print(f"check_ts_client: sandbox served {stats['requests']} requests ({served})")
    for problem in problems:
        print(f"check_ts_client: FAILED: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
