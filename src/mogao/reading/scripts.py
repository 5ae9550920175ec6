"""Character-aligned script conversion and readings (no database access).

Every function keeps one output per input character, so converted text still lines up with the
character boxes on the image: OpenCC converts by phrase, and when a phrase changes length the
line is converted character by character instead.
"""

from __future__ import annotations

from mogao.text.convert import to_simplified, to_traditional
from mogao.text.fold import is_cjk
from mogao.text.romanize import to_pinyin, to_wade_giles

SCRIPTS = ("original", "traditional", "simplified")


def convert_chars(chars: list[str], script: str) -> list[str]:
    """``chars`` in ``script`` (``original`` returns them unchanged), one string per character."""
    if script == "original" or not chars:
        return list(chars)
    convert = to_simplified if script == "simplified" else to_traditional
    whole = convert("".join(chars))
    if len(whole) == sum(len(c) for c in chars) and all(len(c) == 1 for c in chars):
        return list(whole)
    return [convert(c) for c in chars]


def readings(chars: list[str], *, system: str = "pinyin") -> list[str]:
    """One romanization per character (empty for non-Chinese ones), read in the line's context."""
    romanize = to_wade_giles if system == "wade-giles" else to_pinyin
    han = [c for c in chars if len(c) == 1 and is_cjk(c)]
    syllables = romanize("".join(han)).split()
    if len(syllables) != len(han):
        syllables = [romanize(c) for c in han]
    out: list[str] = []
    it = iter(syllables)
    for c in chars:
        out.append(next(it) if len(c) == 1 and is_cjk(c) else "")
    return out
