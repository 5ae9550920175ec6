"""Romanization of Chinese (pinyin, Wade–Giles) and the reverse: romanized query -> Chinese.

A *pinyin key* is the toneless, spaceless, lowercase pinyin of a string, with ü written ``u``
(``金剛經`` -> ``jingangjing``, ``綠`` -> ``lu``). It is the meeting point of every romanization:
:func:`pinyin_key` computes it for Chinese text, :func:`romanized_key` for what a reader typed
(pinyin with or without tones, tone numbers or spaces; Wade–Giles with or without apostrophes,
umlauts and hyphens), and :class:`RomanIndex` maps keys back to Chinese strings.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from itertools import islice, product

from pypinyin import Style, lazy_pinyin

from mogao.text.convert import to_simplified
from mogao.text.fold import is_cjk

__all__ = [
    "RomanIndex",
    "looks_romanized",
    "pinyin_key",
    "romanized_key",
    "romanized_keys",
    "to_pinyin",
    "to_wade_giles",
]

# Syllables that are valid pinyin but too rare to be worth a segmentation (interjections).
_RARE = frozenset({"m", "n", "ng", "hm", "hng", "ê", "e\u0302", "r", "o", "io", "yo", "lo"})

# Common English words that also parse as pinyin; a query made only of them is not romanized.
_ENGLISH = frozenset(
    "a an and he she me die tie pie lie change men hang sang ban can fan man pan ran tan wan bang "
    "gang hen pen ten zen nine line mine shine long song wine dine bin din pin tin sin fin kin "
    "in on to tour bun gun nun sun run fun pun hun china hung wang den ming".split()
)

# Wade–Giles spellings with a second reading in common use that the regular table lacks
# (樂 in 永樂 is "Yung-lo").
_WG_EXTRA: dict[str, tuple[str, ...]] = {"lo": ("le",), "ko": ("ke",), "yo": ("yue",)}

_ALL_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U000323af]+")
_OUTSIDE_BASIC = re.compile(r"[^\u4e00-\u9fff]")
_NOT_LETTER = re.compile(r"[^a-z]")

_APOSTROPHES = "'’ʻʼ`‘"
_WG_MARKERS = re.compile(r"(hs|ts|tz|ss|szu|ih\b|ung\b|ueh\b|üeh\b|ch'|k'|p'|t'|ts'|tz')")


def _plain(syllable: str) -> str:
    """Drop tone marks and write ü as u: the key alphabet."""
    decomposed = unicodedata.normalize("NFD", syllable)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("v", "u")


@lru_cache(maxsize=1)
def _pinyin_syllables() -> frozenset[str]:
    """Every toneless pinyin syllable pypinyin knows (ü as ``v``), minus interjections."""
    from pypinyin.pinyin_dict import pinyin_dict

    out: set[str] = set()
    for readings in pinyin_dict.values():
        for reading in readings.split(","):
            plain = unicodedata.normalize("NFD", reading)
            plain = "".join(c for c in plain if not unicodedata.combining(c))
            if plain.isascii() and plain.isalpha() and plain not in _RARE:
                out.add(plain.replace("u\u0308", "v"))
    # Written with ü in pypinyin's data; the decomposition above turns it into "u" + mark.
    out.update({"lv", "nv", "lve", "nve"})
    return frozenset(out)


@lru_cache(maxsize=1)
def _wade_giles_table() -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """(exact Wade–Giles syllable -> pinyin, loose spelling -> pinyin readings, likeliest first).

    Exact spellings keep apostrophes and ü (``ch'ang``, ``hsüan``); loose ones drop both
    (``chang`` could be ``chang`` = zhang or ``ch'ang`` = chang; the unaspirated reading, which is
    the exact reading of that spelling, comes first).
    """
    from pypinyin.style.wadegiles import to_wade_glides

    exact: dict[str, str] = {}
    every: dict[str, list[str]] = {}
    loose: dict[str, list[str]] = {}
    for pinyin in sorted(_pinyin_syllables()):
        wg = to_wade_glides(pinyin).replace("v", "ü")
        every.setdefault(wg, []).append(pinyin)
    for wg, pinyins in every.items():
        # Two pinyin syllables may share a spelling (pypinyin writes both wai and wei as "wei"):
        # the one spelled alike in both systems is the likelier reading.
        pinyins.sort(key=lambda p: p != wg)
        exact[wg] = pinyins[0]
    for wg, pinyins in every.items():
        key = wg.replace("'", "").replace("ü", "u")
        readings = loose.setdefault(key, [])
        if wg == key:
            readings[0:0] = [p for p in pinyins if p not in readings]
        else:
            readings += [p for p in pinyins if p not in readings]
    for spelling, extra in _WG_EXTRA.items():
        loose.setdefault(spelling, []).extend(p for p in extra if p not in loose[spelling])
    return exact, {k: tuple(v) for k, v in loose.items()}


def to_pinyin(text: str, *, tones: bool = True) -> str:
    """Pinyin of ``text``, one syllable per character separated by spaces; other text kept.

    Readings are chosen in context (pypinyin's phrase data, applied to the simplified form, so
    長安 is ``cháng ān``). ``tones=False`` gives plain letters (ü as ``ü``).
    """
    style = Style.TONE if tones else Style.NORMAL
    parts = lazy_pinyin(to_simplified(text), style=style, v_to_u=True)
    return " ".join(p.strip() for p in parts if p.strip())


def to_wade_giles(text: str) -> str:
    """Wade–Giles of ``text`` with apostrophes and umlauts, one syllable per character separated
    by spaces (``金剛經`` -> ``chin kang ching``, ``長安`` -> ``ch'ang an``); other text kept."""
    parts = lazy_pinyin(to_simplified(text), style=Style.WADEGILES)
    return " ".join(p.strip().replace("v", "ü") for p in parts if p.strip())


def pinyin_key(text: str) -> str:
    """Toneless, spaceless, lowercase pinyin of the Chinese characters in ``text``.

    Non-Chinese characters are dropped: ``金剛經`` -> ``jingangjing``.
    """
    han = "".join(c for c in text if is_cjk(c))
    if not han:
        return ""
    return "".join(_plain(p) for p in lazy_pinyin(to_simplified(han), style=Style.NORMAL))


def _segment(letters: str, syllables: frozenset[str]) -> list[str] | None:
    """Split ``letters`` into pinyin syllables, preferring long syllables (greedy with backtrack).

    Returns None when no segmentation exists.
    """
    if not letters:
        return []
    if len(letters) > 60:
        return None
    best: list[list[str] | None] = [None] * (len(letters) + 1)
    best[len(letters)] = []
    for i in range(len(letters) - 1, -1, -1):
        for j in range(min(len(letters), i + 6), i, -1):
            rest = best[j]
            if rest is not None and letters[i:j] in syllables:
                best[i] = [letters[i:j], *rest]
                break
    return best[0]


def _words(query: str) -> list[str] | None:
    """Lowercase words of a romanized query (tone digits removed), or None if not romanizable."""
    text = unicodedata.normalize("NFKC", query).strip().lower()
    if not text or len(text) > 200:
        return None
    for ch in _APOSTROPHES:
        text = text.replace(ch, "'")
    # Tone marks go, ü and its spellings (u:, v) stay distinguishable for Wade–Giles.
    text = unicodedata.normalize("NFD", text)
    text = "".join(
        c for c in text if not unicodedata.combining(c) or c == "\u0308"
    ).replace("u\u0308", "ü").replace("u:", "ü")
    text = unicodedata.normalize("NFC", text)
    if any(c.isalpha() and c not in "abcdefghijklmnopqrstuvwxyzü" for c in text):
        return None
    text = re.sub(r"(?<=[a-zü])[1-5]", "", text)
    if re.search(r"[^a-zü' \-]", text):
        return None
    words = [w.strip("'") for w in re.split(r"[\s\-]+", text)]
    words = [w for w in words if w]
    return words or None


def _pinyin_reading(words: list[str]) -> list[str] | None:
    syllables = _pinyin_syllables()
    out: list[str] = []
    for word in words:
        for chunk in word.split("'"):
            seg = _segment(chunk.replace("ü", "v"), syllables)
            if seg is None or (not seg and chunk):
                return None
            out.extend(seg)
    return out


def _wade_giles_readings(words: list[str], limit: int = 8) -> list[list[str]]:
    exact, loose = _wade_giles_table()
    per_syllable: list[tuple[str, ...]] = []
    for word in words:
        if ("'" in word or "ü" in word) and word in exact:
            per_syllable.append((exact[word],))  # written with its marks: unambiguous
            continue
        key = word.replace("'", "").replace("ü", "u")
        if key in loose:
            per_syllable.append(loose[key])
            continue
        return []
    # Likeliest first: the fewer syllables read with a second choice, the better.
    choices = islice(product(*(range(len(r)) for r in per_syllable)), 4096)
    ranked = sorted(choices, key=sum)[:limit]
    return [[per_syllable[i][c] for i, c in enumerate(combo)] for combo in ranked]


def romanized_keys(query: str) -> list[str]:
    """Every plausible pinyin key for a romanized query, likeliest first (empty if none).

    Pinyin is tried as typed (syllables found inside run-together words); Wade–Giles one syllable
    per word (words split at spaces and hyphens). Wade–Giles comes first when the query shows its
    marks (hyphens between syllables, ``hs``/``ts``/``tz``, an apostrophe after an initial, ``-ung``),
    otherwise pinyin does. ``Tun-huang`` -> ``["dunhuang", "tunhuang"]``.
    """
    words = _words(query)
    if words is None:
        return []
    pinyin = _pinyin_reading(words)
    pinyin_keys = ["".join(_plain(s) for s in pinyin)] if pinyin else []
    wade = ["".join(_plain(s) for s in r) for r in _wade_giles_readings(words)]
    raw = unicodedata.normalize("NFKC", query).lower()
    wade_first = bool(
        _WG_MARKERS.search(raw.replace("ü", "u")) or ("-" in raw and len(words) > 1)
    ) or not pinyin_keys
    ordered = (wade + pinyin_keys) if wade_first else (pinyin_keys + wade)
    seen: set[str] = set()
    out: list[str] = []
    for key in ordered:
        if key and key not in seen:
            seen.add(key)
            out.append(key)
    return out


def romanized_key(query: str) -> str | None:
    """The likeliest pinyin key of a romanized query, or None when it is not romanized Chinese.

    ``jīngāng jīng``, ``jin1 gang1 jing1``, ``Chin-kang ching`` -> ``jingangjing``;
    ``Tun-huang`` -> ``dunhuang``; ``Hsüan-tsang`` / ``Hsuan tsang`` -> ``xuanzang``;
    ``Ch'ang-an`` -> ``changan``. Never raises.
    """
    keys = romanized_keys(query)
    return keys[0] if keys else None


def looks_romanized(query: str) -> bool:
    """True when ``query`` reads as romanized Chinese and is not just common English words."""
    words = _words(query)
    if words is None or all(w in _ENGLISH for w in words):
        return False
    return romanized_key(query) is not None


class RomanIndex:
    """Chinese strings found by the pinyin key of a romanized query.

    Built from the caller's own strings (catalogue titles, names) and, unless
    ``include_cedict=False``, the headwords of CC-CEDICT. The caller's strings rank before
    dictionary headwords at the same match quality, and are also found by any run of whole
    syllables inside them (``boruo`` finds 金剛般若波羅蜜經); dictionary headwords by exact key or
    key prefix only.
    """

    def __init__(self, items: Iterable[str] = (), *, include_cedict: bool = True) -> None:
        # key -> {chinese: score}; lower scores rank first.
        self._exact: dict[str, dict[str, tuple[int, int]]] = {}
        # (key suffix starting at a syllable boundary, rank, chinese), sorted for prefix search.
        self._suffixes: list[tuple[str, int, str]] = []
        for item in items:
            self.add(item, _sorted=False)
        if include_cedict:
            from mogao.text.dictionary import entries

            for entry in entries():
                if not _ALL_HAN.fullmatch(entry.traditional):
                    continue  # AA制, 3C, Ｔ恤 …
                # CC-CEDICT pinyin is ASCII with tone digits and "u:" for ü.
                key = _NOT_LETTER.sub("", entry.pinyin.lower().replace("u:", "u"))
                if key:
                    # Among homophones, characters outside the basic block are rare, and common
                    # words carry more senses: a cheap stand-in for frequency, which CEDICT lacks.
                    rare = 1 if _OUTSIDE_BASIC.search(entry.traditional) else 0
                    score = (1 + 2 * rare, -len(entry.definitions))
                    self._add_key(key, entry.traditional, score=score, syllable_starts=(0,))
        self._suffixes.sort()

    def add(self, chinese: str, *, _sorted: bool = True) -> None:
        """Add one caller string (a title or a name in Chinese characters)."""
        han = "".join(c for c in chinese if is_cjk(c))
        if not han:
            return
        syllables = [_plain(p) for p in lazy_pinyin(to_simplified(han), style=Style.NORMAL)]
        key = "".join(syllables)
        starts: list[int] = []
        pos = 0
        for s in syllables:
            starts.append(pos)
            pos += len(s)
        self._add_key(key, chinese, score=(0, 0), syllable_starts=tuple(starts))
        if _sorted:
            self._suffixes.sort()

    def _add_key(
        self, key: str, chinese: str, *, score: tuple[int, int], syllable_starts: tuple[int, ...]
    ) -> None:
        bucket = self._exact.setdefault(key, {})
        bucket[chinese] = min(score, bucket.get(chinese, score))
        for start in syllable_starts:
            rank = score[0] if start == 0 else score[0] + 4
            self._suffixes.append((key[start:], rank, chinese))

    def candidates(self, query: str, limit: int = 10) -> list[str]:
        """Chinese strings for a romanized ``query``, best first: exact key matches (caller's
        strings before dictionary ones), then key-prefix matches, then matches inside a caller's
        string, shorter first. Empty when the query is not romanized."""
        out: list[str] = []
        seen: set[str] = set()

        def push(chinese: str) -> bool:
            if chinese not in seen:
                seen.add(chinese)
                out.append(chinese)
            return len(out) >= limit

        keys = romanized_keys(query)
        for key in keys:
            bucket = self._exact.get(key, {})
            for chinese in sorted(bucket, key=lambda c: bucket[c]):
                if push(chinese):
                    return out
        for key in keys:
            i = bisect.bisect_left(self._suffixes, (key, -1, ""))
            found: list[tuple[int, int, str]] = []
            while i < len(self._suffixes) and self._suffixes[i][0].startswith(key):
                suffix, rank, chinese = self._suffixes[i]
                found.append((rank, len(suffix), chinese))
                i += 1
                if len(found) > 5000:
                    break
            for _, _, chinese in sorted(found):
                if push(chinese):
                    return out
        return out

    def __len__(self) -> int:
        return len(self._exact)
