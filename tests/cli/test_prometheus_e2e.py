"""The exporter as Prometheus sees it: the sandbox, `scopix usage serve-metrics` and a real
`prometheus` (Debian's; `make system-deps` installs it) scraping it every second on loopback,
asked through Prometheus's own HTTP API."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from scopix import SyncScopix
from scopix_sandbox.server import Sandbox

from .exporter import Exporter, serving

DEADLINE = 90.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Prometheus:
    def __init__(self, url: str, log: Path) -> None:
        self.url = url
        self.log = log

    def api(self, path: str, **params: str) -> Any:
        r = httpx.get(f"{self.url}/api/v1/{path}", params=params, timeout=10)
        r.raise_for_status()
        body = r.json()
        assert body["status"] == "success", body
        return body["data"]

    def query(self, promql: str) -> dict[str, float]:
        """An instant query: each series' labels (but name, job, instance) -> value."""
        out = {}
        for item in self.api("query", query=promql)["result"]:
            labels = {
                k: v for k, v in item["metric"].items() if k not in ("__name__", "job", "instance")
            }
            out[",".join(f"{k}={v}" for k, v in sorted(labels.items()))] = float(item["value"][1])
        return out

    def wait_for(self, what: str, ok: Callable[[], bool]) -> None:
        end = time.monotonic() + DEADLINE
        while time.monotonic() < end:
            try:
                if ok():
                    return
            except httpx.HTTPError:
                pass  # not listening yet
            time.sleep(0.2)
        raise AssertionError(f"{what}: not within {DEADLINE} s; prometheus log:\n{self.tail()}")

    def tail(self) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-20:])


@pytest.fixture
def prometheus_for(tmp_path: Path) -> Iterator[Callable[[Exporter], Prometheus]]:
    binary = shutil.which("prometheus")
    if binary is None:
        pytest.fail(
            "prometheus is not installed: `make system-deps` (run by `make install` and "
            "`make test`) installs Debian's package (apt-get install prometheus)",
            pytrace=False,
        )
    procs: list[subprocess.Popen[bytes]] = []

    def start(exporter: Exporter) -> Prometheus:
        target = exporter.url.removeprefix("http://").removesuffix("/metrics")
        config = tmp_path / "prometheus.yml"
        config.write_text(
            "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
            "scrape_configs:\n  - job_name: scopix\n"
            f"    static_configs:\n      - targets: ['{target}']\n"
        )
        port = _free_port()
        log = tmp_path / "prometheus.log"
        procs.append(
            subprocess.Popen(
                [
                    binary,
                    f"--config.file={config}",
                    f"--storage.tsdb.path={tmp_path / 'data'}",
                    f"--web.listen-address=127.0.0.1:{port}",
                ],
                stdout=log.open("wb"),
                stderr=subprocess.STDOUT,
            )
        )
        return Prometheus(f"http://127.0.0.1:{port}", log)

    yield start
    for p in procs:
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def test_prometheus_scrapes_the_sandbox_figures(
    cli_sandbox: Sandbox, sdk: SyncScopix, prometheus_for: Callable[[Exporter], Prometheus]
) -> None:
    b = sdk.usage.get_breakdown()
    plan = sdk.usage.get_plan()
    tokens = sdk.usage.get_monthly_tokens()
    top = sdk.usage.get_top_endpoints(
        start_date=b.billing_period.start, end_date=b.billing_period.end
    )
    assert plan.projections is not None
    with serving(cli_sandbox.api_key, cli_sandbox.base_url) as exporter:
        exporter.wait_for("scopix_up 1", lambda s: s.get("scopix_up") == 1)
        prom = prometheus_for(exporter)
        prom.wait_for(
            "the exporter's target up",
            lambda: any(t["health"] == "up" for t in prom.api("targets")["activeTargets"]),
        )
        prom.wait_for("scopix_up 1 in prometheus", lambda: prom.query("scopix_up") == {"": 1})

        assert prom.query("scopix_credits_used") == {"": b.total_credits_used}
        assert prom.query("scopix_credits_remaining") == {"": b.credits_remaining}
        assert prom.query("scopix_credits_usage_percent") == {"": b.usage_percentage}
        assert prom.query("scopix_will_exceed_limit") == {
            "": int(plan.projections.will_exceed_limit)
        }
        assert prom.query("scopix_projected_credits") == {"": plan.projections.projected_credits}
        assert prom.query("scopix_monthly_input_tokens") == {"": tokens.total_input_tokens}
        assert prom.query("scopix_monthly_output_tokens") == {"": tokens.total_output_tokens}
        assert prom.query("scopix_endpoint_requests") == {
            f"endpoint={e.endpoint}": e.request_count for e in top.endpoints
        }
        assert prom.query("scopix_client_requests_total")[""] >= 4
        assert prom.query("scopix_client_rate_limited_total") == {"": 0}
        names = set(prom.api("label/__name__/values"))
        assert {"scopix_plan_info", "scopix_client_pacing_wait_seconds_total"} <= names
        assert exporter.stop() == 0
