"""Catalogue dates -> integer year bounds: reign eras, dynasties, centuries, years, circa.

Years are proleptic integers with BCE negative and no year 0 (``-300`` is 300 BCE), the
convention of the whole project: ``3rd century BCE`` is ``-300..-201``, ``9th century`` is
``801..900``. A year of a reign era is the Chinese year that mostly overlaps the Western year
given (``咸通九年`` -> 868); months and days after it are accepted and ignored.

Ambiguous era names (太和, 建元, 永樂 …) are resolved by a dynasty written before them
(``唐咸通九年``, ``大明永樂元年``) or, failing that, by preferring the best-known regime: the
major dynasties in the order of :data:`mogao.text.chronology.DYNASTY_PREFERENCE` (Tang, Song,
Ming, Qing, Yuan, Han, …), then the longer-lived era. ``circa`` widens a year by ±25 years.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from mogao.text.chronology import (
    DYNASTY_ALIASES,
    DYNASTY_GROUPS,
    DYNASTY_PREFERENCE,
    Dynasty,
    Era,
    dynasty_table,
    era_table,
)
from mogao.text.fold import fold, is_cjk

__all__ = ["CIRCA", "DateRange", "dynasties", "find_dynasty", "parse_date", "reign_year"]

CIRCA = 25

_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
           "八": 8, "九": 9}
_TENS = {"十": 10, "廿": 20, "卅": 30, "卌": 40}
_ERA_YEAR = re.compile(r"(?P<num>元|[〇零一二两三四五六七八九十廿卅卌百0-9]{1,5})年")
_MAX_ERA_NAME = 4
# Past an era's official end a remote region could go on counting it (Dunhuang dated by 天復
# into the 910s), so a year number up to this far beyond the end is still accepted.
_ERA_OVERRUN = 20


@dataclass(frozen=True)
class DateRange:
    """Inclusive year bounds, optional period name (dynasty or era) and the source expression."""

    start: int
    end: int
    period: str | None = None
    expression: str = ""

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise ValueError(f"DateRange start {self.start} is after end {self.end}")


def dynasties() -> list[Dynasty]:
    """Every dynasty and period with its names and bounds (a :class:`~typing.NamedTuple`:
    ``(traditional, simplified, pinyin, english, start, end)``), best-known first for names
    shared by several regimes."""
    return list(dynasty_table())


@lru_cache(maxsize=1)
def _dynasty_index() -> dict[str, Dynasty]:
    index: dict[str, Dynasty] = {}
    for dynasty in dynasty_table():
        for name in dynasty.names:
            for key in {fold(name), fold(name).replace(" ", "").replace("'", "")}:
                index.setdefault(key, dynasty)
    for alias, name in DYNASTY_ALIASES.items():
        index.setdefault(fold(alias), index[fold(name)])
    return index


def find_dynasty(name: str) -> Dynasty | None:
    """The dynasty called ``name`` in any script or language (``唐``, ``唐代``, ``Tang``,
    ``Tang dynasty``, ``T'ang``), or None."""
    key = re.sub(r"\s+", " ", fold(name.strip()))
    if not key:
        return None
    index = _dynasty_index()
    for candidate in (key, key.replace(" ", "").replace("'", "")):
        if candidate in index:
            return index[candidate]
    for suffix in (" dynasty", " period", " dynastie", "朝", "代", "時期", "时期"):
        if key.endswith(suffix) and key[: -len(suffix)].strip() in index:
            return index[key[: -len(suffix)].strip()]
    for prefix in ("大", "皇", "dynastie ", "dynastie des ", "les "):
        if key.startswith(prefix) and key[len(prefix):] in index:
            return index[key[len(prefix):]]
    return None


def _chinese_number(text: str) -> int | None:
    """``元`` -> 1, ``九`` -> 9, ``十九`` -> 19, ``三十九`` -> 39, ``廿一`` -> 21, ``9`` -> 9."""
    if text == "元":
        return 1
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for ch in text:
        if ch in _DIGITS:
            current = current * 10 + _DIGITS[ch] if current else _DIGITS[ch]
        elif ch in _TENS:
            total += (current or 1) * 10 if ch == "十" else _TENS[ch]
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current or None


@lru_cache(maxsize=1)
def _eras_by_name() -> dict[str, list[Era]]:
    index: dict[str, list[Era]] = {}
    for era in era_table():
        index.setdefault(fold(era.name), []).append(era)
    return index


def _era_rank(era: Era) -> tuple[int, int, int]:
    try:
        preference = DYNASTY_PREFERENCE.index(era.dynasty)
    except ValueError:
        preference = len(DYNASTY_PREFERENCE)
    return (0 if era.canonical else 1, preference, -(era.end - era.start))


def _pick_era(name: str, dynasty_prefix: str) -> Era | None:
    candidates = _eras_by_name().get(name, [])
    if dynasty_prefix:
        dynasty = find_dynasty(dynasty_prefix)
        if dynasty is None:
            return None
        wanted = fold(dynasty.simplified)
        group = DYNASTY_GROUPS.get(wanted, frozenset({wanted}))
        candidates = [e for e in candidates if fold(e.dynasty) in group]
    return min(candidates, key=_era_rank) if candidates else None


def _split_era(prefix: str) -> tuple[str, str] | None:
    """Split the characters before ``N年`` into (dynasty part, era name), longest era first."""
    names = _eras_by_name()
    for length in range(min(_MAX_ERA_NAME, len(prefix)), 0, -1):
        name = prefix[-length:]
        if name in names:
            return prefix[:-length], name
    return None


def _dynasty_part(text: str) -> str:
    """The dynasty named at the start of ``text`` (``唐懿宗`` -> ``唐``), or ``""``."""
    for length in range(min(4, len(text)), 0, -1):
        if find_dynasty(text[:length]) is not None:
            return text[:length]
    return ""


def reign_year(expr: str) -> DateRange | None:
    """The Western year of a reign-era date (``咸通九年`` -> 868, ``永樂元年`` -> 1403).

    Accepts traditional, simplified and variant characters, Chinese numerals (元, 十, 廿, 卅) or
    digits, an optional dynasty (and emperor) before the era, and anything after ``年``. Returns a
    one-year :class:`DateRange` whose ``period`` is the dynasty and era (simplified, ``唐咸通``),
    or None when no known era is found or the year number is impossible for it.
    """
    text = fold(expr.strip())[:64]
    for m in _ERA_YEAR.finditer(text):
        head = "".join(ch for ch in text[: m.start()] if is_cjk(ch))
        split = _split_era(head)
        if split is None:
            continue
        before, name = split
        era = _pick_era(name, _dynasty_part(before))
        number = _chinese_number(m.group("num"))
        if era is None or number is None:
            return None
        if number < 1 or number > era.end - era.start + 1 + _ERA_OVERRUN:
            return None
        year = era.start + number - 1
        if era.start < 0 and year >= 0:
            year += 1  # no year 0 between 1 BCE and 1 CE
        return DateRange(year, year, era.dynasty + era.name, expr)
    return None


# -- Western expressions ------------------------------------------------------------------------

_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
_ORDINAL = r"(\d{1,2})(?:st|nd|rd|th|e|er|eme)?"
_CENTURY_WORD = r"(?:c|cent|century|centuries|siecle|siecles|s)\b\.?"
_BCE = re.compile(r"\b(?:b\.?\s?c\.?(?:\s?e\.?)?|bce|av(?:ant|\.)?\s*j\.?\s?-?\s?c\.?)(?=\s|$|-)")
_CE = re.compile(r"\b(?:a\.?\s?d\.?|c\.?\s?e\.?|ce|apr(?:es|\.)?\s*j\.?\s?-?\s?c\.?)(?=\s|$|-)")
_CIRCA = re.compile(r"^(?:c\.|ca\.?|circa|about|around|approx\.?|vers|env\.?)\s*")
_ORDINALS = {
    word: n
    for n, word in enumerate(
        "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
        "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth "
        "twentieth".split(),
        start=1,
    )
}
# An ordinal word that counts a century ("ninth century", "ninth-tenth century"), not the
# "second" of "second half".
_ORDINAL_WORDS = re.compile(
    rf"\b({'|'.join(_ORDINALS)})(?=(?:\s*(?:-|to)\s*[a-z0-9]+)?\s*(?:century|centuries|c\b))"
)
_QUALIFIER = {
    "early": (0, 33), "mid": (33, 67), "middle": (33, 67), "late": (67, 100),
    "first half": (0, 50), "second half": (50, 100), "debut": (0, 33), "fin": (67, 100),
}


def _roman(text: str) -> int | None:
    if not text or any(c not in _ROMAN for c in text):
        return None
    total = 0
    for i, c in enumerate(text):
        value = _ROMAN[c]
        total += -value if i + 1 < len(text) and _ROMAN[text[i + 1]] > value else value
    return total or None


def _century(n: int, bce: bool) -> tuple[int, int]:
    if bce:
        return -(n * 100), -((n - 1) * 100 + 1)
    return (n - 1) * 100 + 1, n * 100


def _point(text: str, bce: bool) -> tuple[int, int] | None:
    """Bounds of one date point: a year, a decade, a (qualified) century, roman or arabic."""
    text = text.strip().strip(",;")
    qualifier = (0, 100)
    for word, part in _QUALIFIER.items():
        if text.startswith(word + " ") or text.startswith(word + "-"):
            qualifier, text = part, text[len(word) + 1 :].strip()
            break
    text = re.sub(r"^(?:(?:the|of|du|le)\s+)+", "", text)
    if m := re.fullmatch(r"(\d{1,4})", text):
        year = int(m.group(1))
        return (-year, -year) if bce else (year, year) if year else None
    if m := re.fullmatch(r"(\d{1,3})0s", text):
        decade = int(m.group(1)) * 10
        return (-(decade + 9), -decade) if bce else (decade, decade + 9)
    m = re.fullmatch(_ORDINAL + r"\s*" + _CENTURY_WORD + "?", text)
    number = int(m.group(1)) if m else None
    roman = r"([ivxlc]+)(?:e|eme)?\s*" + _CENTURY_WORD + "?"
    if number is None and (m := re.fullmatch(roman, text)):
        number = _roman(m.group(1))
    if not number or number > 30:
        return None
    start, end = _century(number, bce)
    span = end - start + 1
    return start + span * qualifier[0] // 100, start + span * qualifier[1] // 100 - 1


def _western(text: str) -> tuple[int, int] | None:
    bce = bool(_BCE.search(text))
    text = _BCE.sub(" ", text)
    text = _CE.sub(" ", text).strip()
    is_century = bool(re.search(_CENTURY_WORD + r"\s*$", text))
    parts = re.split(r"\s*(?:-|–|—|/|\bto\b|\ba\b|\buntil\b)\s*", text)
    parts = [p for p in parts if p]
    if len(parts) == 1:
        return _point(parts[0], bce)
    if len(parts) != 2:
        return None
    first, second = parts
    if is_century and not re.search(_CENTURY_WORD + r"\s*$", first):
        first = first + " century"
    if re.fullmatch(r"\d{3,4}", first) and re.fullmatch(r"\d{1,2}", second) and not is_century:
        second = first[: len(first) - len(second)] + second  # 1403-24
    a, b = _point(first, bce), _point(second, bce)
    if a is None or b is None:
        return None
    return min(a[0], b[0]) if bce else a[0], max(a[1], b[1]) if bce else b[1]


def parse_date(expr: str) -> DateRange | None:
    """Year bounds of a catalogue date expression, or None when it cannot be read.

    Understood: ``868``; ``650-748``; ``250 BCE``; ``c. 700`` / ``ca. 700`` (±25); ``860s``;
    ``9th century``, ``9th c.``, ``8th-9th c.``, ``8th–9th century``, ``early 9th century``;
    ``3rd century BCE`` (-300..-201); ``IXe siècle``; dynasties in Chinese or English
    (``唐``, ``Tang``, ``Tang dynasty`` -> 618..907); reign eras with or without a year
    (``咸通九年`` -> 868, ``唐咸通`` -> the whole era); English ordinal words (``ninth century``,
    ``second half of the ninth century``); several parts (``Tang dynasty (618–907)``,
    ``Tang, 9th century``) give their overlap. An end before the start gives None.
    """
    raw = expr.strip()
    if not raw or len(raw) > 200:
        return None
    found = _parse_one(raw)
    if found is not None:
        return found
    # "Tang dynasty (618–907)", "Tang, 9th century", "咸通九年（868）": read each part; where
    # they agree keep the overlap (with the period named by any part), else the first.
    parts = [p.strip() for p in re.split(r"[(),;，；（）]", raw) if p.strip()]
    ranges = [r for r in map(_parse_one, parts) if r is not None] if len(parts) > 1 else []
    if not ranges:
        return None
    start, end = max(r.start for r in ranges), min(r.end for r in ranges)
    if start > end:
        start, end = ranges[0].start, ranges[0].end
    period = next((r.period for r in ranges if r.period), None)
    return DateRange(start, end, period, raw)


def _parse_one(raw: str) -> DateRange | None:
    if any(is_cjk(ch) for ch in raw):
        return _chinese(raw)
    dynasty = find_dynasty(raw)
    if dynasty is not None:
        return DateRange(dynasty.start, dynasty.end, dynasty.traditional, raw)
    text = re.sub(r"\s+", " ", fold(raw)).strip()
    circa = False
    if m := _CIRCA.match(text):
        circa, text = True, text[m.end():]
    text = re.sub(r"\b(early|mid|middle|late)-", r"\1 ", text)
    text = _ORDINAL_WORDS.sub(lambda m: f"{_ORDINALS[m.group(1)]}th", text)
    bounds = _western(text)
    if bounds is None or bounds[0] > bounds[1]:
        return None
    start, end = bounds
    if circa:
        start, end = start - CIRCA, end + CIRCA
    return DateRange(start, end, None, raw)


def _chinese(raw: str) -> DateRange | None:
    found = reign_year(raw)
    if found is not None:
        return found
    text = "".join(ch for ch in fold(raw) if is_cjk(ch))
    dynasty = find_dynasty(text)
    if dynasty is not None:
        return DateRange(dynasty.start, dynasty.end, dynasty.traditional, raw)
    split = _split_era(text)
    if split is not None:
        before, name = split
        era = _pick_era(name, _dynasty_part(before))
        if era is not None and (not before or _dynasty_part(before)):
            return DateRange(era.start, era.end, era.dynasty + era.name, raw)
    return None
