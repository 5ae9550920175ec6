"""Chinese glosses of an English or French word, for readers of a comment who read Chinese.

The same way search turns a reader's English or French into Chinese
(:func:`mogao.search.expand._translations`): the catalogue's own multilingual names first (the
search vocabulary's lexicon), then CC-CEDICT's reverse glosses
(:func:`mogao.text.dictionary.translate_query`). Each candidate carries its reading and its first
definitions so the reader can tell them apart. No machine translation is involved.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from mogao.text import dictionary
from mogao.text.romanize import to_pinyin

MAX_WORD = 40
LIMIT = 3
#: Candidates asked of the dictionary before ranking by how common their characters are.
POOL = 10


@lru_cache(maxsize=1)
def _char_counts() -> dict[str, int]:
    """How many dictionary headwords each character appears in: a commonness proxy (山 in
    thousands, 嵄 in one), so a reader sees the everyday word first."""
    counts: dict[str, int] = {}
    for entry in dictionary.entries():
        for ch in set(entry.traditional):
            counts[ch] = counts.get(ch, 0) + 1
    return counts


def _rank(candidates: list[str]) -> list[str]:
    counts = _char_counts()

    def commonness(word: str) -> tuple[int, int]:
        return (-min((counts.get(c, 0) for c in word), default=0), len(word))

    order = {word: i for i, word in enumerate(candidates)}
    return sorted(candidates, key=lambda w: (commonness(w), order[w]))


def _lexicon() -> Any:
    try:
        from mogao.search.expand import vocabulary

        return vocabulary().lexicon
    except Exception:
        return None


@lru_cache(maxsize=4096)
def _dictionary_only(word: str, lang: str) -> tuple[str, ...]:
    return tuple(dictionary.translate_query(word, lang, limit=POOL))


def reverse_gloss(word: str, lang: str) -> list[dict[str, Any]]:
    """Up to :data:`LIMIT` Chinese words for ``word`` (``lang``: ``en`` or ``fr``), best first."""
    word = word.strip()
    if not word or len(word) > MAX_WORD:
        return []
    lang = "fr" if lang.lower().startswith("fr") else "en"
    lexicon = _lexicon()
    found = (dictionary.translate_query(word, lang, lexicon=lexicon, limit=POOL) if lexicon is not None
             else list(_dictionary_only(word.lower(), lang)))
    out: list[dict[str, Any]] = []
    for chinese in _rank([f for f in found if f and " " not in f]):
        if len(out) >= LIMIT:
            break
        entries = dictionary.lookup(chinese)
        out.append({
            "chinese": chinese,
            "simplified": entries[0].simplified if entries else chinese,
            "pinyin": to_pinyin(chinese),
            "definitions": list(entries[0].definitions[:3]) if entries else [],
        })
    return out
