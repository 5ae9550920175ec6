"""What the catalogue makes searchable, and how: items, works, people and places as documents.

Each public record becomes one :class:`~mogao.search.types.SearchDocument` whose id is
``"<doc_type>:<pid>"``. Titles go in every script (zh-Hant and zh-Hans both) plus their pinyin
and Wade-Giles romanizations in ``alias``, so romanized queries match without expansion;
shelfmarks carry their common short forms (``Or.8210/S.3326`` is also ``S.3326``, ``S 3326``,
``S3326``) so readers need not type a holder's prefix. Private and withdrawn records are never
documents: :func:`document_for` returns None for them and the indexer deletes their id.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.urls import NoReverseMatch, reverse

from mogao.catalogue.models import Item, ItemWork, Transcription, Visibility, Work
from mogao.core import langmap
from mogao.knowledge.models import Person, Place
from mogao.search.titles import reader_titles
from mogao.search.types import SearchDocument

DOC_TYPES: tuple[str, ...] = ("item", "work", "person", "place")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
_BODY_LIMIT = 200_000  # characters of transcription indexed per item (whole books stay bounded)


# ---------------------------------------------------------------------------- ids


def doc_id(doc_type: str, pid: str) -> str:
    return f"{doc_type}:{pid}"


def split_doc_id(value: str) -> tuple[str, str]:
    """``"item:bl-or-8210-p-2"`` -> ``("item", "bl-or-8210-p-2")``; ValueError when malformed."""
    doc_type, sep, pid = value.partition(":")
    if not sep or doc_type not in DOC_TYPES or not pid:
        raise ValueError(f"not a search document id: {value!r}")
    return doc_type, pid


# ---------------------------------------------------------------------------- text helpers


def has_han(text: str) -> bool:
    return bool(_HAN.search(text))


def romanizations(text: str) -> list[str]:
    """Pinyin (spaced and run together) and Wade-Giles forms of the Chinese in ``text``."""
    if not has_han(text):
        return []
    from mogao.text import romanize

    out: list[str] = []
    for fn_name in ("to_pinyin", "pinyin_key", "to_wade_giles"):
        fn = getattr(romanize, fn_name, None)
        if fn is None:
            continue
        value = fn(text)
        for v in [value] if isinstance(value, str) else list(value):
            if v and v not in out:
                out.append(v)
    return out


def _unique(values: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for v in values:
        v = (v or "").strip()
        if v and v not in seen:
            seen[v] = None
    return list(seen)


def _strings(value: dict[str, list[str]] | None) -> list[str]:
    """Every string of a language map, with zh-Hans/zh-Hant derived from each other."""
    return _unique(langmap.all_strings(langmap.derive_chinese(value or {})))


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


#: Series whose short forms the tokenizer does not derive itself (it already maps
#: ``Or.8210/S.3326`` to ``S.3326`` and ``Pelliot chinois 3532`` to ``P.3532``).
_SHORT_SERIES = [(re.compile(r"^IOL\s+Tib\s+J\s+(\d+\w*)$", re.I), "ITJ")]


def shelfmark_forms(shelfmark: str) -> list[str]:
    """The shelfmark, its accent-free form, a second shelfmark in parentheses (``BD00256 (北8470)``)
    and short forms the tokenizer cannot derive (``IOL Tib J 750`` -> ``ITJ 750``)."""
    shelfmark = (shelfmark or "").strip()
    if not shelfmark:
        return []
    forms = [shelfmark, _ascii(shelfmark)]
    for pattern, prefix in _SHORT_SERIES:
        m = pattern.match(shelfmark)
        if m:
            forms.append(f"{prefix} {m.group(1)}")
            # the tokenizer reads "IOL Tib J 750" as one shelfmark (itj750): keep the series
            # words searchable on their own too
            forms.append(shelfmark[: m.start(1)].strip())
    forms += [p.strip() for p in re.findall(r"\(([^)]+)\)", shelfmark)]
    return _unique(forms)


def taisho_forms(number: str) -> list[str]:
    """``T0235`` -> ``T0235``, ``T235``, ``T 235``, ``T.235``, ``Taisho 235``."""
    m = re.match(r"^T\s*0*(\d+)([A-Za-z]?)$", number.strip(), re.I)
    if not m:
        return [number]
    n, suffix = m.group(1), m.group(2)
    padded = f"T{int(n):04d}{suffix}"
    return _unique(
        [padded, f"T{n}{suffix}", f"T {n}{suffix}", f"T.{n}{suffix}", f"Taisho {n}{suffix}"]
    )


def natural_key(text: str) -> str:
    """A sort key in which numbers sort by value: ``P.2`` < ``P.12`` < ``S.3326``."""
    return re.sub(r"\d+", lambda m: f"{int(m.group(0)):010d}", _ascii(text).lower())


def entity_url(doc_type: str, pid: str) -> str:
    """The page of a person or place (``/people/{pid}``, ``/places/{pid}``)."""
    plural = "people" if doc_type == "person" else "places"
    try:
        return reverse(f"knowledge:{doc_type}", args=[pid])
    except NoReverseMatch:  # the knowledge pages are not mounted yet: keep the planned URL
        return f"/{plural}/{pid}"


# ---------------------------------------------------------------------------- documents


def _period_values(period: Any) -> list[str]:
    """A period's pid and its parent's (a reign era also files under its dynasty)."""
    values: list[str] = []
    while period is not None and len(values) < 4:
        values.append(period.pid)
        period = period.parent
    return values


def _names(entity: Any) -> list[str]:
    if entity is None:
        return []
    return _unique([*_strings(entity.name), *entity.aliases])


def item_document(item: Item) -> SearchDocument:
    """The document of one public item (prefetch as :func:`item_queryset` does for speed)."""
    works = [iw.work for iw in item.item_works.all() if iw.work.visibility == Visibility.PUBLIC]
    titles = _strings(item.title)
    aliases: list[str] = []
    names: list[str] = [*_names(item.acquired_by), *_names(item.find_place)]
    identifiers: list[str] = [*shelfmark_forms(item.shelfmark)]
    if item.local_id:
        identifiers.append(item.local_id)
    for work in works:
        work_titles = _strings(work.title) + list(work.aliases)
        aliases += work_titles + reader_titles(work, work_titles)
        identifiers += [f for v in work.identifiers.values() for f in taisho_forms(v)]
        for creator in work.creators.all():
            names += _names(creator.person)
    aliases += [r for t in _unique(titles + aliases) for r in romanizations(t)]
    names += [*_strings(item.institution.name), item.institution.code]
    if item.collection is not None:
        names += _strings(item.collection.name)
    description = [
        *_strings(item.description),
        *_strings(item.notes),
        *_strings(item.provenance),
        *_strings(item.material),
        item.date_expression,
    ]
    body = _item_body(item)
    filters: dict[str, list[str]] = {
        "doc_type": ["item"],
        "institution": [item.institution.pid],
        "item_type": [item.item_type],
        "status": [item.digitization_status],
        "rights": [item.rights],
        "work": [w.pid for w in works],
        "language": list(item.languages),
        "period": _unique(
            _period_values(item.period) + [p for w in works for p in _period_values(w.period)]
        ),
        "subject": _unique(w.category for w in works),
    }
    if item.collection is not None:
        filters["collection"] = [item.collection.pid]
    taisho = next(
        (w.identifiers.get("taisho", "") for w in works if w.identifiers.get("taisho")), ""
    )
    importance = max(
        (_work_prior(w, _strings(w.title) + list(w.aliases), 1) for w in works), default=0.0
    )  # the works' own witnesses and featured marks are not read here (one query per item)
    return SearchDocument(
        id=doc_id("item", item.pid),
        doc_type="item",
        text={
            "title": titles,
            "alias": _unique(aliases),
            "shelfmark": _unique(identifiers),
            "names": _unique(names),
            "description": _unique(description),
            "body": [body] if body else [],
        },
        filters={k: v for k, v in filters.items() if v},
        year_start=item.year_start,
        year_end=item.year_end,
        sort_key=natural_key(f"{item.institution.code} {item.shelfmark or item.pid}"),
        payload={
            "doc_type": "item",
            "pid": item.pid,
            "url": item.get_absolute_url(),
            "titles": langmap.derive_chinese(item.title),
            "shelfmark": item.shelfmark,
            "holder": langmap.derive_chinese(item.institution.name),
            "holder_code": item.institution.code,
            "taisho": taisho,
            "works": [w.pid for w in works],
            "date": item.date_expression,
            "year_start": item.year_start,
            "year_end": item.year_end,
            "item_type": item.item_type,
            "status": item.digitization_status,
            "prior": round(importance, 4),
        },
    )


def _item_body(item: Item) -> str:
    texts: list[str] = []
    size = 0
    for canvas in item.canvases.all():
        for tr in canvas.transcriptions.all():
            if tr.is_primary and tr.text:
                texts.append(tr.text)
                size += len(tr.text)
        if size >= _BODY_LIMIT:
            break
    return "\n".join(texts)[:_BODY_LIMIT]


def work_document(work: Work) -> SearchDocument:
    """The document of one public work: titles, aliases, Taisho number, creators' names."""
    titles = _strings(work.title)
    aliases = _unique(list(work.aliases))
    aliases += reader_titles(work, titles + aliases)  # short titles readers use (titles.py)
    aliases += [r for t in _unique(titles + aliases) for r in romanizations(t)]
    identifiers = [f for v in work.identifiers.values() for f in taisho_forms(v)]
    names = [n for c in work.creators.all() for n in _names(c.person)]
    witnesses = [iw.item for iw in work.item_works.all() if iw.item.visibility == Visibility.PUBLIC]
    filters: dict[str, list[str]] = {
        "doc_type": ["work"],
        "work": [work.pid],
        "period": _period_values(work.period),
        "subject": [work.category] if work.category else [],
        "institution": _unique(i.institution.pid for i in witnesses),
    }
    taisho = work.identifiers.get("taisho", "")
    importance = _work_prior(work, titles + aliases, len(witnesses), featured=_featured(work))
    return SearchDocument(
        id=doc_id("work", work.pid),
        doc_type="work",
        text={
            "title": titles,
            "alias": _unique(aliases),
            "shelfmark": _unique(identifiers),
            "names": _unique(names),
            "description": _unique([*_strings(work.description), work.date_expression]),
        },
        filters={k: v for k, v in filters.items() if v},
        year_start=work.year_start,
        year_end=work.year_end,
        sort_key=natural_key(taisho or work.pid),
        payload={
            "doc_type": "work",
            "pid": work.pid,
            "url": work.get_absolute_url(),
            "titles": langmap.derive_chinese(work.title),
            "shelfmark": "",
            "holder": {},
            "taisho": taisho,
            "identifiers": dict(work.identifiers),
            "creators": [c.person.label("en") for c in work.creators.all()],
            # (person pid, role): a search resolving to the person lists the work after them
            "creator_roles": [[c.person.pid, c.role] for c in work.creators.all()],
            "date": work.date_expression,
            "year_start": work.year_start,
            "year_end": work.year_end,
            "prior": importance,
        },
    )


