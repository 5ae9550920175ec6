"""Reads for the search pages: facet labels and links, "did you mean", as-you-type suggestions,
unanswered queries."""

from __future__ import annotations

import bisect
import difflib
import math
import threading
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.db.models import Q, QuerySet, Sum
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from mogao.core import langmap
from mogao.search import expand
from mogao.search.documents import has_han
from mogao.search.models import ZeroResultQuery
from mogao.search.params import FILTER_PARAMS
from mogao.search.services import FacetCount

#: facet field -> heading, in the order the page shows them
FACET_HEADINGS: dict[str, Promise] = {
    "doc_type": _("Kind of record"),
    "institution": _("Holder"),
    "collection": _("Collection"),
    "item_type": _("Type"),
    "period": _("Period or dynasty"),
    "language": _("Language or script"),
    "status": _("Digitization"),
    "rights": _("Rights"),
    "subject": _("Subject"),
    "work": _("Work"),
}
DOC_TYPE_LABELS: dict[str, Promise] = {
    "item": _("Items (manuscripts, prints)"),
    "work": _("Works (texts)"),
    "person": _("People"),
    "place": _("Places"),
}
LANGUAGE_LABELS: dict[str, Promise] = {
    "lzh": _("Classical Chinese"),
    "zh": _("Chinese"),
    "och": _("Old Chinese"),
    "ltc": _("Late Middle Chinese"),
    "bo": _("Tibetan"),
    "otb": _("Old Tibetan"),
    "xct": _("Classical Tibetan"),
    "otk": _("Old Turkic"),
    "oui": _("Old Uyghur"),
    "sog": _("Sogdian"),
    "he": _("Hebrew"),
    "hbo": _("Hebrew"),
    "sa": _("Sanskrit"),
    "kho": _("Khotanese"),
    "txb": _("Tocharian B"),
    "ko": _("Korean"),
    "ja": _("Japanese"),
    "mn": _("Mongolian"),
    "ug": _("Uyghur"),
    "en": _("English"),
    "fr": _("French"),
}
_PARAM_OF = {fname: param for param, fname in FILTER_PARAMS.items()}
#: facets whose values are pids of records, labelled from the database (cached per generation)
_RECORD_FACETS = frozenset({"institution", "collection", "period", "work"})


@dataclass(frozen=True)
class FacetLink:
    value: str
    label: str
    count: int
    href: str
    selected: bool


@dataclass(frozen=True)
class FacetGroup:
    field: str
    param: str
    heading: str
    links: list[FacetLink]


def _labels(field: str, values: list[str], lang: str, gen: int | None = None) -> dict[str, str]:
    """Readable names of facet values (pids become names in the reader's language)."""
    from mogao.catalogue.models import Collection, Institution, Item, Rights, Work
    from mogao.knowledge.models import Period

    if field == "doc_type":
        return {v: str(DOC_TYPE_LABELS.get(v, v)) for v in values}
    if field == "item_type":
        return {v: str(Item.Type(v).label) if v in Item.Type.values else v for v in values}
    if field == "status":
        return {v: str(Item.Status(v).label) if v in Item.Status.values else v for v in values}
    if field == "rights":
        return {v: str(Rights(v).label) if v in Rights.values else v for v in values}
    if field == "language":
        return {v: str(LANGUAGE_LABELS.get(v, v)) for v in values}
    models: dict[str, Any] = {
        "institution": (Institution, "name"),
        "collection": (Collection, "name"),
        "period": (Period, "name"),
        "work": (Work, "title"),
    }
    if field in models:
        model, attr = models[field]
        if gen is None:
            from mogao.core import generation

            gen = generation.current()
        known = _record_labels(gen, field, lang)
        missing = [v for v in values if v not in known]
        if missing:  # one query per facet kind, and only for pids this generation has not seen
            found = {
                o.pid: langmap.pick(getattr(o, attr), lang, default=o.pid)
                for o in model.objects.filter(pid__in=missing).only("pid", attr)
            }
            known.update({v: found.get(v) for v in missing})
        return {v: label for v in values if (label := known.get(v)) is not None}
    return {v: v for v in values}


