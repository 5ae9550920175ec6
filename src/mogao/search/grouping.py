"""Translations of one text shown together on the results page (#13 item 3).

Works on one page of hits that share a title in the reader's language (casefolded, diacritics
and punctuation removed) and have different translators -- the Chinese translations of the
*Diamond Sūtra* by Kumārajīva, Bodhiruci, Paramārtha, Xuanzang, Yijing... -- become one group,
placed where its best-ranked member stood. A work's English title is a second key, so one with
its own French title still meets translations that have only an English one. Only the HTML
page groups: the ranking, the counts and the API's JSON are unchanged.
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


def _keys(row: Any) -> list[str]:
    """The row's title key in the reader's language, and its English title's key: a work with
    its own French title still meets translations that only have an English one."""
    titles = getattr(row.hit, "titles", None) or {}
    found = [title_key(row.hit.title), *(title_key(t) for t in titles.get("en", [])[:1])]
    return [k for k in dict.fromkeys(found) if k]


def group_translations(rows: list[Any]) -> list[Any]:
    """The page's rows (:class:`~mogao.search.selectors.HitRow`) in rank order, with the work
    rows sharing a title key and having at least two different translator sets replaced by one
    :class:`TranslationGroup` at the position of the first of them. Other rows are unchanged."""
    works = [i for i, row in enumerate(rows) if row.hit.doc_type == "work" and _keys(row)]
    parent = {i: i for i in works}

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    first_with: dict[str, int] = {}
    for i in works:
        for key in _keys(rows[i]):
            if key in first_with:
                a, b = sorted((root(first_with[key]), root(i)))
                parent[b] = a  # the best-ranked member stays the root
            else:
                first_with[key] = i
    members: dict[int, list[Any]] = {}
    for i in works:
        members.setdefault(root(i), []).append(rows[i])
    grouped = {
        lead: found for lead, found in members.items()
        if len({tuple(r.translators) for r in found if r.translators}) >= 2
    }
    out: list[Any] = []
    for i, row in enumerate(rows):
        lead = root(i) if i in parent else -1
        if lead not in grouped:
            out.append(row)
        elif lead == i:
            out.append(TranslationGroup(title=row.hit.title, rows=grouped[lead]))
    return out
