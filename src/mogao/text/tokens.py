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
from operator import add as _concat
from typing import Protocol, cast

from mogao.text.fold import fold, fold_char, non_unit_chars

__all__ = [
    "UNIGRAM_PREFIX", "RawToken", "Token", "position_terms", "query_tokens", "stem", "tokenize",
    "tokenize_raw",
]

UNIGRAM_PREFIX = "u:"

# CJK ideographs (all blocks), 〇 and 々, and kana: runs of these are cut into bigrams (Japanese
# has no spaces either). Kept in step with :func:`mogao.text.fold.is_cjk`.
_CJK = "\u3005\u3007\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U000323af"

#: Series prefixes of the Dunhuang collections (spaces and dots removed) -> their short code.
_SHELF_PREFIXES: dict[str, str] = {
    "pelliotchinois": "p", "pelliottibetain": "pt", "pelliot": "p", "pt": "pt", "p": "p",
    "stein": "s", "s": "s", "dx": "dx", "дх": "dx", "бд": "bd", "bd": "bd", "北敦": "bd",
    "ch": "ch", "ioltibj": "itj", "itj": "itj",
}
# Matched against folded (lowercase, diacritics-free) text. The collection (``Or.8210/``) may be
# written ``Or8210 P2``, ``Or 8210/P 2``; a prefix and its number may be joined by a dot, a space
# or a hyphen (``Дх-1234``), or nothing (``S3326``, ``北敦00256``).
_SHELFMARK = (
    r"(?<![a-z0-9.])"
    r"(?:or\.?\s?(?P<or>\d{3,5})\s?[/\s]?\s?)?"
    r"(?P<prefix>pelliot\s+chinois|pelliot\s+tibetain|pelliot|p\.\s?t|pt|stein"
    r"|iol\s?tib\s?j|itj|p|s|dx|дх|bd|北敦|ch)"
    r"\.?\s?-?\s?(?P<num>\d{1,6})(?P<suffix>[a-z]?)(?![a-z0-9])"
)
# One pass over the folded text: a shelfmark, else a CJK run, else a word (letters and digits
# of any other script; ``[^\W_]`` is "alphanumeric").
_SEGMENT = re.compile(
    rf"(?P<shelf>{_SHELFMARK})|(?P<cjk>[{_CJK}]+)|(?P<word>[^\W_{_CJK}]+)"
)
# (its groups, in order: shelf, or, prefix, num, suffix, cjk, word; position_terms unpacks them)
assert _SEGMENT.groups == 7

# A character that can start a word or shelfmark (not CJK); and one CJK run.
_NON_CJK_WORD = re.compile(rf"[^\W_{_CJK}]")
_CJK_RUN = re.compile(rf"[{_CJK}]+")


#: ``(term, position, start, end)``: a :class:`Token` as a plain tuple (see :func:`tokenize_raw`).
RawToken = tuple[str, int, int, int]


@dataclass(frozen=True, slots=True)
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


def _folded_chars(text: str) -> tuple[str, list[int] | None, list[int] | None]:
    """Fold ``text``; return it with each folded character's origin ``[start, end)`` in ``text``.

    When every character folds to exactly one (nearly always) the origins are the indexes
    themselves and ``None`` is returned for both lists, sparing two lists per call.
    """
    folded = fold(text)
    if len(folded) == len(text) and non_unit_chars().isdisjoint(text):
        return folded, None, None
    chars: list[str] = []
    starts: list[int] = []
    for i, ch in enumerate(text):
        for f in fold_char(ch):
            chars.append(f)
            starts.append(i)
    return "".join(chars), starts, [i + 1 for i in starts]


def _shelfmark_terms(match: re.Match[str]) -> tuple[str, str]:
    return _shelfmark_parts(match.group("or") or "", match.group("prefix"), match.group("num"), match.group("suffix"))


def _shelfmark_parts(collection: str, prefix: str, num: str, suffix: str) -> tuple[str, str]:
    bare = re.sub(r"[\s.]+", "", prefix)
    code = _SHELF_PREFIXES.get(bare, bare)
    number = str(int(num)) + suffix
    if collection and not (collection == "8210" and code == "s"):
        return f"or{collection}{code}{number}", number
    return f"{code}{number}", number


