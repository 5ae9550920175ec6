"""Template tags that put knowledge context on catalogue pages (item and work)."""

from __future__ import annotations

from typing import Any

from django import template
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from mogao.catalogue.models import Item, Work
from mogao.core import langmap
from mogao.knowledge import selectors
from mogao.knowledge.models import Mention, Person, Place

register = template.Library()


@register.simple_tag
def has_subjects() -> bool:
    """Whether any subject exists: the index of subjects is linked only when it lists something."""
    from mogao.knowledge.models import Subject

    return Subject.objects.exists()

REASON_LABELS = {
    "same_scroll": _("part of the same scroll"),
    "same_work": _("same work"),
    "similar_text": _("similar text"),
    "same_scribe": _("same scribe"),
    "same_commissioner": _("same commissioner"),
    "same_find_place": _("same find place"),
    "same_title": _("same title"),
    "same_creator": _("same creator"),
    "same_period": _("same period"),
}


@register.filter
def reason_label(code: str) -> str:
    """A reason code as readers read it, translated."""
    return str(REASON_LABELS.get(code, code.replace("_", " ")))


@register.simple_tag
def item_knowledge(item: Item) -> dict[str, Any]:
    """People, places (find place and holder, with coordinates) and related items of an item."""
    language = get_language()
    people: list[tuple[Person, str]] = []
    if item.acquired_by:
        people.append((item.acquired_by, str(_("acquired by"))))
    for link in item.item_works.select_related("work"):
        for c in link.work.creators.select_related("person"):
            people.append((c.person, str(c.get_role_display())))
    person_ct = ContentType.objects.get_for_model(Person)
    for m in Mention.objects.filter(item=item, content_type=person_ct, status=Mention.Status.CONFIRMED):
        person = Person.objects.filter(pk=m.object_id).first()
        if person is not None:
            people.append((person, str(m.get_role_display())))
    markers: list[dict[str, Any]] = []
    place: Place | None = item.find_place
    if place is not None and place.latitude is not None:
        markers.append({"id": f"find:{place.pid}", "kind": "find", "name": place.label(language),
                        "lat": place.latitude, "lon": place.longitude, "url": selectors.entity_url(place)})
    inst = item.institution
    if inst.latitude is not None and inst.longitude is not None:
        markers.append({"id": f"holder:{inst.pid}", "kind": "holder", "name": langmap.pick(inst.name, language),
                        "lat": inst.latitude, "lon": inst.longitude, "url": inst.get_absolute_url()})
    lines = []
    if len(markers) == 2:
        lines.append({"from": markers[0]["id"], "to": markers[1]["id"], "count": 1,
                      "coords": [[m["lat"], m["lon"]] for m in markers]})
    return {
        "people": people,
        "map": {"markers": markers, "lines": lines},
        "related": selectors.item_related(item=item, language=language),
    }


@register.simple_tag
def work_knowledge(work: Work) -> dict[str, Any]:
    """Related works (other translations, same creator) of a work, with reasons."""
    return {"related": selectors.work_related(work=work, language=get_language())}
