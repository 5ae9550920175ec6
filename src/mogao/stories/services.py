"""Writing stories (#16): every write asks the policy, validates, runs in one transaction, detects stale edits.

- :func:`create_story`, :func:`update_story`, :func:`save_step`, :func:`delete_step`, :func:`reorder`
  write; :func:`submit`, :func:`publish`, :func:`return_to_draft` move the status (draft → in review
  → published, in review or published → draft), each move kept as a :class:`StoryTransition` and in
  the story's history with its reason.
- Bad input raises ``ValidationError({field: [message, …]})`` with translated messages; a refused
  action raises ``PermissionDenied``.
- Concurrent edits: a write given the ``version`` the form was loaded with (:func:`version_of`: the
  story's row and its steps' rows) is refused when the story changed since; the story's row is locked
  while it is checked, and every write touches the story, so its version moves with each change.
- A step's narrative is sanitized HTML (``em``, ``strong``, ``br``, ``p``, https links): render it as
  is; titles, summaries and credits are plain text (escape them).
- :func:`step_credit` credits each page a step shows with its holder and rights.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from mogao.accounts import policy
from mogao.catalogue.models import Canvas, Institution, Rights
from mogao.core import langmap
from mogao.core.concurrency import STALE_MESSAGE, form_version
from mogao.knowledge.models import Period, Place
from mogao.stories import validation as v
from mogao.stories.models import Step, StepKind, Story, StoryStatus, StoryTransition

STORY_LANGUAGES = v.STORY_LANGUAGES
IMAGE_KINDS = frozenset({StepKind.IMAGE, StepKind.COMPARISON, StepKind.TEXT})


# ---------------------------------------------------------------------------------------- versions


def version_of(story: Story, *, lock: bool = False) -> str:
    """The version of the story as an editor sees it: its row and its steps' rows."""
    return form_version(story, [Step], lock=lock) or ""


def _check(user: Any, action: str, story: Story, version: str | None) -> None:
    """Refuse without permission; inside a transaction, lock the story and refuse a stale version."""
    if not policy.can(user, action, story):
        raise PermissionDenied
    current = version_of(story, lock=True)
    if version is not None and version != current:
        raise ValidationError({"__all__": [str(STALE_MESSAGE)]}, code="stale")


def _touch(story: Story) -> None:
    now = timezone.now()
    Story.objects.filter(pk=story.pk).update(updated=now)
    story.updated = now


def _raise(errors: v.Errors) -> None:
    if errors:
        raise ValidationError(errors)


# ---------------------------------------------------------------------------------------- stories


def _story_fields(data: Mapping[str, Any], errors: v.Errors, default_language: str) -> dict[str, Any]:
    title = v.plain_map(data.get("title"), "title", errors, limit=v.MAX_TITLE)
    if "title" not in errors and default_language not in title:
        v.add(errors, "title", _("Give the title in %(language)s, the story's default language.")
              % {"language": v.language_name(default_language)})
    return {
        "title": title,
        "summary": v.plain_map(data.get("summary"), "summary", errors, limit=v.MAX_SUMMARY),
        "credits": v.plain_map(data.get("credits"), "credits", errors, limit=v.MAX_SUMMARY),
    }


def _default_language(value: Any, errors: v.Errors) -> str:
    language = str(value or "").strip()
    if language not in STORY_LANGUAGES:
        v.add(errors, "default_language", _("Choose English, French, Simplified or Traditional Chinese."))
        return "en"
    return language


def create_story(user: Any, *, institution: Institution | None, slug: str, title: Mapping[str, Any],
                 default_language: str = "en", summary: Mapping[str, Any] | None = None,
                 credits: Mapping[str, Any] | None = None) -> Story:
    """A new draft of ``institution`` (which the user must curate), with a unique address."""
    if not policy.can(user, "add", Story):
        raise PermissionDenied
    errors: v.Errors = {}
    if institution is None or not policy.can(user, "add", Story(institution=institution)):
        v.add(errors, "institution", _("Choose an institution you curate."))
    slug = str(slug or "").strip().lower()
    for message in v.slug_errors(slug):
        v.add(errors, "slug", message)
    language = _default_language(default_language, errors)
    fields = _story_fields({"title": title, "summary": summary, "credits": credits}, errors, language)
    if "slug" not in errors and Story.objects.filter(slug=slug).exists():
        v.add(errors, "slug", _("Another story already has this address: choose another."))
    _raise(errors)
    try:
        with transaction.atomic():
            story = Story(institution=institution, slug=slug, default_language=language, created_by=user
                          if getattr(user, "is_authenticated", False) else None, **fields)
            story._change_reason = "created"  # type: ignore[attr-defined]
            story.save()
    except IntegrityError as exc:  # the same address taken at the same moment
        raise ValidationError({"slug": [_("Another story already has this address: choose another.")]}) from exc
    return story


