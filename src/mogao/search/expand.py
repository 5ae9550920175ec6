"""Understanding the reader: a query's plain words become Chinese candidates the engine can match.

The catalogue's own titles, aliases and names form a :class:`Vocabulary` (built once per
process, rebuilt when :func:`invalidate` is called after an index change). From it:

* Chinese queries are folded (simplified, traditional and variant forms meet) and a partial
  title that some record lists as another title (金剛經) also searches that record's full titles
  (金剛般若波羅蜜經), so every witness of the text is found;
* romanized queries (pinyin with or without tones, Wade-Giles) become Chinese candidates through
  the pinyin keys of the vocabulary and a :class:`~mogao.text.romanize.RomanIndex` of CC-CEDICT;
* English and French queries become Chinese through a :class:`~mogao.text.dictionary.Lexicon`
  of the catalogue's multilingual titles plus :func:`~mogao.text.dictionary.translate_query`.

:func:`expand_root` turns a parsed tree into ``Or(Boost(original), expansion...)`` and returns the
expansions so the page can tell the reader ("also searched: 金剛經").
"""

from __future__ import annotations

import functools
import threading
import time
import unicodedata
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.urls import reverse

from mogao.core import langmap
from mogao.search import documents
from mogao.search.documents import has_han
from mogao.search.types import And, Boost, Node, Not, Or, Phrase, Term

ORIGINAL_BOOST = 2.0
KEY_BOOST = 12.0  # an exact reading of a whole title or name
RELATED_BOOST = 0.3
NEAR = 0.75  # similarity (difflib ratio) a "did you mean" title needs
MAX_EXPANSIONS = 8
PER_SOURCE = 4  # candidates kept from each of romanization and translation
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
    #: folded main title of a work -> main titles of other works with the same English title
    #: (translations of one text: 佛說能斷金剛般若波羅蜜多經 and 金剛般若波羅蜜經 are both "Diamond Sūtra")
    related: dict[str, list[str]] = field(default_factory=dict)
    #: folded Chinese name of a person or place -> its names in Latin script (紀昀 -> Ji Yun)
    latin_names: dict[str, list[str]] = field(default_factory=dict)
    #: pinyin key -> the catalogue's Chinese strings read so (the reverse of romanization)
    by_key: dict[str, list[str]] = field(default_factory=dict)
    #: every folded Chinese string of the catalogue, one per line (to test candidates against)
    haystack: str = ""
    lexicon: Any = None  # mogao.text.dictionary.Lexicon
    #: structures derived from this vocabulary by its readers (did-you-mean's length index, its
    #: answers): they live exactly as long as the vocabulary, i.e. one index generation
    derived: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)


_lock = threading.Lock()
_cached: tuple[str, Vocabulary] | None = None


def invalidate() -> None:
    """Mark the vocabulary stale (called after every index change), in every process sharing the cache."""
    global _cached, _signature
    cache.set(_VERSION_KEY, uuid.uuid4().hex, timeout=None)
    _cached = None
    _signature = None


#: (checked at, database signature): the database is asked again at most every few seconds
_signature: tuple[float, str] | None = None
SIGNATURE_TTL = 5.0


def _database_signature() -> str:
    """Counts and latest change times of the records the vocabulary reads.

    Indexing may run in a worker process whose cache this process cannot see (a local-memory
    cache); the records themselves are shared, so their signature tells every process.
    """
    global _signature
    now = time.monotonic()
    if _signature is not None and now - _signature[0] < SIGNATURE_TTL:
        return _signature[1]
    from django.db.models import Count, Max

    from mogao.catalogue.models import Item, Work
    from mogao.knowledge.models import Person, Place
    from mogao.search.models import TitleAlias

    parts = []
    for model in (Work, Item, Person, Place, TitleAlias):
        row = model.objects.aggregate(n=Count("pk"), last=Max("updated"))
        parts.append(f"{row['n']}@{row['last']}")
    value = "|".join(parts)
    _signature = (now, value)
    return value