def _work_prior(work: Work, names: list[str], witnesses: int, *, featured: bool = False) -> float:
    """The ranking prior of a work (:mod:`mogao.search.prior`)."""
    from mogao.search import prior
    from mogao.text.fold import fold

    chinese = [fold(n) for n in [*names, *reader_titles(work, names)] if has_han(n)]
    citing = prior.title_table().citing(work.pk, chinese)
    return prior.work_prior(witnesses=witnesses, citing=citing, featured=featured)


def _featured(work: Work) -> bool:
    """Whether a curator marked the work as featured (select ``search_featured`` for speed)."""
    from django.core.exceptions import ObjectDoesNotExist

    try:
        return getattr(work, "search_featured", None) is not None
    except ObjectDoesNotExist:
        return False


def entity_document(entity: Person | Place) -> SearchDocument:
    """A person or place: names and other names (so a name finds the entity and its works)."""
    doc_type = "person" if isinstance(entity, Person) else "place"
    names = _strings(entity.name)
    aliases = _unique(list(entity.aliases))
    aliases += [r for t in _unique(names + aliases) for r in romanizations(t)]
    url = entity_url(doc_type, entity.pid)
    return SearchDocument(
        id=doc_id(doc_type, entity.pid),
        doc_type=doc_type,
        text={
            "title": names,
            "alias": _unique(aliases),
            "description": _strings(entity.description),
        },
        filters={"doc_type": [doc_type]},
        year_start=entity.year_start if isinstance(entity, Person) else None,
        year_end=entity.year_end if isinstance(entity, Person) else None,
        sort_key=natural_key(entity.label("en")),
        payload={
            "doc_type": doc_type,
            "pid": entity.pid,
            "url": url,
            "titles": langmap.derive_chinese(entity.name),
            "shelfmark": "",
            "holder": {},
            "taisho": "",
            "year_start": getattr(entity, "year_start", None),
            "year_end": getattr(entity, "year_end", None),
            "prior": _entity_prior(entity),
        },
    )


