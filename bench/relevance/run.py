"""Relevance benchmark: `python bench/relevance/run.py [--quick] [--engine tantivy|postgres|memory] [--no-dila]`.

Loads the built-in demo and (when ``../shared/data`` exists) the real DILA catalogue into a fresh
MOGAO_HOME, builds the index, runs the judged queries and writes nDCG@10, success@1, success@10
and the zero-result rate per query type to ``RESULTS.md`` (``RESULTS-<engine>.md`` for other
engines; ``--quick``: the built-in demo only, ``RESULTS-quick.md``): the train split of
``queries.json`` in full, the held-back split (a quarter of ``queries.json`` chosen by hash, plus
``heldback.json``) as aggregates only.

``--engine postgres`` indexes into the database named by ``MOGAO_DATABASE_URL`` (which must be
PostgreSQL); records already there are reused.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path[:0] = [str(REPO), str(REPO / "src")]

from bench import common  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", default="tantivy", choices=["tantivy", "postgres", "memory"])
    parser.add_argument(
        "--data",
        type=Path,
        default=common.SHARED,
    )
    parser.add_argument("--quick", action="store_true", help="the built-in demo only (implies --no-dila)")
    parser.add_argument(
        "--no-dila", action="store_true", help="Evaluate on the built-in demo only."
    )
    parser.add_argument("--out", type=Path, default=None, help="the report (default RESULTS.md beside this file)")
    parser.add_argument(
        "--home",
        type=Path,
        default=None,
        help="Reuse this MOGAO_HOME (records loaded once, index rebuilt each run).",
    )
    args = parser.parse_args()
    args.no_dila = args.no_dila or args.quick
    started_at, info = common.now(), common.machine()

    if args.engine == "postgres" and not os.environ.get("MOGAO_DATABASE_URL", "").startswith(
        ("postgres://", "postgresql://")
    ):
        parser.error("--engine postgres needs MOGAO_DATABASE_URL=postgres://...")
    home = str(args.home or tempfile.mkdtemp(prefix="mogao-relevance-"))
    os.environ["MOGAO_HOME"] = home
    os.environ["MOGAO_SEARCH_URL"] = f"{args.engine}://"
    os.environ["MOGAO_TASKS_URL"] = "dummy://"  # the index is rebuilt once below, not per record
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mogao.site.settings")
    sys.path.insert(0, str(HERE))
    import django

    django.setup()
    from django.core.management import call_command
    from evaluate import evaluate, markdown, split_queries

    from mogao.demo.loader import load_builtin
    from mogao.search.services import index_rebuild

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    from mogao.catalogue.models import Work

    reuse = Work.objects.exists()
    if not reuse:
        load_builtin()
    loaded = "the built-in demo"
    if not args.no_dila and (args.data / "catalogue").is_dir() and not reuse:
        from dila import load_dila

        counts = load_dila(args.data)
        loaded += f" + the DILA Taisho catalogue ({counts['dila_works']} works)"
    elif reuse:
        loaded = f"the records already in {home}"
    n = index_rebuild()
    load_s = time.perf_counter() - started
    started = time.perf_counter()
    train, held = split_queries()
    report = evaluate(train)
    held_report = evaluate(held)
    run_s = time.perf_counter() - started
    setup = (
        f"Engine `{args.engine}`, {n} documents from {loaded}; loading and indexing {load_s:.0f} s, "
        f"{len(report.results) + len(held_report.results)} queries in {run_s:.1f} s (first queries "
        "build the expansion dictionaries)."
    )
    head = common.header("Search relevance", quick=args.quick, started=started_at, info=info)
    text = markdown(report, title="Search relevance", setup="\n".join([*head[2:], setup]), held=held_report)

    def summary(rep: object) -> dict[str, object]:
        queries, ndcg, success = rep.overall  # type: ignore[attr-defined]
        return {"queries": queries, "ndcg10": ndcg, "success1": success}

    data = {"date": started_at, "machine": info, "quick": args.quick, "engine": args.engine, "documents": n,
            "loaded": loaded, "overall": summary(report), "held_back": summary(held_report),
            "by_type": report.by_type(), "held_back_by_type": held_report.by_type(), "skipped": report.skipped}
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        variant = "" if args.engine == "tantivy" else f"-{args.engine}"
        common.write(HERE, quick=args.quick, markdown=text.splitlines(), data=data, variant=variant)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
