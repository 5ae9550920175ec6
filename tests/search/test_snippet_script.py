"""Search snippets follow the interface's script: simplified on zh-Hans, as stored elsewhere (#13 item 8)."""

from __future__ import annotations

from mogao.search.services import _hit_view
from mogao.search.types import Hit

HIT = Hit(id="item:x", doc_type="item", score=1.0, payload={"pid": "x", "titles": {"zh-Hant": ["金剛經"]}},
          highlights={"body": ["如是我聞。一時佛在<mark>舍衛國</mark>祇樹給孤獨園"]})


def test_snippet_is_simplified_on_the_simplified_interface() -> None:
    assert str(_hit_view(HIT, "zh-hans").snippet) == "如是我闻。一时佛在<mark>舍卫国</mark>祇树给孤独园"


def test_snippet_keeps_the_stored_script_elsewhere() -> None:
    for lang in ("zh-hant", "fr", "en"):
        assert str(_hit_view(HIT, lang).snippet) == "如是我聞。一時佛在<mark>舍衛國</mark>祇樹給孤獨園"
