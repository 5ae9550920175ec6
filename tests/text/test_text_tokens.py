"""tokenize() and query_tokens(): bigrams, unigrams, words and shelfmarks with real offsets."""

from __future__ import annotations

import pytest

from mogao.text.tokens import UNIGRAM_PREFIX, Token, query_tokens, tokenize


def terms(tokens: list[Token]) -> list[str]:
    return [t.term for t in tokens]


def test_bigrams_with_positions_and_original_offsets() -> None:
    tokens = query_tokens("金剛經")
    assert tokens == [Token("金刚", 0, 0, 2), Token("刚经", 1, 1, 3)]


def test_simplified_traditional_and_variants_give_the_same_terms() -> None:
    assert terms(query_tokens("金剛經")) == terms(query_tokens("金刚经"))
    assert terms(query_tokens("衆生")) == terms(query_tokens("眾生")) == terms(query_tokens("众生"))


def test_full_title_contains_the_short_title_bigrams() -> None:
    full = set(terms(tokenize("金剛般若波羅蜜經")))
    assert "金刚" in full
    assert "金刚" in terms(query_tokens("金剛經"))


def test_index_has_a_unigram_for_every_cjk_char_and_query_uses_it_for_one_char() -> None:
    indexed = tokenize("金剛經")
    assert [t.term for t in indexed if t.term.startswith(UNIGRAM_PREFIX)] == ["u:金", "u:刚", "u:经"]
    assert query_tokens("金") == [Token("u:金", 0, 0, 1)]
    assert query_tokens("金 經") == [Token("u:金", 0, 0, 1), Token("u:经", 1, 2, 3)]
    # the unigram shares its character's position with the bigram starting there
    by_term = {t.term: t.position for t in indexed}
    assert by_term["u:刚"] == by_term["刚经"] == 1


def test_punctuation_breaks_runs_and_offsets_point_into_the_original() -> None:
    text = "敦煌寫本，金剛經。"
    for token in tokenize(text):
        source = text[token.start : token.end]
        assert source
        if not token.term.startswith(UNIGRAM_PREFIX) and len(token.term) == 2:
            assert "，" not in source and "。" not in source
    assert "本金" not in terms(tokenize(text))


def test_latin_words_are_folded_and_stemmed() -> None:
    assert terms(query_tokens("Les Manuscrits")) == ["les", "manuscrit"]
    assert terms(query_tokens("manuscript")) == terms(query_tokens("Manuscripts"))
    assert terms(query_tokens("Sūtras")) == ["sutra"]
    tokens = query_tokens("Kumārajīva translated")
    assert tokens[0] == Token("kumarajiva", 0, 0, 10)
    assert tokens[1].term == "translat" and tokens[1].start == 11


def test_mixed_script_positions_keep_the_same_gaps_in_query_and_index() -> None:
    tokens = query_tokens("Dunhuang 敦煌 P.3532")
    # a CJK run of n characters spans n positions (the last one holds only its unigram)
    assert [t.position for t in tokens] == [0, 1, 3, 4]
    indexed = {t.term: t.position for t in tokenize("Dunhuang 敦煌 P.3532")}
    assert [indexed[t.term] for t in tokens] == [0, 1, 3, 4]
    assert terms(tokens) == ["dunhuang", "敦煌", "p3532", "3532"]


@pytest.mark.parametrize("shelfmark", ["P.3532", "P 3532", "p3532", "Pelliot chinois 3532", "Ｐ．３５３２"])
def test_pelliot_shelfmarks_meet(shelfmark: str) -> None:
    assert terms(query_tokens(shelfmark)) == ["p3532", "3532"]


def test_stein_shelfmarks_with_and_without_prefix_meet() -> None:
    assert terms(query_tokens("Or.8210/S.3326")) == terms(query_tokens("S.3326")) == ["s3326", "3326"]
    assert terms(query_tokens("S 3326")) == ["s3326", "3326"]


def test_or8210_printed_series_is_not_pelliot() -> None:
    assert terms(query_tokens("Or.8210/P.2")) == ["or8210p2", "2"]
    assert terms(query_tokens("P.2")) == ["p2", "2"]


def test_other_shelfmark_series() -> None:
    assert terms(query_tokens("P.t. 1287"))[0] == "pt1287"
    assert terms(query_tokens("Дх.1234"))[0] == "dx1234"
    assert terms(query_tokens("BD01234"))[0] == "bd1234"


def test_shelfmark_inside_chinese_text_and_offsets() -> None:
    text = "敦煌本P.3532號"
    tokens = tokenize(text)
    shelf = next(t for t in tokens if t.term == "p3532")
    assert text[shelf.start : shelf.end] == "P.3532"
    number = next(t for t in tokens if t.term == "3532")
    assert text[number.start : number.end] == "3532"


def test_offsets_survive_nfkc_expansion() -> None:
    text = "㍿金"
    for token in tokenize(text):
        assert 0 <= token.start < token.end <= len(text)
    assert any(t.term == "u:金" and (t.start, t.end) == (1, 2) for t in tokenize(text))


def test_empty_and_punctuation_only() -> None:
    assert tokenize("") == []
    assert query_tokens("。，!?") == []
