"""tantivy specifics: token streams with filled gaps, visibility across readers, the writer lock."""

from __future__ import annotations

import time
from pathlib import Path

import tantivy

from mogao.search.backends.tantivy_backend import FILLER, TantivyBackend, _streams
from mogao.search.types import SearchDocument, SearchQuery, Term


def test_gaps_are_filled_and_unigrams_split_off() -> None:
    words, singles = _streams(["金刚", "u:金", "刚经", "u:刚", "u:经", "kumarajiva"], [0, 0, 1, 1, 2, 3])
    assert words == f"金刚 刚经 {FILLER} kumarajiva"
    assert singles == "u:金 u:刚 u:经"


def test_shared_positions_fall_back_to_pretokenized_text() -> None:
    words, _ = _streams(["a", "b", "c"], [0, 0, 1])
    assert isinstance(words, tantivy.PreTokenizedString)
    assert [(t.text, t.position) for t in words.tokens] == [("a", 0), ("b", 0), ("c", 1)]


def test_a_change_reaches_another_reader_within_a_second(tmp_path: Path) -> None:
    """The worker writes, the web process reads: its reader reloads on commit (~0.5 s here)."""
    writer = TantivyBackend(f"tantivy://{tmp_path}")
    reader = TantivyBackend(f"tantivy://{tmp_path}")
    writer.add([SearchDocument("item:a", "item", {"title": ["起初"]})])
    assert reader.count() == 1
    began = time.monotonic()
    writer.add([SearchDocument("item:a", "item", {"title": ["敦煌遺書"]})])
    assert writer.search(SearchQuery(root=Term("敦煌"))).total == 1  # at once for the writer
    while reader.search(SearchQuery(root=Term("敦煌"))).total == 0:
        assert time.monotonic() - began < 2.0, "not visible to another reader after 2 s"
        time.sleep(0.02)
    assert reader.count() == 1


def test_writer_lock_is_released_between_writes(tmp_path: Path) -> None:
    first = TantivyBackend(f"tantivy://{tmp_path}")
    second = TantivyBackend(f"tantivy://{tmp_path}")
    first.add([SearchDocument("item:a", "item", {"title": ["甲"]})])
    second.add([SearchDocument("item:b", "item", {"title": ["乙"]})])
    first.delete(["item:b"])
    assert second.count() in {1, 2}  # the second reader may not have reloaded yet
    assert first.count() == 1
