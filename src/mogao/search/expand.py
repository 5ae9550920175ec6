"""Understanding the reader: a query's plain words become Chinese candidates the engine can match.

The catalogue's own titles, aliases and names form a :class:`Vocabulary` (built once per
process, rebuilt when :func:`invalidate` is called after an index change). From it:

* Chinese queries are folded (simplified, traditional and variant forms meet) and a partial
  title that some record lists as another title (金剛經) also searches that record's full titles
  (金剛般若波羅蜜經), so every witness of the text is found;
* romanized queries (pinyin with or without tones, Wade-Giles) become Chinese candidates through
  a :class:`~mogao.text.romanize.RomanIndex` of the vocabulary (plus CC-CEDICT);
* English and French queries become Chinese through a :class:`~mogao.text.dictionary.Lexicon`
  of the catalogue's multilingual titles plus :func:`~mogao.text.dictionary.translate_query`.

:func:`expand_root` turns a parsed tree into ``Or(Boost(original), expansion...)`` and returns the
expansions so the page can tell the reader ("also searched: 金剛經").
"""

from __future__ import annotations

import difflib
import threading
import unicodedata
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache

from mogao.core import langmap
from mogao.search.documents import has_han
from mogao.search.types import And, Boost, Node, Not, Or, Phrase, Term

ORIGINAL_BOOST = 2.0
MAX_EXPANSIONS = 6
_VERSION_KEY = "mogao:search:vocabulary-version"
#: Text fields a plain word is searched in; expansions only replace words aimed at these.
_EXPANDABLE_FIELDS = (None, "title", "alias", "names")


# ---------------------------------------------------------------------------- vocabulary


@dataclass
class Entry:
    """One record as suggestions and "did you mean" see it."""

    doc_type: str
    pid: str
    url: str
    titles: dict[str, list[str]]
    chinese: list[str]  # folded Chinese titles, aliases and names
    latin: list[str]  # lowercase, accent-free Latin titles, aliases, romanizations
    keys: list[str]  # romanized keys (pinyin run together) of the Chinese strings


@dataclass
class Vocabulary:
    """The catalogue's titles and names, indexed for expansion and suggestions."""

    entries: list[Entry] = field(default_factory=list)
    #: folded alias or short title -> folded full titles of the records that carry it
    full_titles: dict[str, list[str]] = field(default_factory=dict)
    roman: Any = None  # mogao.text.romanize.RomanIndex
    lexicon: Any = None  # mogao.text.dictionary.Lexicon


_lock = threading.Lock()
_cached: tuple[str, Vocabulary] | None = None


def invalidate() -> None:
    """Mark the vocabulary stale (called after every index change), in every process sharing the cache."""
    global _cached
    cache.set(_VERSION_KEY, uuid.uuid4().hex, timeout=None)
    _cached = None


