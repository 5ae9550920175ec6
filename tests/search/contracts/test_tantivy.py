"""tantivy specifics: token streams with filled gaps, visibility across readers, the writer lock."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mogao.search.backends.analysis import VALUE_GAP
from mogao.search.backends.tantivy_backend import _MAX_FILL, FILLER, TantivyBackend, field_stream
from mogao.search.types import SearchDocument, SearchQuery, Term
from mogao.text.tokens import UNIGRAM_PREFIX, tokenize_raw


def _reference_stream(values: list[str]) -> tuple[str, str]:
    """The field stream built the slow, obvious way: every token at its real position.

    Values follow one another :data:`VALUE_GAP` positions apart; gaps between terms are filled,
    except before the first term, and a gap across values holds at most ``_MAX_FILL`` fillers.
    """
    placed: list[tuple[int, int, str]] = []  # (value index, position, term)
    singles: list[str] = []
    base = 0
    for n, value in enumerate(values):
        raw = tokenize_raw(value)
        for term, position, _, _ in raw:
            if term.startswith(UNIGRAM_PREFIX):
                singles.append(term)
            else:
                placed.append((n, base + position, term))
        if raw:
            base += raw[-1][1] + 1 + VALUE_GAP
    out: list[str] = []
    previous: tuple[int, int] | None = None
    for n, position, term in placed:
        if previous is not None:
            gap = position - previous[1] - 1
            out.extend([FILLER] * (gap if n == previous[0] else min(gap, _MAX_FILL)))
        out.append(term)
        previous = (n, position)
    return " ".join(out), " ".join(singles)


def test_gaps_are_filled_and_unigrams_split_off() -> None:
    words, singles = field_stream(["金剛經 Kumārajīva"])
    assert words == f"金刚 刚经 {FILLER} kumarajiva"
    assert singles == "u:金 u:刚 u:经"


def test_values_are_kept_apart_so_no_phrase_spans_two() -> None:
    words, singles = field_stream(["金剛", "", "經", "般若"])
    assert words == " ".join(["金刚", *[FILLER] * (1 + VALUE_GAP + 1 + VALUE_GAP), "般若"])
    assert singles == "u:金 u:刚 u:经 u:般 u:若"
    assert field_stream(["。", "——"]) == ("", "")


VALUES = st.lists(
    st.text(alphabet=st.sampled_from("金剛般若經，。 P.3532 sūtras-Or/8210S"), max_size=30) | st.text(max_size=20),
    max_size=6,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(VALUES)
def test_field_stream_puts_every_token_at_its_position(values: list[str]) -> None:
    assert field_stream(values) == _reference_stream(values)


def test_prepared_documents_are_written_and_anything_else_is_refused(tmp_path: Path) -> None:
    engine = TantivyBackend(f"tantivy://{tmp_path}")
    doc = SearchDocument("item:a", "item", {"title": ["金剛般若波羅蜜經"]}, year_start=868)
    assert engine.add_prepared([engine.preparer()(doc)]) == 1
    assert engine.search(SearchQuery(root=Term("般若"))).total == 1
    with pytest.raises(TypeError, match="prepare"):
        engine.add_prepared([doc])


def test_a_change_reaches_another_reader(tmp_path: Path) -> None:
    """The worker writes, the web process reads: its reader reloads on commit (how fast is a benchmark's
    question; the bound below only stops a broken reload from hanging the suite)."""
    writer = TantivyBackend(f"tantivy://{tmp_path}")
    reader = TantivyBackend(f"tantivy://{tmp_path}")
    writer.add([SearchDocument("item:a", "item", {"title": ["起初"]})])
    assert reader.count() == 1
    writer.add([SearchDocument("item:a", "item", {"title": ["敦煌遺書"]})])
    assert writer.search(SearchQuery(root=Term("敦煌"))).total == 1  # at once for the writer
    for _ in range(6000):  # polls, not a deadline: only a reload that never comes fails
        if reader.search(SearchQuery(root=Term("敦煌"))).total:
            break
        time.sleep(0.02)
    assert reader.search(SearchQuery(root=Term("敦煌"))).total == 1, "never visible to another reader"
    assert reader.count() == 1


def test_writer_lock_is_released_between_writes(tmp_path: Path) -> None:
    first = TantivyBackend(f"tantivy://{tmp_path}")
    second = TantivyBackend(f"tantivy://{tmp_path}")
    first.add([SearchDocument("item:a", "item", {"title": ["甲"]})])
    second.add([SearchDocument("item:b", "item", {"title": ["乙"]})])
    first.delete(["item:b"])
    assert second.count() in {1, 2}  # the second reader may not have reloaded yet
    assert first.count() == 1


def test_a_bulk_block_over_an_empty_index_still_replaces_by_id(tmp_path: Path) -> None:
    """Deletes are skipped for ids the block has not written yet, never for one it has."""
    engine = TantivyBackend(f"tantivy://{tmp_path}")
    with engine.bulk():
        engine.add([SearchDocument("item:a", "item", {"title": ["敦煌"]})])
        again = SearchDocument("item:a", "item", {"title": ["吐魯番"]})
        engine.add([again, SearchDocument("item:b", "item", {"title": ["甲"]})])
    assert engine.count() == 2
    assert engine.search(SearchQuery(root=Term("吐魯番"))).total == 1
    assert engine.search(SearchQuery(root=Term("敦煌"))).total == 0


def test_a_bulk_block_over_a_filled_index_replaces_what_was_there(tmp_path: Path) -> None:
    TantivyBackend(f"tantivy://{tmp_path}").add([SearchDocument("item:a", "item", {"title": ["敦煌"]})])
    engine = TantivyBackend(f"tantivy://{tmp_path}")  # another process's view of the index
    with engine.bulk():
        engine.add([SearchDocument("item:a", "item", {"title": ["吐魯番"]})])
    assert engine.count() == 1
    assert engine.search(SearchQuery(root=Term("敦煌"))).total == 0


def test_clear_inside_a_bulk_block_then_rewrite(tmp_path: Path) -> None:
    engine = TantivyBackend(f"tantivy://{tmp_path}")
    engine.add([SearchDocument("item:a", "item", {"title": ["敦煌"]})])
    with engine.bulk():
        engine.clear()
        engine.add([SearchDocument("item:a", "item", {"title": ["吐魯番"]})])
        engine.add([SearchDocument("item:a", "item", {"title": ["高昌"]})])
    assert engine.count() == 1
    assert engine.search(SearchQuery(root=Term("高昌"))).total == 1
