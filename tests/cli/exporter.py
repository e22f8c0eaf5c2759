"""`scopix usage serve-metrics` as a real process: started, its "serving on" line awaited,
scraped, stopped with SIGTERM."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families

SCOPIX = str(Path(sys.executable).with_name("scopix"))
SERVING = re.compile(r"serving on (http://\S+/metrics)")
DEADLINE = 60.0


@dataclass
class Exporter:
    proc: subprocess.Popen[str]
    url: str
    lines: list[str] = field(default_factory=list)

    def scrape(self) -> dict[str, float]:
        """The samples as `name{label="v",...}` -> value (labels sorted)."""
        r = httpx.get(self.url, headers={"Accept": "application/openmetrics-text"})
        r.raise_for_status()
        return parse(r.text)

    def wait_for(self, what: str, ok: Callable[[dict[str, float]], bool]) -> dict[str, float]:
        """Scrape until `ok(samples)`; fail with what was seen after DEADLINE seconds."""
        end = time.monotonic() + DEADLINE
        samples: dict[str, float] = {}
        while time.monotonic() < end:
            assert self.proc.poll() is None, f"the exporter exited: {self.lines}"
            samples = self.scrape()
            if ok(samples):
                return samples
            time.sleep(0.1)
        raise AssertionError(f"no {what} within {DEADLINE} s; last scrape: {samples}")

    def stop(self) -> int:
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=DEADLINE)


def parse(text: str) -> dict[str, float]:
    out = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            labels = ",".join(f'{k}="{v}"' for k, v in sorted(s.labels.items()))
            out[f"{s.name}{{{labels}}}" if labels else s.name] = s.value
    return out


@contextmanager
def serving(api_key: str, base_url: str, *args: str) -> Iterator[Exporter]:
    """The exporter on a free loopback port; killed if the test did not stop it."""
    env = {**os.environ, "SCOPIX_API_KEY": api_key, "SCOPIX_BASE_URL": base_url}
    env.pop("SCOPIX_LOG", None)
    proc = subprocess.Popen(
        [SCOPIX, "usage", "serve-metrics", "--port", "0", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    seen: list[str] = []
    found: queue.Queue[str] = queue.Queue()

    def read() -> None:
        for line in proc.stderr or ():
            seen.append(line.rstrip())
            m = SERVING.search(line)
            if m:
                found.put(m.group(1))

    threading.Thread(target=read, daemon=True).start()
    try:
        try:
            url = found.get(timeout=DEADLINE)
        except queue.Empty:
            raise AssertionError(f"no 'serving on' line from the exporter: {seen}") from None
        yield Exporter(proc, url, seen)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