def _entity_prior(entity: Person | Place) -> float:
    """A person's prior from the works they made (annotated ``n_works`` when read in bulk)."""
    from mogao.search import prior

    if not isinstance(entity, Person):
        return 0.0
    n = getattr(entity, "n_works", None)
    if n is None:
        n = entity.work_roles.values("work").distinct().count()
    return prior.entity_prior(int(n))


# ---------------------------------------------------------------------------- loading


def item_queryset() -> QuerySet[Item]:
    """Public items with everything their documents need, in a fixed number of queries."""
    return (
        Item.objects.filter(visibility=Visibility.PUBLIC)
        .select_related("institution", "collection", "period__parent", "find_place", "acquired_by")
        .prefetch_related(
            Prefetch(
                "item_works",
                queryset=ItemWork.objects.select_related("work__period__parent").prefetch_related(
                    "work__creators__person", "work__search_aliases"
                ),
            ),
            Prefetch(
                "canvases__transcriptions",
                queryset=Transcription.objects.filter(is_primary=True).only(
                    "id", "canvas_id", "text", "is_primary"
                ),
            ),
        )
        .order_by("pk")
    )


def work_queryset() -> QuerySet[Work]:
    return (
        Work.objects.filter(visibility=Visibility.PUBLIC)
        .select_related("period__parent", "search_featured")
        .prefetch_related(
            "creators__person",
            "search_aliases",
            Prefetch("item_works", queryset=ItemWork.objects.select_related("item__institution")),
        )
        .order_by("pk")
    )