def update_story(user: Any, story: Story, data: Mapping[str, Any], *, version: str | None = None) -> Story:
    """Title, summary, credits, default language and cover of the story."""
    errors: v.Errors = {}
    language = _default_language(data.get("default_language", story.default_language), errors)
    fields = _story_fields(data, errors, language)
    cover = v.usable_canvas(user, data.get("cover"), "cover", errors, required=False)
    cover_region = v.region(data.get("cover_region"), cover, "cover_region", errors) if cover else ""
    _raise(errors)
    with transaction.atomic():
        _check(user, "change", story, version)
        for name, value in fields.items():
            setattr(story, name, value)
        story.default_language = language
        story.cover = cover
        story.cover_region = cover_region
        story.save()
    return story


# ---------------------------------------------------------------------------------------- steps


def _kind(value: Any, errors: v.Errors) -> str:
    kind = str(value or "")
    if kind not in StepKind.values:
        v.add(errors, "kind", _("Choose the kind of step."))
        return StepKind.IMAGE
    return kind


def _step_fields(user: Any, story: Story, data: Mapping[str, Any], errors: v.Errors) -> dict[str, Any]:
    """The validated fields of a step (places as a list), whatever its kind; unused fields emptied."""
    kind = _kind(data.get("kind"), errors)
    text = v.plain_map(data.get("text"), "text", errors, limit=v.MAX_TEXT, html=True)
    if "text" not in errors and story.default_language not in text:
        v.add(errors, "text", _("Write the step's text in %(language)s, the story's default language.")
              % {"language": v.language_name(story.default_language)})
    out: dict[str, Any] = {
        "kind": kind, "text": text, "canvas": None, "region": "", "canvas2": None, "region2": "",
        "first_line": None, "last_line": None, "places": [], "show_dispersal": False,
        "year_start": None, "year_end": None, "period": None, "audio": "", "captions": {},
    }
    if kind in IMAGE_KINDS or (kind == StepKind.MEDIA and data.get("canvas")):
        canvas = v.usable_canvas(user, data.get("canvas"), "canvas", errors, required=True,
                                 image=kind != StepKind.TEXT)
        out["canvas"] = canvas
        out["region"] = v.region(data.get("region"), canvas, "region", errors) if canvas else ""
    if kind == StepKind.COMPARISON:
        second = v.usable_canvas(user, data.get("canvas2"), "canvas2", errors, required=True)
        if second is not None and out["canvas"] is not None and second.pk == out["canvas"].pk:
            v.add(errors, "canvas2", _("Choose a second, different page."))
            second = None
        out["canvas2"] = second
        out["region2"] = v.region(data.get("region2"), second, "region2", errors) if second else ""
    if kind == StepKind.TEXT and out["canvas"] is not None:
        count = v.line_count(out["canvas"])
        first = v.to_int(data.get("first_line"), "first_line", errors)
        last = v.to_int(data.get("last_line"), "last_line", errors)
        if count == 0:
            v.add(errors, "canvas", _("This page has no transcription whose lines could be shown."))
        elif first is None and "first_line" not in errors:
            v.add(errors, "first_line", _("Give the first line of the passage."))
        elif first is not None and not 1 <= first <= count:
            v.add(errors, "first_line",
                  _("The transcription of this page has lines 1 to %(count)d.") % {"count": count})
        if count and first is not None and 1 <= first <= count and "last_line" not in errors:
            last = first if last is None else last
            if not first <= last <= count:
                v.add(errors, "last_line", _("The last line must lie between the first line and %(count)d.")
                      % {"count": count})
        out["first_line"], out["last_line"] = first, last
    if kind == StepKind.MAP:
        ids = [str(x) for x in (data.get("places") or [])][:200]
        places = list(Place.objects.filter(pk__in=[int(x) for x in ids if x.isdigit()]))
        if len(places) != len(set(ids)):
            v.add(errors, "places", _("One of the places does not exist."))
        show = bool(data.get("show_dispersal"))
        if not places and not show and "places" not in errors:
            v.add(errors, "places", _("Choose at least one place, or show the dispersal lines."))
        out["places"], out["show_dispersal"] = places, show
    if kind == StepKind.TIMELINE:
        start = v.to_int(data.get("year_start"), "year_start", errors, low=v.YEAR_MIN, high=v.YEAR_MAX)
        end = v.to_int(data.get("year_end"), "year_end", errors, low=v.YEAR_MIN, high=v.YEAR_MAX)
        period = None
        if data.get("period") not in (None, ""):
            period = Period.objects.filter(pk=v.to_int(data.get("period"), "period", errors) or 0).first()
            if period is None:
                v.add(errors, "period", _("This period does not exist."))
        if start is None and end is not None:
            v.add(errors, "year_start", _("Give the first year of the range."))
        elif start is not None and end is not None and end < start:
            v.add(errors, "year_end", _("The range must end after it starts."))
        if start is None and end is None and period is None and not {"year_start", "year_end", "period"} & set(errors):
            v.add(errors, "year_start", _("Give a year, a range of years or a period."))
        out["year_start"], out["year_end"], out["period"] = start, end, period
    if kind == StepKind.MEDIA:
        out["audio"] = v.audio(data.get("audio"), errors)
        out["captions"] = v.captions(data.get("captions"), errors)
    return out


