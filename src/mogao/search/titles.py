"""Titles as readers know them: short and alternative titles of works, derived and curated.

Buddhist and classical texts are cited by short names (華嚴經 for 大方廣佛華嚴經, 維摩詰經 for
維摩詰所說經, 阿彌陀經 for 佛說阿彌陀經). Two sources feed the search documents' ``alias``
field (and so the pinyin keys and the expansion vocabulary):

* :func:`derived_titles` applies rules that are sound for the canon's naming conventions: the
  ``佛說`` ("spoken by the Buddha") prefix, the ``大方廣佛`` / ``大方廣`` prefix of the
  Avataṃsaka family, the ``阿毘達磨`` (Abhidharma) prefix of treatises, and ``…所說經`` ->
  ``…經`` (the sūtra "spoken by" its interlocutor). A derived title keeps at least three
  characters, so a rule never produces a bare ``經``.
* :class:`~mogao.search.models.TitleAlias` rows are curated in the admin, each with its
  provenance (where readers meet that title).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")


def has_han(text: str) -> bool:
    return bool(_HAN.search(text))

#: (pattern, replacement) applied to a work's Chinese titles, each on the results of the others.
_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^佛[說説]"), ""),
    (re.compile(r"^大方廣佛"), ""),
    (re.compile(r"^大方廣(?!佛)"), ""),
    (re.compile(r"^阿[毘毗]達磨"), ""),
    (re.compile(r"所[說説](經)$"), r"\1"),
)
MIN_LENGTH = 3
#: the title ends like a title of a text (sūtra, treatise, vinaya, record...)
_TEXTUAL_END = re.compile(r"[經経经論论律記记傳传錄录]$")


def derived_titles(titles: Iterable[str]) -> list[str]:
    """Short titles derived from Chinese ``titles`` by the rules above (none of the titles itself)."""
    originals = [t for t in titles if has_han(t)]
    seen = set(originals)
    out: list[str] = []
    queue = list(originals)
    while queue:
        title = queue.pop(0)
        for pattern, replacement in _RULES:
            short = pattern.sub(replacement, title)
            if short == title or len(short) < MIN_LENGTH or not _TEXTUAL_END.search(short):
                continue
            if short not in seen:
                seen.add(short)
                out.append(short)
                queue.append(short)
    return out


def curated_titles(work: object) -> list[str]:
    """The curated aliases of ``work`` (prefetched as ``search_aliases`` when available)."""
    manager = getattr(work, "search_aliases", None)
    if manager is None:
        return []
    return [a.text for a in manager.all()]


def reader_titles(work: object, titles: Iterable[str]) -> list[str]:
    """Derived plus curated titles of ``work`` whose stored titles are ``titles``."""
    values = list(titles)
    out = [*derived_titles(values), *curated_titles(work)]
    return list(dict.fromkeys(t for t in out if t and t not in values))
