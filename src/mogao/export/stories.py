"""Stories (#16) in the JSON Lines export: one ``story`` record per story, with its steps.

A story is found by its ``slug``; its institution by ``code``; pages by item pid + ``order``; places
and periods by pid; its author by username (left out of the public export, which has no accounts).
Steps come in order (position, then age) and are matched again by that rank: re-importing updates a
story's steps in place and never deletes one. The public export carries published stories only.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.dateparse import parse_datetime

from mogao.catalogue.models import Canvas, Institution
from mogao.knowledge.models import Period, Place
from mogao.stories.models import Step, Story, StoryStatus

Record = dict[str, Any]
STORY_FIELDS = ("title", "summary", "credits", "default_language", "cover_region", "status", "featured", "position")
STEP_FIELDS = ("position", "kind", "text", "region", "region2", "first_line", "last_line", "show_dispersal",
               "year_start", "year_end", "audio", "captions")


def _page(canvas: Canvas | None) -> Record | None:
    return None if canvas is None else {"item": canvas.item.pid, "order": canvas.order}


def _step_record(step: Step) -> Record:
    out: Record = {name: getattr(step, name) for name in STEP_FIELDS}
    out.update(canvas=_page(step.canvas), canvas2=_page(step.canvas2),
               places=sorted(p.pid for p in step.places.all()), period=step.period.pid if step.period else None)
    return out


def story_record(story: Story, *, public_only: bool = False) -> Record:
    record: Record = {"type": "story", "slug": story.slug, "institution": story.institution.code}
    record.update({name: getattr(story, name) for name in STORY_FIELDS})
    record["cover"] = _page(story.cover)
    record["created_by"] = None if public_only or story.created_by is None else story.created_by.get_username()
    record["published_at"] = story.published_at.isoformat() if story.published_at else None
    record["steps"] = [_step_record(s) for s in story.steps.all()]
    return record


def story_records(*, public_only: bool = False) -> Iterator[Record]:
    steps = Step.objects.select_related("canvas__item", "canvas2__item", "period").prefetch_related("places")
    qs = (
        Story.objects.select_related("institution", "cover__item", "created_by")
        .prefetch_related(Prefetch("steps", queryset=steps.order_by("position", "id")))
        .order_by("slug")
    )
    if public_only:
        qs = qs.filter(status=StoryStatus.PUBLISHED)
    yield from (story_record(s, public_only=public_only) for s in qs)


def _canvas(ref: Any, field: str) -> Canvas | None:
    if ref is None:
        return None
    found = Canvas.objects.filter(item__pid=ref["item"], order=ref["order"]).first()
    if found is None:
        raise ValidationError({field: f"No page {ref['order']} of item “{ref['item']}” (it must come earlier)."})
    return found


def _by_pid(model: Any, pid: str | None, field: str) -> Any:
    if pid is None:
        return None
    found = model._default_manager.filter(pid=pid).first()
    if found is None:
        raise ValidationError({field: f"No {model._meta.verbose_name} “{pid}” (it must come earlier)."})
    return found


def _save(obj: Any, values: dict[str, Any]) -> None:
    if obj.pk is None or any(getattr(obj, k) != v for k, v in values.items()):
        for k, v in values.items():
            setattr(obj, k, v)
        obj.full_clean(exclude=["story"] if isinstance(obj, Step) else None)
        obj.save()


def load_story(rec: dict[str, Any]) -> None:
    """Add or update a story and its steps (by rank); never deletes a step."""
    institution = Institution.objects.filter(code=rec["institution"]).first()
    if institution is None:
        raise ValidationError({"institution": f"No institution “{rec['institution']}” (it must come earlier)."})
    author = None
    if rec.get("created_by"):
        author = get_user_model()._default_manager.filter(username=rec["created_by"]).first()
    published = parse_datetime(rec["published_at"]) if rec.get("published_at") else None
    story = Story.objects.filter(slug=rec["slug"]).first() or Story(slug=rec["slug"])
    values = {name: rec[name] for name in STORY_FIELDS}
    values.update(institution=institution, cover=_canvas(rec["cover"], "cover"), created_by=author,
                  published_at=published)
    _save(story, values)
    existing = list(story.steps.order_by("position", "id"))
    for rank, step_rec in enumerate(rec["steps"]):
        step = existing[rank] if rank < len(existing) else Step(story=story)
        step_values = {name: step_rec[name] for name in STEP_FIELDS}
        step_values.update(canvas=_canvas(step_rec["canvas"], "canvas"),
                           canvas2=_canvas(step_rec["canvas2"], "canvas2"),
                           period=_by_pid(Period, step_rec["period"], "period"))
        _save(step, step_values)
        places = [_by_pid(Place, pid, "places") for pid in step_rec["places"]]
        if sorted(p.pk for p in step.places.all()) != sorted(p.pk for p in places):
            step.places.set(places)
