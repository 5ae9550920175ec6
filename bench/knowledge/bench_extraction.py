"""Extraction benchmark: precision and recall of the gazetteer on hand-labelled mentions.

Usage: ``.venv/bin/python bench/knowledge/bench_extraction.py [--data ../shared/data]``

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

from mogao.knowledge.gazetteer import Entry, Gazetteer, Match, surface_forms

HERE = Path(__file__).resolve().parent
THRESHOLDS = (0.5, 0.6, 0.7, 0.8)


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=HERE.parents[2] / "shared" / "data")
    parser.add_argument("--show", action="store_true", help="print every error")
    args = parser.parse_args()
    labels = json.loads((HERE / "labels.json").read_text("utf-8"))
    t0 = time.perf_counter()
    gaz = build_gazetteer(args.data)
    built = time.perf_counter() - t0
    snippets = load_texts(args.data, labels)
    n_gold = sum(len(g) for *_, g in snippets)
    t0 = time.perf_counter()
    found = [(ctx, key, text, gold, gaz.find(text, context=ctx)) for ctx, key, text, gold in snippets]
    matched = time.perf_counter() - t0
    print(f"gazetteer: {len(gaz)} surface forms, built in {built:.2f} s; "
          f"{len(snippets)} snippets, {n_gold} labelled mentions, matched in {matched * 1000:.1f} ms\n")
    print("| threshold | source | labelled | predicted | correct | precision | recall |")
    print("|---|---|---|---|---|---|---|")
    for threshold in THRESHOLDS:
        for source in ("byline", "text", "all"):
            tp = fp = fn = 0
            for ctx, key, text, gold, matches in found:
                if source != "all" and ctx != source:
                    continue
                g, p = gold_spans(text, gold), predicted(matches, threshold)
                tp, fp, fn = tp + len(g & p), fp + len(p - g), fn + len(g - p)
                if args.show and threshold == 0.6 and source == "all":
                    for s, e, k in sorted(p - g):
                        print(f"  FP {key}: {text[s:e]} ({k})")
                    for s, e, k in sorted(g - p):
                        print(f"  FN {key}: {text[s:e]} ({k})")
            precision = tp / (tp + fp) if tp + fp else 1.0
            recall = tp / (tp + fn) if tp + fn else 1.0
            print(f"| {threshold} | {source} | {tp + fn} | {tp + fp} | {tp} | {precision:.3f} | {recall:.3f} |")


if __name__ == "__main__":
    main()
