"""A small keep-alive HTTP/1.1 load client, for measuring the sandbox where `wrk` is missing.

    python -m scopix_sandbox.loadgen URL --key KEY [--concurrency 50] [--seconds 5]

Run it in its own process (the server in another). It prints requests per second and the
status counts. Only loopback URLs are accepted.
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import time
from collections import Counter
from urllib.parse import urlsplit

__all__ = ["main", "run"]


async def _worker(
    host: str, port: int, request: bytes, deadline: float, counts: Counter[int]
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while time.perf_counter() < deadline:
            writer.write(request)
            status_line = await reader.readline()
            status = int(status_line.split(b" ", 2)[1])
            length = 0
            while True:
                line = await reader.readline()
                if line in (b"\r\n", b""):
                    break
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            await reader.readexactly(length)
            counts[status] += 1
    finally:
        writer.close()
        await writer.wait_closed()


async def run(url: str, key: str, concurrency: int, seconds: float) -> tuple[float, Counter[int]]:
    parts = urlsplit(url)
    host = parts.hostname or "127.0.0.1"
    if host != "localhost" and not ipaddress.ip_address(host).is_loopback:
        raise SystemExit("loadgen: loopback URLs only")
    port = parts.port or 80
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    request = (
        f"GET {target} HTTP/1.1\r\nHost: {parts.netloc}\r\nAuthorization: Bearer {key}\r\n\r\n"
    ).encode()
    counts: Counter[int] = Counter()
    start = time.perf_counter()
    deadline = start + seconds
    await asyncio.gather(
        *(_worker(host, port, request, deadline, counts) for _ in range(concurrency))
    )
    return time.perf_counter() - start, counts


def main() -> None:
    p = argparse.ArgumentParser(prog="python -m scopix_sandbox.loadgen")
    p.add_argument("url")
    p.add_argument("--key", required=True)
    p.add_argument("--concurrency", type=int, default=50)
    p.add_argument("--seconds", type=float, default=5.0)
    a = p.parse_args()
    elapsed, counts = asyncio.run(run(a.url, a.key, a.concurrency, a.seconds))
    total = sum(counts.values())
    print(f"{total} requests in {elapsed:.2f} s: {total / elapsed:.0f} requests/s; {dict(counts)}")


if __name__ == "__main__":
    main()
