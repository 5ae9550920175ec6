"""Relevance evaluation: run judged queries through the search service, score nDCG@10, success@1,
success@10 and the zero-result rate.

A judged query names the records a reader expects with grades (3 = the record asked for, 2 =
another witness or translation, 1 = related). References are resolved against the loaded
database (see ``queries.json``); references naming nothing loaded are dropped, and a query left
with no judgment is skipped (reported as such).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
QUERIES = HERE / "queries.json"
HELDBACK = HERE / "heldback.json"
K = 10
HELD_SHARE = 4  # one query in four of queries.json is held back


def load_queries(path: Path = QUERIES) -> list[dict[str, Any]]:
    queries: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["queries"]
    return queries


def is_held_back(spec: dict[str, Any]) -> bool:
    """Deterministic split of queries.json: by a hash of the query text and type (~25% held back)."""
    digest = hashlib.sha256(f"{spec['type']}|{spec['q']}".encode()).hexdigest()
    return int(digest[:8], 16) % HELD_SHARE == 0


def split_queries() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(train, held back): the train part of queries.json; its held-back part plus heldback.json.

    Tuning looks at the train split only; the held-back split is reported as aggregates.
    """
    judged = load_queries(QUERIES)
    train = [q for q in judged if not is_held_back(q)]
    held = [q for q in judged if is_held_back(q)]
    if HELDBACK.exists():
        held += load_queries(HELDBACK)
    return train, held


def resolve(ref: str) -> list[str]:
    """Search document ids named by a judgment reference (empty when nothing loaded matches)."""
    from mogao.catalogue.models import Item, Work

    kind, _, value = ref.partition(":")
    if kind in ("work", "person", "place"):
        from mogao.knowledge.models import Person, Place

        model = {"work": Work, "person": Person, "place": Place}[kind]
        return [f"{kind}:{value}"] if model.objects.filter(pid=value).exists() else []
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
    success10: bool = False  # a record of the best grade is in the first ten
    zero: bool = False  # nothing found at all


@dataclass
class Report:
    results: list[QueryResult] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def by_type(self) -> dict[str, tuple[int, float, float]]:
        """type -> (queries, mean nDCG@10, success@1)."""
        return {t: s[:3] for t, s in self.stats_by_type().items()}

    @property
    def overall(self) -> tuple[int, float, float]:
        return self.stats()[:3]

    def stats(
        self, results: list[QueryResult] | None = None
    ) -> tuple[int, float, float, float, float]:
        """(queries, nDCG@10, success@1, success@10, zero-result rate) over ``results``."""
        rs = self.results if results is None else results
        n = len(rs)
        if not n:
            return 0, 0.0, 0.0, 0.0, 0.0
        return (
            n,
            sum(r.ndcg for r in rs) / n,
            sum(r.success for r in rs) / n,
            sum(r.success10 for r in rs) / n,
            sum(r.zero for r in rs) / n,
        )

    def stats_by_type(self) -> dict[str, tuple[int, float, float, float, float]]:
        groups: dict[str, list[QueryResult]] = defaultdict(list)
        for r in self.results:
            groups[r.type].append(r)
        return {t: self.stats(rs) for t, rs in sorted(groups.items())}


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
        best = max(grades.values())
        report.results.append(
            QueryResult(
                q=spec["q"],
                type=spec["type"],
                ndcg=ndcg(ranked, grades),
                success=bool(ranked) and grades.get(ranked[0], 0) > 0,
                top=ranked[:5],
                expected=grades,
                success10=any(grades.get(d, 0) == best for d in ranked[:K]),
                zero=page.total == 0,
            )
        )
    return report


def table(report: Report) -> list[str]:
    """Per-type lines: queries, nDCG@10, success@1, success@10, zero-result rate."""
    lines = [
        "| query type | queries | nDCG@10 | success@1 | success@10 | zero results |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for t, (count, mean, s1, s10, zero) in report.stats_by_type().items():
        lines.append(f"| {t} | {count} | {mean:.3f} | {s1:.2f} | {s10:.2f} | {zero:.2f} |")
    n, nd, s1, s10, zero = report.stats()
    lines.append(
        f"| **overall** | **{n}** | **{nd:.3f}** | **{s1:.2f}** | **{s10:.2f}** | **{zero:.2f}** |"
    )
    return lines


def markdown(
    report: Report, *, title: str, setup: str, held: Report | None = None, weakest_n: int = 12
) -> str:
    """The report as Markdown: per-type tables (train, then held back), and the weakest train queries.

    The held-back split is shown as aggregates only: its per-query results are never listed, so
    tuning cannot look at them.
    """
    lines = [f"# {title}", "", setup, ""]
    if held is not None:
        lines += ["## Train split", ""]
    lines += table(report)
    if held is not None:
        lines += ["", "## Held-back split (aggregates only)", ""]
        lines += table(held)
    lines += [
        "",
        "Targets: train nDCG@10 >= 0.95; held back success@10 >= 0.9 overall and >= 0.8 for every "
        "type; zero-result rate 0.",
        "",
    ]
    weakest = sorted(report.results, key=lambda r: r.ndcg)[:weakest_n]
    lines += [
        "## Weakest queries" + (" (train)" if held is not None else ""),
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
