"""Language maps: validation with field-level messages, normalization and reader fallback."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from mogao.core import langmap, langtags


@pytest.mark.parametrize(
    ("tag", "known"),
    [("en", True), ("zh-Hant", True), ("zh-Hans", True), ("lzh", True), ("bo", True), ("otk", True),
     ("en-GB", True), ("none", True), ("english", False), ("zz", False), ("zh-Xxxx", False), ("", False),
     ("zh-hant-tw-extra", False)],
)
def test_language_tags_known_or_refused(tag: str, known: bool) -> None:
    assert langtags.is_known(langtags.normalize(tag)) is known


def test_normalize_fixes_case() -> None:
    assert langtags.normalize("ZH-hant") == "zh-Hant"
    assert langtags.normalize("en_gb") == "en-GB"


def test_clean_accepts_strings_and_lists_and_drops_blanks() -> None:
    assert langmap.clean({"en": "Diamond Sutra", "zh-hant": ["金剛經", "  "]}) == {
        "en": ["Diamond Sutra"], "zh-Hant": ["金剛經"]
    }


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (["not", "a", "map"], "must be a language map"),
        ({"english": ["x"]}, "unknown language tag “english”"),
        ({"en": [1, 2]}, "must be text"),
        ({"en": {"nested": "x"}}, "must be text"),
        ({"en": ["x" * (langmap.MAX_VALUE_LENGTH + 1)]}, "longer than"),
    ],
)
def test_clean_refuses_bad_maps_with_a_message(value: object, message: str) -> None:
    with pytest.raises(ValidationError) as err:
        langmap.clean(value, field="title")
    assert message in " ".join(err.value.messages)
    assert "title" in " ".join(err.value.messages)


def test_required_map_must_have_a_value() -> None:
    with pytest.raises(ValidationError):
        langmap.clean({"en": ["  "]}, field="title", required=True)


TITLE = {"zh-Hant": ["金剛般若波羅蜜經"], "en": ["Diamond Sūtra"], "fr": ["Sūtra du Diamant"]}


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Diamond Sūtra"), ("fr", "Sūtra du Diamant"), ("zh-hant", "金剛般若波羅蜜經"),
     ("zh-hans", "金刚般若波罗蜜经"), ("ja", "Diamond Sūtra"), (None, "Diamond Sūtra")],
)
def test_pick_prefers_reader_language_and_derives_simplified(language: str | None, expected: str) -> None:
    assert langmap.pick(TITLE, language) == expected


def test_pick_derives_traditional_from_simplified() -> None:
    assert langmap.pick({"zh-Hans": ["金刚经"]}, "zh-hant") == "金剛經"


def test_pick_falls_back_to_any_language() -> None:
    assert langmap.pick({"bo": ["rgyal rabs"]}, "fr") == "rgyal rabs"
    assert langmap.pick({}, "fr", default="—") == "—"


def test_derive_chinese_fills_both_scripts() -> None:
    derived = langmap.derive_chinese({"zh-Hant": ["金剛經"]})
    assert derived["zh-Hans"] == ["金刚经"]
    assert langmap.derive_chinese({"zh-Hans": ["心经"]})["zh-Hant"] == ["心經"]
