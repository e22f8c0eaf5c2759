"""Prove that a new endpoint needs only openapi.yaml and `make generate`: add a throwaway tag and
operation to a copy of the spec, generate the raw client and the resource layer from it into a
temporary copy of the package, then use the new method as a user would (sync and async, against a
loopback server) and type-check a user script on it with mypy --strict (a planted misspelt enum
value must be reported).

    python scripts/check_new_endpoint.py
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

OPERATION = {
    "operationId": "count_widgets",
    "tags": ["Widget stats"],
    "summary": "Count the widgets of a colour",
    "x-rate-limit": {"bucket": "usage", "limit": 30, "window_seconds": 60},
    "parameters": [
        {
            "name": "colour",
            "in": "query",
            "schema": {"$ref": "#/components/schemas/WidgetColour"},
        },
        {
            "name": "limit",
            "in": "query",
            "schema": {"type": "integer", "minimum": 1, "maximum": 5, "default": 2},
        },
    ],
    "responses": {
        "200": {
            "description": "The count.",
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/WidgetCount"}}
            },
        }
    },
}
SCHEMAS = {
    "WidgetColour": {"type": "string", "enum": ["red", "blue"], "default": "red"},
    "WidgetCount": {
        "type": "object",
        "required": ["count", "colour"],
        "properties": {"count": {"type": "integer"}, "colour": {"type": "string"}},
    },
}

USER_SCRIPT = """
import asyncio
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

from scopix import Scopix, SyncScopix
from scopix.types import WidgetCount


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        assert self.path == "/v1/widgets/count?colour=blue&limit=2", self.path
        assert self.headers["Authorization"] == "Bearer scopix_check_key"
        body = json.dumps({"count": 3, "colour": "blue"}).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


server = HTTPServer(("127.0.0.1", 0), Handler)
threading.Thread(target=server.serve_forever, daemon=True).start()
url = f"http://127.0.0.1:{server.server_address[1]}"

client = SyncScopix(api_key="scopix_check_key", base_url=url)
result: WidgetCount = client.widget_stats.count_widgets(colour="blue")
assert isinstance(result, WidgetCount) and result.count == 3, result
try:
    client.widget_stats.count_widgets(colour="blue", limit=9)
except Exception as exc:  # checked against the spec's bound before anything is sent
    assert "limit" in str(exc), exc
else:
    raise AssertionError("limit=9 was not refused")


async def main() -> int:
    async with Scopix(api_key="scopix_check_key", base_url=url) as aclient:
        answer = await aclient.widget_stats.count_widgets(colour="blue")
        return answer.count


assert asyncio.run(main()) == 3
print("count_widgets works, sync and async")
"""
PLANTED = """
from scopix import SyncScopix

client = SyncScopix(api_key="scopix_check_key")
client.widget_stats.count_widgets(colour="purple")
"""


def run(*args: str | Path, env: dict[str, str] | None = None, cwd: Path = ROOT) -> str:
    done = subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, env=env, cwd=cwd, check=False
    )
    if done.returncode:
        print(done.stdout[-3000:], done.stderr[-3000:], sep="\n")
        raise SystemExit(f"failed: {' '.join(map(str, args))}")
    return done.stdout


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="scopix-new-endpoint-") as tmp:
        work = Path(tmp)
        spec = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))
        spec["paths"]["/v1/widgets/count"] = {"get": OPERATION}
        spec["components"]["schemas"].update(SCHEMAS)
        spec["tags"].append({"name": "Widget stats", "description": "Widget statistics."})
        spec_path = work / "openapi.yaml"
        spec_path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")

        env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
        run(
            BIN / "openapi-python-client", "generate", "--path", spec_path,
            "--config", ROOT / "generator-config.yml",
            "--custom-template-path", ROOT / "generator-templates",
            "--meta", "none", "--overwrite", "--output-path", work / "scopix_api",
            env=env,
        )  # fmt: skip
        package = work / "scopix"
        shutil.copytree(
            ROOT / "overlay" / "scopix", package, ignore=shutil.ignore_patterns("__pycache__")
        )
        run(sys.executable, ROOT / "scripts" / "spec_to_json.py", spec_path, package / "_spec.json")
        run(
            sys.executable, ROOT / "scripts" / "gen_resources.py", "--spec", spec_path,
            "--out", package, "--models", work / "scopix_api" / "models" / "__init__.py",
        )  # fmt: skip
        touched = sorted(
            str(p.relative_to(work))
            for p in package.rglob("*.py")
            if not (ROOT / "overlay" / "scopix" / p.relative_to(package)).exists()
            or p.read_bytes() != (ROOT / "overlay" / "scopix" / p.relative_to(package)).read_bytes()
        )
        print("written by make generate:", ", ".join(touched))

        user_env = {**env, "PYTHONPATH": str(work), "MYPYPATH": str(work)}
        (work / "user.py").write_text(USER_SCRIPT, encoding="utf-8")
        print(run(sys.executable, work / "user.py", env=user_env, cwd=work).strip())
        run(BIN / "mypy", "--strict", "--no-incremental", work / "user.py", env=user_env, cwd=work)
        (work / "planted.py").write_text(PLANTED, encoding="utf-8")
        planted = subprocess.run(
            [BIN / "mypy", "--strict", "--no-incremental", work / "planted.py"],
            capture_output=True, text=True, env=user_env, cwd=work, check=False,
        )  # fmt: skip
        if planted.returncode == 0 or "purple" not in planted.stdout:
            print(planted.stdout)
            raise SystemExit("mypy did not report colour='purple'")
        print("mypy --strict: the user script passes; colour='purple' is reported")
    return 0


if __name__ == "__main__":
    sys.exit(main())
