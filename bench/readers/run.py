"""A crowd of readers on one node (#19): ``mogao serve`` with default settings under wrk -c100.

    python bench/readers/run.py [--duration 30] [--connections 100] [--work /tmp/mogao-bench-readers]
    python bench/readers/run.py --quick     # 5 s per scenario (a smoke run)

1. Makes a fresh MOGAO_HOME with ``mogao demo --no-serve`` (default settings: SQLite, tantivy,
   the per-process cache, the embedded task worker).
2. Starts ``mogao serve`` on a free loopback port with its default worker count, waits for
   ``/healthz`` and for the embedded worker to run the tasks the demo queued, and warms every
   process (each item page fetched over new connections, then a short wrk run).
3. Runs ``wrk -t2 -cN -dD --latency`` (wrk on the same machine, loopback) in three scenarios:
   - ``item pages``: every public demo item page in turn, as anonymous readers (what the acceptance
     of #19 measures: 0 errors and p99 <= 500 ms at 100 connections);
   - ``healthz`` (named peer): the trivial health probe through the same server and middleware
     under the same load, the floor of this server on this machine in this minute;
   - ``item pages, rendered`` (named peer, the previous code path): the same pages for readers who
     carry a session cookie, which the item page cache never serves, so every request renders the
     page as every request did before the cache.
   After ``item pages``, the same crowd again from ``crowd.py`` (two processes of keep-alive
   connections), which records every connection's completions and the requests still outstanding at
   the end: wrk's percentiles count completed requests only, so a connection the server never
   serves would not show in them (it does in wrk's mean, reported as *busy connections*).
4. Writes ``bench/readers/RESULTS.md`` and ``results.json`` (``--quick``: ``RESULTS-quick.md``).

Errors are wrk's: non-2xx/3xx answers plus socket errors (connect, read, write and timeouts at
wrk's default 2 s). The machine is shared: the load average is recorded before every scenario, and
the ratios to the peers are what compare across runs.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path[:0] = [str(REPO)]

from bench import common  # noqa: E402
from bench.readers import crowd  # noqa: E402

TARGET_P99_MS = 500.0
#: A connection served fewer than this fraction of the median connection's requests counts as starved.
FAIR_SHARE = 0.5
MOGAO = [sys.executable, "-c", "from mogao.cli import main; main()"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def environment(home: Path) -> dict[str, str]:
    """This checkout's sources and a fresh home; nothing else changed from the defaults."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MOGAO_", "DJANGO_"))}
    env["MOGAO_HOME"] = str(home)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO / "src"), os.environ.get("PYTHONPATH", "")])
    return env


def wait_http(url: str, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")
        time.sleep(0.3)


def tasks_waiting(home: Path) -> int:
    """Tasks queued or running in the embedded worker (the demo leaves indexing and image work queued)."""
    with sqlite3.connect(home / "mogao.sqlite3") as db:
        (n,) = db.execute("SELECT COUNT(*) FROM django_tasks_database_dbtaskresult "
                          "WHERE status IN ('READY', 'RUNNING')").fetchone()
    return int(n)


def drain(home: Path, timeout: float = 600.0) -> float:
    """Wait until the embedded worker has run every queued task; returns the seconds waited."""
    started = time.monotonic()
    while tasks_waiting(home) and time.monotonic() - started < timeout:
        time.sleep(1)
    return round(time.monotonic() - started, 1)


def item_paths(home: Path) -> list[str]:
    with sqlite3.connect(home / "mogao.sqlite3") as db:
        rows = db.execute("SELECT pid FROM catalogue_item WHERE visibility = 'public' ORDER BY pid").fetchall()
    return [f"/items/{pid}" for (pid,) in rows]


def wrk(base: str, paths: list[str], work: Path, name: str, *, duration: int, connections: int,
        header: str = "") -> dict[str, Any]:
    listing = work / f"{name}.paths"
    listing.write_text("\n".join(paths) + "\n")
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "-s", str(HERE / "urls.lua"), base,
           "--", str(listing), header]
    data = common.wrk_summary(cmd)
    data["socket_errors"] = data["connect"] + data["read"] + data["write"] + data["timeout"]
    data["errors"] = data["socket_errors"] + data["non2xx"]
    # Little's law: connections that had a request outstanding, on average. wrk counts only completed
    # requests, so connections the server never serves show here only (far below the connections opened).
    data["busy_connections"] = round(data["rps"] * data["mean_ms"] / 1000, 1)
    return data


def fair(data: dict[str, Any]) -> bool:
    """Every connection served its share, and no request left waiting longer than the target."""
    per = data["per_connection"]
    return (per["never_served"] == 0 and per["completed_min"] >= FAIR_SHARE * per["completed_median"]
            and data["outstanding_max_wait_ms"] <= TARGET_P99_MS and data["errors"] == 0)


