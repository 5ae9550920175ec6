"""Character n-gram similarity of short and long texts (pure Python, no Django)."""

from __future__ import annotations

import re

_SPACE = re.compile(r"[\s\u3000，。、；：！？「」『』《》（）,.;:!?()\[\]\"'·-]+")


def normalize(text: str) -> str:
    """Text without spaces and punctuation, lower-cased, so layout does not affect similarity."""
    return _SPACE.sub("", text).lower()


def ngrams(text: str, n: int) -> set[str]:
    """The set of character n-grams of the normalized text (the whole text when shorter)."""
    text = normalize(text)
    if len(text) < n:
        return {text} if text else set()
    return {text[i : i + n] for i in range(len(text) - n + 1)}


def dice(a: str, b: str, n: int = 2) -> float:
    """Sørensen–Dice coefficient of character n-grams, 0..1 (titles, names)."""
    ga, gb = ngrams(a, n), ngrams(b, n)
    if not ga or not gb:
        return 0.0
    return 2 * len(ga & gb) / (len(ga) + len(gb))


def ngram_similarity(a: str, b: str, n: int = 3) -> float:
    """Overlap coefficient of character n-grams, 0..1: high when one text repeats the other.

    The overlap coefficient (shared / smaller set) rather than Jaccard, because a fragment that
    holds part of another witness's text should score high even though it is much shorter.
    """
    ga, gb = ngrams(a, n), ngrams(b, n)
    if not ga or not gb:
        return 0.0
    return len(ga & gb) / min(len(ga), len(gb))
