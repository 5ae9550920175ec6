"""Stories (#16): part of the one policy, :mod:`mogao.accounts.policy`.

Only that module calls these functions. The rules:

- ``view``: everyone views a *published* story and its steps; a draft or a story in review only the
  curators of the story's institution and administrators (the people who may ``publish`` it);
- ``add``, ``change``, ``delete``, ``admin``, ``history``, ``revert``: curators of the story's
  institution and administrators (a step follows its story: writing a step is a ``change`` of the
  story). A published story stays published while its curators correct it;
- ``submit`` (draft → in review): curators of the institution and administrators;
- ``publish`` (→ published, and back to draft): curators of the institution and administrators.
  Decision: a story is the institution's voice, so its own curators are its reviewers: any of them
  may publish (review is where a second curator reads it; the policy does not forbid the author to
  publish, since many institutions have a single curator). Readers, moderators and curators of other
  institutions never author, submit or publish another institution's story.

Pages of other holders: a curator may show in a step any page they may ``view`` — every *public*
page of any institution (credited on the step with its holder and rights, see
``mogao.stories.services.step_credit``) and the private pages of their own institution (a story
that shows one cannot be published: readers could not see it). Another institution's private page
is never usable (the services answer as if it did not exist).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from mogao.accounts.policy import User, _active, _label, curated_institution_ids

STORY = "stories.story"
STEP = "stories.step"
TRANSITION = "stories.storytransition"
WRITES = frozenset({"add", "change", "delete", "admin", "history", "revert", "submit", "publish"})


def _story_of(obj: Any) -> Any:
    return obj if _label(obj) == STORY else getattr(obj, "story", None)


def _curates(user: User, institution_id: int | None) -> bool:
    allowed = curated_institution_ids(user)
    if allowed is None:
        return True
    return institution_id is not None and institution_id in allowed


def story(user: User, action: str, obj: Any) -> bool:
    """Stories, their steps and their status changes (instances or model classes)."""
    if obj is None or isinstance(obj, type):
        if action == "view":
            return True
        if action in WRITES:
            allowed = curated_institution_ids(user)
            return allowed is None or bool(allowed)
        return False
    parent = _story_of(obj)
    if parent is None:
        return False
    may_author = _active(user) and _curates(user, parent.institution_id)
    if action == "view":
        return parent.status == "published" or may_author
    if _label(obj) == TRANSITION and action not in ("view", "admin", "history"):
        return False  # the log is written by the services only
    if action in WRITES:
        return may_author
    return False


def scope(user: User, action: str, queryset: QuerySet[Any]) -> QuerySet[Any]:
    prefix = "" if queryset.model._meta.label_lower == STORY else "story__"
    allowed = curated_institution_ids(user)
    mine = Q(pk__in=[]) if not allowed else Q(**{f"{prefix}institution_id__in": allowed})
    if action == "view":
        if allowed is None:
            return queryset
        return queryset.filter(Q(**{f"{prefix}status": "published"}) | mine)
    if action in WRITES:
        if allowed is None:
            return queryset
        if queryset.model._meta.label_lower == TRANSITION and action not in ("admin", "history"):
            return queryset.none()
        return queryset.filter(mine)
    return queryset.none()