def vocabulary() -> Vocabulary:
    """The current vocabulary, rebuilt when another process or an index change invalidated it."""
    global _cached
    version = cache.get(_VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(_VERSION_KEY, version, timeout=None)
        version = cache.get(_VERSION_KEY) or version
    current = _cached
    if current is not None and current[0] == version:
        return current[1]
    with _lock:
        if _cached is not None and _cached[0] == version:
            return _cached[1]
        vocab = build_vocabulary()
        _cached = (version, vocab)
        return vocab


def fold_text(text: str) -> str:
    from mogao.text.fold import fold

    return fold(text)


def latin_key(text: str) -> str:
    """Lowercase, accents removed, spaces collapsed (Kumārajīva -> kumarajiva)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(ascii_text.lower().replace("-", " ").replace("'", "").split())


def _roman_key(text: str) -> str:
    from mogao.text.romanize import pinyin_key

    return str(pinyin_key(text))


def build_vocabulary() -> Vocabulary:
    """Read every public work, item, person and place title from the database."""
    from mogao.catalogue.models import Item, Visibility, Work
    from mogao.knowledge.models import Person, Place
    from mogao.search.documents import doc_id  # noqa: F401  (documents defines the id scheme)
    from mogao.text.dictionary import Lexicon
    from mogao.text.romanize import RomanIndex

    vocab = Vocabulary()
    roman = RomanIndex()
    lexicon = Lexicon()
    rows: list[tuple[str, str, str, dict[str, list[str]], list[str]]] = []
    for w in Work.objects.filter(visibility=Visibility.PUBLIC).only("pid", "title", "aliases"):
        rows.append(("work", w.pid, w.get_absolute_url(), w.title, list(w.aliases)))
    for i in Item.objects.filter(visibility=Visibility.PUBLIC).only("pid", "title", "shelfmark"):
        rows.append(("item", i.pid, i.get_absolute_url(), i.title, []))
    for model, kind, plural in ((Person, "person", "people"), (Place, "place", "places")):
        for e in model.objects.only("pid", "name", "aliases"):
            rows.append((kind, e.pid, f"/{plural}/{e.pid}", e.name, list(e.aliases)))

    for doc_type, pid, url, titles, aliases in rows:
        strings = [*langmap.all_strings(titles), *aliases]
        chinese = _dedupe(fold_text(s) for s in strings if has_han(s))
        latin = _dedupe(latin_key(s) for s in strings if not has_han(s))
        keys = _dedupe(_roman_key(s) for s in chinese)
        vocab.entries.append(
            Entry(doc_type, pid, url, langmap.derive_chinese(titles), chinese, latin, keys)
        )
        for s in chinese:
            roman.add(s)
        if chinese and latin:
            lexicon.add(chinese[0], [s for s in strings if not has_han(s)])
        # A record's shorter Chinese names point to its longest one (金剛經 -> 金剛般若波羅蜜經).
        if len(chinese) > 1 and doc_type in ("work", "item"):
            full = [c for c in _title_chinese(titles) if c]
            for short in chinese:
                for long in full:
                    if long != short and len(long) > len(short):
                        vocab.full_titles.setdefault(short, [])
                        if long not in vocab.full_titles[short]:
                            vocab.full_titles[short].append(long)
    vocab.roman = roman
    vocab.lexicon = lexicon
    return vocab


def _title_chinese(titles: dict[str, list[str]]) -> list[str]:
    return _dedupe(fold_text(s) for s in langmap.all_strings(titles) if has_han(s))


def _dedupe(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


# ---------------------------------------------------------------------------- expansion


@dataclass(frozen=True)
class Expansion:
    """A Chinese string searched on the reader's behalf, and why (``fold``, ``roman``, ``translation``, ``title``)."""

    text: str
    reason: str


def expand_text(text: str, *, lang: str, vocab: Vocabulary | None = None) -> list[Expansion]:
    """Chinese candidates for a run of plain query words, best first, without the query itself."""
    from mogao.text.romanize import looks_romanized

    text = " ".join(text.split())
    if not text:
        return []
    vocab = vocab or vocabulary()
    out: list[Expansion] = []
    if has_han(text):
        folded = fold_text(text)
        if folded != text:
            out.append(Expansion(folded, "fold"))
        out += [Expansion(t, "title") for t in vocab.full_titles.get(folded, [])]
    else:
        if looks_romanized(text):
            out += [Expansion(c, "roman") for c in _roman_candidates(text, vocab)]
        out += [Expansion(c, "translation") for c in _translations(text, lang, vocab)]
        # a translated short title also reaches the full titles of its records
        for e in list(out):
            out += [Expansion(t, "title") for t in vocab.full_titles.get(fold_text(e.text), [])]
    seen: set[str] = {text}
    unique: list[Expansion] = []
    for e in out:
        if e.text and e.text not in seen:
            seen.add(e.text)
            unique.append(e)
    return unique[:MAX_EXPANSIONS]


def _roman_candidates(text: str, vocab: Vocabulary) -> list[str]:
    try:
        found = vocab.roman.candidates(text, limit=MAX_EXPANSIONS)
    except ValueError:
        return []
    return [c if isinstance(c, str) else str(getattr(c, "text", c)) for c in found]


def _translations(text: str, lang: str, vocab: Vocabulary) -> list[str]:
    from mogao.text.dictionary import translate_query

    found: list[str] = []
    try:
        found += [str(getattr(c, "text", c)) for c in vocab.lexicon.lookup(text)]
    except (AttributeError, ValueError):
        pass
    try:
        found += [str(getattr(c, "text", c)) for c in translate_query(text, lang)]
    except ValueError:
        pass
    return [f for f in _dedupe(found) if has_han(f)]


def plain_text(node: Node) -> str:
    """The words of the tree's plain (unfielded, non-negated) terms, in order."""
    if isinstance(node, Term) and node.field in _EXPANDABLE_FIELDS:
        return node.text
    if isinstance(node, Phrase) and node.field in _EXPANDABLE_FIELDS and has_han(node.text):
        return node.text
    if isinstance(node, And):
        return " ".join(t for t in (plain_text(c) for c in node.children) if t)
    if isinstance(node, Boost):
        return plain_text(node.child)
    return ""


def _replace_plain(node: Node, replacement: Node) -> Node | None:
    """``node`` with its plain terms replaced by ``replacement`` (placed once, first)."""
    if plain_text(node) and isinstance(node, Term | Phrase | Boost):
        return replacement
    if isinstance(node, And):
        kept: list[Node] = [replacement]
        for child in node.children:
            if isinstance(child, Term | Phrase | Boost) and plain_text(child):
                continue
            kept.append(child)
        return And(tuple(kept)) if len(kept) > 1 else kept[0]
    return None


def expand_root(
    root: Node, *, lang: str, vocab: Vocabulary | None = None
) -> tuple[Node, list[Expansion]]:
    """The tree widened with the expansions of its plain words; the original ranks first."""
    text = plain_text(root)
    if not text or isinstance(root, Not):
        return root, []
    expansions = expand_text(text, lang=lang, vocab=vocab)
    alternatives: list[Node] = []
    for e in expansions:
        # a full title is searched as a phrase (its bigrams in order); other candidates as words
        node: Node = Phrase(e.text) if e.reason == "title" else Term(e.text)
        replaced = _replace_plain(root, node)
        if replaced is not None:
            alternatives.append(replaced)
    if not alternatives:
        return root, []
    return Or((Boost(root, ORIGINAL_BOOST), *alternatives)), expansions


# ---------------------------------------------------------------------------- suggestions


@dataclass(frozen=True)
class Suggestion:
    """A query worth trying instead, with the record it comes from."""

    text: str
    titles: dict[str, list[str]]
    url: str
    doc_type: str


def _display(entry: Entry, lang: str) -> str:
    return langmap.pick(entry.titles, lang, default=entry.pid)


def did_you_mean(
    text: str, *, lang: str, limit: int = 5, vocab: Vocabulary | None = None
) -> list[Suggestion]:
    """Titles and names nearest to ``text`` (by pinyin key, Latin spelling or Chinese characters)."""
    text = " ".join(text.split())
    if not text:
        return []
    vocab = vocab or vocabulary()
    scored: list[tuple[float, str, Entry]] = []
    if has_han(text):
        q = fold_text(text)
        for entry in vocab.entries:
            best = max((_ratio(q, c) for c in entry.chinese), default=0.0)
            scored.append((best, _pick_chinese(entry, q), entry))
    else:
        q = latin_key(text)
        qkey = q.replace(" ", "")
        for entry in vocab.entries:
            latin = max((_ratio(q, s) for s in entry.latin), default=0.0)
            key = max((_ratio(qkey, k) for k in entry.keys), default=0.0)
            scored.append((max(latin, key), _display(entry, lang), entry))
    scored.sort(key=lambda row: (-row[0], row[1]))
    out: list[Suggestion] = []
    seen: set[str] = set()
    for score, label, entry in scored:
        if score < 0.6 or len(out) >= limit:
            break
        if label in seen or label == text:
            continue
        seen.add(label)
        out.append(Suggestion(label, entry.titles, entry.url, entry.doc_type))
    return out


def _pick_chinese(entry: Entry, q: str) -> str:
    return max(entry.chinese, key=lambda c: _ratio(q, c)) if entry.chinese else entry.pid


def _ratio(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def complete(
    text: str, *, lang: str, limit: int = 8, vocab: Vocabulary | None = None
) -> list[Suggestion]:
    """As-you-type suggestions: titles and names that start with (or contain) what was typed."""
    text = " ".join(text.split())
    if not text:
        return []
    vocab = vocab or vocabulary()
    prefix: list[Suggestion] = []
    inside: list[Suggestion] = []
    if has_han(text):
        q = fold_text(text)
        for entry in vocab.entries:
            hit = next((c for c in entry.chinese if q in c), None)
            if hit is not None:
                (prefix if hit.startswith(q) else inside).append(
                    Suggestion(_display(entry, lang), entry.titles, entry.url, entry.doc_type)
                )
    else:
        q = latin_key(text)
        qkey = q.replace(" ", "")
        for entry in vocab.entries:
            starts = any(s.startswith(q) for s in entry.latin) or any(
                k.startswith(qkey) for k in entry.keys
            )
            contains = starts or any(q in s for s in entry.latin)
            if contains:
                (prefix if starts else inside).append(
                    Suggestion(_display(entry, lang), entry.titles, entry.url, entry.doc_type)
                )
    kind_rank = {"work": 0, "item": 1, "person": 2, "place": 3}
    ranked = sorted(prefix, key=lambda s: (kind_rank.get(s.doc_type, 9), len(s.text))) + sorted(
        inside, key=lambda s: (kind_rank.get(s.doc_type, 9), len(s.text))
    )
    out: list[Suggestion] = []
    seen: set[str] = set()
    for s in ranked:
        if s.url not in seen:
            seen.add(s.url)
            out.append(s)
        if len(out) >= limit:
            break
    return out
