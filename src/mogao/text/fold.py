"""The one canonical folded form of text, shared by indexing and querying.

``fold()`` maps each input character independently (so it can be applied to a whole document or
one character at a time with the same result) through these steps, repeated until stable:

1. Unicode NFKC: full-width ASCII (``Ｐ．３５３２``), CJK compatibility ideographs and other
   compatibility forms become their standard characters;
2. lowercase, and Latin diacritics removed (``Hsüan`` -> ``hsuan``, ``Sūtra`` -> ``sutra``), plus a
   few ligatures and letters that Unicode does not decompose (``œ`` -> ``oe``, ``ß`` -> ``ss``);
3. variant characters to their standard form (衆/眾 -> 众, 説 -> 说, 爲 -> 为, 敎 -> 教,
   峯 -> 峰, 綫 -> 线), from the variant table of the ``char-converter`` package;
4. traditional to **simplified** (OpenCC ``t2s``, character by character). Simplified is the
   canonical side because the mapping is many-to-one (發/髮 -> 发): folding towards it merges more
   spellings, which is what a search index wants. The original text is always kept for display.

One exception is deliberate: 乾 is kept (it would otherwise become 干), because in the books this
library holds it is overwhelmingly qián (乾隆, 乾坤, 乾元), never the simplified word for "dry".

Length: every CJK character folds to exactly one character, so offsets in folded CJK text map
back one to one. Only NFKC expansions (``㍿`` -> ``株式会社``, ``½`` -> ``1⁄2``), the ligatures
above and dropped stand-alone combining marks change the length; use :func:`fold_char` per character
(as :mod:`mogao.text.tokens` does) when exact offsets into the original are needed.

Speed: the per-character result is cached, and ``fold()`` is a single ``str.translate`` over that
cache: measured here 7–10 million characters per second on Tang and Song poems (pure CJK) and
over 20 million on mostly-ASCII text, on the shared 2-core machine (``tests/text/test_text_fold.py``
prints it). The cache is filled for Latin and the main CJK block on first use (under 0.1 s).
"""

from __future__ import annotations

import importlib.util
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

from mogao.text.convert import _converter

__all__ = ["fold", "fold_char", "is_cjk", "non_unit_chars"]

# Characters kept as they are although the tables would change them (see the module docstring).
_KEEP: frozenset[str] = frozenset("乾")

# Letters without a Unicode decomposition that readers nevertheless type without the mark.
_LATIN_EXTRA: dict[str, str] = {
    "œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "đ": "d", "ł": "l", "ı": "i", "ð": "d", "þ": "th",
    "ʻ": "'", "ʼ": "'", "’": "'", "‘": "'",
}

# Past this many cached characters new results are computed but not stored, so that a stream
# of random code points (fuzzing, binary junk) cannot grow the cache without bound.
_CACHE_LIMIT = 400_000


def is_cjk(ch: str) -> bool:
    """True when the one-character ``ch`` is a CJK ideograph (any extension block) or 〇/々."""
    cp = ord(ch)
    return (
        0x4E00 <= cp <= 0x9FFF
        or 0x3400 <= cp <= 0x4DBF
        or 0xF900 <= cp <= 0xFAFF
        or 0x20000 <= cp <= 0x323AF
        or cp in (0x3007, 0x3005)
    )


@lru_cache(maxsize=1)
def _variants() -> dict[str, str]:
    """Variant -> standard simplified character, from the ``char-converter`` wheel's data file.

    The file is read directly: importing ``char_converter`` itself would import the deprecated
    ``pkg_resources`` (a warning, and an error under this project's test settings).
    """
    import msgpack

    spec = importlib.util.find_spec("char_converter")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the 'char-converter' package is required for variant folding")
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "v2s.msgpack"
    with path.open("rb") as fh:
        raw = cast(dict[str, list[str]], msgpack.unpack(fh, raw=False))
    table: dict[str, str] = {}
    for variant, standards in raw.items():
        # When a character is itself one of its own standard forms it is a legitimate character
        # (於 -> [于, 於] is the exception: simplified texts do write 于 for it).
        if len(variant) == 1 and standards and standards[0] != variant:
            table[variant] = standards[0]
    return table


def _strip_marks(ch: str) -> str:
    """Lowercase one character and drop its combining marks (é -> e); CJK is untouched."""
    if ch in _LATIN_EXTRA:
        return _LATIN_EXTRA[ch]
    low = ch.lower()
    out = []
    for c in low:
        if c in _LATIN_EXTRA:
            out.append(_LATIN_EXTRA[c])
            continue
        decomposed = unicodedata.normalize("NFD", c)
        if len(decomposed) > 1 and any(unicodedata.combining(m) for m in decomposed):
            kept = "".join(m for m in decomposed if not unicodedata.combining(m))
            out.append(unicodedata.normalize("NFC", kept))
        elif unicodedata.combining(c):
            continue
        else:
            out.append(c)
    return "".join(out)


def _fold_cjk(ch: str) -> str:
    if ch in _KEEP:
        return ch
    ch = _variants().get(ch, ch)
    simplified = str(_converter("t2s").convert(ch))
    # A single character must stay a single character (offsets depend on it).
    return simplified if len(simplified) == 1 else ch


def _step(text: str) -> str:
    out = []
    for c in unicodedata.normalize("NFKC", text):
        if is_cjk(c):
            out.append(_fold_cjk(c))
        else:
            out.append(_strip_marks(c))
    return "".join(out)


def _compute(ch: str) -> str:
    """Apply the folding steps to one character until the result stops changing."""
    current = ch
    for _ in range(4):
        nxt = _step(current)
        if nxt == current:
            break
        current = nxt
    return current


# Characters seen so far whose fold is not exactly one character (ligatures, ㍿, lone marks).
_non_unit: set[str] = set()


class _Table(dict[int, str]):
    """``str.translate`` table that computes and caches a character's fold on first sight."""

    def __missing__(self, key: int) -> str:
        value = _compute(chr(key))
        if len(value) != 1:
            _non_unit.add(chr(key))
        if len(self) < _CACHE_LIMIT:
            self[key] = value
        return value


_table = _Table()


def non_unit_chars() -> set[str]:
    """Characters met so far (by :func:`fold` or :func:`fold_char`) that do not fold to exactly
    one character. Complete for any text already folded, so ``non_unit_chars().isdisjoint(text)``
    after ``fold(text)`` proves that offsets in the folded text are offsets in ``text``."""
    return _non_unit
_warm_lock = threading.Lock()


def _warm() -> None:
    # Pre-fill the cache with the common ideographs so that first calls are not slow and the
    # per-character Python fallback is rarely hit in production.
    with _warm_lock:
        if _table:
            return
        for cp in (*range(0x20, 0x250), *range(0x4E00, 0xA000)):
            value = _compute(chr(cp))
            if len(value) != 1:
                _non_unit.add(chr(cp))
            _table[cp] = value


def fold(text: str) -> str:
    """Return the canonical folded form of ``text`` (see the module docstring for the steps).

    Idempotent (``fold(fold(s)) == fold(s)``) and deterministic; the result is only for matching,
    never for display. Length is preserved for CJK characters (one in, one out).
    """
    if not _table:
        _warm()
    return text.translate(cast(Any, _table))


def fold_char(ch: str) -> str:
    """Fold one character; the result may be empty or longer than one character (non-CJK only)."""
    if not _table:
        _warm()
    return _table[ord(ch)]
