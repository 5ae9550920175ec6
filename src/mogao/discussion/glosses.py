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


def _lexicon() -> Any:
    try:
        from mogao.search.expand import vocabulary

        return vocabulary().lexicon
    except Exception:  # noqa: BLE001 - an unavailable catalogue vocabulary only loses its names
        return None


@lru_cache(maxsize=4096)
def _dictionary_only(word: str, lang: str) -> tuple[str, ...]:
    return tuple(dictionary.translate_query(word, lang, limit=LIMIT))


def reverse_gloss(word: str, lang: str) -> list[dict[str, Any]]:
    """Up to :data:`LIMIT` Chinese words for ``word`` (``lang``: ``en`` or ``fr``), best first."""
    word = word.strip()
    if not word or len(word) > MAX_WORD:
        return []
    lang = "fr" if lang.lower().startswith("fr") else "en"
    lexicon = _lexicon()
    found = (dictionary.translate_query(word, lang, lexicon=lexicon, limit=LIMIT) if lexicon is not None
             else list(_dictionary_only(word.lower(), lang)))
    out = []
    for chinese in found[:LIMIT]:
        if not chinese or " " in chinese:
            continue
        entries = dictionary.lookup(chinese)
        out.append({
            "chinese": chinese,
            "simplified": entries[0].simplified if entries else chinese,
            "pinyin": to_pinyin(chinese),
            "definitions": list(entries[0].definitions[:3]) if entries else [],
        })
    return out