def document_for(value: str) -> SearchDocument | None:
    """The current document for an id, or None when the record is gone or not public."""
    doc_type, pid = split_doc_id(value)
    if doc_type == "item":
        item = item_queryset().filter(pid=pid).first()
        return item_document(item) if item else None
    if doc_type == "work":
        work = work_queryset().filter(pid=pid).first()
        return work_document(work) if work else None
    model: type[Person] | type[Place] = Person if doc_type == "person" else Place
    entity = model.objects.filter(pid=pid).first()
    return entity_document(entity) if entity else None


def count_all() -> int:
    """How many documents :func:`iter_all` will yield (for progress bars)."""
    return (
        Item.objects.filter(visibility=Visibility.PUBLIC).count()
        + Work.objects.filter(visibility=Visibility.PUBLIC).count()
        + Person.objects.count()
        + Place.objects.count()
    )


def iter_all(*, chunk: int = 500) -> Iterator[SearchDocument]:
    """Every searchable document, read in chunks so memory stays bounded."""
    yield from _chunked(item_queryset(), item_document, chunk)
    yield from _chunked(work_queryset(), work_document, chunk)
    people = Person.objects.annotate(n_works=Count("work_roles__work", distinct=True))
    yield from _chunked(people.order_by("pk"), entity_document, chunk)
    yield from _chunked(Place.objects.order_by("pk"), entity_document, chunk)


def _chunked(qs: QuerySet[Any], build: Any, chunk: int) -> Iterator[SearchDocument]:
    last = 0
    while True:
        batch = list(qs.filter(pk__gt=last)[:chunk])
        if not batch:
            return
        for obj in batch:
            yield build(obj)
        last = batch[-1].pk


# ---------------------------------------------------------------------------- what a change touches


def affected_ids(instance: Any) -> set[str]:
    """Ids of the documents whose content depends on ``instance`` (call before a delete too).

    An item's document carries its works' titles and its holder's name; a work's document lists
    its witnesses' holders; people and places appear in works and items: each change reaches them.
    """
    from mogao.catalogue.models import Canvas, Collection, Institution
    from mogao.knowledge.models import Period

    ids: set[str] = set()
    if isinstance(instance, Item):
        ids.add(doc_id("item", instance.pid))
        ids |= {doc_id("work", pid) for pid in instance.works.values_list("pid", flat=True)}
    elif isinstance(instance, Work):
        ids.add(doc_id("work", instance.pid))
        ids |= {doc_id("item", pid) for pid in instance.items.values_list("pid", flat=True)}
    elif isinstance(instance, Institution | Collection):
        ids |= {doc_id("item", pid) for pid in instance.items.values_list("pid", flat=True)}
    elif isinstance(instance, Canvas):
        ids.add(doc_id("item", instance.item.pid))
    elif isinstance(instance, Transcription):
        ids.add(doc_id("item", instance.canvas.item.pid))
    elif isinstance(instance, Person):
        ids.add(doc_id("person", instance.pid))
        works = Work.objects.filter(creators__person=instance)
        ids |= {doc_id("work", pid) for pid in works.values_list("pid", flat=True)}
        items = Item.objects.filter(acquired_by=instance) | Item.objects.filter(works__in=works)
        ids |= {doc_id("item", pid) for pid in items.values_list("pid", flat=True)}
    elif isinstance(instance, Place):
        ids.add(doc_id("place", instance.pid))
        ids |= {doc_id("item", pid) for pid in instance.found_items.values_list("pid", flat=True)}
    elif isinstance(instance, Period):
        periods = [instance.pk, *instance.children.values_list("pk", flat=True)]
        ids |= {
            doc_id("work", p)
            for p in Work.objects.filter(period__in=periods).values_list("pid", flat=True)
        }
        ids |= {
            doc_id("item", p)
            for p in Item.objects.filter(period__in=periods).values_list("pid", flat=True)
        }
    return ids
