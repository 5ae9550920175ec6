"""Relevance at target: the judged queries of bench/relevance on the demo (and the DILA catalogue).

Targets (issue #3): nDCG@10 >= 0.9 overall and >= 0.8 for every query type.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "relevance"
OVERALL, PER_TYPE = 0.9, 0.8


def bench_module(name: str) -> ModuleType:
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    return importlib.import_module(name)


def assert_at_target(report: Any) -> None:
    evaluate = bench_module("evaluate")
    text = evaluate.markdown(report, title="relevance (test run)", setup="")
    n, overall, _ = report.overall
    assert n >= 60, f"only {n} judged queries ran\n{text}"
    assert overall >= OVERALL, text
    for kind, (_count, mean, _s1) in report.by_type().items():
        assert mean >= PER_TYPE, f"{kind}: nDCG@10 {mean:.3f}\n{text}"


def test_ndcg_arithmetic() -> None:
    evaluate = bench_module("evaluate")
    assert evaluate.ndcg(["a", "b"], {"a": 3, "b": 2}) == pytest.approx(1.0)
    assert evaluate.ndcg(["b", "a"], {"a": 3, "b": 2}) < 1.0
    assert evaluate.ndcg(["x"], {"a": 3}) == 0.0
    assert len(evaluate.load_queries()) >= 60


@pytest.mark.django_db
def test_relevance_on_the_demo(demo: dict[str, int]) -> None:
    report = bench_module("evaluate").evaluate()
    assert_at_target(report)


@pytest.mark.shared_data
@pytest.mark.django_db
def test_relevance_on_the_demo_and_the_dila_catalogue(demo: dict[str, int], shared_data: Path) -> None:
    from mogao.search.services import index_rebuild

    counts = bench_module("dila").load_dila(shared_data)
    assert counts["dila_works"] > 2400
    index_rebuild()
    report = bench_module("evaluate").evaluate()
    assert len(report.results) >= 100
    assert_at_target(report)
