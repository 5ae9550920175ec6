"""Renders the search benchmark's JSON results as the Markdown report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

KINDS = ("2-char", "4-char", "romanized", "english")
TARGET_P95_MS = 15.0
TARGET_BUILD_S = 180.0
TARGET_RSS_MB = 2048.0
TARGET_E2E_P95_MS = 30.0  # /api/v1/search over HTTP at 1M records (#14)
TARGET_E2E_RATIO = 2.0  # end-to-end p95 / p95 of the same engine work alone (#14)
TARGET_PG_P95_MS = 150.0  # PostgreSQL engine, p95 with facet counts at 1M records (#19)
TARGET_PG_BUILD_S = 600.0  # PostgreSQL engine, full build at 1M records (#19)


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:,.0f} MB"


def _ratio(a: float, b: float) -> str:
    return f"{a / b:,.1f}×" if b else "n/a"


def render(results: dict[str, Any], *, title: str = "Search benchmark", depth: int = 0) -> str:
    """The Markdown report of one run; ``depth`` pushes its headings down (for combined files)."""
    text = _render(results, title)
    if not depth:
        return text
    return "\n".join("#" * depth + line if line.startswith("#") else line for line in text.split("\n"))


def _render(results: dict[str, Any], title: str) -> str:
    engines: dict[str, Any] = results["engines"]
    m = results["machine"]
    lines = [
        f"# {title}",
        "",
        *([f"Written by `{results['command']}` on {results.get('date', '?')}"
           + (" — **quick mode** (small sizes, a smoke run: figures are not comparable with the targets)"
              if results.get("quick") else "") + "; do not edit by hand, rerun instead.", ""]
          if "command" in results else []),
        f"{results['records']:,} records (the 332,905 real Tang/Song poems of `../shared/data` plus "
        "generated catalogue-shaped records), the same tokens (`mogao.text.tokens`) in every engine, "
        f"{results['per_kind']} queries per kind, top 20 with highlights, facet counts over "
        "5 fields when marked"
        + (f"; each query timed {results['repeat']} times and its best time kept (engine-only and end-to-end "
           "alike), to see through a shared machine's load" if results.get("repeat", 1) > 1 else "")
        + ". Produced by `python bench/search/run.py` in one run "
        f"({results.get('wall_s', 0):,.0f} s"
        + ("; the engines were built at the same time, each in its own process" if results.get("parallel") else "")
        + ").",
        "",
        f"Machine: {m.get('cpu_model', '?')}, {m.get('cpus')} CPUs, {m.get('memory_gb', '?')} GB, "
        f"Python {m.get('python')}, tantivy {m.get('tantivy')}, {m.get('platform')}; "
        f"load average at start {m.get('load_average_at_start', '?')} (the machine is shared).",
        "",
        "## Build",
        "",
        "| engine | records | build (wall) | build + queries CPU | index size | peak RSS |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, r in engines.items():
        if "error" in r:
            lines.append(
                f"| {name} | not finished: {r['error']} | | {r.get('cpu_s', 0):,.0f} s | | "
                f"{r.get('peak_rss_mb', 0):,.0f} MB |"
            )
            continue
        lines.append(
            f"| {name} | {r['records']:,} | {r['build_s']:,.0f} s | {r.get('cpu_s', 0):,.0f} s | "
            f"{_mb(r['index_bytes'])} | "
            f"{r.get('peak_rss_mb', 0):,.0f} MB |"
        )
    lines += [
        "",
        "## Latency (ms): p50 / p95 / p99",
        "",
        "| engine | kind | without facets | with facets | median hits |",
        "|---|---|---|---|---:|",
    ]
    for name, r in engines.items():
        if "error" in r:
            continue
        for kind in KINDS:
            s = r["latency_ms"].get(kind)
            if not s:
                continue
            cells = [f"{s[mode]['p50']} / {s[mode]['p95']} / {s[mode]['p99']}" for mode in ("plain", "facets")]
            lines.append(f"| {name} | {kind} | {cells[0]} | {cells[1]} | {r['median_hits'].get(kind, 0):,} |")
        a = r["latency_ms_all"]
        lines.append(
            f"| {name} | **all** | {a['plain']['p50']} / {a['plain']['p95']} / {a['plain']['p99']} | "
            f"{a['facets']['p50']} / {a['facets']['p95']} / {a['facets']['p99']} | |"
        )
    lines += [
        "",
        "## CPU per query in the benchmark process, all kinds (ms): p50 / p95 / p99",
        "",
        "The wall-clock latencies above include waiting for a CPU on a shared machine; this is the "
        "CPU the searching process itself spent; for PostgreSQL, *postgres (server)* is the CPU its "
        "server process spent on the same queries (Linux schedstat), and the two added are what one "
        "query costs the machine.",
        "",
        "| engine | without facets | with facets |",
        "|---|---|---|",
    ]
    for name, r in engines.items():
        c = r.get("client_cpu_ms_all")
        if c:
            cells = [f"{c[m]['p50']} / {c[m]['p95']} / {c[m]['p99']}" for m in ("plain", "facets")]
            lines.append(f"| {name} | {cells[0]} | {cells[1]} |")
        if c := r.get("server_cpu_ms_all"):
            cells = [f"{c[m]['p50']} / {c[m]['p95']} / {c[m]['p99']}" for m in ("plain", "facets")]
            lines.append(f"| {name} (server) | {cells[0]} | {cells[1]} |")
    t = engines.get("tantivy", {})
    if "latency_ms_all" in t:
        lines += ["", "## Ratios (p95, all queries)", ""]
        for other in ("fts5", "postgres"):
            o = engines.get(other, {})
            if "latency_ms_all" not in o:
                continue
            for mode in ("plain", "facets"):
                lines.append(
                    f"- {other} / tantivy, {'with' if mode == 'facets' else 'without'} facets: "
                    f"{_ratio(o['latency_ms_all'][mode]['p95'], t['latency_ms_all'][mode]['p95'])}"
                )
    e2e = t.get("end_to_end_ms")
    if e2e:
        lines += [
            "",
            "## End to end: `/api/v1/search` over HTTP (granian, WSGI, one worker)",
            "",
            "Expansion, facets, did-you-mean, suggestions, the prior's rescoring window and JSON, "
            "timed in the client around each GET; the same queries and index as above"
            + (f" ({e2e['client']})" if e2e.get("client") else "") + ".",
            "",
            "| kind | p50 / p95 / p99 |",
            "|---|---|",
        ]
        peer = e2e.get("service_engine_ms") or {}
        inproc = e2e.get("service_in_process_ms") or {}
        if peer:
            lines[-2:] = [
                "| kind | end to end, p50 / p95 / p99 | the same engine work alone | `services.search` in process |",
                "|---|---|---|---|",
            ]
        for kind, stats in e2e.items():
            if isinstance(stats, dict) and "p95" in stats:
                cells = [f"{stats['p50']} / {stats['p95']} / {stats['p99']}"]
                if peer:
                    cells += [
                        f"{p['p50']} / {p['p95']} / {p['p99']}" if (p := part.get(kind)) else "–"
                        for part in (peer, inproc)
                    ]
                lines.append(f"| {kind} | {' | '.join(cells)} |")
        if peer:
            lines.append(
                "\nThe same engine work alone: each query's `search` and `highlight_hits` calls, recorded while "
                "`services.search` answered it once in the bench process (the expanded tree, the ten "
                "facets the API returns, the 50-hit rescoring window, fallback stages, the person window "
                "and the 20 highlights), replayed on the engine without the service; `services.search` in "
                "process is the service without HTTP and Django's request handling. The three are timed "
                "query by query, one after the other (each the best of the run's repeats), so the "
                "machine's load weighs on them alike."
            )
            ratio = e2e.get("ratio_p95_to_service_engine")
            verdict = "met" if ratio is not None and ratio <= TARGET_E2E_RATIO else "NOT met"
            lines.append(
                f"\nEnd-to-end p95 / p95 of the same engine work alone: **{ratio}** "
                f"(target ≤ {TARGET_E2E_RATIO:g}: {verdict}); end-to-end p95 {e2e['all']['p95']} ms "
                f"(target ≤ {TARGET_E2E_P95_MS:.0f} ms at 1M records: "
                f"{'met' if e2e['all']['p95'] <= TARGET_E2E_P95_MS else 'NOT met'})."
            )
        cpu = e2e.get("cpu_ms") or {}
        if cpu:
            lines += [
                "",
                "CPU milliseconds (what a loaded machine does not stretch; best of the repeats): the "
                "server's processes per request (every thread of granian and its worker, from Linux "
                "`schedstat`), and the bench process for the other two:",
                "",
                "| kind | server, per request | the same engine work alone | `services.search` in process |",
                "|---|---|---|---|",
            ]
            for kind, stats in cpu["end_to_end_server"].items():
                cells = [
                    f"{p['p50']} / {p['p95']} / {p['p99']}" if (p := cpu[part].get(kind)) else "–"
                    for part in ("service_engine", "service_in_process")
                ]
                lines.append(f"| {kind} | {stats['p50']} / {stats['p95']} / {stats['p99']} | {' | '.join(cells)} |")
            lines.append(
                f"\nServer CPU p95 / CPU p95 of the same engine work alone: "
                f"{e2e.get('cpu_ratio_p95_server_to_service_engine')}."
            )
        if e2e.get("load_average_during"):
            lines.append(
                "\nLoad average (1 min) while these were timed, every 20 queries: "
                + ", ".join(str(x) for x in e2e["load_average_during"]) + "."
            )
        lines.append(
            f"\nEnd-to-end p95 / the engine-only p95 above (five facets, 20 hits with highlights, "
            f"queries pre-expanded by the bench, not by the service): {e2e.get('ratio_p95_to_engine_facets')}."
        )
    if "latency_ms_all" in t and results["records"] >= 1_000_000:
        worst = max(s["facets"]["p95"] for s in t["latency_ms"].values())
        lines += [
            "",
            "## Targets (tantivy)",
            "",
            f"- p95 with facet counts ≤ {TARGET_P95_MS:.0f} ms, all queries: "
            f"{t['latency_ms_all']['facets']['p95']} ms — "
            f"{'met' if t['latency_ms_all']['facets']['p95'] <= TARGET_P95_MS else 'NOT met'}; "
            f"worst single kind: {worst} ms — {'met' if worst <= TARGET_P95_MS else 'NOT met'}",
            f"- full build ≤ {TARGET_BUILD_S:.0f} s: {t['build_s']:,.0f} s — "
            f"{'met' if t['build_s'] <= TARGET_BUILD_S else 'NOT met'}",
            f"- peak memory ≤ 2 GB: {t.get('peak_rss_mb', 0):,.0f} MB — "
            f"{'met' if t.get('peak_rss_mb', 0) <= TARGET_RSS_MB else 'NOT met'}",
        ]
    pg = engines.get("postgres", {})
    if "latency_ms_all" in pg and results["records"] >= 1_000_000:
        p95 = pg["latency_ms_all"]["facets"]["p95"]
        worst = max(s["facets"]["p95"] for s in pg["latency_ms"].values())
        lines += [
            "",
            "## Targets (PostgreSQL, #19)",
            "",
            f"Text index: {pg.get('text_index', 'GIN (before RUM)')}.",
            "",
            f"- p95 with facet counts ≤ {TARGET_PG_P95_MS:.0f} ms, all queries: {p95} ms — "
            f"{'met' if p95 <= TARGET_PG_P95_MS else 'NOT met'}; worst single kind: {worst} ms",
            f"- full build ≤ {TARGET_PG_BUILD_S:.0f} s: {pg['build_s']:,.0f} s — "
            f"{'met' if pg['build_s'] <= TARGET_PG_BUILD_S else 'NOT met'}",
        ]
        if pg.get("text_index"):
            exact = ("totals and facet counts above about 10,000 hits" if "GIN" in pg["text_index"]
                     else "totals and facet counts above 5,000 hits (totals above 10,000)")  # before run G
            lines.append(
                f"- {exact} are estimates from a hash "
                "sample of the hits, marked as such in the results (docs/search.md); tantivy counts exactly"
            )
    lines += [
        "",
        "Notes: latencies are measured in the client around `search()` and include query "
        "compilation, facet counting, fetching the stored documents of the 20 hits and computing "
        "their highlights in Python. Romanized queries are pre-expanded to up to five Chinese "
        "candidates (an OR), as the search service expands them. PostgreSQL's peak RSS is the "
        "client's only; its index size is `pg_total_relation_size` of the table.",
        "",
    ]
    return "\n".join(lines)


STORED_RUNS = {  # the stored full runs, in the order RESULTS.md shows them
    "results.json": "Run A — tantivy, PostgreSQL and SQLite FTS5 in one run",
    "results-1m-tantivy-run-b.json": "Run B — tantivy alone",
    "results-1m-tantivy-run-c.json": "Run C — tantivy alone",
    "results-1m-tantivy-previous-code.json": "Before — the code of the previous stop, same machine, same command",
    "results-1m-postgres-rum.json": "Run D — PostgreSQL (RUM, bounded counts) and tantivy in one run (#19)",
    "results-1m-postgres-run-e.json": "Run E — PostgreSQL and tantivy in one run on a quiet machine, best of 3 (#19)",
    "results-1m-postgres-run-f.json": "Run F — as run E, with GIN beside RUM, conjunctions ranked from the GIN bitmap "
                                      "and no server-side prepared statements (#19)",
    "results-1m-postgres-run-g.json": "Run G — as run F, with the searches run without JIT and parallel workers: "
                                      "the code of this stop (#19)",
}


def render_stored(out: Path) -> Path:
    """RESULTS.md from the stored full runs: a summary table, then each run's report (all by code)."""
    runs = {name: json.loads((out / name).read_text()) for name in STORED_RUNS if (out / name).exists()}
    lines = [
        "# Search benchmark — results",
        "",
        "Written by `python bench/search/run.py --render` from the stored 1,000,000-record runs "
        f"({', '.join(f'`{n}`' for n in runs)}), each produced by `python bench/search/run.py` (run A with all three "
        "engines, runs D to G with `--engines postgres,tantivy` (E to G with `--repeat 3`), the others with "
        "`--engines tantivy`); do not edit by "
        "hand, rerun instead. The 1M-record run "
        "takes about half an hour; `--quick` writes `RESULTS-quick.md` instead.",
        "",
        "| run | tantivy build (wall) | CPU (build + queries) | peak RSS | index | p95 all queries, with facets | "
        "p95 worst kind, with facets | load average at start |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for name, results in runs.items():
        t = results["engines"].get("tantivy", {})
        if "latency_ms_all" not in t:
            continue
        worst = max(k["facets"]["p95"] for k in t["latency_ms"].values())
        load = ", ".join(f"{x:.1f}" for x in results["machine"].get("load_average_at_start", []))
        lines.append(
            f"| {STORED_RUNS[name].split(' — ')[0]} | {t['build_s']:,.0f} s | {t.get('cpu_s', 0):,.0f} s | "
            f"{t.get('peak_rss_mb', 0):,.0f} MB | {t['index_bytes'] / 1024 / 1024:,.0f} MB | "
            f"{t['latency_ms_all']['facets']['p95']} ms | {worst} ms | {load} |")
    pg_rows = [
        (name, results) for name, results in runs.items()
        if "latency_ms_all" in results["engines"].get("postgres", {})
    ]
    if pg_rows:
        lines += [
            "",
            "PostgreSQL in the runs that built it (the ratio is to tantivy in the same run):",
            "",
            "| run | text index | build (wall) | p95 all queries, without / with facets | with facets / tantivy | "
            "load average at start |",
            "|---|---|---:|---:|---:|---|",
        ]
        for name, results in pg_rows:
            pg, t = results["engines"]["postgres"], results["engines"].get("tantivy", {})
            p95 = pg["latency_ms_all"]["facets"]["p95"]
            peer = t.get("latency_ms_all", {}).get("facets", {}).get("p95")
            load = ", ".join(f"{x:.1f}" for x in results["machine"].get("load_average_at_start", []))
            lines.append(
                f"| {STORED_RUNS[name].split(' — ')[0]} | {pg.get('text_index', 'GIN')} | {pg['build_s']:,.0f} s | "
                f"{pg['latency_ms_all']['plain']['p95']} / {p95} ms | "
                f"{f'{p95 / peer:,.1f}×' if peer else 'n/a'} | {load} |")
    lines.append("")
    text = "\n".join(lines)
    for name, results in runs.items():
        text += "\n" + render(results, title=STORED_RUNS[name], depth=1)
    report = out / "RESULTS.md"
    report.write_text(text)
    return report


def main() -> None:
    """``python bench/search/report.py RUN.json[=Title] ...``: one Markdown file from several runs."""
    import json
    import sys

    parts = []
    for arg in sys.argv[1:]:
        path, _, title = arg.partition("=")
        with open(path, encoding="utf-8") as fh:
            parts.append(render(json.load(fh), title=title or path, depth=1))
    print("\n".join(parts))


if __name__ == "__main__":
    main()
