"""Dates and extents as the reader's language writes them.

A date "as written" is shown as written when it quotes the source (``咸通九年四月十五日``) or when
the page is in English; a cataloguer's English phrase (``late 9th century``, ``about 800–840``,
``covers 650–748``) is rewritten in the reader's language, and one that is not understood gives way
to the item's years. An extent of the form "number unit" (``58 folded folios``) is written with the
unit in the reader's language; other extents are shown as catalogued.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext, ngettext

_LATIN = re.compile(r"[A-Za-z]")
_DASH = r"\s*[–—-]\s*"
_YEAR = r"(\d{1,4})"
_ORD = r"(\d{1,2})(?:st|nd|rd|th)"
_RANGE = re.compile(rf"^{_YEAR}(?:{_DASH}{_YEAR})?$")
_CENTURY = re.compile(rf"^(?:(early|mid|late)\s+)?{_ORD}(?:{_DASH}{_ORD})?\s+centur(?:y|ies)$", re.I)
_ABOUT = re.compile(r"^(?:about|c\.|ca\.|circa)\s+(.+)$", re.I)
_COVERS = re.compile(r"^covers\s+(.+)$", re.I)
_ROMAN = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


def _roman(n: int) -> str:
    out = ""
    for value, numeral in _ROMAN * 3:
        while n >= value:
            out, n = out + numeral, n - value
    return out


def _ordinal_century(n: int, lang: str) -> str:
    if lang.startswith("fr"):
        return "Ier" if n == 1 else f"{_roman(n)}e"
    if lang.startswith("zh"):
        return str(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _years(text: str) -> str | None:
    m = _RANGE.match(text)
    if not m:
        return None
    return m.group(1) if not m.group(2) else f"{m.group(1)}–{m.group(2)}"


def _century(text: str, lang: str) -> str | None:
    m = _CENTURY.match(text)
    if not m:
        return None
    part, first, last = (m.group(1) or "").lower(), int(m.group(2)), m.group(3)
    c = _ordinal_century(first, lang)
    if last:
        return gettext("%(first)s–%(last)s century") % {"first": c, "last": _ordinal_century(int(last), lang)}
    if part == "early":
        return gettext("early %(century)s century") % {"century": c}
    if part == "mid":
        return gettext("mid %(century)s century") % {"century": c}
    if part == "late":
        return gettext("late %(century)s century") % {"century": c}
    return gettext("%(century)s century") % {"century": c}


def _phrase(text: str, lang: str) -> str | None:
    """A cataloguer's date phrase in the reader's language, or None when it is not understood."""
    text = text.strip().rstrip(".")
    if (found := _years(text)) is not None:
        return found
    if (found := _century(text, lang)) is not None:
        return found
    if m := _ABOUT.match(text):
        inner = _phrase(m.group(1), lang)
        return gettext("about %(date)s") % {"date": inner} if inner else None
    if m := _COVERS.match(text):
        inner = _years(m.group(1).strip())
        return gettext("covering the years %(years)s") % {"years": inner} if inner else None
    return None


def date_text(expression: str, year_start: int | None, year_end: int | None, *, lang: str) -> str:
    """The date to show for ``expression`` (a date as written) in ``lang``; "" when there is none.

    A leading "Period, " (``Tang, about 7th century``) is dropped when the rest is understood: the
    period is shown, translated, beside the date.
    """
    expression = (expression or "").strip()
    if not expression or not _LATIN.search(expression) or lang.startswith("en"):
        return expression
    if (found := _phrase(expression, lang)) is not None:
        return found
    head, _, rest = expression.partition(", ")
    if rest and " " not in head and (found := _phrase(rest, lang)) is not None:
        return found
    return year_range(year_start, year_end)


_EXTENT = re.compile(r"^(\d+)\s+(.+?)\.?$")


def _unit(n: int, unit: str) -> str | None:
    units = {
        "folded folios": lambda: ngettext("%(n)s folded folio", "%(n)s folded folios", n),
        "folios": lambda: ngettext("%(n)s folio", "%(n)s folios", n),
        "folio": lambda: ngettext("%(n)s folio", "%(n)s folios", n),
        "leaves": lambda: ngettext("%(n)s leaf", "%(n)s leaves", n),
        "leaf": lambda: ngettext("%(n)s leaf", "%(n)s leaves", n),
        "pages": lambda: ngettext("%(n)s page", "%(n)s pages", n),
        "page": lambda: ngettext("%(n)s page", "%(n)s pages", n),
        "sheets": lambda: ngettext("%(n)s sheet", "%(n)s sheets", n),
        "sheet": lambda: ngettext("%(n)s sheet", "%(n)s sheets", n),
        "volumes": lambda: ngettext("%(n)s volume", "%(n)s volumes", n),
        "volume": lambda: ngettext("%(n)s volume", "%(n)s volumes", n),
        "scrolls": lambda: ngettext("%(n)s scroll", "%(n)s scrolls", n),
        "scroll": lambda: ngettext("%(n)s scroll", "%(n)s scrolls", n),
        "fascicles": lambda: ngettext("%(n)s fascicle", "%(n)s fascicles", n),
        "fascicle": lambda: ngettext("%(n)s fascicle", "%(n)s fascicles", n),
    }
    found = units.get(unit.lower())
    return found() % {"n": n} if found else None


def extent_text(extent: str, *, lang: str) -> str:
    """``extent`` with a known unit written in the reader's language (as catalogued otherwise)."""
    extent = (extent or "").strip()
    if lang.startswith("en") or not (m := _EXTENT.match(extent)):
        return extent
    return _unit(int(m.group(1)), m.group(2)) or extent


def year_range(year_start: int | None, year_end: int | None) -> str:
    from mogao.core.templatetags.mogao import year

    if year_start is None:
        return ""
    return year(year_start) if year_end in (None, year_start) else f"{year(year_start)}–{year(year_end)}"


def date_parts(expression: str, year_start: int | None, year_end: int | None, *, lang: str) -> dict[str, str]:
    """What a record page shows for its date: ``text`` (as written, or in the reader's language),
    ``lang`` (the BCP 47 tag of ``text`` when it quotes a Chinese source, else "") and ``years``
    (the normalized range, "" when ``text`` already says it)."""
    text = date_text(expression, year_start, year_end, lang=lang)
    years = year_range(year_start, year_end)
    quoted = bool(text) and text == (expression or "").strip() and not _LATIN.search(text) and not _RANGE.match(text)
    return {"text": text, "lang": "zh-Hant" if quoted else "", "years": "" if years in text else years}
