"""Per-connection fairness of a server under a crowd of keep-alive readers (#19).

    python bench/readers/crowd.py http://127.0.0.1:8000 PATHS_FILE [--connections 100] [--duration 30]
        [--processes 2] [--header "Cookie: x=y"]

wrk reports latency only for the requests that completed: a connection the server never serves (a
request accepted by the kernel but never read, or read and queued for ever) adds nothing to its
percentiles. This client opens ``--connections`` HTTP/1.1 keep-alive connections (split over
``--processes`` processes, as wrk splits them over its threads), each sending the paths in turn,
one request at a time, and records for every connection the requests it completed and its slowest
one, and, when the time is up, every request still outstanding and how long it had been waiting.
It prints one JSON object (see :func:`summary`).

Its latencies include its own event loops' delays (Python, on the cores the server uses): its p99
reads higher than wrk's for the same crowd. ``outstanding`` is a lower bound: a request answered
while the client's loop was not running at the deadline counts as completed (its latency is kept).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import multiprocessing
import random
import statistics
import sys
import time
from typing import Any

_END = b"\r\n\r\n"


class Reader(asyncio.Protocol):
    """One keep-alive connection sending its paths in turn; parses Content-Length or chunked answers."""

    def __init__(self, host: str, paths: list[str], header: str, deadline: float, done: asyncio.Future[None]) -> None:
        self.requests = [f"GET {p} HTTP/1.1\r\nHost: {host}\r\n{header}\r\n".encode() for p in paths]
        self.n = random.randrange(len(self.requests))
        self.deadline, self.done = deadline, done
        self.buf = bytearray()
        self.need: int | None = None  # bytes of the whole answer once the headers are in; -1: chunked
        self.started = 0.0
        self.outstanding = False
        self.latencies: list[float] = []
        self.ends: list[float] = []
        self.errors = 0
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.send()

    def send(self) -> None:
        assert self.transport is not None
        if time.monotonic() >= self.deadline:
            self.finish()
            return
        self.n = (self.n + 1) % len(self.requests)
        self.started = time.monotonic()
        self.outstanding = True
        self.transport.write(self.requests[self.n])

    def data_received(self, data: bytes) -> None:
        self.buf += data
        while self.outstanding:
            if self.need is None:
                end = self.buf.find(_END)
                if end < 0:
                    return
                head = bytes(self.buf[:end]).lower()
                if not head.startswith((b"http/1.1 2", b"http/1.1 3", b"http/1.0 2", b"http/1.0 3")):
                    self.errors += 1
                length = 0
                for line in head.split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    if name == b"content-length":
                        length = int(value)
                    elif name == b"transfer-encoding" and b"chunked" in value:
                        length = -1
                self.need = -1 if length < 0 else end + 4 + length
            if self.need < 0:
                stop = self.buf.find(b"\r\n0\r\n\r\n")
                if stop < 0:
                    return
                size = stop + 7
            else:
                if len(self.buf) < self.need:
                    return
                size = self.need
            del self.buf[:size]
            self.need = None
            self.outstanding = False
            now = time.monotonic()
            self.latencies.append(now - self.started)
            self.ends.append(now)
            self.send()

    def finish(self) -> None:
        if self.transport is not None:
            self.transport.close()
        if not self.done.done():
            self.done.set_result(None)

    def connection_lost(self, exc: Exception | None) -> None:
        if self.outstanding and time.monotonic() < self.deadline:
            self.errors += 1
        if not self.done.done():
            self.done.set_result(None)


async def crowd(base: str, paths: list[str], connections: int, duration: float, header: str) -> list[dict[str, Any]]:
    loop = asyncio.get_running_loop()
    hostport = base.split("//", 1)[1].rstrip("/")
    host, _, port = hostport.rpartition(":")
    head = f"{header}\r\n" if header else ""
    deadline = time.monotonic() + duration
    readers, waits = [], []
    for _ in range(connections):
        done: asyncio.Future[None] = loop.create_future()
        reader = Reader(hostport, paths, head, deadline, done)
        readers.append(reader)
        waits.append(done)
    await asyncio.gather(*(loop.create_connection(lambda r=r: r, host, int(port)) for r in readers))  # type: ignore[misc]
    await asyncio.wait(waits, timeout=max(0.0, deadline - time.monotonic()) + 0.05)
    now = time.monotonic()
    out = []
    for r in readers:
        waiting = now - r.started if r.outstanding and not r.done.done() else None
        if r.transport is not None:
            r.transport.close()
        out.append({"latencies": r.latencies, "errors": r.errors, "waiting_s": waiting,
                    "ends": [round(time.time() - (now - t), 4) for t in r.ends]})
    return out


def _run(args: tuple[str, list[str], int, float, str, float]) -> list[dict[str, Any]]:
    base, paths, connections, duration, header, start_at = args
    time.sleep(max(0.0, start_at - time.time()))
    return asyncio.run(crowd(base, paths, connections, duration, header))


def _pct(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return 0.0
    return sorted_values[min(len(sorted_values) - 1, int(q / 100 * len(sorted_values)))]


def summary(conns: list[dict[str, Any]], duration: float) -> dict[str, Any]:
    """req/s and latency percentiles of the completed requests, and what they hide:

    per connection the completions (min, median, max) and the slowest request; the requests still
    outstanding when the time was up (``outstanding``) and the longest of their waits so far; the
    longest time during which no connection got an answer (``longest_pause_ms``: a stall of the
    whole server, e.g. a garbage collection, shows there).
    """
    latencies = sorted(x for c in conns for x in c["latencies"])
    counts = sorted(len(c["latencies"]) for c in conns)
    worst = [max(c["latencies"], default=0.0) for c in conns]
    waits = [c["waiting_s"] for c in conns if c["waiting_s"] is not None]
    ends = sorted(t for c in conns for t in c["ends"])
    pause = max((b - a for a, b in itertools.pairwise(ends)), default=0.0)
    return {
        "connections": len(conns),
        "requests": len(latencies),
        "rps": round(len(latencies) / duration, 1),
        "errors": sum(c["errors"] for c in conns),
        "p50_ms": round(_pct(latencies, 50) * 1000, 1),
        "p90_ms": round(_pct(latencies, 90) * 1000, 1),
        "p99_ms": round(_pct(latencies, 99) * 1000, 1),
        "max_ms": round((latencies[-1] if latencies else 0.0) * 1000, 1),
        "per_connection": {
            "completed_min": counts[0] if counts else 0,
            "completed_median": statistics.median(counts) if counts else 0,
            "completed_max": counts[-1] if counts else 0,
            "never_served": sum(1 for n in counts if n == 0),
            "slowest_request_max_ms": round(max(worst, default=0.0) * 1000, 1),
            "slowest_request_median_ms": round(statistics.median(worst) * 1000, 1) if worst else 0.0,
        },
        "outstanding": len(waits),
        "outstanding_max_wait_ms": round(max(waits, default=0.0) * 1000, 1),
        "longest_pause_ms": round(pause * 1000, 1),
    }


def measure(base: str, paths: list[str], *, connections: int = 100, duration: float = 30.0, processes: int = 2,
            header: str = "") -> dict[str, Any]:
    """Run the crowd in ``processes`` processes and return :func:`summary` of all its connections."""
    shares = [connections // processes + (1 if i < connections % processes else 0) for i in range(processes)]
    start_at = time.time() + 0.5
    with multiprocessing.get_context("spawn").Pool(processes) as pool:
        parts = pool.map(_run, [(base, paths, n, duration, header, start_at) for n in shares if n])
    return summary([c for part in parts for c in part], duration)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base")
    parser.add_argument("paths", help="a file of URL paths, one a line")
    parser.add_argument("--connections", type=int, default=100)
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--header", default="")
    args = parser.parse_args()
    with open(args.paths) as f:
        paths = [line.strip() for line in f if line.strip()]
    result = measure(args.base, paths, connections=args.connections, duration=args.duration,
                     processes=args.processes, header=args.header)
    json.dump(result, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
