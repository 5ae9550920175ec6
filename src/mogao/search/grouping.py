"""Translations of one text shown together on the results page (#13 item 3).

Works on one page of hits that share a title in the reader's language (casefolded, diacritics
and punctuation removed) and have different translators -- the Chinese translations of the
*Diamond Sūtra* by Kumārajīva, Bodhiruci, Paramārtha, Xuanzang, Yijing... -- become one group,
placed where its best-ranked member stood. Only the HTML page groups: the ranking, the counts
and the API's JSON are unchanged.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

_NOT_WORD = re.compile(r"[\W_]+")


def title_key(title: str) -> str:
    """A title folded for comparison: "Diamond Sūtra" and "diamond sutra" give the same key."""
    decomposed = unicodedata.normalize("NFKD", title.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NOT_WORD.sub(" ", bare).strip()


@dataclass(frozen=True)
class TranslationGroup:
    """Several translations of one text; ``rows[0]`` is the best-ranked one."""

    title: str
    rows: list[Any]

    is_group = True

    @property
    def lead(self) -> Any:
        return self.rows[0]


def group_translations(rows: list[Any]) -> list[Any]:
    """The page's rows (:class:`~mogao.search.selectors.HitRow`) in rank order, with the work
    rows sharing a title key and having at least two different translator sets replaced by one
    :class:`TranslationGroup` at the position of the first of them. Other rows are unchanged."""
    members: dict[str, list[Any]] = {}
    for row in rows:
        if row.hit.doc_type == "work" and (key := title_key(row.hit.title)):
            members.setdefault(key, []).append(row)
    grouped = {
        key: found for key, found in members.items()
        if len({tuple(r.translators) for r in found if r.translators}) >= 2
    }
    out: list[Any] = []
    placed: set[str] = set()
    for row in rows:
        key = title_key(row.hit.title) if row.hit.doc_type == "work" else ""
        if key not in grouped:
            out.append(row)
        elif key not in placed:
            placed.add(key)
            out.append(TranslationGroup(title=row.hit.title, rows=grouped[key]))
    return out
