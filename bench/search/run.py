"""Search benchmark: tantivy, PostgreSQL and plain SQLite FTS5 over the same 1M records and tokens.

    python bench/search/run.py                      # the real run: 1,000,000 records
    python bench/search/run.py --quick              # smoke run: 5,000 records, tantivy and FTS5, 10 queries per kind
    python bench/search/run.py --engines tantivy --end-to-end   # plus /api/v1/search over HTTP

Each engine is built and queried in its own child process, so its index time and peak memory
(``ru_maxrss`` of that process and the analysis workers it forks) are its own. Writes
``RESULTS.md`` and ``results.json`` beside this file (or in ``--out``); ``--quick`` writes
``RESULTS-quick.md`` and ``results-quick.json``, another ``--records`` count ``RESULTS-<count>.md``.
PostgreSQL's own server memory is not in its figure (only the client's); its index size is the
table's total size.

``--end-to-end`` (tantivy): once the engine-only queries are timed, the same index is served by
granian (WSGI, one worker, a fresh migrated MOGAO_HOME with no catalogue records) and every query
is sent as ``GET /api/v1/search?q=...`` over HTTP: expansion, facets, did-you-mean, suggestions,
the rescoring window and JSON included. Its percentiles sit beside the engine-only ones of the
same run (``end_to_end_ms_all``, and the ratio of the p95s).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent.parent / "src"))

FACETS = ("doc_type", "period", "institution", "item_type", "language")
ENGINES = ("tantivy", "postgres", "fts5")
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/test"


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)

    def pick(q: float) -> float:
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]

    return {
        "p50": round(pick(0.50), 2),
        "p95": round(pick(0.95), 2),
        "p99": round(pick(0.99), 2),
        "mean": round(statistics.fmean(ordered), 2),
    }


def _dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def worker(engine_name: str, args: argparse.Namespace) -> dict[str, Any]:
    """Build one engine's index from the corpus and time the query set on it."""
    from corpus import records, sample_lines
    from queries import query_set

    from mogao.search.backends import analysis
    from mogao.search.types import SearchQuery

    data = Path(args.data)
    work = Path(args.workdir)
    engine: Any
    if engine_name == "tantivy":
        from mogao.search.backends.tantivy_backend import TantivyBackend

        shutil.rmtree(work / "tantivy", ignore_errors=True)
        engine = TantivyBackend(f"tantivy://{work / 'tantivy'}")
    elif engine_name == "postgres":
        from mogao.search.backends.postgres import PostgresBackend

        engine = PostgresBackend(f"{args.postgres}?table=mogao_bench_search")
        engine.drop()
    else:
        from fts5 import Fts5Index

        engine = Fts5Index(work / "fts5.sqlite3")

    began = time.perf_counter()
    progress = work / f"{engine_name}.progress"

    def counted(items: Any) -> Any:
        # Progress on disk, so a run stopped by --engine-timeout still says how far it got.
        for n, item in enumerate(items, 1):
            if n % 50_000 == 0:
                progress.write_text(f"{n} records in {time.perf_counter() - began:.0f} s\n")
            yield item

    # Each engine's own preparation (tokens, and for tantivy its token streams and stored
    # source) runs in the analysis processes; the engine's process only writes.
    prepared = counted(
        analysis.prepare_many(records(data, args.records), engine.preparer(), processes=args.processes, chunk=256)
    )
    if engine_name in ("tantivy", "postgres"):
        # postgres: COPY into the table without indexes, then the indexes and VACUUM ANALYZE
        with engine.bulk():
            engine.add_prepared(prepared)
    else:
        engine.add_prepared(prepared)
    if engine_name == "fts5":
        engine.optimize()
    build_s = time.perf_counter() - began

    index_kind = ""
    if engine_name == "tantivy":
        size = _dir_size(engine.path)
        count = engine.count()
    elif engine_name == "postgres":
        with engine._cursor() as cur:
            cur.execute("SELECT pg_total_relation_size('mogao_bench_search')")
            size = int(cur.fetchone()[0])
        count = engine.count()
        with engine._cursor() as cur:
            cur.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'mogao_bench_search'")
            names = {row[0] for row in cur.fetchall()}
        index_kind = " + ".join(kind for kind, name in (("RUM", "rum"), ("GIN", "tsv"))
                                if f"mogao_bench_search_{name}" in names)
    else:
        size = engine.size()
        count = engine.db.execute("SELECT count(*) FROM meta").fetchone()[0]

    queries = query_set(sample_lines(data), args.per_kind)
    latencies: dict[str, dict[str, list[float]]] = {}
    cpu: dict[str, list[float]] = {}  # this process's CPU per query: immune to a busy machine
    totals: dict[str, list[int]] = {}
    progress.write_text(f"built in {build_s:.0f} s; querying\n")
    for q in queries:  # warm-up: load the index pages every query touches once
        engine.search(SearchQuery(root=q.root, facets=FACETS))
    # PostgreSQL's share of each query: the CPU its server process for this connection spent
    # (schedstat, nanoseconds), which a busy machine does not inflate as it does the wall clock.
    server_pids: list[int] = []
    server_cpu: dict[str, list[float]] = {}
    if engine_name == "postgres":
        with engine._cursor() as cur:
            cur.execute("SELECT pg_backend_pid()")
            server_pids = [int(cur.fetchone()[0])]
        if not _cpu_ns(server_pids):  # another machine, or /proc not readable: no server figure
            server_pids = []
    for facets in (False, True):
        mode = "facets" if facets else "plain"
        for q in queries:
            sq = SearchQuery(root=q.root, facets=FACETS if facets else (), limit=20, highlight=True)
            best_ms = best_cpu = best_server = math.inf
            for _ in range(args.repeat):  # best of --repeat: what a quiet machine would see
                s0 = _cpu_ns(server_pids) if server_pids else 0
                c0, t0 = time.process_time(), time.perf_counter()
                res = engine.search(sq)
                best_ms = min(best_ms, (time.perf_counter() - t0) * 1000)
                best_cpu = min(best_cpu, (time.process_time() - c0) * 1000)
                if server_pids:
                    best_server = min(best_server, (_cpu_ns(server_pids) - s0) / 1e6)
            latencies.setdefault(q.kind, {}).setdefault(mode, []).append(best_ms)
            cpu.setdefault(mode, []).append(best_cpu)
            if server_pids:
                server_cpu.setdefault(mode, []).append(best_server)
            if not facets:
                totals.setdefault(q.kind, []).append(res.total)
    stats = {
        kind: {mode: _percentiles(samples) for mode, samples in modes.items()} for kind, modes in latencies.items()
    }
    every = {
        mode: _percentiles([s for modes in latencies.values() for s in modes[mode]]) for mode in ("plain", "facets")
    }
    end_to_end: dict[str, Any] = {}
    if engine_name == "tantivy" and args.end_to_end:
        engine.close()  # the server opens the index itself
        env = e2e_environment(work)
        progress.write_text(f"built in {build_s:.0f} s; end-to-end over HTTP\n")
        end_to_end = end_to_end_run(env, queries, repeat=args.repeat)
    if engine_name == "postgres":
        if not args.keep_postgres:
            engine.drop()
        engine.close()
    if end_to_end:
        e2e = end_to_end["all"]
        end_to_end["ratio_p95_to_engine_facets"] = round(e2e["p95"] / max(every["facets"]["p95"], 1e-9), 2)
        peer_p95 = end_to_end["service_engine_ms"]["all"]["p95"]
        end_to_end["ratio_p95_to_service_engine"] = round(e2e["p95"] / max(peer_p95, 1e-9), 2)
        served_cpu = end_to_end["cpu_ms"]
        end_to_end["cpu_ratio_p95_server_to_service_engine"] = round(
            served_cpu["end_to_end_server"]["all"]["p95"] / max(served_cpu["service_engine"]["all"]["p95"], 1e-9), 2
        )
    return {
        "engine": engine_name,
        "records": count,
        "build_s": round(build_s, 1),
        "index_bytes": size,
        "latency_ms": stats,
        "latency_ms_all": every,
        "client_cpu_ms_all": {mode: _percentiles(samples) for mode, samples in cpu.items()},
        **({"server_cpu_ms_all": {mode: _percentiles(v) for mode, v in server_cpu.items()}} if server_cpu else {}),
        "median_hits": {k: int(statistics.median(v)) for k, v in totals.items()},
        "queries_per_kind": args.per_kind,
        **({"text_index": index_kind} if engine_name == "postgres" else {}),
        **({"end_to_end_ms": end_to_end} if end_to_end else {}),
    }


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def e2e_environment(work: Path) -> dict[str, str]:
    """The environment of the end-to-end server (and of the in-process peer): a fresh migrated
    ``MOGAO_HOME`` (SQLite, no catalogue records) and the tantivy index the bench built."""
    home = work / "e2e-home"
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    src = str(HERE.parent.parent / "src")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")]),
        "DJANGO_SETTINGS_MODULE": "mogao.site.settings",
        "MOGAO_HOME": str(home),
        "MOGAO_SEARCH_URL": f"tantivy://{work / 'tantivy'}",
        "MOGAO_TASKS_URL": "dummy://",
        "MOGAO_DEBUG": "0",
        "MOGAO_ALLOWED_HOSTS": "127.0.0.1",
        # The anonymous API limit (300/min) would refuse a 1M run's 400 requests; the throttle
        # still runs and counts every request, so its cost stays in the figures.
        "MOGAO_API_ANON_RATE": "1000000/min",
    }
    env.pop("MOGAO_DATABASE_URL", None)  # a fresh SQLite database in the bench's own home
    subprocess.run([sys.executable, "-m", "django", "migrate", "-v", "0"], env=env, check=True)
    return env


