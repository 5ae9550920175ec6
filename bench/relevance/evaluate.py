"""Relevance evaluation: run judged queries through the search service, score nDCG@10 and success@1.

A judged query names the records a reader expects with grades (3 = the record asked for, 2 =
another witness or translation, 1 = related). References are resolved against the loaded
database (see ``queries.json``); references naming nothing loaded are dropped, and a query left
with no judgment is skipped (reported as such).
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
QUERIES = HERE / "queries.json"
K = 10


def load_queries(path: Path = QUERIES) -> list[dict[str, Any]]:
    queries: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["queries"]
    return queries


def resolve(ref: str) -> list[str]:
    """Search document ids named by a judgment reference (empty when nothing loaded matches)."""
    from mogao.catalogue.models import Item, Work

    kind, _, value = ref.partition(":")
    if kind in ("work", "person", "place"):
        return [f"{kind}:{value}"]
    if kind == "taisho":
        return [
            f"work:{p}"
            for p in Work.objects.filter(identifiers__taisho=value).values_list("pid", flat=True)
        ]
    if kind in ("shelf", "local"):
        code, _, mark = value.partition("|")
        lookup = {"shelfmark": mark} if kind == "shelf" else {"local_id": mark}
        return [
            f"item:{p}"
            for p in Item.objects.filter(institution__code=code, **lookup).values_list(
                "pid", flat=True
            )
        ]
    if kind == "creator":
        from mogao.knowledge.models import Person

        # matched in Python: JSON text in SQLite escapes CJK, so icontains cannot see it
        people = [
            p.pk
            for p in Person.objects.all()
            if value in [*(v for vs in p.name.values() for v in vs), *p.aliases]
        ]
        works = Work.objects.filter(creators__person__in=people).distinct()
        return [f"work:{p}" for p in works.values_list("pid", flat=True)]
    raise ValueError(f"unknown judgment reference {ref!r}")


def judgments(rel: dict[str, int]) -> dict[str, int]:
    """Doc id -> grade; a record named twice keeps its highest grade."""
    out: dict[str, int] = {}
    for ref, grade in rel.items():
        for doc in resolve(ref):
            out[doc] = max(grade, out.get(doc, 0))
    return out


def ndcg(ranked: list[str], grades: dict[str, int], k: int = K) -> float:
    dcg = sum((2 ** grades.get(d, 0) - 1) / math.log2(i + 2) for i, d in enumerate(ranked[:k]))
    ideal = sorted(grades.values(), reverse=True)[:k]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


@dataclass
class QueryResult:
    q: str
    type: str
    ndcg: float
    success: bool
    top: list[str]
    expected: dict[str, int]


@dataclass
class Report:
    results: list[QueryResult] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def by_type(self) -> dict[str, tuple[int, float, float]]:
        """type -> (queries, mean nDCG@10, success@1)."""
        groups: dict[str, list[QueryResult]] = defaultdict(list)
        for r in self.results:
            groups[r.type].append(r)
        return {
            t: (len(rs), sum(r.ndcg for r in rs) / len(rs), sum(r.success for r in rs) / len(rs))
            for t, rs in sorted(groups.items())
        }

    @property
    def overall(self) -> tuple[int, float, float]:
        n = len(self.results)
        if not n:
            return 0, 0.0, 0.0
        return n, sum(r.ndcg for r in self.results) / n, sum(r.success for r in self.results) / n


def evaluate(queries: list[dict[str, Any]] | None = None) -> Report:
    """Run every judged query through :func:`mogao.search.services.search` (nothing recorded)."""
    from mogao.search import services

    report = Report()
    for spec in queries if queries is not None else load_queries():
        grades = judgments(spec["rel"])
        if not grades:
            report.skipped.append(spec["q"])
            continue
        params = services.params_from_query(
            {"q": spec["q"], "lang": spec.get("lang", "en"), "per_page": str(K)}
        )
        page = services.search(params, record=False)
        ranked = [h.id for h in page.hits]
        report.results.append(
            QueryResult(
                q=spec["q"],
                type=spec["type"],
                ndcg=ndcg(ranked, grades),
                success=bool(ranked) and grades.get(ranked[0], 0) > 0,
                top=ranked[:5],
                expected=grades,
            )
        )
    return report


def markdown(report: Report, *, title: str, setup: str) -> str:
    """The report as Markdown: per-type table, overall line, and the weakest queries."""
    n, nd, s1 = report.overall
    lines = [
        f"# {title}",
        "",
        setup,
        "",
        "| query type | queries | nDCG@10 | success@1 |",
        "|---|---:|---:|---:|",
    ]
    for t, (count, mean, success) in report.by_type().items():
        lines.append(f"| {t} | {count} | {mean:.3f} | {success:.2f} |")
    lines.append(f"| **overall** | **{n}** | **{nd:.3f}** | **{s1:.2f}** |")
    lines += ["", "Targets: nDCG@10 >= 0.9 overall and >= 0.8 for every type.", ""]
    weakest = sorted(report.results, key=lambda r: r.ndcg)[:12]
    lines += [
        "## Weakest queries",
        "",
        "| query | type | nDCG@10 | top results |",
        "|---|---|---:|---|",
    ]
    for r in weakest:
        top = ", ".join(f"{d}{'*' if r.expected.get(d) else ''}" for d in r.top[:3])
        lines.append(f"| {r.q} | {r.type} | {r.ndcg:.3f} | {top} |")
    if report.skipped:
        lines += ["", "Skipped (nothing judged is loaded): " + ", ".join(report.skipped)]
    lines.append("")
    lines.append("`*` marks a judged-relevant record.")
    return "\n".join(lines) + "\n"
