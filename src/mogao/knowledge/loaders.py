"""Load DILA's people and places as entities, and link them to the Taishō works already loaded.

Sources (read at run time from a data folder, never copied into the repository):
``catalogue/dila_authority_catalog_T.json`` — works with contributors (person ids ``A000439``)
and translation places with coordinates (place ids ``PL000000042393``); and
``authority/cbeta-metadata_all-creators.json`` — ``[id, name]`` pairs of every creator.

Loading is idempotent: an entity is found again by its DILA identifier, or — the first time —
by a unique exact name or alias among existing entities (so the demo's 鳩摩羅什 gains the DILA id
instead of a twin).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction

from mogao.catalogue.models import Work, WorkCreator
from mogao.core import langmap
from mogao.core.pids import slug_text
from mogao.knowledge import services
from mogao.knowledge.gazetteer import ROLE_CUES, romanize
from mogao.knowledge.models import AuthorityLink, Entity, Mention, Period, Person, Place

CATALOGUE = Path("catalogue/dila_authority_catalog_T.json")
CREATORS = Path("authority/cbeta-metadata_all-creators.json")
_WORK_ROLES = {"譯": "translator", "集": "compiler", "編": "compiler", "注": "commentator",
               "註": "commentator", "疏": "commentator"}


@dataclass
class _Source:
    catalogue: dict[str, dict[str, Any]]
    creators: list[tuple[str, str]]


def _read(path: Path) -> _Source:
    """Accept the data folder, the catalogue file, or the creators file."""
    path = Path(path)
    if path.is_dir():
        cat_path, cre_path = path / CATALOGUE, path / CREATORS
    elif path.name == CREATORS.name:
        cat_path, cre_path = path.parent.parent / CATALOGUE, path
    else:
        cat_path, cre_path = path, path.parent.parent / CREATORS
    if not cat_path.is_file() and not cre_path.is_file():
        raise ValidationError({"path": f"No DILA catalogue or creators file at {path}."})
    try:
        catalogue = json.loads(cat_path.read_text("utf-8")) if cat_path.is_file() else {}
        creators = json.loads(cre_path.read_text("utf-8")) if cre_path.is_file() else []
    except (OSError, ValueError) as exc:
        raise ValidationError({"path": f"Cannot read DILA data: {exc}"}) from exc
    if not isinstance(catalogue, dict) or not isinstance(creators, list):
        raise ValidationError({"path": "Unexpected DILA file layout."})
    return _Source(catalogue, [(str(c[0]), str(c[1])) for c in creators if isinstance(c, list) and len(c) == 2])


def _existing_by_authority(model: type[Entity], scheme: str) -> dict[str, int]:
    ct = ContentType.objects.get_for_model(model)
    return dict(AuthorityLink.objects.filter(content_type=ct, scheme=scheme).values_list("identifier", "object_id"))


def _existing_by_name(model: type[Entity]) -> dict[str, int]:
    """Exact name/alias -> pk, for names carried by exactly one entity."""
    seen: dict[str, set[int]] = {}
    for pk, name, aliases in model._default_manager.values_list("pk", "name", "aliases"):
        for form in {*langmap.all_strings(name), *(aliases or [])}:
            seen.setdefault(form, set()).add(pk)
    return {form: next(iter(pks)) for form, pks in seen.items() if len(pks) == 1}


def _upsert_entities(
    model: type[Entity], scheme: str, records: dict[str, dict[str, Any]], counts: Counter[str], label: str,
) -> dict[str, int]:
    """Create missing entities in bulk; returns DILA id -> pk for every record."""
    by_id = _existing_by_authority(model, scheme)
    by_name = _existing_by_name(model)
    used_pids = set(model._default_manager.values_list("pid", flat=True))
    ct = ContentType.objects.get_for_model(model)
    new_links: list[AuthorityLink] = []
    for dila_id, fields in records.items():
        if dila_id in by_id:
            counts[f"{label}_unchanged"] += 1
            continue
        name = fields["name"]["zh-Hant"][0]
        pk = by_name.get(name)
        if pk is None:
            obj = model(**fields)
            obj.full_clean(exclude=["pid"], validate_unique=False)
            base = slug_text(f"{name}-{dila_id}", 110) or dila_id.lower()
            pid, n = base, 1
            while pid in used_pids:
                n += 1
                pid = f"{base}-{n}"
            used_pids.add(pid)
            obj.pid = pid
            obj.save()
            pk = obj.pk
            counts[f"{label}_created"] += 1
        else:
            counts[f"{label}_matched"] += 1
        link = AuthorityLink(content_type=ct, object_id=pk, scheme=scheme, identifier=dila_id)
        link.full_clean(validate_unique=False)
        new_links.append(link)
        by_id[dila_id] = pk
    AuthorityLink.objects.bulk_create(new_links, ignore_conflicts=True)
    counts["authority_links"] += len(new_links)
    return by_id


def _work_role(byline: str, name: str) -> str:
    """The WorkCreator role of ``name`` in a byline such as 後秦 佛陀耶舍共竺佛念譯."""
    at = byline.find(name)
    if at < 0:
        return WorkCreator.Role.AUTHOR
    for ch in byline[at + len(name) :]:
        if ch in _WORK_ROLES:
            return _WORK_ROLES[ch]
        if ch in ROLE_CUES and ch not in "共等":
            return WorkCreator.Role.AUTHOR
        if ch in " \u3000":
            break
    return WorkCreator.Role.AUTHOR


@transaction.atomic
def load_dila_entities(path: str | Path) -> dict[str, int]:
    """Load DILA people and places; link them to existing works by Taishō number.

    ``path`` is the shared data folder, the catalogue JSON or the creators JSON. Returns counts
    (``people_created``, ``people_matched``, ``people_unchanged``, ``places_*``,
    ``authority_links``, ``work_creators``, ``work_places``). Running it twice changes nothing.
    """
    source = _read(Path(path))
    counts: Counter[str] = Counter()
    people: dict[str, dict[str, Any]] = {}
    for dila_id, name in source.creators:
        people[dila_id] = {"name": {"zh-Hant": [name]}, "aliases": [romanize(name)] if len(name) >= 2 else []}
    places: dict[str, dict[str, Any]] = {}
    for work in source.catalogue.values():
        for c in work.get("contributors") or []:
            if c.get("id") and c.get("name") and c["id"] not in people:
                people[c["id"]] = {"name": {"zh-Hant": [c["name"]]}, "aliases": [romanize(c["name"])]}
        for p in work.get("places") or []:
            if p.get("id") and p.get("name") and p["id"] not in places:
                try:
                    lat, lon = float(p["lat"]), float(p["long"])
                except (KeyError, TypeError, ValueError):
                    lat = lon = None  # type: ignore[assignment]
                places[p["id"]] = {"name": {"zh-Hant": [p["name"]]}, "latitude": lat, "longitude": lon}
    person_pk = _upsert_entities(Person, "dila-person", people, counts, "people")
    place_pk = _upsert_entities(Place, "dila-place", places, counts, "places")
    _link_works(source, person_pk, place_pk, counts)
    return dict(counts)


def _link_works(source: _Source, person_pk: dict[str, int], place_pk: dict[str, int], counts: Counter[str]) -> None:
    works = {
        w.identifiers.get("taisho"): w
        for w in Work.objects.filter(identifiers__has_key="taisho").prefetch_related("creators")
    }
    for taisho, record in source.catalogue.items():
        work = works.get(taisho)
        if work is None:
            continue
        have = {(c.person_id, c.role) for c in work.creators.all()}
        have_people = {pid for pid, _ in have}
        byline = record.get("byline") or ""
        for order, c in enumerate(record.get("contributors") or []):
            pk = person_pk.get(c.get("id", ""))
            if pk is None or pk in have_people:
                continue
            WorkCreator.objects.create(work=work, person_id=pk, role=_work_role(byline, c["name"]),
                                       order=len(have) + order)
            counts["work_creators"] += 1
        for p in record.get("places") or []:
            pk = place_pk.get(p.get("id", ""))
            if pk is None:
                continue
            place = Place.objects.get(pk=pk)
            _, new = services.mention_add(
                entity=place, role=Mention.Role.PRODUCTION_PLACE, work=work,
                source=Mention.Source.IMPORTED, created_by="DILA authority catalogue",
            )
            counts["work_places"] += new


@transaction.atomic
def load_toolkit_periods() -> dict[str, int]:
    """Load dynasties and reign eras from Mogao's text toolkit as Period entities; idempotent.

    A period is found again by (kind, traditional name, first year), so the demo's 唐 and 開元 are
    kept (not duplicated) and become the parents of the eras the toolkit files under them.
    Returns ``dynasties_created``, ``eras_created`` and ``*_unchanged`` counts.
    """
    from mogao.knowledge.period_names import french_name
    from mogao.text.chronology import dynasty_table, era_table
    from mogao.text.convert import to_traditional

    counts: Counter[str] = Counter()
    existing = {
        (p.kind, langmap.pick(p.name, "zh-hant"), p.year_start): p for p in Period.objects.all()
    }
    used_pids = set(Period.objects.values_list("pid", flat=True))

    def pid_for(*parts: str) -> str:
        base = slug_text("-".join(parts), 110) or "period"
        pid, n = base, 1
        while pid in used_pids:
            n += 1
            pid = f"{base}-{n}"
        used_pids.add(pid)
        return pid

    def upsert(kind: str, trad: str, fields: dict[str, Any], pid_parts: tuple[str, ...], label: str) -> Period:
        key = (kind, trad, fields["year_start"])
        found = existing.get(key)
        if found is not None:
            # Languages added to the toolkit's names later (French) fill gaps; a curator's names stay.
            missing = {tag: names for tag, names in fields["name"].items() if not found.name.get(tag)}
            if missing:
                found.name = {**found.name, **missing}
                found.save(update_fields=["name"])
            counts[f"{label}_unchanged"] += 1
            return found
        obj = Period(kind=kind, **fields)
        obj.full_clean(exclude=["pid"], validate_unique=False)
        obj.pid = pid_for(*pid_parts)
        obj.save()
        existing[key] = obj
        counts[f"{label}_created"] += 1
        return obj

    # Dynasties by simplified name, starting with those already present (the demo's 後秦 is not
    # in the toolkit's dynasty list, but its eras are in the era table).
    dynasties: dict[str, Period] = {
        langmap.pick(p.name, "zh-hans"): p for p in Period.objects.filter(kind=Period.Kind.DYNASTY)
    }
    for d in dynasty_table():
        english = d.english[0] if d.english else d.pinyin
        period = upsert(
            Period.Kind.DYNASTY, d.traditional,
            {"name": {"zh-Hant": [d.traditional], "zh-Hans": [d.simplified], "en": [english],
                      "fr": [french_name(english)]},
             "aliases": [d.pinyin, *d.english[1:]], "year_start": d.start, "year_end": d.end},
            (d.pinyin,), "dynasties",
        )
        dynasties[d.simplified] = period
    for era in era_table():
        if not era.canonical:
            continue
        parent = dynasties.get(era.dynasty)
        trad = to_traditional(era.name)
        upsert(
            Period.Kind.REIGN_ERA, trad,
            {"name": {"zh-Hant": [trad], "zh-Hans": [era.name], "en": [romanize(era.name)]},
             "aliases": [romanize(era.name)], "year_start": era.start, "year_end": era.end, "parent": parent},
            (parent.label("en") if parent else era.dynasty, era.name), "eras",
        )
    return dict(counts)