#: (catalogue generation, facet field, language) -> pid -> label (None: no such record)
_LABELS: dict[tuple[int, str, str], dict[str, str | None]] = {}
_LABELS_LOCK = threading.Lock()


def _record_labels(gen: int, field: str, lang: str) -> dict[str, str | None]:
    """The labels of one facet kind remembered for this catalogue generation (a change to any
    catalogue record starts a new one, :mod:`mogao.core.generation`, so none is ever stale)."""
    key = (gen, field, lang)
    with _LABELS_LOCK:
        table = _LABELS.get(key)
        if table is None:
            for old in [k for k in _LABELS if k[0] != gen]:
                del _LABELS[old]
            table = _LABELS[key] = {}
        return table


def _distinct(field: str, labels: dict[str, str]) -> dict[str, str]:
    """Facet labels told apart: works sharing a title get their Taishō number (else their id)."""
    seen: dict[str, int] = {}
    for label in labels.values():
        seen[label] = seen.get(label, 0) + 1
    twins = [v for v, label in labels.items() if seen[label] > 1]
    if not twins:
        return labels
    numbers: dict[str, str] = {}
    if field == "work":
        from mogao.catalogue.models import Work

        numbers = {
            w.pid: str(w.identifiers.get("taisho") or "")
            for w in Work.objects.filter(pid__in=twins).only("pid", "identifiers")
        }
    return {v: f"{label} · {numbers.get(v) or v}" if v in twins else label for v, label in labels.items()}


@dataclass(frozen=True)
class HitRow:
    """A search hit with the line that tells it apart from its namesakes."""

    hit: Any
    details: list[str]
    thumbnail: str = ""  # a small image of the first digitized page (this site's own images only)
    translators: tuple[str, ...] = ()  # pids of a work's translators (to group translations)
    is_group = False


def hit_rows(hits: list[Any], *, lang: str) -> list[HitRow]:
    """Each hit with what distinguishes it: for a work its creators with their role, its period
    and its number of public witnesses; for an item the period and the works it carries."""
    from django.db.models import Count
    from django.utils.translation import ngettext

    from mogao.catalogue.models import Item, Visibility, Work, WorkCreator

    work_pids = [h.pid for h in hits if h.doc_type == "work"]
    item_pids = [h.pid for h in hits if h.doc_type == "item"]
    details: dict[tuple[str, str], list[str]] = {}
    translators: dict[str, tuple[str, ...]] = {}
    works = (
        Work.objects.filter(pid__in=work_pids)
        .select_related("period")
        .prefetch_related("creators__person")
        .annotate(n_witnesses=Count(
            "item_works__item", filter=Q(item_works__item__visibility=Visibility.PUBLIC), distinct=True
        ))
    )
    for work in works:
        line = [
            f"{c.person.label(lang)} ({c.get_role_display()})"
            for c in sorted(work.creators.all(), key=lambda c: c.order)
        ]
        if work.period is not None:
            line.append(langmap.pick(work.period.name, lang, default=work.period.pid))
        line.append(ngettext("%(n)s witness", "%(n)s witnesses", work.n_witnesses) % {"n": work.n_witnesses})
        details[("work", work.pid)] = line
        translators[work.pid] = tuple(sorted(
            c.person.pid for c in work.creators.all() if c.role == WorkCreator.Role.TRANSLATOR
        ))
    items = Item.objects.filter(pid__in=item_pids).select_related("period").prefetch_related("item_works__work")
    for item in items:
        line = []
        if item.period is not None:
            line.append(langmap.pick(item.period.name, lang, default=item.period.pid))
        line += [iw.work.label(lang) for iw in item.item_works.all()][:3]
        details[("item", item.pid)] = line
    thumbs = _thumbnails(item_pids, work_pids)
    return [
        HitRow(
            h, details.get((h.doc_type, h.pid), []), thumbs.get((h.doc_type, h.pid), ""),
            translators.get(h.pid, ()) if h.doc_type == "work" else (),
        )
        for h in hits
    ]


THUMBNAIL_SIZE = "96,"


