"""Entity pages (every linked work and item, with the part the entity plays) and the search feed."""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from mogao.catalogue.models import Item, Work
from mogao.catalogue.selectors import item_public_qs, work_public_qs
from mogao.core import langmap
from mogao.knowledge.gazetteer import romanize
from mogao.knowledge.models import ENTITY_MODELS, AuthorityLink, Entity, Mention, Period, Person, Place
from mogao.text.fold import is_cjk

#: URL name of each entity kind's page.
URL_NAMES = {"person": "knowledge:person", "place": "knowledge:place", "period": "knowledge:period",
             "subject": "knowledge:subject"}
LIST_LIMIT = 500


def kind_of(entity: Entity) -> str:
    return type(entity).__name__.lower()


def entity_url(entity: Entity) -> str:
    return reverse(URL_NAMES[kind_of(entity)], args=[entity.pid])


def entity_detail(*, kind: str, pid: str) -> Entity | None:
    """The entity of ``kind`` with ``pid``, or None (also for an unknown kind)."""
    model = ENTITY_MODELS.get(kind)
    if model is None:
        return None
    if model is Period:
        return Period.objects.select_related("parent").filter(pid=pid).first()
    return model._default_manager.filter(pid=pid).first()


def entity_list(*, kind: str) -> QuerySet[Any]:
    """Every entity of a kind, ordered (periods by year)."""
    return ENTITY_MODELS[kind]._default_manager.all()


@dataclass
class DirectoryEntry:
    """One line of an entity index: the name, its pinyin, and what tells it from a namesake."""

    entity: Any
    label: str
    roman: str
    initial: str
    details: list[str] = field(default_factory=list)


@lru_cache(maxsize=20_000)
def _romanized(label: str) -> tuple[str, str]:
    """(pinyin with tones, sort key) of a name; a name without Chinese keeps its own letters."""
    from mogao.text.romanize import pinyin_key, to_pinyin

    key = pinyin_key(label)
    if key:
        return to_pinyin("".join(c for c in label if is_cjk(c))), key
    return "", unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode().lower()


def _initial(key: str) -> str:
    first = key[:1].upper()
    return first if "A" <= first <= "Z" else "#"


def _coordinates(place: Place) -> str:
    if place.latitude is None or place.longitude is None:
        return ""
    return f"{place.latitude:.2f}°, {place.longitude:.2f}°"


def entity_directory(
    *, kind: str, language: str | None = None, query: str = "", initial: str = "",
) -> tuple[list[DirectoryEntry], list[str]]:
    """An index of one kind of entity in the order of its romanized names, with the letters used.

    ``query`` keeps names that contain it in any language or alias, or whose pinyin does
    (``xuanzang``, ``Xuanzang`` and ``玄奘`` all find 玄奘); ``initial`` (A–Z, or ``#``) keeps the
    names under one letter. Entries whose name is shared by another record of the kind carry
    details that tell them apart: coordinates, dates, the period they lie within, the authority
    record they come from.
    """
    qs = entity_list(kind=kind)
    objects = list(qs.select_related("parent") if kind == "period" else qs)
    entries: list[DirectoryEntry] = []
    for obj in objects:
        label = obj.label(language)
        roman, key = _romanized(label)
        entries.append(DirectoryEntry(entity=obj, label=label, roman=roman, initial=_initial(key)))
    counts = Counter(e.label for e in entries)
    twins = [e for e in entries if counts[e.label] > 1]
    if twins:
        ct = ContentType.objects.get_for_model(ENTITY_MODELS[kind])
        sources: dict[int, list[str]] = {}
        for object_id, scheme, identifier in AuthorityLink.objects.filter(
            content_type=ct, object_id__in=[e.entity.pk for e in twins],
        ).order_by("scheme", "identifier").values_list("object_id", "scheme", "identifier"):
            sources.setdefault(object_id, []).append(f"{scheme} {identifier}")
        for e in twins:
            obj = e.entity
            if isinstance(obj, Place) and (where := _coordinates(obj)):
                e.details.append(where)
            if isinstance(obj, Period):
                e.details.append(str(obj.get_kind_display()))
                if obj.parent is not None:
                    e.details.append(_("within %(period)s") % {"period": obj.parent.label(language)})
            if isinstance(obj, Person) and obj.dates_note:
                e.details.append(obj.dates_note)
            e.details += sources.get(obj.pk, [])
            if not e.details:
                e.details.append(obj.pid)
    letters = sorted({e.initial for e in entries}, key=lambda c: (c == "#", c))
    if initial:
        entries = [e for e in entries if e.initial == initial.upper()]
    if needle := query.strip().lower():
        from mogao.text.romanize import romanized_key

        roman_needle = romanized_key(needle) or ""
        plain = needle.replace(" ", "")

        def matches(e: DirectoryEntry) -> bool:
            names = [v for values in e.entity.name.values() for v in values] + list(e.entity.aliases)
            if any(needle in n.lower() for n in names):
                return True
            key = _romanized(e.label)[1]
            return bool(plain and (plain in key or (roman_needle and roman_needle in key)))

        entries = [e for e in entries if matches(e)]
    if kind != "period":  # periods stay in order of time
        entries.sort(key=lambda e: (_romanized(e.label)[1] or "~", e.label, e.entity.pid))
    return entries, letters


