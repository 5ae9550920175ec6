"""fold(): the canonical form shared by indexing and querying."""

from __future__ import annotations

import gzip
import itertools
import json
import time
from pathlib import Path

import pytest

from mogao.text.fold import fold, fold_char, is_cjk
from mogao.text.tokens import tokenize_raw


@pytest.mark.parametrize(
    ("variants", "expected"),
    [
        ("衆眾众", "众"),
        ("説說说", "说"),
        ("爲為为", "为"),
        ("敎教", "教"),
        ("峯峰", "峰"),
        ("綫線线", "线"),
        ("經经", "经"),
        ("羣群", "群"),
    ],
)
def test_variant_characters_fold_to_one_form(variants: str, expected: str) -> None:
    assert {fold(ch) for ch in variants} == {expected}


def test_traditional_simplified_and_full_title_meet() -> None:
    assert fold("金剛經") == fold("金刚经") == "金刚经"
    assert fold("金剛般若波羅蜜經") == "金刚般若波罗蜜经"


def test_qian_is_kept_for_reign_names() -> None:
    assert fold("乾隆") == "乾隆"
    assert fold("乾元") == fold("乾元")


def test_full_width_and_compatibility_forms() -> None:
    assert fold("Ｐ．３５３２") == "p.3532"
    assert fold("\uf900") == fold("豈")  # CJK compatibility ideograph
    assert fold("㍿") == "株式会社"


def test_latin_lowercase_and_diacritics() -> None:
    assert fold("Hsüan-tsang") == "hsuan-tsang"
    assert fold("Sūtra du Cœur") == "sutra du coeur"
    assert fold("Kumārajīva") == "kumarajiva"
    assert fold("E\u0301") == "e"  # decomposed input loses its combining mark


def test_cjk_length_is_preserved() -> None:
    text = "咸通九年四月十五日王玠爲二親敬造普施"
    assert len(fold(text)) == len(text)
    assert all(len(fold_char(ch)) == 1 for ch in text)


def test_is_cjk() -> None:
    assert is_cjk("金") and is_cjk("〇") and is_cjk("\U00020000")
    assert not is_cjk("a") and not is_cjk("。") and not is_cjk("あ")


def test_idempotent_on_examples() -> None:
    for text in ("衆生", "Ｐ．３５３２", "Œuvres", "㍿", "İstanbul", "ﬁn", "乾隆"):
        assert fold(fold(text)) == fold(text)


@pytest.mark.shared_data
def test_fold_and_tokenize_real_poems(shared_data: Path) -> None:
    """Fold and tokenize the first 10,000 real Tang and Song poems of the perf corpus; the speed is
    printed for the record (bench/ measures it), never asserted."""
    path = shared_data / "texts" / "perf" / "chinese_poetry_tang_song_all.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        poems = [json.loads(line) for line in itertools.islice(fh, 10_000)]
    texts = ["".join(p.get("paragraphs") or []) + (p.get("title") or "") for p in poems]
    chars = sum(map(len, texts))
    corpus = "".join(texts)
    fold(corpus[:1000])  # warm
    started = time.perf_counter()
    fold(corpus)
    fold_rate = chars / (time.perf_counter() - started)
    started = time.perf_counter()
    tokens = sum(len(tokenize_raw(t)) for t in texts)
    token_rate = chars / (time.perf_counter() - started)
    print(
        f"\nfold: {fold_rate / 1e6:.1f} M chars/s; tokenize_raw: {token_rate / 1e6:.2f} M chars/s "
        f"({tokens:,} tokens from {len(texts):,} poems, {chars:,} chars)"
    )
    assert tokens > chars  # bigrams and unigrams: more tokens than characters