def vocabulary() -> Vocabulary:
    """The current vocabulary, rebuilt when an index change (here, in another process sharing the
    cache, or seen in the database) made it stale."""
    global _cached
    version = cache.get(_VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(_VERSION_KEY, version, timeout=None)
        version = cache.get(_VERSION_KEY) or version
    version = f"{version}#{_database_signature()}"
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


@functools.lru_cache(maxsize=100_000)
def roman_key(text: str) -> str:
    """The pinyin key of ``text``; cached because each vocabulary rebuild asks again for every title."""
    from mogao.text.romanize import pinyin_key

    return str(pinyin_key(text))


def build_vocabulary() -> Vocabulary:
    """Read every public work, item, person and place title from the database."""
    from mogao.catalogue.models import Item, Visibility, Work
    from mogao.knowledge.models import Person, Place

    vocab = Vocabulary()
    rows: list[tuple[str, str, str, dict[str, list[str]], list[str]]] = []
    # URLs from one reverse() each, not thousands: the pid is the only varying part
    work_url = reverse("catalogue:work", args=["PID"]).replace("PID", "{}")
    item_url = reverse("catalogue:item", args=["PID"]).replace("PID", "{}")
    from mogao.search.models import TitleAlias
    from mogao.search.titles import derived_titles

    curated: dict[int, list[str]] = {}
    for work_id, text in TitleAlias.objects.values_list("work_id", "text"):
        curated.setdefault(work_id, []).append(text)
    for w in Work.objects.filter(visibility=Visibility.PUBLIC).only("pid", "title", "aliases"):
        own = [*langmap.all_strings(w.title), *w.aliases]
        others = [*w.aliases, *derived_titles(own), *curated.get(w.pk, [])]
        rows.append(("work", w.pid, work_url.format(w.pid), w.title, _dedupe(others)))
    for i in Item.objects.filter(visibility=Visibility.PUBLIC).only("pid", "title"):
        rows.append(("item", i.pid, item_url.format(i.pid), i.title, []))
    for model, kind in ((Person, "person"), (Place, "place")):
        for e in model.objects.only("pid", "name", "aliases"):
            url = documents.entity_url(kind, e.pid)
            rows.append((kind, e.pid, url, e.name, list(e.aliases)))

    roman_strings: list[str] = []
    pairs: list[tuple[str, list[str]]] = []
    for doc_type, pid, url, titles, aliases in rows:
        strings = [*langmap.all_strings(titles), *aliases]
        originals = _dedupe(s for s in strings if has_han(s))
        chinese = _dedupe(fold_text(s) for s in originals)
        latin = _dedupe(latin_key(s) for s in strings if not has_han(s))
        keys = _dedupe(roman_key(s) for s in originals)
        vocab.entries.append(
            Entry(doc_type, pid, url, langmap.derive_chinese(titles), chinese, latin, keys)
        )
        roman_strings += originals
        if originals and latin:
            pairs.append((_main_chinese(titles) or originals[0], [s for s in strings if not has_han(s)]))
        # A record's shorter Chinese names lead to its full titles (金剛經 -> 金剛般若波羅蜜經).
        if doc_type in ("work", "item"):
            full = [t for t in (_main_chinese(titles),) if t]
            for short in originals:
                for long in full:
                    if len(long) > len(short):
                        bucket = vocab.full_titles.setdefault(fold_text(short), [])
                        if long not in bucket:
                            bucket.append(long)
    _relate(vocab, rows)
    for original in _dedupe(roman_strings):
        bucket = vocab.by_key.setdefault(roman_key(original), [])
        if original not in bucket:
            bucket.append(original)
    vocab.haystack = "\n".join(c for e in vocab.entries for c in e.chinese)
    vocab.lexicon = _lexicon(pairs)
    return vocab


def _relate(vocab: Vocabulary, rows: list[tuple[str, str, str, dict[str, list[str]], list[str]]]) -> None:
    """Fill :attr:`Vocabulary.related` and :attr:`Vocabulary.latin_names` from the rows read."""
    by_english: dict[str, list[str]] = {}
    for doc_type, _pid, _url, titles, aliases in rows:
        main = _main_chinese(titles)
        if doc_type == "work" and main and titles.get("en"):
            bucket = by_english.setdefault(latin_key(titles["en"][0]), [])
            if main not in bucket:
                bucket.append(main)
        if doc_type in ("person", "place"):
            latin = _dedupe(s for s in [*langmap.all_strings(titles), *aliases] if not has_han(s))
            for name in (s for s in [*langmap.all_strings(titles), *aliases] if has_han(s)):
                vocab.latin_names.setdefault(fold_text(name), latin)
    for mains in by_english.values():
        if len(mains) > 1:
            for main in mains:
                vocab.related[fold_text(main)] = [m for m in mains if m != main]


_last_lexicon: tuple[tuple[tuple[str, tuple[str, ...]], ...], Any] | None = None


def _lexicon(pairs: list[tuple[str, list[str]]]) -> Any:
    """A Lexicon of (Chinese, other names) pairs; the previous one is reused when nothing changed."""
    global _last_lexicon
    from mogao.text.dictionary import Lexicon

    key = tuple((chinese, tuple(others)) for chinese, others in pairs)
    if _last_lexicon is not None and _last_lexicon[0] == key:
        return _last_lexicon[1]
    lexicon = Lexicon()
    for chinese, others in pairs:
        lexicon.add(chinese, others)
    _last_lexicon = (key, lexicon)
    return lexicon


def _main_chinese(titles: dict[str, list[str]]) -> str:
    """The record's main Chinese title, traditional first (as catalogues of these texts write it)."""
    for tag in ("zh-Hant", "lzh", "zh", "zh-Hans"):
        for value in titles.get(tag, []):
            if has_han(value):
                return value
    return next((v for v in langmap.all_strings(titles) if has_han(v)), "")


def _dedupe(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


# ---------------------------------------------------------------------------- expansion


@dataclass(frozen=True)
class Expansion:
    """A Chinese string searched on the reader's behalf, and why.

    ``reason``: ``script`` (the other script; the engine folds it, so no extra clause),
    ``roman`` (from pinyin or Wade-Giles), ``translation`` (English or French), ``title`` (a
    full title of records that list the query as another title), ``name`` (a Chinese name's
    Latin form), ``related`` (another translation of the same text, ranked lower).
    """

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
        from mogao.text.convert import to_simplified, to_traditional

        traditional = to_traditional(text)
        other = traditional if traditional != text else to_simplified(text)
        if other != text:
            out.append(Expansion(other, "script"))  # told to the reader; the engine folds anyway
        folded = fold_text(text)
        out += [Expansion(t, "title") for t in vocab.full_titles.get(folded, [])]
        out += [Expansion(n, "name") for n in vocab.latin_names.get(folded, [])[:PER_SOURCE]]
        out += [Expansion(t, "related") for t in vocab.related.get(folded, [])[:PER_SOURCE]]
    else:
        exact_roman = False
        if looks_romanized(text):
            found, exact_roman = _roman_candidates(text, vocab)
            out += [Expansion(c, "roman") for c in found[:PER_SOURCE]]
        if not exact_roman:  # a reading the catalogue knows beats guessing at English words
            out += [Expansion(c, "translation") for c in _translations(text, lang, vocab)[:PER_SOURCE]]
        # a translated or romanized short title also reaches the full titles of its records
        for e in list(out):
            out += [Expansion(t, "title") for t in vocab.full_titles.get(fold_text(e.text), [])]
    seen: set[tuple[bool, str]] = {(False, fold_text(text))}
    unique: list[Expansion] = []
    for e in out:
        key = (e.reason == "script", fold_text(e.text))
        if e.text and key not in seen:
            seen.add(key)
            unique.append(e)
    return unique[:MAX_EXPANSIONS]


@functools.lru_cache(maxsize=1)
def _cedict_roman() -> Any:
    """CC-CEDICT's headwords by pinyin key (built once per process: about a second)."""
    from mogao.text.romanize import RomanIndex

    return RomanIndex((), include_cedict=True)


def _in_catalogue(candidates: list[str], vocab: Vocabulary) -> list[str]:
    """Candidates that occur in some title or name, in order; else the first one alone.

    Dictionary readings are many (xinjing: 信經, 心境, 心經...); those the catalogue never uses
    would only add noise, but one is kept so transcribed text can still be reached.
    """
    kept = [c for c in candidates if fold_text(c) in vocab.haystack]
    return kept or candidates[:1]


def _roman_candidates(text: str, vocab: Vocabulary) -> tuple[list[str], bool]:
    """Chinese read exactly as typed: the catalogue's own strings first, then CC-CEDICT headwords.

    Returns (candidates, whether the catalogue itself has a string read exactly so). Strings that
    merely start with the reading (敦煌星圖 for ``Tun-huang``) are matched by the engine anyway
    through their romanized aliases; as expansions they would outrank 敦煌 itself.
    """
    from mogao.text.romanize import romanized_keys

    keys = romanized_keys(text)
    exact_own = _dedupe(c for key in keys for c in vocab.by_key.get(key, []))
    dictionary = list(_cedict_roman().candidates(text, limit=PER_SOURCE * 3))
    exact_dict = [c for c in dictionary if roman_key(c) in keys]
    return _dedupe(exact_own + _in_catalogue(exact_dict or dictionary, vocab)), bool(exact_own)


def _translations(text: str, lang: str, vocab: Vocabulary) -> list[str]:
    """English/French -> Chinese: the catalogue's own names first, then CC-CEDICT reverse glosses."""
    from mogao.text.dictionary import translate_query

    query_lang = "fr" if lang.startswith("fr") else "en"
    found = translate_query(text, query_lang, lexicon=vocab.lexicon, limit=PER_SOURCE * 3)
    return _in_catalogue([f for f in _dedupe(found) if has_han(f)], vocab)


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
    key = exact_key(text)
    if key:
        # Records whose title or other title reads exactly so (their pinyin key is one alias
        # token) rank above longer titles that merely contain it: 妙法蓮華經 before its commentaries.
        keyed = _replace_plain(root, Term(key, "alias"))
        if keyed is not None:
            alternatives.append(Boost(keyed, KEY_BOOST))
    for e in expansions:
        if e.reason == "script":
            continue
        # a full title is searched as a phrase (its bigrams in order); other candidates as words;
        # other translations of the text come after the record asked for
        node: Node = Phrase(e.text) if e.reason in ("title", "related") else Term(e.text)
        if e.reason == "related":
            node = Boost(node, RELATED_BOOST)
        replaced = _replace_plain(root, node)
        if replaced is not None:
            alternatives.append(replaced)
    if not alternatives:
        return root, []
    return Or((Boost(root, ORIGINAL_BOOST), *alternatives)), expansions


def exact_key(text: str) -> str:
    """The pinyin key of Chinese text or of a romanized query ("" for anything else)."""
    from mogao.text.romanize import looks_romanized, romanized_key

    if has_han(text):
        return "" if any(c.isascii() and c.isalnum() for c in text) else roman_key(text)
    if looks_romanized(text):
        return romanized_key(text) or ""
    return ""


# ---------------------------------------------------------------------------- suggestions


@dataclass(frozen=True)
class Suggestion:
    """A query worth trying instead, with the record it comes from."""

    text: str
    titles: dict[str, list[str]]
    url: str
    doc_type: str
