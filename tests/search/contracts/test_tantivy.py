"""tantivy's token streams: gaps filled so whitespace positions equal the tokenizer's."""

from __future__ import annotations

import tantivy

from mogao.search.backends.tantivy_backend import FILLER, _streams


def test_gaps_are_filled_and_unigrams_split_off() -> None:
    words, singles = _streams(["金刚", "u:金", "刚经", "u:刚", "u:经", "kumarajiva"], [0, 0, 1, 1, 2, 3])
    assert words == f"金刚 刚经 {FILLER} kumarajiva"
    assert singles == "u:金 u:刚 u:经"


def test_shared_positions_fall_back_to_pretokenized_text() -> None:
    words, _ = _streams(["a", "b", "c"], [0, 0, 1])
    assert isinstance(words, tantivy.PreTokenizedString)
    assert [(t.text, t.position) for t in words.tokens] == [("a", 0), ("b", 0), ("c", 1)]