def _descendants(pid: int) -> list[int]:
    """``pid`` and every process below it (granian's main process and its workers)."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
            parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        pending += parents.get(current, [])
    return found


def _cpu_ns(pids: list[int]) -> int:
    """CPU nanoseconds spent so far by every thread of ``pids`` (Linux ``schedstat``; 0 elsewhere)."""
    total = 0
    for pid in pids:
        for stat in Path(f"/proc/{pid}/task").glob("*/schedstat"):
            try:
                total += int(stat.read_text().split()[0])
            except (OSError, ValueError, IndexError):
                continue
    return total


def end_to_end_run(env: dict[str, str], queries: list[Any], *, repeat: int = 1) -> dict[str, Any]:
    """``/api/v1/search`` over HTTP, beside the same engine work alone, query by query (#14).

    The server is granian (WSGI, one worker) on the tantivy index the bench built; the client
    keeps one HTTP/1.1 connection open, as a browser or an API client does, and times each
    ``GET /api/v1/search?q=...`` around the request and the whole body.

    The peer: each query is first answered once by ``services.search`` in this process with the
    engine's ``search`` and ``highlight_hits`` recorded — the expanded tree, the ten facets the
    API returns, the 50-hit rescoring window, the fallback stages, the person window and the
    page's highlights, as the service sends them — and those calls are replayed on the engine
    alone (``service_engine_ms``). ``service_in_process_ms`` is ``services.search`` itself in
    this process (no HTTP, no Django request). The three timings of a query are taken one after
    the other, each the best of ``repeat``, so a loaded machine weighs on all three alike.
    """
    import http.client
    import urllib.parse

    os.environ.update(env)  # before Django reads its settings
    import django

    django.setup()
    from django.conf import settings

    from mogao.search import services
    from mogao.search.backends import get_backend

    backend: Any = get_backend()
    calls: list[tuple[Any, tuple[Any, ...], dict[str, Any]]] = []

    def recording(method: Any) -> Any:
        def wrapper(*a: Any, **kw: Any) -> Any:
            calls.append((method, a, kw))
            return method(*a, **kw)

        return wrapper

    # the two entry points the service calls (highlight_hits may call highlight: not recorded twice)
    original = {"search": backend.search, "highlight_hits": backend.highlight_hits}
    lang = settings.LANGUAGE_CODE  # what the API answers a request without ?lang or Accept-Language

    def params(q: Any) -> Any:
        return services.params_from_query({"q": q.label, "per_page": "20"}, lang=lang)

    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable, "-m", "granian", "--interface", "wsgi", "--host", "127.0.0.1",
            "--port", str(port), "--workers", "1", "--no-ws", "mogao.site.wsgi:application",
        ],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    conn: http.client.HTTPConnection | None = None

    def get(q: Any) -> float:
        nonlocal conn
        path = "/api/v1/search?" + urllib.parse.urlencode({"q": q.label, "per_page": 20})
        if conn is None:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        t0 = time.perf_counter()
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = None
            raise
        if response.status != 200:
            raise RuntimeError(f"{path}: HTTP {response.status}")
        return (time.perf_counter() - t0) * 1000

    def best(timed: Any) -> tuple[float, float]:
        """The best wall-clock and the best CPU milliseconds of ``repeat`` runs."""
        runs = [timed() for _ in range(repeat)]
        return min(w for w, _ in runs), min(c for _, c in runs)

    def clocked(run: Any) -> Any:
        def timed() -> tuple[float, float]:
            c0, t0 = time.process_time(), time.perf_counter()
            run()
            return (time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000

        return timed

    server_pids: list[int] = []

    def served(q: Any) -> tuple[float, float]:
        """One GET: the client's wall clock, and the CPU the server's processes spent on it."""
        before = _cpu_ns(server_pids)
        wall = get(q)
        return wall, (_cpu_ns(server_pids) - before) / 1e6

    timings: dict[str, dict[str, list[float]]] = {}  # "e2e", "e2e_cpu", "engine", ... -> kind -> ms
    loads: list[float] = []

    def keep(name: str, kind: str, pair: tuple[float, float]) -> None:
        timings.setdefault(name, {}).setdefault(kind, []).append(pair[0])
        timings.setdefault(f"{name}_cpu", {}).setdefault(kind, []).append(pair[1])

    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                get(queries[0])
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("the granian server did not answer") from None
                time.sleep(0.3)
        server_pids[:] = _descendants(server.pid)
        for q in queries:  # warm-up, as for the engine: the server, then this process
            get(q)
            services.search(params(q))
        backend.search = recording(original["search"])
        backend.highlight_hits = recording(original["highlight_hits"])
        for n, q in enumerate(queries):
            calls.clear()
            services.search(params(q))
            asked = list(calls)

            def replay(asked: list[Any] = asked) -> None:
                for method, a, kw in asked:
                    method(*a, **kw)

            keep("e2e", q.kind, best(lambda q=q: served(q)))
            keep("engine", q.kind, best(clocked(replay)))
            keep("service", q.kind, best(clocked(lambda q=q: services.search(params(q)))))
            if n % 20 == 0:
                loads.append(os.getloadavg()[0])
    finally:
        backend.search, backend.highlight_hits = original["search"], original["highlight_hits"]
        backend.close()
        if conn is not None:
            conn.close()
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()

    def summary(by_kind: dict[str, list[float]]) -> dict[str, Any]:
        return {
            "all": _percentiles([s for samples in by_kind.values() for s in samples]),
            **{kind: _percentiles(samples) for kind, samples in by_kind.items()},
        }

    return {
        **summary(timings["e2e"]),
        "service_engine_ms": summary(timings["engine"]),
        "service_in_process_ms": summary(timings["service"]),
        # CPU milliseconds, which a loaded machine does not stretch: the server's processes (all
        # their threads, from /proc schedstat) per request, and this process for the other two
        "cpu_ms": {
            "end_to_end_server": summary(timings["e2e_cpu"]),
            "service_engine": summary(timings["engine_cpu"]),
            "service_in_process": summary(timings["service_cpu"]),
        },
        "load_average_during": [round(x, 1) for x in loads],
        "client": "one kept-alive HTTP/1.1 connection (http.client)",
    }


def run_children(engines: list[str], args: argparse.Namespace) -> dict[str, dict[str, Any]]:
    """Run each engine in its own child process (all at once with ``--parallel``).

    Adds each child's peak RSS and CPU seconds (its own and its analysis workers'): on a shared
    machine the CPU time is the figure that does not depend on what else is running.
    """
    results: dict[str, dict[str, Any]] = {}
    pending = list(engines)
    running: dict[int, tuple[str, subprocess.Popen[bytes], float, Any]] = {}
    while pending or running:
        while pending and (args.parallel or not running):
            engine = pending.pop(0)
            print(f"[bench] {engine}: building {args.records:,} records ...", file=sys.stderr, flush=True)
            cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", engine]
            for key in ("records", "data", "workdir", "per_kind", "processes", "postgres", "repeat"):
                cmd += [f"--{key.replace('_', '-')}", str(getattr(args, key))]
            if args.end_to_end:
                cmd.append("--end-to-end")
            if args.keep_postgres:
                cmd.append("--keep-postgres")
            fh = (Path(args.workdir) / f"{engine}.json").open("w")
            proc = subprocess.Popen(cmd, stdout=fh, start_new_session=True)
            running[proc.pid] = (engine, proc, time.monotonic(), fh)
        for pid, (engine, _proc, began, fh) in list(running.items()):
            done, status, usage = os.wait4(pid, os.WNOHANG)
            timed_out = not done and args.engine_timeout and time.monotonic() - began > args.engine_timeout
            if timed_out:
                os.killpg(pid, signal.SIGKILL)  # the worker and its analysis processes
                done, status, usage = os.wait4(pid, 0)
            if not done:
                continue
            fh.close()
            del running[pid]
            extra = {
                "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
                "cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
                "wall_s": round(time.monotonic() - began, 1),
            }
            progress = Path(args.workdir) / f"{engine}.progress"
            if timed_out or status != 0:
                reached = progress.read_text().strip() if progress.exists() else "no progress"
                why = f"stopped after {args.engine_timeout} s" if timed_out else f"exit status {status}"
                results[engine] = {"engine": engine, "error": f"{why} ({reached})", **extra}
            else:
                results[engine] = {**json.loads((Path(args.workdir) / f"{engine}.json").read_text()), **extra}
            brief = {k: v for k, v in results[engine].items() if k != "latency_ms"}
            print(f"[bench] {engine}: {json.dumps(brief)}", file=sys.stderr, flush=True)
            write({**args.partial, "engines": results}, args)
        time.sleep(1)
    return results


def write(results: dict[str, Any], args: argparse.Namespace) -> Path:
    """Write results JSON and the Markdown report; returns the report's path."""
    from report import render

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    suffix = "-quick" if args.quick else "" if args.records >= 1_000_000 else f"-{args.records}"
    (out / f"results{suffix}.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    report = out / f"RESULTS{suffix}.md"
    report.write_text(render(results))
    return report


def machine() -> dict[str, Any]:
    import tantivy

    info: dict[str, Any] = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "tantivy": getattr(tantivy, "__version__", "?"),
    }
    try:
        mem = Path("/proc/meminfo").read_text().split("\n")[0].split()[1]
        info["memory_gb"] = round(int(mem) / 1024 / 1024, 1)
        info["cpu_model"] = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
        info["load_average_at_start"] = os.getloadavg()
    except (OSError, StopIteration, IndexError):
        pass
    return info


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=0, help="default 1,000,000 (5,000 with --quick)")
    parser.add_argument("--quick", action="store_true",
                        help="a smoke run: 5,000 records, 10 queries per kind, tantivy and FTS5 (no PostgreSQL)")
    parser.add_argument("--engines", default="")
    parser.add_argument("--data", default=os.environ.get("MOGAO_SHARED_DATA", str(HERE.parents[2] / "shared" / "data")))
    parser.add_argument("--workdir", default="")
    parser.add_argument("--out", default=str(HERE))
    parser.add_argument("--per-kind", type=int, default=0)
    parser.add_argument("--processes", type=int, default=2, help="analysis worker processes")
    parser.add_argument("--postgres", default=os.environ.get("MOGAO_BENCH_POSTGRES_URL", DEFAULT_PG))
    parser.add_argument("--parallel", action="store_true", help="build the engines at the same time")
    parser.add_argument("--engine-timeout", type=int, default=0, help="stop an engine after N s")
    parser.add_argument(
        "--end-to-end", action="store_true",
        help="tantivy: also time /api/v1/search over HTTP (granian) on the same index",
    )
    parser.add_argument("--keep-postgres", action="store_true",
                        help="leave the table mogao_bench_search in place after the run (to study its plans)")
    parser.add_argument(
        "--repeat", type=int, default=1,
        help="time each query N times and keep the best (engine-only and end-to-end alike): on a "
        "shared machine, what a quiet one would show",
    )
    parser.add_argument("--worker", default="", help=argparse.SUPPRESS)
    parser.add_argument("--render", action="store_true",
                        help="rewrite RESULTS.md from the stored 1M-record runs (results*.json), measuring nothing")
    args = parser.parse_args()
    if args.render:
        from report import render_stored

        print(render_stored(Path(args.out)).read_text())
        return
    if not args.per_kind:
        args.per_kind = 10 if args.quick else 50
    args.records = args.records or (5_000 if args.quick else 1_000_000)
    args.engines = args.engines or ("tantivy,fts5" if args.quick else ",".join(ENGINES))
    if args.worker:
        json.dump(worker(args.worker, args), sys.stdout)
        return
    if not (Path(args.data) / "texts").is_dir():
        print(f"skipped: shared data not found at {args.data} (set --data or MOGAO_SHARED_DATA)")
        sys.exit(77)  # bench.common.SKIPPED
    own_workdir = not args.workdir
    args.workdir = args.workdir or tempfile.mkdtemp(prefix="mogao-bench-search-")
    Path(args.workdir).mkdir(parents=True, exist_ok=True)
    results = {"machine": machine(), "records": args.records, "per_kind": args.per_kind, "repeat": args.repeat,
               "engines": {},
               "quick": args.quick, "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
               "command": " ".join(["python bench/search/run.py", *sys.argv[1:]])}
    began = time.perf_counter()
    args.partial = results
    results["engines"] = run_children(args.engines.split(","), args)
    results["wall_s"] = round(time.perf_counter() - began, 1)
    results["parallel"] = bool(args.parallel)
    print(write(results, args).read_text())
    if own_workdir:
        shutil.rmtree(args.workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
