"""CC-CEDICT lookups, longest-match glosses and English/French -> Chinese query translation."""

from __future__ import annotations

import time

import pytest

from mogao.text import dictionary
from mogao.text.dictionary import Entry, Lexicon, gloss_chars, lookup, segment, translate_query

pytestmark = pytest.mark.usefixtures("cedict_loaded")


def test_load_time_is_reported() -> None:
    started = time.perf_counter()
    dictionary._reverse()
    print(f"\nreverse-gloss index built in {time.perf_counter() - started:.2f}s")
    assert len(dictionary.entries()) > 100_000


def test_lookup_traditional_simplified_and_variant() -> None:
    [entry] = [e for e in lookup("敦煌") if e.pinyin == "Dun1 huang2"]
    assert entry == Entry("敦煌", "敦煌", "Dun1 huang2", entry.definitions)
    assert "Dunhuang" in entry.definitions[0]
    assert lookup("心经")[0].traditional == "心經"
    assert any(e.traditional == "眾" for e in lookup("衆"))  # variant through fold
    assert lookup("") == []
    assert lookup("qwerty") == []


def test_segment_longest_match() -> None:
    pieces = segment("金剛般若波羅蜜經，敦煌寫本")
    assert [p for p, _ in pieces] == ["金剛般若波羅蜜經", "，", "敦煌", "寫本"]
    assert pieces[1][1] == []
    assert "".join(p for p, _ in pieces) == "金剛般若波羅蜜經，敦煌寫本"


def test_gloss_chars() -> None:
    glosses = gloss_chars("心經")
    assert len(glosses) == 1 and glosses[0][0].definitions == ("the Heart Sutra",)
    assert gloss_chars("") == []


@pytest.mark.parametrize(
    ("query", "lang", "expected"),
    [
        ("Diamond Sutra", "en", "金剛經"),
        ("diamond sutra", "en", "金剛經"),
        ("Heart Sutra", "en", "心經"),
        ("Lotus Sutra", "en", "法華經"),
        ("Kumarajiva", "en", "鳩摩羅什"),
        ("Xuanzang", "en", "玄奘"),
        ("sutra du diamant", "fr", "金剛經"),
        ("Sûtra du Diamant", "fr", "金剛經"),
        ("soutra du cœur", "fr", "心經"),
        ("sutra du coeur", "fr", "心經"),
        ("sutra du lotus", "fr", "法華經"),
        ("calendrier", "fr", "曆"),
        ("almanach", "fr", "曆書"),
    ],
)
def test_translate_query_top_candidate(query: str, lang: str, expected: str) -> None:
    assert translate_query(query, lang)[0] == expected


@pytest.mark.parametrize(
    ("query", "lang", "expected"),
    [
        ("star chart", "en", "星圖"),
        ("carte des étoiles", "fr", "星圖"),
        ("etoiles", "fr", "星"),
        ("manuscrit", "fr", "手稿"),
        ("rouleau", "fr", "卷軸"),
        ("moine", "fr", "僧人"),
        ("grotte", "fr", "洞窟"),
        ("bouddha", "fr", "佛"),
        ("hymne", "fr", "聖歌"),
        ("Manichaeism", "en", "摩尼教"),
        ("manichéen", "fr", "摩尼教"),
        ("imprimé", "fr", "印刷"),
    ],
)
def test_translate_query_candidates_include(query: str, lang: str, expected: str) -> None:
    found = translate_query(query, lang, limit=10)
    assert any(expected in c for c in found), found


def test_french_typed_in_english_interface_still_translates() -> None:
    assert translate_query("sutra du diamant", "en")[0] == "金剛經"


def test_phrase_without_definition_falls_back_to_words() -> None:
    [joined] = translate_query("hymne manichéen", "fr")
    assert len(joined.split()) == 2


def test_lexicon_is_consulted_first(lexicon: Lexicon) -> None:
    assert translate_query("Sūtra du Diamant", "fr", lexicon=lexicon)[:2] == ["金剛般若波羅蜜經", "金剛經"]
    assert translate_query("sutra du diamant", "fr", lexicon=lexicon)[0] == "金剛般若波羅蜜經"
    assert translate_query("Diamond Sutra", "en", lexicon=lexicon)[0] == "金剛般若波羅蜜經"
    assert translate_query("vajracchedika", "en", lexicon=lexicon)[0] == "金剛般若波羅蜜經"
    assert translate_query("sutra du coeur", "fr", lexicon=lexicon)[0] == "般若波羅蜜多心經"
    assert lexicon.candidates("Diamond Sutra") == ["金剛般若波羅蜜經"]


@pytest.mark.parametrize("query", ["", "   ", "x" * 5000, "qwertyuiop", "!!!"])
def test_translate_query_never_fails(query: str) -> None:
    assert translate_query(query) == [] or isinstance(translate_query(query), list)


def test_translation_examples_for_the_report() -> None:
    for query, lang in [("Diamond Sutra", "en"), ("sutra du diamant", "fr"), ("Heart Sutra", "en"),
                        ("sûtra du cœur", "fr"), ("Lotus Sutra", "en"), ("star chart", "en"),
                        ("carte des étoiles", "fr"), ("Dunhuang caves", "en"), ("monk", "en")]:
        print(f"\n{query!r} ({lang}) -> {translate_query(query, lang)}", end="")
