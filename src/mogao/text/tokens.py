"""Tokens for the search index and for queries: CJK bigrams and unigrams, Latin words, shelfmarks.

Every token carries the offsets of the characters it came from in the ORIGINAL text (before
folding), so highlights are drawn on the text the reader sees.

Term shapes (an engine indexes and matches them as opaque strings):

* ``金刚`` — an overlapping bigram of folded CJK characters; one per adjacent pair in a CJK run;
* ``u:金`` — a unigram of one folded CJK character. :func:`tokenize` emits one for **every** CJK
  character (so a one-character query can match), :func:`query_tokens` only for a CJK run of one
  character (longer runs are matched by their bigrams);
* ``manuscript`` — a Latin or digit word: folded (lowercase, no diacritics) and stemmed with the
  Snowball English stemmer (the same stemmer on both sides, so French plurals meet too:
  ``manuscrits`` and ``manuscrit`` give one term);
* ``p3532`` — a shelfmark normalized to prefix + number (``P.3532``, ``P 3532``, ``p3532``,
  ``Pelliot chinois 3532`` all give ``p3532``), followed at the next position by the bare number
  (``3532``) so that a query for the number alone still finds it. Stein numbers under the British
  Library's ``Or.8210/`` prefix meet the short form (``Or.8210/S.3326`` = ``S.3326`` -> ``s3326``);
  other ``Or.8210/`` series keep the prefix (``Or.8210/P.2`` -> ``or8210p2``, which is not
  Pelliot 2).

Positions: a CJK character at run index *i* has position *p + i* (its bigram with the next
character and its unigram share it; a run of *n* characters spans *n* positions); each word or
shelfmark part takes one position. :func:`query_tokens` numbers positions the same way, so a
phrase matches where the document has the query's terms at the same relative positions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol, cast

from mogao.text.fold import fold_char, is_cjk

__all__ = ["UNIGRAM_PREFIX", "Token", "query_tokens", "stem", "tokenize"]

UNIGRAM_PREFIX = "u:"

# Kana runs are cut into bigrams too (Japanese has no spaces either).
_KANA = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff]")

_SHELF_PREFIXES: dict[str, str] = {
    "pelliot chinois": "p", "pelliot tibetain": "pt", "pelliot": "p", "p.t": "pt", "pt": "pt",
    "p": "p", "stein": "s", "s": "s", "dx": "dx", "дх": "dx", "бд": "bd", "bd": "bd", "ch": "ch",
}
# Matched against folded (lowercase, diacritics-free) text.
_SHELFMARK = re.compile(
    r"(?<![a-z0-9.])"
    r"(?:or\.?\s?(?P<or>\d{3,5})\s?/\s?)?"
    r"(?P<prefix>pelliot\s+chinois|pelliot\s+tibetain|pelliot|p\.\s?t|pt|stein|p|s|dx|дх|bd|ch)"
    r"\.?\s?(?P<num>\d{1,6})(?P<suffix>[a-z]?)(?![a-z0-9])"
)


@dataclass(frozen=True)
class Token:
    """One index or query term with its position and ``[start, end)`` offsets in the original."""

    term: str
    position: int
    start: int
    end: int


class _Stemmer(Protocol):
    def stemWord(self, word: str) -> str: ...  # the library's camelCase name


@lru_cache(maxsize=1)
def _stemmer() -> _Stemmer:
    import snowballstemmer

    return cast(_Stemmer, snowballstemmer.stemmer("english"))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Stem one folded Latin word (Snowball English); digits and short words are left alone."""
    if len(word) <= 3 or not word.isascii() or not word.isalpha():
        return word
    return _stemmer().stemWord(word)


def _is_cjkish(ch: str) -> bool:
    return is_cjk(ch) or bool(_KANA.match(ch))


def _folded_chars(text: str) -> tuple[str, list[tuple[int, int]]]:
    """Fold ``text`` per character; return the folded string and each folded char's origin."""
    chars: list[str] = []
    spans: list[tuple[int, int]] = []
    for i, ch in enumerate(text):
        folded = fold_char(ch)
        for f in folded:
            chars.append(f)
            spans.append((i, i + 1))
    return "".join(chars), spans


def _shelfmark_terms(match: re.Match[str]) -> tuple[str, str]:
    prefix = re.sub(r"\s+", " ", match.group("prefix")).replace(". ", ".")
    code = _SHELF_PREFIXES.get(prefix, prefix.replace(".", ""))
    number = str(int(match.group("num"))) + match.group("suffix")
    collection = match.group("or")
    if collection and not (collection == "8210" and code == "s"):
        return f"or{collection}{code}{number}", number
    return f"{code}{number}", number


def _tokens(text: str, *, all_unigrams: bool) -> list[Token]:
    folded, spans = _folded_chars(text)
    tokens: list[Token] = []
    position = 0
    shelf_at: dict[int, re.Match[str]] = {m.start(): m for m in _SHELFMARK.finditer(folded)}
    i = 0
    n = len(folded)
    while i < n:
        ch = folded[i]
        if i in shelf_at:
            m = shelf_at[i]
            start, end = spans[m.start()][0], spans[m.end() - 1][1]
            compact, number = _shelfmark_terms(m)
            tokens.append(Token(compact, position, start, end))
            tokens.append(Token(number, position + 1, spans[m.start("num")][0], end))
            position += 2
            i = m.end()
            continue
        if _is_cjkish(ch):
            j = i
            while j < n and _is_cjkish(folded[j]):
                j += 1
            run_len = j - i
            for k in range(i, j):
                if k + 1 < j:
                    tokens.append(Token(folded[k : k + 2], position, spans[k][0], spans[k + 1][1]))
                if all_unigrams or run_len == 1:
                    tokens.append(Token(UNIGRAM_PREFIX + folded[k], position, *spans[k]))
                position += 1
            i = j
            continue
        if ch.isalnum():
            j = i
            while j < n and folded[j].isalnum() and not _is_cjkish(folded[j]):
                j += 1
            word = folded[i:j]
            tokens.append(Token(stem(word), position, spans[i][0], spans[j - 1][1]))
            position += 1
            i = j
            continue
        i += 1
    return tokens


def tokenize(text: str) -> list[Token]:
    """Tokens to index for ``text``: CJK bigrams plus a ``u:`` unigram per CJK character, words,
    shelfmarks. Never raises on any string; offsets always lie within ``text``."""
    return _tokens(text, all_unigrams=True)


def query_tokens(text: str) -> list[Token]:
    """Tokens of a query: like :func:`tokenize`, but a CJK run of two or more characters gives
    only its bigrams, and a one-character run gives its ``u:`` unigram (which every index has)."""
    return _tokens(text, all_unigrams=False)