def save_step(user: Any, story: Story, data: Mapping[str, Any], step: Step | None = None, *,
              version: str | None = None) -> Step:
    """Add a step at the end of ``story`` (or change ``step``); ``data`` as the authoring form posts it.

    ``data``: ``kind``, ``text`` ({language: html}), ``canvas``/``canvas2`` (ids or pages), ``region``/
    ``region2`` ("x,y,w,h"), ``first_line``, ``last_line``, ``places`` (ids), ``show_dispersal``,
    ``year_start``, ``year_end``, ``period`` (id), ``audio``, ``captions`` ({language: WebVTT}).
    """
    if not policy.can(user, "change", story):
        raise PermissionDenied
    if step is not None and step.story_id != story.pk:
        raise PermissionDenied
    errors: v.Errors = {}
    fields = _step_fields(user, story, data, errors)
    if step is None and story.steps.count() >= v.MAX_STEPS:
        v.add(errors, "__all__", _("A story has at most %(max)d steps.") % {"max": v.MAX_STEPS})
    _raise(errors)
    places = fields.pop("places")
    with transaction.atomic():
        _check(user, "change", story, version)
        if step is None:
            last = story.steps.order_by("-position").values_list("position", flat=True).first()
            step = Step(story=story, position=(last or 0) + 1)
        for name, value in fields.items():
            setattr(step, name, value)
        step.save()
        step.places.set(places)
        _touch(story)
    return step


def delete_step(user: Any, story: Story, step: Step, *, version: str | None = None) -> None:
    if step.story_id != story.pk:
        raise PermissionDenied
    with transaction.atomic():
        _check(user, "change", story, version)
        step.delete()
        _renumber(story, list(story.steps.order_by("position", "id").values_list("pk", flat=True)))
        _touch(story)


def _renumber(story: Story, ordered: Sequence[int]) -> None:
    for position, pk in enumerate(ordered, start=1):
        Step.objects.filter(pk=pk, story=story).exclude(position=position).update(position=position)


def reorder(user: Any, story: Story, ordered_ids: Iterable[Any], *, version: str | None = None) -> None:
    """Put the story's steps in the order of ``ordered_ids`` (every step of the story, once)."""
    try:
        wanted = [int(str(x)) for x in ordered_ids]
    except (TypeError, ValueError) as exc:
        raise ValidationError({"order": [_("The new order names steps that are not in this story.")]}) from exc
    with transaction.atomic():
        _check(user, "change", story, version)
        existing = set(story.steps.values_list("pk", flat=True))
        if len(wanted) != len(set(wanted)) or set(wanted) != existing:
            raise ValidationError({"order": [_("The new order names steps that are not in this story.")]})
        _renumber(story, wanted)
        _touch(story)


def move_step(user: Any, story: Story, step: Step, delta: int, *, version: str | None = None) -> None:
    """Move a step one place up (``delta=-1``) or down (``+1``): the keyboard's way to reorder."""
    ordered = list(story.steps.order_by("position", "id").values_list("pk", flat=True))
    if step.pk not in ordered:
        raise PermissionDenied
    i = ordered.index(step.pk)
    j = max(0, min(len(ordered) - 1, i + (1 if delta > 0 else -1)))
    ordered[i], ordered[j] = ordered[j], ordered[i]
    reorder(user, story, ordered, version=version)


# ---------------------------------------------------------------------------------------- workflow


