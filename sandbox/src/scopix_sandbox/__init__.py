"""A local server of openapi.yaml over a deterministic synthetic dataset (demo, tests, benchmarks).

    python -m scopix_sandbox --port 0          # prints SCOPIX_BASE_URL=... and SCOPIX_API_KEY=...

    from scopix_sandbox import run_sandbox
    with run_sandbox(events=2_000, rate_limit=False) as sb:
        auth = {"Authorization": f"Bearer {sb.api_key}"}
        httpx.get(f"{sb.base_url}/v1/usage/summary", headers=auth)

See the package README (sandbox/README.md in the repository).
"""

from scopix_sandbox._version import __version__ as __version__
from scopix_sandbox.injector import FaultConfig
from scopix_sandbox.server import Sandbox, SandboxOptions, run_sandbox, start

__all__ = ["FaultConfig", "Sandbox", "SandboxOptions", "run_sandbox", "start"]
