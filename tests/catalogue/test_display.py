"""Dates as written and extents in the reader's language (#13 item 8)."""

from __future__ import annotations

import pytest
from django.utils import translation

from mogao.catalogue.display import date_parts, date_text, extent_text


@pytest.mark.parametrize(
    ("expression", "years", "lang", "expected"),
    [
        ("咸通九年四月十五日", (868, 868), "fr", "咸通九年四月十五日"),  # a quotation stays as written
        ("late 9th century", (867, 900), "en", "late 9th century"),
        ("late 9th century", (867, 900), "fr", "fin du IXe siècle"),
        ("late 9th century", (867, 900), "zh-hans", "9世纪末"),
        ("9th–10th century", (801, 1000), "fr", "IXe–Xe siècle"),
        ("9th–10th century", (801, 1000), "zh-hant", "9—10世紀"),
        ("8th century", (701, 800), "fr", "VIIIe siècle"),
        ("about 800–840", (800, 840), "fr", "vers 800–840"),
        ("covers 650–748", (650, 748), "zh-hans", "记事起讫650–748年"),
        ("Tang, about 7th century", (601, 700), "fr", "vers VIIe siècle"),
        ("Tang", (618, 907), "fr", "618–907"),  # not understood: the years instead
        ("a summer long ago", (None, None), "fr", ""),
    ],
)
def test_date_text(expression: str, years: tuple[int | None, int | None], lang: str, expected: str) -> None:
    with translation.override(lang):
        assert date_text(expression, *years, lang=lang) == expected


def test_date_parts_tag_quotations_and_skip_repeated_years() -> None:
    with translation.override("fr"):
        quoted = date_parts("咸通九年四月十五日", 868, 868, lang="fr")
        assert quoted == {"text": "咸通九年四月十五日", "lang": "zh-Hant", "years": "868"}
        assert date_parts("about 800–840", 800, 840, lang="fr") == {"text": "vers 800–840", "lang": "", "years": ""}
        assert date_parts("", 618, 907, lang="fr") == {"text": "", "lang": "", "years": "618–907"}


@pytest.mark.parametrize(
    ("extent", "lang", "expected"),
    [
        ("58 folded folios", "fr", "58 feuillets pliés"),
        ("58 folded folios", "zh-hans", "58张对折叶"),
        ("58 folded folios", "en", "58 folded folios"),
        ("1 scroll", "fr", "1 rouleau"),
        ("12 leaves", "zh-hant", "12葉"),
        ("≈ 5 m", "fr", "≈ 5 m"),
    ],
)
def test_extent_text(extent: str, lang: str, expected: str) -> None:
    with translation.override(lang):
        assert extent_text(extent, lang=lang) == expected