def _thumbnails(item_pids: list[str], work_pids: list[str]) -> dict[tuple[str, str], str]:
    """The first page image of each digitized item (and of a work's first digitized public
    witness), from Mogao's own image server: relative URLs, which the page's CSP allows."""
    from mogao.catalogue.models import Canvas, Visibility

    if not item_pids and not work_pids:
        return {}
    canvases = (
        Canvas.objects.filter(item__visibility=Visibility.PUBLIC)
        .filter(Q(item__pid__in=item_pids) | Q(item__item_works__work__pid__in=work_pids))
        .exclude(image_id="")
        .order_by("item__pid", "order")
        .values_list("item__pid", "image_id", "item__item_works__work__pid")
    )
    found: dict[tuple[str, str], str] = {}
    for item_pid, image_id, work_pid in canvases:
        url = f"/iiif/3/{image_id}/full/{THUMBNAIL_SIZE}/0/default.jpg"  # as local_service()
        if item_pid in item_pids:
            found.setdefault(("item", item_pid), url)
        if work_pid in work_pids:
            found.setdefault(("work", work_pid), url)
    return found


def facet_groups(
    facets: Mapping[str, list[FacetCount]], query: Mapping[str, Any], *, lang: str, limit: int = 12
) -> list[FacetGroup]:
    """Facets with labels, counts and links that add (or, when selected, remove) each value.

    ``query`` is the current query string (a QueryDict or a plain mapping of lists).
    """
    from mogao.core import generation

    groups: list[FacetGroup] = []
    gen: int | None = None
    for field, heading in FACET_HEADINGS.items():
        values = [fc for fc in facets.get(field, []) if fc.count > 0][:limit]
        if not values:
            continue
        param = _PARAM_OF[field]
        if gen is None and field in _RECORD_FACETS:
            gen = generation.current()  # read once per page
        labels = _distinct(field, _labels(field, [fc.value for fc in values], lang, gen))
        current = set(_getlist(query, param))
        links = []
        for fc in values:
            selected = fc.value in current
            links.append(
                FacetLink(
                    value=fc.value,
                    label=labels.get(fc.value, fc.value),
                    count=fc.count,
                    href=query_string(query, **{param: None if selected else fc.value}),
                    selected=selected,
                )
            )
        groups.append(FacetGroup(field, param, str(heading), links))
    return groups


def _getlist(query: Mapping[str, Any], name: str) -> list[str]:
    getlist = getattr(query, "getlist", None)
    if getlist is not None:
        return [str(v) for v in getlist(name)]
    raw = query.get(name)
    if raw is None:
        return []
    return [str(v) for v in raw] if isinstance(raw, list | tuple) else [str(raw)]


def query_string(query: Mapping[str, Any], **changes: str | int | None) -> str:
    """``?…`` with some parameters replaced (None removes them); the page number is reset."""
    pairs: list[tuple[str, str]] = []
    for name in query:
        if name in changes or name == "page":
            continue
        pairs += [(name, v) for v in _getlist(query, name) if v != ""]
    pairs += [(k, str(v)) for k, v in changes.items() if v not in (None, "")]
    return "?" + urlencode(pairs)


def suggestions(*, q: str, lang: str, limit: int = 8) -> list[expand.Suggestion]:
    """Titles and names that complete what the reader is typing."""
    q = " ".join(q.split())[:100]
    if not q:
        return []
    return complete(q, lang=lang, limit=limit)


# ---------------------------------------------------------------------------- near titles


def _display(entry: expand.Entry, lang: str) -> str:
    return langmap.pick(entry.titles, lang, default=entry.pid)


#: did-you-mean answers kept per vocabulary (one index generation) before the memo is emptied
DID_YOU_MEAN_MEMO = 2048


def did_you_mean(
    text: str, *, lang: str, limit: int = 5, vocab: expand.Vocabulary | None = None
) -> list[expand.Suggestion]:
    """Titles and names nearest to ``text`` (by pinyin key, Latin spelling or Chinese characters).

    Answers are remembered for the vocabulary they came from, so they are recomputed only after
    an index change; the strings compared are only those whose length allows a near match
    (:class:`_LengthIndex`).
    """
    text = " ".join(text.split())
    if not text:
        return []
    vocab = vocab or expand.vocabulary()
    memo: dict[tuple[str, str, int], list[expand.Suggestion]] = vocab.derived.setdefault(
        "did_you_mean", {}
    )
    key = (text, lang, limit)
    if key not in memo:
        if len(memo) >= DID_YOU_MEAN_MEMO:
            memo.clear()
        memo[key] = _did_you_mean(text, lang=lang, limit=limit, vocab=vocab)
    return list(memo[key])