@dataclass
class EntityLinks:
    """What an entity page lists: works and items with the part the entity plays in each."""

    works: list[tuple[Work, list[str]]] = field(default_factory=list)
    items: list[tuple[Item, list[str]]] = field(default_factory=list)
    authority: list[AuthorityLink] = field(default_factory=list)
    children: list[Entity] = field(default_factory=list)


def _add(bucket: dict[int, tuple[Any, list[str]]], obj: Any, reason: str) -> None:
    entry = bucket.setdefault(obj.pk, (obj, []))
    if reason not in entry[1]:
        entry[1].append(reason)


def _places_within(place: Place, depth: int = 6) -> list[Place]:
    """Every place inside ``place``, however deep (bounded), nearest first."""
    found: list[Place] = []
    seen = {place.pk}
    level = [place.pk]
    for _step in range(depth):
        inner = [p for p in Place.objects.filter(within_id__in=level).order_by("pid") if p.pk not in seen]
        if not inner:
            break
        found += inner
        seen.update(p.pk for p in inner)
        level = [p.pk for p in inner]
    return found


def entity_links(*, entity: Entity) -> EntityLinks:
    """Every public work and item linked to ``entity``, each with its reasons, and its authorities."""
    ct = ContentType.objects.get_for_model(type(entity))
    works: dict[int, tuple[Work, list[str]]] = {}
    items: dict[int, tuple[Item, list[str]]] = {}
    mentions = (
        Mention.objects.filter(content_type=ct, object_id=entity.pk, status=Mention.Status.CONFIRMED)
        .select_related("item", "work")
    )
    public_items = set(item_public_qs().values_list("pk", flat=True).filter(mentions__in=mentions))
    for m in mentions:
        if m.work_id and m.work and m.work.visibility == "public":
            _add(works, m.work, str(m.get_role_display()))
        elif m.item_id and m.item_id in public_items:
            _add(items, m.item, str(m.get_role_display()))
    if isinstance(entity, Person):
        for wc in entity.work_roles.select_related("work").filter(work__in=work_public_qs()):
            _add(works, wc.work, str(wc.get_role_display()))
        for item in item_public_qs().filter(acquired_by=entity):
            _add(items, item, str(_("acquired by")))
        for item in item_public_qs().filter(item_works__work__creators__person=entity).distinct()[:LIST_LIMIT]:
            _add(items, item, str(_("carries a work by this person")))
    elif isinstance(entity, Place):
        for item in item_public_qs().filter(find_place=entity):
            _add(items, item, str(_("find place")))
        # Roll up the places within this one (the Library Cave's items belong to Dunhuang too).
        for inner in _places_within(entity):
            for item in item_public_qs().filter(find_place=inner)[:LIST_LIMIT]:
                _add(items, item, _("found at %(place)s") % {"place": inner.label(get_language())})
    elif isinstance(entity, Period):
        in_period = Q(period=entity) | Q(period__parent=entity)
        for work in work_public_qs().filter(in_period)[:LIST_LIMIT]:
            _add(works, work, str(_("dated to this period")))
        for item in item_public_qs().filter(in_period)[:LIST_LIMIT]:
            _add(items, item, str(_("dated to this period")))
    links = EntityLinks(
        works=sorted(works.values(), key=lambda p: p[0].pid),
        items=sorted(items.values(), key=lambda p: (p[0].institution_id, p[0].shelfmark)),
        authority=list(AuthorityLink.objects.filter(content_type=ct, object_id=entity.pk).order_by("scheme")),
    )
    if isinstance(entity, Period):
        links.children = list(entity.children.order_by("year_start"))
    # Items come back without their holder; fetch them in one query for the cards.
    pks = [i.pk for i, _ in links.items]
    full = item_public_qs().select_related("institution").in_bulk(pks)
    links.items = [(full[i.pk], reasons) for i, reasons in links.items if i.pk in full]
    return links


def entity_names_for(*, work: Work | None = None, item: Item | None = None) -> list[str]:
    """Names (all languages, aliases) of the people and places linked to a work or item.

    For the search engineer's documents: put these in the ``names`` field so a person's name
    finds their works.
    """
    entities: list[Entity] = []
    if work is not None:
        entities += [c.person for c in work.creators.select_related("person")]
        target = Q(work=work)
    elif item is not None:
        entities += [e for e in (item.find_place, item.acquired_by) if e is not None]
        target = Q(item=item)
    else:
        return []
    for m in Mention.objects.filter(target, status=Mention.Status.CONFIRMED).select_related("content_type"):
        if m.entity is not None:
            entities.append(m.entity)
    names: list[str] = []
    for e in entities:
        for n in [*langmap.all_strings(e.name), *e.aliases]:
            if n not in names:
                names.append(n)
    return names


def entity_documents() -> Iterator[Any]:
    """One ``SearchDocument`` per entity (names, aliases, romanizations, dates) for the search index."""
    from mogao.search.types import SearchDocument

    for kind, model in ENTITY_MODELS.items():
        for e in model._default_manager.all().iterator():
            names = list(langmap.all_strings(e.name))
            aliases = list(e.aliases) + [romanize(n) for n in names if n and not n.isascii()]
            yield SearchDocument(
                id=f"{kind}:{e.pid}", doc_type=kind,
                text={"title": names, "alias": aliases, "description": list(langmap.all_strings(e.description))},
                filters={"doc_type": [kind]},
                year_start=getattr(e, "year_start", None), year_end=getattr(e, "year_end", None),
                payload={"url": reverse(URL_NAMES[kind], args=[e.pid]), "title": e.name, "pid": e.pid},
            )
