"""Shared by the search contract tests: the corpus every engine indexes and engine factories."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from mogao.search.backends.base import SearchBackend
from mogao.search.types import SearchDocument

PG_URL = os.environ.get("MOGAO_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")
ENGINES = ("memory", "tantivy", "postgres")


def postgres_reachable() -> str | None:
    """None when PostgreSQL answers, else the reason it does not."""
    try:
        import psycopg

        with psycopg.connect(PG_URL.replace("postgres://", "postgresql://", 1), connect_timeout=3):
            return None
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"


def make_engine(name: str, tmp_path: Path) -> SearchBackend:
    """A fresh, empty engine of the named kind."""
    if name == "memory":
        from mogao.search.backends.memory import MemoryBackend

        return MemoryBackend("memory://")
    if name == "tantivy":
        from mogao.search.backends.tantivy_backend import TantivyBackend

        return TantivyBackend(f"tantivy://{tmp_path / 'index'}")
    reason = postgres_reachable()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL unreachable at {PG_URL} in CI: {reason}")
        pytest.skip(f"PostgreSQL unreachable at {PG_URL} ({reason}); CI runs these")
    from mogao.search.backends.postgres import PostgresBackend

    table = f"mogao_search_t{uuid.uuid4().hex[:12]}"
    return PostgresBackend(f"{PG_URL}?table={table}")


def doc(
    id: str,
    *,
    title: str = "",
    doc_type: str = "item",
    years: tuple[int | None, int | None] = (None, None),
    sort_key: str = "",
    **kw: object,
) -> SearchDocument:
    text: dict[str, list[str]] = {"title": [title]} if title else {}
    filters: dict[str, list[str]] = {}
    for name, value in kw.items():
        if name in {"alias", "shelfmark", "names", "description", "body"}:
            text[name] = value if isinstance(value, list) else [str(value)]  # type: ignore[assignment]
        else:
            filters[name] = value if isinstance(value, list) else [str(value)]  # type: ignore[assignment]
    return SearchDocument(
        id=id,
        doc_type=doc_type,
        text=text,
        filters=filters,
        year_start=years[0],
        year_end=years[1],
        sort_key=sort_key,
        payload={"url": f"/x/{id}", "label": title},
    )


CORPUS = [
    doc(
        "work:t0235",
        doc_type="work",
        title="金剛般若波羅蜜經",
        alias=["Diamond Sutra", "Jingang bore boluomi jing"],
        names="鳩摩羅什 Kumārajīva",
        institution="DILA",
        period="Later Qin",
        years=(402, 412),
        sort_key="T0235",
    ),
    doc(
        "item:p2",
        title="金剛經",
        shelfmark="P.2",
        institution="BnF",
        collection="Pelliot chinois",
        period="Tang",
        years=(868, 868),
        sort_key="P.00002",
    ),
    doc(
        "item:s3326",
        title="Dunhuang star chart 星圖",
        shelfmark="Or.8210/S.3326",
        description="The oldest complete star atlas",
        institution="BL",
        collection="Stein",
        period="Tang",
        years=(649, 684),
        sort_key="S.03326",
    ),
    doc(
        "work:t0251",
        doc_type="work",
        title="般若波羅蜜多心經",
        alias="Heart Sutra",
        institution="DILA",
        period="Tang",
        years=(649, 649),
        sort_key="T0251",
    ),
    doc(
        "item:bamboo",
        title="論語 bamboo slips",
        description="Warring States copy",
        institution="BL",
        period="Warring States",
        years=(-300, -250),
        sort_key="B.00001",
    ),
    doc(
        "item:notes",
        title="Cataloguer notes",
        body="These notes mention many diamond shaped seals and a lotus.",
        institution="BnF",
    ),
    doc("item:lotus-title", title="Lotus", institution="BL", sort_key="L.1"),
    doc(
        "item:html",
        title="<script>alert(1)</script> 金剛 & co",
        institution="BnF",
        sort_key="Z.1",
    ),
]