def check_page(base: str, path: str) -> dict[str, Any]:
    """One anonymous GET: status, and whether the page's nonces are the CSP header's."""
    with urllib.request.urlopen(base + path, timeout=30) as response:
        body = response.read().decode()
        csp = response.headers.get("Content-Security-Policy", "")
        status = response.status
    header_nonce = (re.findall(r"'nonce-([^']+)'", csp) or [""])[0]
    page_nonces = set(re.findall(r'nonce="([^"]+)"', body))
    return {"status": status, "bytes": len(body.encode()),
            "nonces_match_header": bool(header_nonce) and page_nonces <= {header_nonce}}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5 s per scenario: a smoke run")
    parser.add_argument("--duration", type=int, default=0, help="seconds per scenario (default 30; 5 with --quick)")
    parser.add_argument("--connections", type=int, default=100)
    parser.add_argument("--work", type=Path, default=Path("/tmp/mogao-bench-readers"))
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("skipped: wrk is required (apt-get install -y wrk)")
        return common.SKIPPED
    duration = args.duration or (5 if args.quick else 30)
    started, info = common.now(), common.machine()
    work: Path = args.work
    shutil.rmtree(work, ignore_errors=True)
    home = work / "home"
    home.mkdir(parents=True)
    env = environment(home)

    t0 = time.perf_counter()
    subprocess.run([*MOGAO, "demo", "--no-serve"], env=env, check=True, capture_output=True)
    demo_s = round(time.perf_counter() - t0, 1)
    paths = item_paths(home)
    print(f"demo loaded in {demo_s} s: {len(paths)} public items", flush=True)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = (work / "serve.log").open("wb")
    server = subprocess.Popen([*MOGAO, "serve", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT,
                              start_new_session=True)
    results: dict[str, Any] = {"date": started, "machine": info, "quick": args.quick, "demo_load_s": demo_s,
                               "items": len(paths), "wrk": {"threads": 2, "connections": args.connections,
                                                            "duration_s": duration}, "runs": {}}
    try:
        wait_http(f"{base}/healthz")
        results["tasks_drained_s"] = drain(home)  # measure the steady state, not the demo's background work
        for _ in range(4):  # new connections: reach every worker process
            for path in paths:
                urllib.request.urlopen(base + path, timeout=30).read()
        results["check"] = check_page(base, paths[0])
        wrk(base, paths, work, "warm-up", duration=3, connections=args.connections)
        wrk(base, ["/healthz"], work, "warm-up-healthz", duration=2, connections=args.connections)
        scenarios = (
            ("item pages", paths, ""),
            ("healthz", ["/healthz"], ""),
            ("item pages, rendered", paths, "Cookie: sessionid=bench-reader-with-a-session"),
        )
        for name, scenario_paths, header in scenarios:
            load = [round(x, 2) for x in os.getloadavg()]
            data = wrk(base, scenario_paths, work, name.replace(" ", "-").replace(",", ""), duration=duration,
                       connections=args.connections, header=header)
            data["load_average_before"] = load
            results["runs"][name] = data
            print(f"{name:<22} {data['rps']:>8} req/s  p50 {data['p50_ms']:.1f}  p90 {data['p90_ms']:.1f}  "
                  f"p99 {data['p99_ms']:.1f} ms  errors {data['errors']} (load {load})", flush=True)
            if name == "item pages":  # the same crowd again, seen per connection (what wrk cannot show)
                load = [round(x, 2) for x in os.getloadavg()]
                fairness = crowd.measure(base, paths, connections=args.connections, duration=duration)
                fairness["load_average_before"] = load
                results["fairness"] = fairness
                per = fairness["per_connection"]
                print(f"{'  per connection':<22} {fairness['rps']:>8} req/s  p99 {fairness['p99_ms']:.1f} ms  "
                      f"completed min {per['completed_min']} median {per['completed_median']}  never served "
                      f"{per['never_served']}  outstanding {fairness['outstanding']} (longest "
                      f"{fairness['outstanding_max_wait_ms']:.0f} ms)  (load {load})", flush=True)
        results["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)  # mogao serve stops granian and the task worker
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
        log.close()
    served = re.search(rb"with (\d+) worker process", (work / "serve.log").read_bytes())
    results["workers"] = int(served[1]) if served else None
    report(results)
    shutil.rmtree(work, ignore_errors=True)
    return 0


def report(results: dict[str, Any]) -> None:
    runs = results["runs"]
    item, peer, rendered = runs["item pages"], runs["healthz"], runs["item pages, rendered"]
    fairness = results["fairness"]
    fairness_ok = fair(fairness)
    met = item["errors"] == 0 and item["p99_ms"] <= TARGET_P99_MS and fairness_ok
    results["ratios"] = {
        "item_vs_healthz_rps": common.ratio(item["rps"], peer["rps"]),
        "item_vs_rendered_rps": common.ratio(item["rps"], rendered["rps"]),
    }
    results["target"] = {"p99_ms": TARGET_P99_MS, "errors": 0, "every_connection_served": fairness_ok, "met": met}
    wrk_ = results["wrk"]
    lines = common.header("A crowd of readers on one node", quick=results["quick"], started=results["date"],
                          info=results["machine"])
    lines += [
        f"- Server: `mogao serve` with default settings (SQLite, tantivy, per-process cache, embedded task worker), "
        f"its default worker count ({results['workers']} granian worker processes on this machine); a fresh home "
        f"made by `mogao demo --no-serve` ({results['demo_load_s']} s, {results['items']} public items); the "
        f"measurements start once the embedded worker has run the tasks the demo queued "
        f"({results.get('tasks_drained_s', '?')} s after the server answered).",
        f"- Load: `wrk -t2 -c{wrk_['connections']} -d{wrk_['duration_s']}s --latency` on the same machine over "
        "loopback (wrk's own two threads share the cores with the server), after a warm-up; errors are non-2xx/3xx "
        "answers plus socket errors (timeouts at wrk's default 2 s).",
        f"- Check: an anonymous item page answered {results['check']['status']} "
        f"({results['check']['bytes']:,} bytes); its nonces are the CSP header's: "
        f"{results['check']['nonces_match_header']}.",
        "",
        "| scenario | req/s | p50 ms | p90 ms | p99 ms | max ms | non-2xx | socket errors | busy connections "
        "| load average before |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for name, d in runs.items():
        lines.append(f"| {name} | {d['rps']:.0f} | {d['p50_ms']:.1f} | {d['p90_ms']:.1f} | {d['p99_ms']:.1f} | "
                     f"{d['max_ms']:.0f} | {d['non2xx']} | {d['socket_errors']} (timeouts {d['timeout']}) | "
                     f"{d['busy_connections']} | {', '.join(str(x) for x in d['load_average_before'])} |")
    per = fairness["per_connection"]
    lines += [
        "",
        "*busy connections*: req/s × wrk's mean latency (Little's law), the connections that had a request "
        f"outstanding on average; {wrk_['connections']} when every connection is served, fewer when some are "
        "left waiting (wrk's percentiles count completed requests only).",
        "",
        f"Per connection (item pages again, the same {wrk_['connections']} connections from "
        "`bench/readers/crowd.py`: two processes of keep-alive connections, one request at a time each; load "
        f"average before {', '.join(str(x) for x in fairness['load_average_before'])}):",
        "",
        "| req/s | p50 ms | p99 ms | max ms | errors | completed per connection: min / median / max | never served "
        "| outstanding at the end (longest wait ms) | longest pause with no answer ms |",
        "|---:|---:|---:|---:|---:|---|---:|---|---:|",
        f"| {fairness['rps']:.0f} | {fairness['p50_ms']:.1f} | {fairness['p99_ms']:.1f} | {fairness['max_ms']:.0f} | "
        f"{fairness['errors']} | {per['completed_min']} / {per['completed_median']} / {per['completed_max']} | "
        f"{per['never_served']} | {fairness['outstanding']} ({fairness['outstanding_max_wait_ms']:.0f}) | "
        f"{fairness['longest_pause_ms']:.0f} |",
        "",
        f"Every connection served (none below {FAIR_SHARE:.0%} of the median's completions, none outstanding "
        f"longer than {TARGET_P99_MS:.0f} ms at the end, no errors): **{'yes' if fairness_ok else 'no'}**.",
        "",
        f"Load average at the end: {', '.join(str(x) for x in results['load_average_end'])}.",
        "",
        "| ratio (req/s) | value |",
        "|---|---:|",
        f"| item pages / healthz (peer: the server's floor) | {results['ratios']['item_vs_healthz_rps']} |",
        f"| item pages / item pages rendered (peer: the previous code path) | "
        f"{results['ratios']['item_vs_rendered_rps']} |",
        "",
        f"Target (#19): item pages at {wrk_['connections']} connections with 0 errors and p99 <= "
        f"{TARGET_P99_MS:.0f} ms, every connection served — measured {item['errors']} errors, p99 "
        f"{item['p99_ms']:.1f} ms, every connection served: {'yes' if fairness_ok else 'no'}: "
        f"**{'met' if met else 'not met'}**.",
        "",
        "Notes:",
        "- *item pages* are served to anonymous readers from each process's item page cache "
        "(`mogao.catalogue.pagecache`) once rendered: one query per request (the two generations), the CSP nonce "
        "and CSRF token filled in per response, every middleware run (the audience records each view).",
        "- *item pages, rendered* are the same URLs for readers carrying a session cookie, never served from the "
        "cache: each request renders the page (eight queries, templates), as every request did before #19's cache.",
        "- The machine is shared with other work (see the load averages): absolute figures move between runs; "
        "compare the ratios within one run.",
    ]
    common.write(HERE, quick=results["quick"], markdown=lines, data=results)
    print("\n".join(lines))


if __name__ == "__main__":
    raise SystemExit(main())
