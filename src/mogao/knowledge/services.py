"""Writes to the knowledge layer: entities, authority links and mentions, validated and atomic.

Services are keyword-only and raise Django's ``ValidationError`` with field-level messages, so
bad input (coordinates out of range, a period ending before it starts, an authority identifier
of the wrong form) is refused with a message and nothing is half-saved.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar, cast

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from mogao.core import langmap
from mogao.core.pids import make_pid
from mogao.knowledge.models import ENTITY_MODELS, AuthorityLink, Entity, Mention

E = TypeVar("E", bound=Entity)


def new_entity_pid(model: type[Entity], obj: Entity) -> str:
    """A fresh pid from the entity's English (else first) name."""
    name = langmap.pick(obj.name, "en") or next(iter(langmap.all_strings(obj.name)), "")
    return make_pid(model, name, max_length=120)


def entity_model(kind: str) -> type[Entity]:
    """The entity class for ``person``, ``place``, ``period`` or ``subject``."""
    try:
        return ENTITY_MODELS[kind]
    except KeyError:
        raise ValidationError({"type": f"Unknown entity type “{kind}”."}) from None


def entity_by_authority(model: type[E], scheme: str, identifier: str) -> E | None:
    """The entity of ``model`` carrying the authority identifier, if any."""
    link = AuthorityLink.objects.filter(
        content_type=ContentType.objects.get_for_model(model), scheme=scheme, identifier=identifier
    ).first()
    return cast("E | None", model._default_manager.filter(pk=link.object_id).first()) if link else None


@transaction.atomic
def entity_upsert(
    *, model: type[E], pid: str | None = None, authority: Iterable[tuple[str, str]] = (),
    **fields: Any,
) -> tuple[E, bool]:
    """Create or update an entity found by ``pid`` or by any of its authority identifiers.

    ``fields`` are model fields (``name``, ``aliases``, ``latitude``...). The entity is fully
    validated before it is saved; authority links are added (never removed). Returns
    (entity, created).
    """
    authority = list(authority)
    obj: E | None = cast("E | None", model._default_manager.filter(pid=pid).first()) if pid else None
    for scheme, identifier in authority:
        if obj is None:
            obj = entity_by_authority(model, scheme, identifier)
    created = obj is None
    if obj is None:
        obj = model(**fields)
        obj.pid = pid or ""
    else:
        for name, value in fields.items():
            setattr(obj, name, value)
    obj.full_clean(exclude=["pid"])
    if not obj.pid:
        obj.pid = new_entity_pid(model, obj)
    obj.save()
    for scheme, identifier in authority:
        authority_link_add(entity=obj, scheme=scheme, identifier=identifier)
    return obj, created


def authority_link_add(*, entity: Entity, scheme: str, identifier: str) -> AuthorityLink:
    """Attach an authority identifier; a malformed one raises ValidationError on ``identifier``."""
    link = AuthorityLink(
        content_type=ContentType.objects.get_for_model(type(entity)), object_id=entity.pk,
        scheme=scheme, identifier=identifier.strip(),
    )
    link.full_clean(exclude=["content_type", "object_id"], validate_unique=False)
    existing = AuthorityLink.objects.filter(
        content_type=link.content_type, object_id=entity.pk, scheme=scheme, identifier=link.identifier
    ).first()
    if existing:
        return existing
    link.save()
    return link


@transaction.atomic
def mention_add(
    *, entity: Entity, role: str, item: Any = None, work: Any = None,
    source: str = Mention.Source.CURATED, confidence: float = 1.0, status: str | None = None,
    created_by: str = "", **fields: Any,
) -> tuple[Mention, bool]:
    """Record that ``entity`` plays ``role`` in ``item`` or ``work``; idempotent.

    A mention already recorded for the same entity, target, role, field and span is returned
    unchanged — whatever its status, so a rejected automatic mention is never proposed again.
    Curated and imported mentions are confirmed; automatic ones wait as suggestions.
    """
    ct = ContentType.objects.get_for_model(type(entity))
    key = {
        "content_type": ct, "object_id": entity.pk, "item": item, "work": work, "role": role,
        "field": fields.get("field", ""), "span_start": fields.get("span_start"),
    }
    existing = Mention.objects.filter(**key).first()
    if existing is not None:
        return existing, False
    if status is None:
        status = Mention.Status.SUGGESTED if source == Mention.Source.AUTOMATIC else Mention.Status.CONFIRMED
    mention = Mention(
        content_type=ct, object_id=entity.pk, item=item, work=work, role=role, source=source,
        confidence=confidence, status=status, created_by=created_by, **fields,
    )
    mention.full_clean()
    mention.save()
    return mention, True


def mentions_review(
    *, mentions: QuerySet[Mention] | Iterable[Mention], status: str,
    user: AbstractBaseUser | AnonymousUser | None,
) -> int:
    """Confirm or reject mentions, recording who decided and when; returns how many changed."""
    if status not in (Mention.Status.CONFIRMED, Mention.Status.REJECTED):
        raise ValidationError({"status": "A review confirms or rejects."})
    reviewer = user if user is not None and user.is_authenticated else None
    now = timezone.now()
    n = 0
    for mention in mentions:
        mention.status = status
        mention.reviewed_by = reviewer  # type: ignore[assignment]
        mention.reviewed_at = now
        mention.save(update_fields=["status", "reviewed_by", "reviewed_at", "updated"])
        n += 1
    return n
