"""The graph's legend names kinds of record in the reader's language (#13 item 8)."""

from __future__ import annotations

import pytest
from django.test import Client

from mogao.demo.loader import load_builtin


@pytest.mark.django_db
@pytest.mark.parametrize(("lang", "work", "person"), [("zh-hans", "作品", "人物"), ("zh-hant", "作品", "人物"),
                                                      ("fr", "œuvre", "personne"), ("en", "work", "person")])
def test_graph_legend_is_translated(client: Client, lang: str, work: str, person: str) -> None:
    load_builtin()
    data = client.get("/graph/data.json?around=work:t0235-diamond-sutra", HTTP_ACCEPT_LANGUAGE=lang).json()
    labels = dict(zip(data["categories"], data["category_labels"], strict=True))
    assert labels["work"] == work and labels["person"] == person


def test_graph_script_draws_the_legend_from_the_labels() -> None:
    from pathlib import Path

    import mogao.knowledge

    js = (Path(mogao.knowledge.__file__).parent / "static" / "knowledge" / "graph.js").read_text()
    assert "legend: [{ data: names" in js and "data.category_labels" in js
