"""Benchmark query sets drawn from the corpus: 2- and 4-character, romanized and English."""

from __future__ import annotations

import random
from dataclasses import dataclass

from corpus import ENGLISH

from mogao.search.types import Node, Or, Term
from mogao.text.fold import is_cjk


@dataclass(frozen=True)
class BenchQuery:
    kind: str  # "2-char", "4-char", "romanized", "english"
    label: str
    root: Node


def _substrings(lines: list[str], size: int, count: int, rng: random.Random) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    tries = 0
    while len(out) < count and tries < count * 200:
        tries += 1
        line = rng.choice(lines)
        if len(line) < size:
            continue
        i = rng.randrange(len(line) - size + 1)
        s = line[i : i + size]
        if all(is_cjk(c) for c in s) and s not in seen:
            seen.add(s)
            out.append(s)
    return out


def romanized(lines: list[str], count: int, rng: random.Random) -> list[BenchQuery]:
    """Romanized queries pre-expanded to Chinese candidates (as the search service does).

    A pool of real two-character words is grouped by toneless pinyin; each query is one pinyin
    key (``mingyue``) and runs as an OR of its candidate words (明月, 名月...), at most five.
    """
    from pypinyin import lazy_pinyin

    groups: dict[str, list[str]] = {}
    for word in _substrings(lines, 2, 6000, rng):
        groups.setdefault("".join(lazy_pinyin(word)), []).append(word)
    keys = sorted(groups, key=lambda k: (-len(groups[k]), k))
    picked = keys[: count // 2] + rng.sample(keys[count // 2 :], min(count - count // 2, len(keys) - count // 2))
    return [
        BenchQuery("romanized", key, Or(tuple(Term(w) for w in groups[key][:5])))
        if len(groups[key]) > 1
        else BenchQuery("romanized", key, Term(groups[key][0]))
        for key in picked
    ]


def english(count: int, rng: random.Random) -> list[BenchQuery]:
    """One- and two-word English queries over the catalogue records' English titles."""
    out = [BenchQuery("english", w, Term(w)) for w in rng.sample(ENGLISH, min(count // 2, len(ENGLISH)))]
    while len(out) < count:
        a, b = rng.sample(ENGLISH, 2)
        out.append(BenchQuery("english", f"{a} {b}", Term(f"{a} {b}")))
    return out


def query_set(lines: list[str], per_kind: int, seed: int = 7) -> list[BenchQuery]:
    """``per_kind`` queries of each kind, the same for every engine."""
    rng = random.Random(seed)
    two = [BenchQuery("2-char", s, Term(s)) for s in _substrings(lines, 2, per_kind, rng)]
    four = [BenchQuery("4-char", s, Term(s)) for s in _substrings(lines, 4, per_kind, rng)]
    return two + four + romanized(lines, per_kind, rng) + english(per_kind, rng)
