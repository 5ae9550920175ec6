"""Character accuracy of OCR output against a reference transcription (1 - CER).

Whitespace, line breaks and punctuation are ignored on both sides (woodblock pages have none and
OCR engines invent some); variant forms are NOT folded, so 為/爲 counts as an error.
"""

from __future__ import annotations

import unicodedata


def comparable(text: str) -> str:
    """Only the letters and ideographs of ``text``."""
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in ("L", "N"))


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance between ``a`` and ``b`` (insertions, deletions, substitutions)."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def char_accuracy(reference: str, hypothesis: str) -> float:
    """1 - (edit distance / reference length), floored at 0; 1.0 for two empty texts."""
    ref, hyp = comparable(reference), comparable(hypothesis)
    if not ref:
        return 1.0 if not hyp else 0.0
    return max(0.0, 1 - edit_distance(ref, hyp) / len(ref))