def _did_you_mean(
    text: str, *, lang: str, limit: int, vocab: expand.Vocabulary
) -> list[expand.Suggestion]:
    entries = vocab.entries
    scored: list[tuple[float, str, expand.Entry]] = []
    if has_han(text):
        q = expand.fold_text(text)
        qkey = expand.roman_key(text)  # homophones typed with a pinyin keyboard: 敦皇 for 敦煌
        by_text = _length_index(vocab, "chinese").near(q)
        by_sound = _length_index(vocab, "keys").near(qkey)
        for i in sorted(by_text.keys() | by_sound.keys()):  # the vocabulary's order, for ties
            score = max(by_text.get(i, 0.0), by_sound.get(i, 0.0) * 0.95)
            if score >= expand.NEAR:
                scored.append((score, _pick_chinese(entries[i], q, qkey), entries[i]))
    else:
        from mogao.text.romanize import romanized_key

        q = expand.latin_key(text)
        by_spelling = _length_index(vocab, "latin").near(q)
        by_sound = _length_index(vocab, "keys").near(romanized_key(text) or q.replace(" ", ""))
        for i in sorted(by_spelling.keys() | by_sound.keys()):
            score = max(by_spelling.get(i, 0.0), by_sound.get(i, 0.0))
            if score >= expand.NEAR:
                scored.append((score, _display(entries[i], lang), entries[i]))
    scored.sort(key=lambda row: (-row[0], row[1]))
    out: list[expand.Suggestion] = []
    seen: set[str] = set()
    for score, label, entry in scored:
        if score < expand.NEAR or len(out) >= limit:
            break
        if label in seen or label == text:
            continue
        seen.add(label)
        out.append(expand.Suggestion(label, entry.titles, entry.url, entry.doc_type))
    return out


def warm_up_near(vocab: expand.Vocabulary | None = None) -> None:
    """Build did-you-mean's indexes of the current vocabulary now, not in a reader's request."""
    vocab = vocab or expand.vocabulary()
    for attr in ("chinese", "latin", "keys"):
        _length_index(vocab, attr)


def _length_index(vocab: expand.Vocabulary, attr: str) -> _LengthIndex:
    """The vocabulary's strings of one kind (``chinese``, ``latin``, ``keys``) by length, built once."""
    index = vocab.derived.get(f"length:{attr}")
    if index is None:
        index = _LengthIndex(getattr(e, attr) for e in vocab.entries)
        vocab.derived[f"length:{attr}"] = index
    return index


