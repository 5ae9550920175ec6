"""Knowledge facts added to the built-in demo after it loads (receiver of ``demo_loaded``).

Only facts from ../shared/docs/DEMO_FACTS.md: Wang Jie commissioned the printed Diamond Sūtra;
the Dadao almanac was printed in Chang'an; IOM's Dunhuang and Ryukoku's Ōtani collections came
from the Library Cave. Then the gazetteer proposes mentions for curators to review.
"""

from __future__ import annotations

from typing import Any

from mogao.catalogue.models import Collection, Item
from mogao.knowledge import extraction, services
from mogao.knowledge.models import CollectionOrigin, Mention, Person, Place

#: (institution code, collection code, place pid)
ORIGINS = [("IOM", "dunhuang", "mogao-library-cave"), ("RYU", "otani", "mogao-library-cave")]
#: (entity model, entity pid, role, institution code, shelfmark)
MENTIONS = [
    (Person, "wang-jie", Mention.Role.COMMISSIONER, "BL", "Or.8210/P.2"),
    (Place, "changan", Mention.Role.PRODUCTION_PLACE, "BL", "Or.8210/P.12"),
]


def add_demo_knowledge(**kwargs: Any) -> dict[str, int]:
    """Add the facts above where their records exist; idempotent. Returns counts."""
    counts = {"origins": 0, "mentions": 0, "suggested": 0}
    for inst, code, place_pid in ORIGINS:
        collection = Collection.objects.filter(institution__code=inst, code=code).first()
        place = Place.objects.filter(pid=place_pid).first()
        if collection and place:
            _, new = CollectionOrigin.objects.get_or_create(collection=collection, place=place)
            counts["origins"] += new
    for model, pid, role, inst, shelfmark in MENTIONS:
        entity = model._default_manager.filter(pid=pid).first()
        item = Item.objects.filter(institution__code=inst, shelfmark=shelfmark).first()
        if entity and item:
            _, new = services.mention_add(entity=entity, role=role, item=item, created_by="Mogao demo")
            counts["mentions"] += new
    counts["suggested"] = extraction.mentions_extract_all()["mentions"]
    echo = kwargs.get("echo")
    if callable(echo) and kwargs.get("verbosity", 1):
        echo(f"knowledge: {counts['origins']} collection origins, {counts['mentions']} curated mentions, "
             f"{counts['suggested']} suggested mentions")
    return counts
