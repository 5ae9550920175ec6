"""Extraction benchmark: precision and recall of the gazetteer on hand-labelled mentions.

Usage: ``.venv/bin/python bench/knowledge/bench_extraction.py [--data ../shared/data]`` (prints the
table; ``bench/knowledge/run.py`` runs it with the suggester bench and writes ``RESULTS.md``).

The gazetteer is built the way Mogao builds it from its entity tables, here from the real
authority files: DILA creators (2,180 people), Tang poets (3,675 people), DILA translation
places, and dynasties and reign eras from chinese-history-toolkits. Texts are read at run time
from the shared data (never copied into the repository); labels are in ``labels.json``.
"""

from __future__ import annotations

import argparse
import csv
import json
import time
from collections import Counter
from pathlib import Path
from typing import Any

from mogao.knowledge.gazetteer import Entry, Gazetteer, Match, surface_forms

HERE = Path(__file__).resolve().parent
THRESHOLDS = (0.5, 0.6, 0.7, 0.8)
# mogao.knowledge.extraction.MIN_CONFIDENCE (not imported: that module needs Django; a test keeps them equal)
DEFAULT_THRESHOLD = 0.6


def build_gazetteer(data: Path) -> Gazetteer:
    entries: list[Entry] = []
    pk = 0

    def add(kind: str, names: list[str]) -> None:
        nonlocal pk
        pk += 1
        for form, romanized in surface_forms(names):
            entries.append(Entry(kind, pk, form, romanized))

    for _id, name in json.loads((data / "authority/cbeta-metadata_all-creators.json").read_text("utf-8")):
        add("person", [name])
    for poet in json.loads((data / "authority/chinese-poetry_authors.tang.json").read_text("utf-8")):
        add("person", [poet["name"]])
    catalogue = json.loads((data / "catalogue/dila_authority_catalog_T.json").read_text("utf-8"))
    places = {p["id"]: p["name"] for w in catalogue.values() for p in w.get("places") or []}
    for name in places.values():
        add("place", [name])
    with (data / "authority/chhiskit_dynasty_reign_periods.csv").open(encoding="utf-8") as f:
        periods = {row["reignTitle"] or row["dynasty"] for row in csv.DictReader(f)}
    periods |= {w["dynasty"] for w in catalogue.values() if w.get("dynasty")}
    for name in sorted(periods):
        add("period", [name])
    return Gazetteer(entries)


def load_texts(data: Path, labels: dict) -> list[tuple[str, str, str, list[tuple[str, str]]]]:
    """(source, id, text, gold mentions) per snippet, reading the texts from the shared data."""
    catalogue = json.loads((data / "catalogue/dila_authority_catalog_T.json").read_text("utf-8"))
    tang = json.loads((data / "texts/demo/tangshi_300.json").read_text("utf-8"))["content"]
    poems = [p for section in tang for p in section.get("content", [section])]
    out = []
    for s in labels["snippets"]:
        if s["source"] == "dila-byline":
            text, context = catalogue[s["work"]]["byline"], "byline"
            key = s["work"]
        else:
            poem = poems[s["index"]]
            text, context = poem["chapter"] + "。" + "".join(poem["paragraphs"]), "text"
            key = str(s["index"])
        out.append((context, key, text, [tuple(m) for m in s["mentions"]]))
    return out


def gold_spans(text: str, mentions: list[tuple[str, str]]) -> set[tuple[int, int, str]]:
    """Spans of the labelled surfaces; repeated surfaces take successive occurrences."""
    spans, taken = set(), Counter()
    for surface, kind in mentions:
        start = -1
        for _ in range(taken[surface] + 1):
            start = text.index(surface, start + 1)
        taken[surface] += 1
        spans.add((start, start + len(surface), kind))
    return spans


def predicted(matches: list[Match], threshold: float) -> set[tuple[int, int, str]]:
    best: dict[tuple[int, int, str], float] = {}
    for m in matches:
        key = (m.start, m.end, m.kind)
        best[key] = max(best.get(key, 0.0), m.confidence)
    return {k for k, c in best.items() if c >= threshold}


def score(tp: int, fp: int, fn: int) -> tuple[float | None, float | None]:
    """(precision, recall); None where undefined: no predictions (precision) or no labels (recall).

    Zero predictions are not perfect precision: a matcher that finds nothing must not score 1.0.
    """
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    return precision, recall


def fmt(value: float | None, why: str) -> str:
    """A score with three decimals, or ``n/a`` with the reason it is undefined."""
    return f"{value:.3f}" if value is not None else f"n/a ({why})"


def evaluate(data: Path) -> dict[str, Any]:
    """Build the gazetteer, match every snippet, score every (threshold, source); errors at the default."""
    labels = json.loads((HERE / "labels.json").read_text("utf-8"))
    t0 = time.perf_counter()
    gaz = build_gazetteer(data)
    built = time.perf_counter() - t0
    snippets = load_texts(data, labels)
    t0 = time.perf_counter()
    found = [(ctx, key, text, gold, gaz.find(text, context=ctx)) for ctx, key, text, gold in snippets]
    matched = time.perf_counter() - t0
    rows, errors = [], []
    for threshold in THRESHOLDS:
        for source in ("byline", "text", "all"):
            tp = fp = fn = 0
            for ctx, key, text, gold, matches in found:
                if source != "all" and ctx != source:
                    continue
                g, p = gold_spans(text, gold), predicted(matches, threshold)
                tp, fp, fn = tp + len(g & p), fp + len(p - g), fn + len(g - p)
                if threshold == DEFAULT_THRESHOLD and source == "all":
                    errors += [("false positive", key, text[s:e], k) for s, e, k in sorted(p - g)]
                    errors += [("missed", key, text[s:e], k) for s, e, k in sorted(g - p)]
            precision, recall = score(tp, fp, fn)
            rows.append({"threshold": threshold, "source": source, "labelled": tp + fn, "predicted": tp + fp,
                         "correct": tp, "precision": precision, "recall": recall})
    return {
        "surface_forms": len(gaz), "build_s": round(built, 2), "snippets": len(snippets),
        "snippets_by_source": dict(Counter(ctx for ctx, *_ in snippets)),
        "labelled": sum(len(g) for *_, g in snippets), "match_ms": round(matched * 1000, 1),
        "default_threshold": DEFAULT_THRESHOLD, "rows": rows, "errors_at_default": errors,
    }


def table(rows: list[dict[str, Any]]) -> list[str]:
    lines = ["| threshold | source | labelled | predicted | correct | precision | recall |",
             "|---|---|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['threshold']} | {r['source']} | {r['labelled']} | {r['predicted']} | {r['correct']} | "
                     f"{fmt(r['precision'], 'no predictions')} | {fmt(r['recall'], 'no labels')} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=HERE.parents[2] / "shared" / "data")
    parser.add_argument("--show", action="store_true", help="print every error at the default threshold")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()
    result = evaluate(args.data)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
        return
    print(f"gazetteer: {result['surface_forms']} surface forms, built in {result['build_s']:.2f} s; "
          f"{result['snippets']} snippets, {result['labelled']} labelled mentions, matched in "
          f"{result['match_ms']:.1f} ms\n")
    print("\n".join(table(result["rows"])))
    if args.show:
        for what, key, surface, kind in result["errors_at_default"]:
            print(f"  {what} {key}: {surface} ({kind})")


if __name__ == "__main__":
    main()