class _LengthIndex:
    """Strings of the vocabulary's entries by length, with the entries holding each character.

    difflib's ratio is at most its ``quick_ratio``, ``2·m / (a + b)`` where ``m`` counts the
    characters the two strings share (with repeats) and ``a``, ``b`` are their lengths; so a
    string can reach :data:`~mogao.search.expand.NEAR` (0.75) only if its length lies between 0.6
    and 5/3 times the query's and it shares enough characters. Both are read from this index
    (sorted lengths, and per character the strings holding it and how often), and difflib's ratio
    is computed for the few strings left: the answers are those of comparing every string.
    """

    def __init__(self, lists: Iterable[list[str]]) -> None:
        rows = sorted(
            ((len(s), s, i) for i, strings in enumerate(lists) for s in strings if s),
            key=lambda row: row[0],
        )
        self.lengths = [row[0] for row in rows]
        self.strings = [row[1] for row in rows]
        self.owners = [row[2] for row in rows]
        #: character -> (positions in ``strings``, ascending; how often it occurs in each)
        self.postings: dict[str, tuple[list[int], list[int]]] = {}
        for j, text in enumerate(self.strings):
            for char, count in Counter(text).items():
                ids, counts = self.postings.setdefault(char, ([], []))
                ids.append(j)
                counts.append(count)

    def near(self, query: str) -> dict[int, float]:
        """Entry index -> its best ratio to ``query``, for entries with a string at least NEAR."""
        out: dict[int, float] = {}
        if not query:
            return out
        n = len(query)
        lo = bisect.bisect_left(self.lengths, math.floor(n * 0.6))
        hi = bisect.bisect_right(self.lengths, math.ceil(n * 5 / 3))
        shared: dict[int, int] = {}
        for char, wanted in Counter(query).items():
            posting = self.postings.get(char)
            if posting is None:
                continue
            ids, counts = posting
            a, b = bisect.bisect_left(ids, lo), bisect.bisect_left(ids, hi)
            for j, count in zip(ids[a:b], counts[a:b], strict=True):
                shared[j] = shared.get(j, 0) + (count if count < wanted else wanted)
        matcher = difflib.SequenceMatcher(autojunk=False)
        matcher.set_seq2(query)
        floor = expand.NEAR - 0.01
        for j, m in shared.items():
            if 2.0 * m / (n + self.lengths[j]) <= floor:  # difflib's quick_ratio, exactly
                continue
            matcher.set_seq1(self.strings[j])
            ratio = matcher.ratio()
            owner = self.owners[j]
            if ratio >= expand.NEAR and ratio > out.get(owner, 0.0):
                out[owner] = ratio
        return out


def _pick_chinese(entry: expand.Entry, q: str, qkey: str) -> str:
    """The entry's Chinese string closest to the query (in characters, else in sound), as written."""
    originals = [s for s in [*langmap.all_strings(entry.titles)] if has_han(s)] or entry.chinese
    if not originals:
        return entry.pid
    return max(originals, key=lambda c: (_ratio(q, expand.fold_text(c)), _ratio(qkey, expand.roman_key(c))))


def _ratio(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def complete(
    text: str, *, lang: str, limit: int = 8, vocab: expand.Vocabulary | None = None
) -> list[expand.Suggestion]:
    """As-you-type suggestions: titles and names that start with (or contain) what was typed."""
    text = " ".join(text.split())
    if not text:
        return []
    vocab = vocab or expand.vocabulary()
    kind_rank = {"work": 0, "person": 1, "place": 2, "item": 3}
    # (starts with the query?, length of the matching name, kind): whole short titles first
    found: list[tuple[tuple[int, int, int], expand.Entry]] = []
    if has_han(text):
        q = expand.fold_text(text)
        for entry in vocab.entries:
            hits = [c for c in entry.chinese if q in c]
            if hits:
                best = min(hits, key=lambda c: (not c.startswith(q), len(c)))
                found.append(((0 if best.startswith(q) else 1, len(best), kind_rank.get(entry.doc_type, 9)), entry))
    else:
        q = expand.latin_key(text)
        qkey = q.replace(" ", "")
        for entry in vocab.entries:
            starts = [s for s in entry.latin if s.startswith(q)] + [k for k in entry.keys if k.startswith(qkey)]
            inside = [s for s in entry.latin if q in s]
            if starts or inside:
                best = min(starts or inside, key=len)
                found.append(((0 if starts else 1, len(best), kind_rank.get(entry.doc_type, 9)), entry))
    found.sort(key=lambda row: row[0])
    out: list[expand.Suggestion] = []
    seen: set[str] = set()
    for _rank, entry in found:
        label = _display(entry, lang)
        if label in seen:  # several translations share a title; the results page lists them all
            continue
        seen.add(label)
        out.append(expand.Suggestion(label, entry.titles, entry.url, entry.doc_type))
        if len(out) >= limit:
            break
    return out


def zero_result_queries(*, since: date | None = None, language: str | None = None) -> QuerySet[Any]:
    """Queries that found nothing, most asked first: ``query``, ``language``, ``total``."""
    qs = ZeroResultQuery.objects.all()
    if since is not None:
        qs = qs.filter(day__gte=since)
    if language:
        qs = qs.filter(language=language)
    return qs.values("query", "language").annotate(total=Sum("count")).order_by("-total", "query")
