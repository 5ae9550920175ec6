"""A small language guesser for comments: Chinese (simplified, traditional, classical), English, French.

No model and no network: the share of Han characters decides Chinese; OpenCC's conversions tell
the scripts apart (text that simplification leaves unchanged but traditional conversion changes is
simplified); classical particles against modern ones tell 文言 (``lzh``) from modern Chinese; for
Latin-script text, French and English stop words and French letters decide. The guess is shown in
an editable select, so a wrong guess costs the author one click.
"""

from __future__ import annotations

import re
from typing import Final

from mogao.text.convert import to_simplified, to_traditional
from mogao.text.fold import is_cjk

#: The languages a comment may be tagged with, in the order the select lists them.
LANGUAGES: Final = ("en", "fr", "zh-Hans", "zh-Hant", "lzh", "und")
CHINESE: Final = frozenset({"zh-Hans", "zh-Hant", "lzh"})

_CLASSICAL = set("之乎者也矣焉哉曰其於兮耶歟蓋夫")
_MODERN = set("的了是這这們们嗎吗呢麼么沒没很就都把被給给")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_EN = frozenset(
    "the and of to is in it that this was for with as are be on not have you but what which his her "
    "they we at by from or an i my me so very there their would about".split()
)
_FR = frozenset(
    "le la les des du de et est un une que qui dans pour pas sur au aux avec ce cette il elle nous vous "
    "ils sont très mais où je ne se en ou son sa ses".split()
)
_FR_LETTERS = set("éèêàâçîôûùëïœ")


def detect(text: str) -> str:
    """The BCP 47 tag of ``text`` among :data:`LANGUAGES` (``und`` when nothing tells)."""
    han = [c for c in text if is_cjk(c)]
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return "und"
    if len(han) * 3 >= len(letters):
        return _chinese("".join(han))
    words = [w.lower() for w in _WORD.findall(text)]
    en = sum(w in _EN for w in words)
    fr = sum(w in _FR for w in words) + 2 * sum(c in _FR_LETTERS for c in text.lower())
    if en == fr == 0:
        return "und"
    return "fr" if fr > en else "en"


def _chinese(han: str) -> str:
    classical = sum(c in _CLASSICAL for c in han)
    modern = sum(c in _MODERN for c in han)
    if classical > modern and classical >= 1:
        return "lzh"
    simplified, traditional = to_simplified(han), to_traditional(han)
    if simplified == han and traditional != han:
        return "zh-Hans"
    if traditional == han and simplified != han:
        return "zh-Hant"
    # Mixed or script-neutral text: more characters that simplification changes means traditional.
    changed = sum(a != b for a, b in zip(han, simplified, strict=False))
    return "zh-Hant" if changed else "zh-Hans"


def group_of(tag: str) -> str:
    """The filter group of a tag: ``zh`` for every Chinese, else the tag's primary subtag."""
    if tag in CHINESE or tag.lower().startswith("zh"):
        return "zh"
    return tag.split("-")[0].lower() or "und"
