"""Load the real DILA Taisho catalogue (2,457 works) plus English titles through catalogue services.

Used by the relevance benchmark when ``mogao.ingest`` offers no loader of its own. Works already
present under the same Taisho number (the built-in demo's, which are richer) are left as they are.
People are matched to existing ones by Chinese name (the demo's 鳩摩羅什 is the DILA translator)
or created with their DILA authority id.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")


def english_titles(path: Path) -> dict[str, str]:
    """Taisho number -> English title from the buddhist-dictionary collections file."""
    return {k: v[0] for k, v in dictionary_titles(path).items()}


def dictionary_titles(path: Path) -> dict[str, tuple[str, list[str]]]:
    """Taisho number -> (English title, other titles the file gives).

    Other titles are the parts of the English title written ``A / B`` or ``A (B)`` and the
    Chinese title at the end of the line when it differs from the canon's (``阿彌陀經`` for
    佛說阿彌陀經): titles readers use, loaded as the work's other titles.
    """
    out: dict[str, tuple[str, list[str]]] = {}
    with path.open(encoding="utf-8") as fh:
        for row in csv.reader(fh, delimiter="\t"):
            if not row or row[0].startswith("#") or len(row) < 3:
                continue
            m = re.search(r"t(\d{4}[a-z]?)\.csv$", row[0], re.I)
            if not m:
                continue
            words = row[2].split()
            chinese: list[str] = []
            while words and _CJK.search(words[-1]):
                chinese.insert(0, words.pop())
            if words:
                number = m.group(1)
                title = " ".join(words)
                others = [p.strip() for p in re.split(r"\s/\s|[()]", title) if p.strip()]
                others = [p for p in others if p != title and len(others) > 1]
                out["T" + number[:4] + number[4:]] = (title, [*others, *chinese])
    return out


def load_dila(data: Path) -> dict[str, int]:
    """Create the DILA works (and their people) that are not in the catalogue yet."""
    from mogao.catalogue import services
    from mogao.catalogue.models import Work
    from mogao.core.pids import make_pid
    from mogao.knowledge.models import AuthorityLink, Person

    catalog: dict[str, dict[str, Any]] = json.loads(
        (data / "catalogue" / "dila_authority_catalog_T.json").read_text(encoding="utf-8")
    )
    english = dictionary_titles(data / "catalogue" / "buddhist-dictionary_taisho_collections.csv")
    existing = set(
        Work.objects.exclude(identifiers={}).values_list("identifiers__taisho", flat=True)
    )
    person_ct = ContentType.objects.get_for_model(Person)
    by_name: dict[str, Person] = {}
    for person in Person.objects.all():
        for name in [*(v for vs in person.name.values() for v in vs), *person.aliases]:
            by_name.setdefault(name, person)
    people: dict[str, Person] = {}

    def person_for(name: str, dila_id: str) -> Person:
        if dila_id in people:
            return people[dila_id]
        person = by_name.get(name)
        if person is None:
            person = Person(pid=make_pid(Person, name), name={"zh-Hant": [name]})
            person.full_clean()
            person.save()
            by_name[name] = person
        if re.fullmatch(r"A\d{6}", dila_id or ""):
            AuthorityLink.objects.get_or_create(
                content_type=person_ct,
                object_id=person.pk,
                scheme="dila-person",
                identifier=dila_id,
            )
        people[dila_id] = person
        return person

    created = 0
    with transaction.atomic():
        for key, rec in catalog.items():
            if key in existing or not re.fullmatch(r"T\d{4}[A-Za-z]?", key):
                continue
            title: dict[str, list[str]] = {"zh-Hant": [rec["title"]]}
            aliases: list[str] = []
            if key in english:
                title["en"] = [english[key][0]]
                aliases = [a for a in dict.fromkeys(english[key][1]) if a != rec["title"]]
            start, end = rec.get("time_from"), rec.get("time_to")
            if start is not None and end is not None and start > end:
                start, end = end, start
            if start is not None and end is None:
                end = start
            byline = rec.get("byline") or ""
            role = "translator" if byline.endswith("譯") else "author"
            creators = [
                (person_for(c["name"], c.get("id", "")), role)
                for c in rec.get("contributors", [])
                if c.get("name")
            ]
            services.work_upsert(
                key=("taisho", key),
                identifiers={"taisho": key},
                title=title,
                aliases=aliases,
                category=rec.get("category", ""),
                date_expression=byline[:200],
                year_start=start,
                year_end=end,
                creators=list(dict.fromkeys(creators)),
            )
            created += 1
    return {"dila_works": created, "dila_people": len(people)}
