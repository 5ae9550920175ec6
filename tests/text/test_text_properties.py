"""Property tests: the toolkit never crashes on arbitrary input and keeps its invariants."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mogao.text.dates import parse_date, reign_year
from mogao.text.dictionary import segment, translate_query
from mogao.text.fold import fold
from mogao.text.romanize import looks_romanized, romanized_key, romanized_keys
from mogao.text.tokens import UNIGRAM_PREFIX, position_terms, query_tokens, tokenize, tokenize_raw

CJKISH = st.text(
    alphabet=st.sampled_from("金剛般若波羅蜜經衆眾说說爲P.3532 Sūtra-'年元九十廿咸通唐，。㍿Ｐ"), max_size=40
)
FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(st.text() | CJKISH)
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@FAST
@given(st.text() | CJKISH)
def test_tokenize_never_crashes_and_offsets_lie_within_the_text(text: str) -> None:
    for tokens in (tokenize(text), query_tokens(text)):
        previous = -1
        for token in tokens:
            assert 0 <= token.start < token.end <= len(text)
            assert token.term
            assert token.position >= previous
            previous = token.position
    assert tokenize_raw(text) == [(t.term, t.position, t.start, t.end) for t in tokenize(text)]


@FAST
@given(st.text() | CJKISH)
def test_position_terms_lay_out_exactly_the_tokens_of_tokenize_raw(text: str) -> None:
    """The bulk-indexing fast path and the tokenizer agree on every term and position."""
    terms, unigrams = position_terms(text, "|")
    raw = tokenize_raw(text)
    assert [(term, p) for p, term in enumerate(terms) if term != "|"] == [
        (t, p) for t, p, _, _ in raw if not t.startswith(UNIGRAM_PREFIX)
    ]
    assert unigrams == [t for t, _, _, _ in raw if t.startswith(UNIGRAM_PREFIX)]
    assert len(terms) == (raw[-1][1] + 1 if raw else 0)  # the positions the text spans


@FAST
@given(st.text() | st.from_regex(r"[A-Za-zü' \-1-5āáǎàīíǐì]{0,30}", fullmatch=True))
def test_romanized_key_never_crashes(text: str) -> None:
    key = romanized_key(text)
    assert key is None or (key.isascii() and key.isalpha())
    assert looks_romanized(text) in (True, False)
    assert len(romanized_keys(text)) <= 16


@FAST
@given(st.text() | CJKISH)
def test_dates_never_crash(text: str) -> None:
    for parsed in (parse_date(text), reign_year(text)):
        assert parsed is None or parsed.start <= parsed.end


@FAST
@given(st.text(max_size=60) | CJKISH)
def test_dictionary_never_crashes(text: str) -> None:
    assert "".join(piece for piece, _ in segment(text)) == text
    for lang in ("en", "fr"):
        assert all(isinstance(c, str) and c for c in translate_query(text, lang))
