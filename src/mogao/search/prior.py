"""A ranking prior: how much a record matters, from what the catalogue knows (docs/search.md).

For a work::

    prior = 0.35 * witnesses + 0.35 * citing + 0.30 * featured

    witnesses = min(1, ln(1 + public items holding it) / ln(1 + 10))
    citing    = min(1, ln(1 + other works naming it in their titles) / ln(1 + 20))
    featured  = 1 if a curator marked it (FeaturedWork), else 0

"Naming it" means containing its Chinese title or one of its short titles (titles.py) of at
least three characters, other than works with the very same title (other translations of the
text are not commentaries of it). An item takes the prior of its most important work (counted
with one witness, itself); a person ``min(1, ln(1 + works made) / ln(1 + 30))``; a place 0.
The prior lies in [0, 1] and is stored with each document (``payload["prior"]``);
:func:`mogao.search.services.search` combines it with the engine's text score as
``score * (1 + PRIOR_WEIGHT * prior)``, so a record's score grows
at most 2.5-fold: an exact title match (its pinyin key boosted twelvefold) still wins.

The table of titles is read once per change of the works (count and latest update).
"""

from __future__ import annotations

import bisect
import math
import threading
import time
from dataclasses import dataclass

PRIOR_WEIGHT = 1.5
W_WITNESSES, W_CITING, W_FEATURED = 0.35, 0.35, 0.30
WITNESSES_FULL, CITING_FULL, WORKS_FULL = 10, 20, 30
MIN_NAME = 3


def _scaled(n: int, full: int) -> float:
    return min(1.0, math.log1p(max(n, 0)) / math.log1p(full))


def work_prior(*, witnesses: int, citing: int, featured: bool) -> float:
    """The prior of a work from its counts (see the module docstring)."""
    return round(
        W_WITNESSES * _scaled(witnesses, WITNESSES_FULL)
        + W_CITING * _scaled(citing, CITING_FULL)
        + W_FEATURED * (1.0 if featured else 0.0),
        4,
    )


def entity_prior(works: int) -> float:
    """The prior of a person or place linked to ``works`` works."""
    return round(_scaled(works, WORKS_FULL), 4)


def combine(score: float, prior: float) -> float:
    """The ranking score: text relevance times (1 + PRIOR_WEIGHT * prior)."""
    return score * (1.0 + PRIOR_WEIGHT * max(0.0, min(1.0, prior)))


@dataclass
class TitleTable:
    """Every public work's folded Chinese titles, one per line, to count works naming another."""

    text: str
    starts: list[int]
    owners: list[int]  # work pk of each line

    @classmethod
    def build(cls, rows: list[tuple[int, str]]) -> TitleTable:
        starts: list[int] = []
        position = 0
        for _pk, title in rows:
            starts.append(position)
            position += len(title) + 1
        return cls("\n".join(t for _, t in rows), starts, [pk for pk, _ in rows])

    def citing(self, pk: int, names: list[str]) -> int:
        """How many other works have a title containing one of ``names`` (but not equal to one)."""
        lines: set[int] = set()
        wanted = {n for n in names if len(n) >= MIN_NAME}
        for name in wanted:
            i = self.text.find(name)
            while i != -1:
                lines.add(bisect.bisect_right(self.starts, i) - 1)
                i = self.text.find(name, i + 1)
        owners = {
            self.owners[line]
            for line in lines
            if self._line(line) not in wanted
        }
        owners.discard(pk)
        return len(owners)

    def _line(self, line: int) -> str:
        start = self.starts[line]
        end = self.starts[line + 1] - 1 if line + 1 < len(self.starts) else len(self.text)
        return self.text[start:end]


_lock = threading.Lock()
_table: tuple[str, TitleTable] | None = None
#: (checked at, version): the works are asked for their version at most every few seconds
_checked: tuple[float, str] | None = None
VERSION_TTL = 5.0


def title_table() -> TitleTable:
    """The current table of work titles (rebuilt when works change)."""
    global _table
    from django.db.models import Count, Max

    from mogao.catalogue.models import Visibility, Work
    from mogao.core import langmap
    from mogao.text.fold import fold

    global _checked
    now = time.monotonic()
    if _checked is not None and now - _checked[0] < VERSION_TTL:
        version = _checked[1]
    else:
        row = Work.objects.aggregate(n=Count("pk"), last=Max("updated"))
        version = f"{row['n']}@{row['last']}"
        _checked = (now, version)
    current = _table
    if current is not None and current[0] == version:
        return current[1]
    with _lock:
        rows: list[tuple[int, str]] = []
        for pk, title in Work.objects.filter(visibility=Visibility.PUBLIC).values_list(
            "pk", "title"
        ):
            for value in langmap.all_strings(title or {}):
                folded = fold(value)
                if folded and any("\u3400" <= c <= "\u9fff" for c in folded):
                    rows.append((pk, folded))
        table = TitleTable.build(rows)
        _table = (version, table)
        return table


def invalidate() -> None:
    """Forget the table (after an index change, so the next document reads the works again)."""
    global _table, _checked
    _table = None
    _checked = None