def publication_errors(story: Story) -> v.Errors:
    """What keeps a story from review or publication: steps, default-language texts, public pages."""
    from django.contrib.auth.models import AnonymousUser

    errors: v.Errors = {}
    language = v.language_name(story.default_language)
    if story.default_language not in (story.title or {}):
        v.add(errors, "title", _("Give the title in %(language)s, the story's default language.")
              % {"language": language})
    steps = list(story.steps.select_related("canvas__item", "canvas2__item").order_by("position", "id"))
    if not steps:
        v.add(errors, "steps", _("A story needs at least one step."))
    reader = AnonymousUser()
    for n, step in enumerate(steps, start=1):
        if story.default_language not in (step.text or {}):
            v.add(errors, "steps", _("Step %(n)d has no text in %(language)s, the story's default language.")
                  % {"n": n, "language": language})
        for canvas in (step.canvas, step.canvas2):
            if canvas is not None and not policy.can(reader, "view", canvas):
                v.add(errors, "steps", _("Step %(n)d shows a page that readers may not see.") % {"n": n})
    return errors


def _move(user: Any, story: Story, action: str, to: str, allowed_from: set[str], reason: str,
          version: str | None) -> Story:
    with transaction.atomic():
        _check(user, action, story, version)
        story.refresh_from_db()
        if story.status not in allowed_from:
            raise ValidationError({"status": [_("The story is %(status)s: this step of the review does not apply.")
                                              % {"status": StoryStatus(story.status).label}]})
        if to != StoryStatus.DRAFT:
            _raise(publication_errors(story))
        StoryTransition.objects.create(story=story, from_status=story.status, to_status=to,
                                       user=user if getattr(user, "is_authenticated", False) else None,
                                       reason=reason)
        story.status = to
        if to == StoryStatus.PUBLISHED and story.published_at is None:
            story.published_at = timezone.now()
        story._change_reason = f"{to}: {reason}"[:100]  # type: ignore[attr-defined]
        story.save()
    return story


def submit(user: Any, story: Story, *, version: str | None = None) -> Story:
    """Draft → in review (the story must be complete in its default language)."""
    return _move(user, story, "submit", StoryStatus.REVIEW, {StoryStatus.DRAFT}, "", version)


def publish(user: Any, story: Story, *, version: str | None = None) -> Story:
    """In review → published; the first publication date is kept when a story is published again."""
    return _move(user, story, "publish", StoryStatus.PUBLISHED, {StoryStatus.REVIEW}, "", version)


def return_to_draft(user: Any, story: Story, reason: str, *, version: str | None = None) -> Story:
    """In review or published → draft, saying why (the reason is kept in the story's history)."""
    reason = str(reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the story goes back to draft.")]})
    if len(reason) > 2000:
        raise ValidationError({"reason": [_("Keep the reason under %(max)d characters.") % {"max": 2000}]})
    return _move(user, story, "publish", StoryStatus.DRAFT, {StoryStatus.REVIEW, StoryStatus.PUBLISHED},
                 reason, version)


# ---------------------------------------------------------------------------------------- credits and reading


@dataclass(frozen=True)
class Credit:
    """Who holds a page a step shows, and under which rights."""

    holder: str
    holder_url: str
    shelfmark: str
    item_title: str
    item_url: str
    rights: str
    rights_label: str

    def __str__(self) -> str:
        return f"{self.holder}, {self.shelfmark} · {self.rights_label}"


def canvas_credit(canvas: Canvas, language: str | None = None) -> Credit:
    item = canvas.item
    language = language or get_language()
    rights_label = str(Rights(item.rights).label) if item.rights in Rights.values else item.rights
    return Credit(holder=item.institution.label(language), holder_url=item.institution.get_absolute_url(),
                  shelfmark=item.shelfmark or item.pid, item_title=item.label(language),
                  item_url=item.get_absolute_url(), rights=item.rights, rights_label=rights_label)


def step_credit(step: Step, language: str | None = None) -> list[Credit]:
    """The credits of the pages a step shows (none for a map or timeline step), first page first."""
    return [canvas_credit(c, language) for c in (step.canvas, step.canvas2) if c is not None]


def completeness(story: Story, steps: Sequence[Step] | None = None) -> dict[str, Any]:
    """Which languages each step's text is written in, and how many steps each language has."""
    steps = list(story.steps.order_by("position", "id")) if steps is None else list(steps)
    per_step = {step.pk: {lang: bool(step.text.get(lang)) for lang in STORY_LANGUAGES} for step in steps}
    totals = {lang: sum(1 for s in per_step.values() if s[lang]) for lang in STORY_LANGUAGES}
    return {"steps": per_step, "totals": totals, "count": len(steps),
            "complete": [lang for lang in STORY_LANGUAGES if steps and totals[lang] == len(steps)]}


def narrative(step: Step, language: str | None = None) -> str:
    """The step's sanitized HTML narrative in ``language`` (or the best other one)."""
    return langmap.pick(step.text, language or get_language(), default="")