def _raw(text: str, *, all_unigrams: bool) -> list[RawToken]:
    folded, starts, ends = _folded_chars(text)
    tokens: list[RawToken] = []
    append = tokens.append
    position = 0
    for m in _SEGMENT.finditer(folded):
        kind = m.lastgroup
        s, e = m.span()
        if kind == "cjk":
            run = m.group()
            n = e - s
            unigrams = all_unigrams or n == 1
            if starts is None or ends is None:
                # offsets are indexes: no lookups (the common case, kept tight)
                for k in range(n):
                    a = s + k
                    if k + 1 < n:
                        append((run[k : k + 2], position + k, a, a + 2))
                    if unigrams:
                        append((UNIGRAM_PREFIX + run[k], position + k, a, a + 1))
            else:
                for k in range(n):
                    a = s + k
                    if k + 1 < n:
                        append((run[k : k + 2], position + k, starts[a], ends[a + 1]))
                    if unigrams:
                        append((UNIGRAM_PREFIX + run[k], position + k, starts[a], ends[a]))
            position += n
        elif kind == "word":
            first, last = (s, e) if starts is None or ends is None else (starts[s], ends[e - 1])
            append((stem(m.group()), position, first, last))
            position += 1
        else:
            compact, number = _shelfmark_terms(m)
            num_at = m.start("num")
            if starts is None or ends is None:
                first, last, num_first = s, e, num_at
            else:
                first, last, num_first = starts[s], ends[e - 1], starts[num_at]
            append((compact, position, first, last))
            append((number, position + 1, num_first, last))
            position += 2
    return tokens


def tokenize(text: str) -> list[Token]:
    """Tokens to index for ``text``: CJK bigrams plus a ``u:`` unigram per CJK character, words,
    shelfmarks. Never raises on any string; offsets always lie within ``text``."""
    return [Token(*t) for t in _raw(text, all_unigrams=True)]


def tokenize_raw(text: str) -> list[RawToken]:
    """:func:`tokenize` as plain ``(term, position, start, end)`` tuples, for bulk indexing.

    Same tokens in the same order, about three times faster: building a million small
    dataclass instances costs more than finding the tokens.
    """
    return _raw(text, all_unigrams=True)


def query_tokens(text: str) -> list[Token]:
    """Tokens of a query: like :func:`tokenize`, but a CJK run of two or more characters gives
    only its bigrams, and a one-character run gives its ``u:`` unigram (which every index has)."""
    return [Token(*t) for t in _raw(text, all_unigrams=False)]


def position_terms(text: str, filler: str) -> tuple[list[str], list[str]]:
    """:func:`tokenize_raw`'s terms laid out by position, for bulk indexing: ``(terms, unigrams)``.

    ``terms[p]`` is the bigram, word or shelfmark part at position *p*, or ``filler`` where a
    position holds none (the last character of a CJK run); ``unigrams`` are the ``u:`` terms in
    order. ``len(terms)`` is the number of positions the text spans. Offsets are not computed,
    and CJK runs are cut with C-level ``map`` instead of a Python loop per character, which
    makes this several times cheaper than :func:`tokenize_raw` on Chinese text; the two always
    agree (``tests/text/test_text_properties.py``).
    """
    folded = fold(text)  # fold maps each character on its own: same text as _folded_chars
    if _NON_CJK_WORD.search(folded) is None:
        # Only CJK runs (most Chinese text): bigrams of the runs laid end to end, the pair
        # that straddles two runs replaced by the filler; no Python step per character.
        runs = _CJK_RUN.findall(folded)
        if not runs:
            return [], []
        joined = "".join(runs)
        pairs = list(map(_concat, joined, joined[1:]))
        pairs.append(filler)
        end = -1
        for run in runs[:-1]:
            end += len(run)
            pairs[end] = filler
        return pairs, list(map(UNIGRAM_PREFIX.__add__, joined))
    terms: list[str] = []
    unigrams: list[str] = []
    extend, append = terms.extend, terms.append
    # findall gives each segment's groups as one tuple, without a match object per segment
    for _shelf, collection, prefix, num, suffix, run, word in _SEGMENT.findall(folded):
        if run:
            extend(map(_concat, run, run[1:]))  # the n - 1 overlapping bigrams
            append(filler)
            unigrams.extend(map(UNIGRAM_PREFIX.__add__, run))
        elif word:
            append(stem(word))
        else:
            extend(_shelfmark_parts(collection, prefix, num, suffix))
    return terms, unigrams
