"""BibTeX on the item page and in the reading room share one escaping (fault 13)."""

from __future__ import annotations

import pytest

from mogao.catalogue import services
from mogao.catalogue.citation import item_citation
from mogao.reading.citations import item_citations

pytestmark = pytest.mark.django_db

HOSTILE = "Sūtra} @misc{evil, title={x} % 100% & $5 #1 a_b \\input{/etc/passwd} ~^"


def test_bibtex_escape_leaves_no_live_brace_or_command() -> None:
    from mogao.catalogue.citation import bibtex_escape

    escaped = bibtex_escape(HOSTILE)
    unescaped = escaped.replace("\\{", "").replace("\\}", "").replace("\\textbackslash{}", "")
    unescaped = unescaped.replace("\\textasciitilde{}", "").replace("\\textasciicircum{}", "")
    assert "{" not in unescaped and "}" not in unescaped
    assert "\\input" not in escaped
    for char in "%&$#_":
        assert f"\\{char}" in escaped


def _balanced(text: str) -> bool:
    depth = 0
    i = 0
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        depth += {"{": 1, "}": -1}.get(text[i], 0)
        if depth < 0:
            return False
        i += 1
    return depth == 0


def test_item_page_and_reading_room_escape_the_same_way(settings) -> None:
    settings.BASE_URL = "http://testserver"
    institution, _ = services.institution_upsert(code="EV", name={"en": ["Evil } Library"]})
    item, _ = services.item_upsert(institution=institution, shelfmark="S.1}", title={"en": [HOSTILE]},
                                   date_expression="9th c. {?}")
    page = item_citation(item, language="en")["bibtex"]
    room = item_citations(item, language="en")["bibtex"]
    for bibtex in (page, room):
        assert _balanced(bibtex), bibtex
        assert bibtex.count("@misc{") == 1
        assert "Sūtra\\} @misc\\{evil" in bibtex and "\\textbackslash{}input\\{/etc/passwd\\}" in bibtex
        assert "Evil \\} Library" in bibtex
