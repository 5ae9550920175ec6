"""Knowledge benchmarks, one command: extraction precision/recall, then suggester and related-items timing.

    python bench/knowledge/run.py [--quick] [--data ../shared/data]

Runs ``bench_extraction.py`` (the whole labelled set in both modes: it takes about a second) and
``bench_suggester.py`` (2,000 items; 300 with ``--quick``), each in its own process, and writes
``RESULTS.md`` / ``results.json`` (``RESULTS-quick.md`` / ``results-quick.json`` with ``--quick``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parents[1]), str(HERE.parents[1] / "src")]

from bench import common  # noqa: E402
from bench_extraction import fmt, table  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="300 items for the suggester instead of 2,000")
    parser.add_argument("--data", type=Path, default=common.SHARED)
    parser.add_argument("--items", type=int, default=0, help="suggester items (default 2000, 300 with --quick)")
    args = parser.parse_args()
    if not (args.data / "authority").is_dir():
        print(f"skipped: shared data not found at {args.data} (set --data or MOGAO_SHARED_DATA)")
        return common.SKIPPED
    items = args.items or (300 if args.quick else 2000)
    started, info = common.now(), common.machine()
    ext = common.run_json(HERE, "bench_extraction.py", "--data", str(args.data))
    sug = common.run_json(HERE, "bench_suggester.py", "--data", str(args.data), "--items", str(items))

    default = next(r for r in ext["rows"] if r["threshold"] == ext["default_threshold"] and r["source"] == "all")
    lines = common.header("Knowledge layer benchmarks", quick=args.quick, started=started, info=info)
    lines += [
        "## Extraction: precision and recall of the gazetteer",
        "",
        f"- Labels: `labels.json`, {ext['labelled']} mentions in {ext['snippets']} snippets "
        f"({', '.join(f'{n} {k}' for k, n in ext['snippets_by_source'].items())}), labelled by hand; texts "
        "are read from the shared data at run time, never stored here.",
        f"- Gazetteer built the way Mogao builds it from its entity tables, here from the real authority files "
        f"(DILA creators, Tang poets, DILA places, chinese-history-toolkits periods): {ext['surface_forms']:,} "
        f"surface forms, built in {ext['build_s']} s; all snippets matched in {ext['match_ms']} ms.",
        "- A prediction is correct when its span and kind equal a label's (entity resolution is not scored). "
        "Precision is undefined (n/a) when nothing is predicted: finding nothing is not perfect precision.",
        "",
        *table(ext["rows"]),
        "",
        f"**At the default threshold ({ext['default_threshold']}, `extraction.MIN_CONFIDENCE`): precision "
        f"{fmt(default['precision'], 'no predictions')} ({default['correct']}/{default['predicted']}), recall "
        f"{fmt(default['recall'], 'no labels')} ({default['correct']}/{default['labelled']}).** Target precision "
        f">= 0.9: {'met' if (default['precision'] or 0) >= 0.9 else 'NOT met'}.",
        "",
        "Errors at the default threshold:",
        "",
        *[f"- {what}: {surface} ({kind}) in {key}" for what, key, surface, kind in ext["errors_at_default"]],
        "",
        "The confidence weights were set while looking at these labels: this is a development set.",
        "",
        "## Suggester and related items: timing",
        "",
        f"A throw-away SQLite database: {sug['items']:,} items titled with real Taishō titles, {sug['works']} works "
        f"(a third of the items carry one), {sug['transcriptions']:,} transcriptions drawn from 全唐詩 poems, three "
        "holders, two find places (`bench_suggester.py`). Titles and texts are drawn with replacement, so many "
        "pairs share an identical title or text: the candidate count is an artefact of the data.",
        "",
        "| measure | result |",
        "|---|---|",
        f"| `join_candidates` over {sug['items']:,} items | {sug['join_candidates_s']} s, {sug['candidates']} "
        "candidates above the threshold |",
        f"| `item_related` per item page ({sug['item_related_samples']} items) | median "
        f"{sug['item_related_median_ms']} ms, p95 {sug['item_related_p95_ms']} ms |",
        "",
        "Signals among the candidates: " + (", ".join(f"{k} {n}" for k, n in sug["signals"].items()) or "none") + ".",
    ]
    report = common.write(HERE, quick=args.quick, markdown=lines,
                          data={"date": started, "machine": info, "quick": args.quick, "extraction": ext,
                                "suggester": sug})
    print(report.read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
