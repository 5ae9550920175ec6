"""The moderation queue over every kind of reader contribution (#15).

The kinds are discovered, not listed: every installed model deriving from
:class:`mogao.community.models.Contribution` (comments here; annotations, collections and whatever
later issues add). For each, the queue holds what :func:`mogao.accounts.policy.scope` lets the user
``moderate`` and that is waiting for review or reported and not yet resolved. A decision (approve,
hide, reject, with a reason) is written on the contribution (``status``, ``status_reason``,
``decided_by``, ``decided_at``; its own history records it when the model keeps one), logged as a
:class:`~mogao.discussion.models.ModerationDecision` for every kind, and resolves the open reports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mogao.accounts import policy
from mogao.community.models import Contribution, Status
from mogao.discussion.models import MAX_REASON, ModerationDecision, Report
from mogao.discussion.render import clean_body

#: The decisions a moderator may take.
DECISIONS = (Status.APPROVED, Status.HIDDEN, Status.REJECTED)
#: Most entries of one kind the queue lists at once (oldest first).
PER_KIND = 200
_TEXT_FIELDS = ("body", "text", "note", "name", "title", "description")


def contribution_models() -> list[type[Model]]:
    """Every installed concrete model deriving from ``Contribution``, by label."""
    found = [m for m in apps.get_models() if issubclass(m, Contribution) and not m._meta.abstract]
    return sorted(found, key=lambda m: m._meta.label_lower)


def model_of(label: str) -> type[Model] | None:
    for model in contribution_models():
        if model._meta.label_lower == label.lower():
            return model
    return None


def may_moderate(user: Any) -> bool:
    """True when ``user`` may moderate some kind of contribution (the queue's door)."""
    return any(policy.can(user, "moderate", model) for model in contribution_models())


def text_of(obj: Any) -> str:
    """What a moderator reads of a contribution, as plain text."""
    reader = getattr(obj, "moderation_text", None)
    if callable(reader):
        return str(reader())
    for name in _TEXT_FIELDS:
        value = getattr(obj, name, None)
        if isinstance(value, str) and value:
            return value
        if isinstance(value, dict) and value:  # a language map
            texts = [t for v in value.values() for t in (v if isinstance(v, list) else [v])]
            return " / ".join(str(t) for t in texts)
    return str(obj)


def link_of(obj: Any) -> str:
    """Where the contribution appears (``""`` when it has no page)."""
    getter = getattr(obj, "get_absolute_url", None)
    if callable(getter):
        return str(getter())
    target = getattr(obj, "target", None)
    getter = getattr(target, "get_absolute_url", None)
    if callable(getter):
        return f"{getter()}#comment-{obj.pk}"
    return ""


@dataclass
class Entry:
    obj: Any
    label: str
    kind: str
    text: str
    link: str
    reports: list[Report] = field(default_factory=list)
    decisions: list[ModerationDecision] = field(default_factory=list)
    history: list[Any] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"m-{self.label.replace('.', '-')}-{self.obj.pk}"


def queue(user: Any, *, show: str = "open") -> list[Entry]:
    """Contributions ``user`` may moderate: ``open`` (pending or reported), ``pending``, ``reported``
    or ``decided`` (the latest decisions), oldest first (decided: newest first)."""
    entries: list[Entry] = []
    for model in contribution_models():
        ct = ContentType.objects.get_for_model(model)
        qs = policy.scope(user, "moderate", model._default_manager.all())
        reported = Report.objects.filter(content_type=ct, resolved__isnull=True).values("object_id")
        if show == "pending":
            qs = qs.filter(status=Status.PENDING)
        elif show == "reported":
            qs = qs.filter(pk__in=reported)
        elif show == "decided":
            qs = qs.filter(decided_at__isnull=False).order_by("-decided_at")
        else:
            qs = qs.filter(Q(status=Status.PENDING) | Q(pk__in=reported))
        if show != "decided":
            qs = qs.order_by("created", "pk")
        objs = list(qs.select_related("author")[:PER_KIND])
        if not objs:
            continue
        pks = [o.pk for o in objs]
        reports: dict[int, list[Report]] = {}
        for report in Report.objects.filter(content_type=ct, object_id__in=pks).select_related("reporter"):
            reports.setdefault(report.object_id, []).append(report)
        decisions: dict[int, list[ModerationDecision]] = {}
        for decision in ModerationDecision.objects.filter(content_type=ct, object_id__in=pks).select_related(
                "decided_by"):
            decisions.setdefault(decision.object_id, []).append(decision)
        history_of = _histories(model, pks)
        for obj in objs:
            entries.append(Entry(
                obj=obj, label=model._meta.label_lower, kind=str(model._meta.verbose_name), text=text_of(obj),
                link=link_of(obj), reports=reports.get(obj.pk, []), decisions=decisions.get(obj.pk, []),
                history=history_of.get(obj.pk, []),
            ))
    if show == "decided":
        entries.sort(key=lambda e: e.obj.decided_at, reverse=True)
    else:
        entries.sort(key=lambda e: (e.obj.created, e.label, e.obj.pk))
    return entries


def _histories(model: type[Model], pks: list[Any]) -> dict[Any, list[Any]]:
    """The simple-history records of ``pks`` (newest first), when the model keeps history."""
    manager = getattr(model, "history", None)
    if manager is None:
        return {}
    out: dict[Any, list[Any]] = {}
    for record in manager.filter(id__in=pks).select_related("history_user").order_by("-history_date")[:2000]:
        out.setdefault(record.id, []).append(record)
    return out


@transaction.atomic
def decide(*, user: Any, obj: Any, status: Any, reason: Any = "") -> ModerationDecision:
    """Approve, hide or reject ``obj`` with a reason (required to hide or reject)."""
    if not policy.can(user, "moderate", obj):
        raise PermissionDenied(_("You may not moderate this contribution."))
    if status not in DECISIONS:
        raise ValidationError({"status": _("Choose approve, hide or reject.")})
    reason = clean_body(reason if isinstance(reason, str) else "")
    if len(reason) > MAX_REASON:
        raise ValidationError({"reason": _("The reason is too long (at most %(n)d characters).") % {"n": MAX_REASON}})
    if status != Status.APPROVED and not reason:
        raise ValidationError({"reason": _("Say why: the author will read the reason.")})
    model = type(obj)
    obj = model._default_manager.select_for_update().get(pk=obj.pk)
    previous = obj.status
    obj.status = status
    obj.status_reason = reason
    obj.decided_by = user
    obj.decided_at = timezone.now()
    obj._history_user = user
    obj._change_reason = f"moderation: {previous} -> {status}"
    obj.save()
    ct = ContentType.objects.get_for_model(model)
    decision = ModerationDecision.objects.create(content_type=ct, object_id=obj.pk, status=status, previous=previous,
                                                 reason=reason, decided_by=user)
    Report.objects.filter(content_type=ct, object_id=obj.pk, resolved__isnull=True).update(resolved=timezone.now())
    return decision
