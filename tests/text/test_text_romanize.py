"""Romanization both ways: pinyin and Wade–Giles out, romanized queries back to Chinese."""

from __future__ import annotations

import pytest

from mogao.text.romanize import (
    RomanIndex,
    looks_romanized,
    pinyin_key,
    romanized_key,
    romanized_keys,
    to_pinyin,
    to_wade_giles,
)


def test_to_pinyin_with_and_without_tones() -> None:
    assert to_pinyin("金剛經") == "jīn gāng jīng"
    assert to_pinyin("金剛經", tones=False) == "jin gang jing"
    assert to_pinyin("長安") == "cháng ān"  # read in context, not zhǎng


def test_to_wade_giles() -> None:
    assert to_wade_giles("金剛經") == "chin kang ching"
    assert to_wade_giles("長安") == "ch'ang an"
    assert to_wade_giles("玄奘") == "hsüan tsang"
    assert to_wade_giles("敦煌") == "tun huang"


def test_pinyin_key() -> None:
    assert pinyin_key("金剛經") == "jingangjing"
    assert pinyin_key("金刚经") == "jingangjing"
    assert pinyin_key("綠") == "lu"
    assert pinyin_key("P.2 金剛經") == "jingangjing"
    assert pinyin_key("abc") == ""


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("jingangjing", "jingangjing"),
        ("jin gang jing", "jingangjing"),
        ("jīngāng jīng", "jingangjing"),
        ("Jīn Gāng Jīng", "jingangjing"),
        ("jin1 gang1 jing1", "jingangjing"),
        ("jin-gang-jing", "jingangjing"),
        ("Tun-huang", "dunhuang"),
        ("Dunhuang", "dunhuang"),
        ("Hsüan-tsang", "xuanzang"),
        ("Hsuan tsang", "xuanzang"),
        ("Hsuan-tsang", "xuanzang"),
        ("Ch'ang-an", "changan"),
        ("Ch’ang-an", "changan"),
        ("Chang'an", "changan"),
        ("Chin-kang ching", "jingangjing"),
        ("Chin-kang-ching", "jingangjing"),
        ("Jiumoluoshi", "jiumoluoshi"),
        ("Hsi-an", "xian"),
        ("lü", "lu"),
        ("Ch'ing", "qing"),
        ("K'ung-tzu", "kongzi"),
    ],
)
def test_romanized_key(query: str, key: str) -> None:
    assert romanized_key(query) == key


def test_ambiguous_apostrophe_free_wade_giles_offers_both_readings() -> None:
    assert set(romanized_keys("Chang-an")) >= {"zhangan", "changan"}
    assert "kangxi" in romanized_keys("Kang-hsi")  # apostrophe dropped: aspirated reading too
    assert "qianlong" in romanized_keys("Chien-lung")
    assert "yongle" in romanized_keys("Yung-lo")  # 樂 is "lo" in Wade–Giles
    # the likeliest readings first, varying as few syllables as possible
    assert romanized_keys("Chin-kang ching")[0] == "jingangjing"
    # spaced without a hyphen it reads as pinyin first, Wade–Giles second
    assert romanized_keys("Tun huang") == ["tunhuang", "dunhuang"]


@pytest.mark.parametrize(
    "query", ["Diamond Sutra", "Kumarajiva", "hello world", "金剛經", "", "   ", "P.3532", "sutra"]
)
def test_not_romanized(query: str) -> None:
    assert romanized_key(query) is None
    assert not looks_romanized(query)


def test_looks_romanized_ignores_common_english_words() -> None:
    assert looks_romanized("jingangjing")
    assert looks_romanized("Tun-huang")
    assert not looks_romanized("man")
    assert not looks_romanized("long song")


def test_roman_index_exact_key_first(roman_index: RomanIndex) -> None:
    assert roman_index.candidates("jingangjing")[0] == "金剛經"
    assert roman_index.candidates("Chin-kang ching")[0] == "金剛經"
    assert roman_index.candidates("Tun-huang")[0] == "敦煌"
    assert roman_index.candidates("Hsüan-tsang")[0] == "玄奘"
    assert roman_index.candidates("Hsuan tsang")[0] == "玄奘"
    assert roman_index.candidates("Ch'ang-an")[0] == "長安"
    assert roman_index.candidates("Chang-an")[0] == "長安"
    assert roman_index.candidates("Jiumoluoshi")[0] == "鳩摩羅什"
    assert roman_index.candidates("Yung-lo")[0] == "永樂"
    assert "康熙" in roman_index.candidates("Kang-hsi")


def test_roman_index_prefix_and_segment_matches(roman_index: RomanIndex) -> None:
    prefix = roman_index.candidates("jingang", limit=5)
    assert "金剛般若波羅蜜經" in prefix  # catalogue title ranks among the first
    inside = roman_index.candidates("boluomi", limit=10)
    assert "金剛般若波羅蜜經" in inside


def test_roman_index_prefers_callers_strings() -> None:
    index = RomanIndex(["敦煌"], include_cedict=False)
    assert index.candidates("dunhuang") == ["敦煌"]
    index.add("燉煌")
    assert index.candidates("dunhuang") == ["敦煌", "燉煌"]
    assert index.candidates("Diamond Sutra") == []


def test_roman_index_limit(roman_index: RomanIndex) -> None:
    assert len(roman_index.candidates("tang", limit=3)) == 3
    assert "唐" in roman_index.candidates("tang", limit=10)
