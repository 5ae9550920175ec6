"""The one authorization policy: every permission in Mogao is decided here.

``can(user, action, obj)`` answers whether ``user`` may perform ``action`` on ``obj``; ``obj`` may
be a model instance, a model class ("some objects of that kind") or ``None`` (the action in
general). ``scope(user, action, queryset)`` narrows a queryset to the objects ``can`` allows, for
the admin's change lists, form choices, history lists and curation queues. Views, the admin
(including its history and revert pages), importers, the API, curation queues and the image server
ask this module and nothing else; Django's model permissions (groups) are not consulted.

Roles
    - **administrators** (active superusers) may do everything;
    - **curators**: active *staff* users with a ``Curatorship``. A curatorship on an account that is
      not staff (or not active) grants nothing: that account is a reader, in the admin and in the API;
    - **readers** (signed in or anonymous) change nothing in the catalogue.

Records
    - *owned* records belong to an institution (institutions, collections, items and what hangs on
      an item: canvases, transcriptions, translations, corrections, mentions of an item, ingest
      structures, the home page's featured marks on an item): a curator changes and deletes only
      those of the institutions they curate;
    - *shared* records (works, people, places, periods, subjects) may be added and changed by every
      curator; a curator may delete one only when no other institution's item links to it
      (periods and subjects: administrators only);
    - *joins* link items of several institutions: a curator may change, delete or decide (accept a
      suggestion) a join only when it contains one of their items, and may only put in a join items
      they may view (never another institution's private item);
    - accounts, curatorships, API tokens and whole-catalogue exports: administrators only.

Contributions (#15: annotations, comments, collections… — subclasses of
``mogao.community.models.Contribution``)
    - any active signed-in account may ``contribute``; only the author ``change``s one (and deletes
      it; administrators may also delete); nobody edits another person's contribution;
    - ``view``: the author always; *private* ones nobody else (administrators included); *group*
      ones the members of the group; *public* ones everyone once approved, and before that the
      people who may ``moderate`` them;
    - ``moderate`` (approve, hide, reject): administrators, moderators (``Profile.moderator``) and
      curators of the institution holding the subject, on public contributions only;
    - ``report``: any signed-in account, on a public contribution it can see and did not write;
    - ``admin`` and ``history`` (the admin's read-only pages): whoever may ``moderate`` it.

Stories (#16, ``policy_stories``): published ones are viewable by all, drafts and stories in review
only by curators of their institution and administrators, who alone author, ``submit`` and
``publish`` them; steps may show any public page of any holder (credited on the step).

Visibility: public records are viewable by all; private and withdrawn items only by curators of the
holder (and administrators). Callers answer a refused ``view`` exactly like a missing record (404).
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import Any, NamedTuple

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Model, Q, QuerySet

User = AbstractBaseUser | AnonymousUser

#: Every action the policy knows.
#:
#: - ``view``: pages, manifests, API reads and image tiles; ``download``: full-resolution images and
#:   file downloads (``view`` plus the item's ``allow_download``, or curatorship);
#: - ``admin``: enter the admin (no object), see a kind of record there (model class) or one record
#:   (instance, read-only at least); ``history``: see a record's change history;
#: - ``add``, ``change``, ``delete``: write a record; ``revert``: restore a past version (a change);
#: - ``import``: import records into an institution; ``moderate``: review reader corrections and
#:   mentions; ``accept``: accept or reject a join suggestion;
#: - ``api_write``: write through the API with a token; ``export``: export the whole catalogue;
#: - ``contribute``: write a reader contribution; ``report``: report a contribution to moderators;
#: - ``dashboard``: read the audience dashboards (managers; curators see their institution's slice);
#: - ``submit``: send a story for review; ``publish``: publish a story or return it to draft (#16).
ACTIONS = frozenset({
    "view", "download", "admin", "history", "add", "change", "delete", "revert", "import", "moderate",
    "accept", "api_write", "export", "contribute", "report", "dashboard", "submit", "publish",
})

#: The name of Django's group of curators (the demo's accounts); the policy does not read groups.
CURATORS_GROUP = "Curators"

PUBLIC = "public"

#: Records owned by one institution, with the path from the record to its institution id.
OWNED: dict[str, str] = {
    "catalogue.institution": "pk",
    "catalogue.collection": "institution_id",
    "catalogue.item": "institution_id",
    "catalogue.canvas": "item__institution_id",
    "catalogue.transcription": "canvas__item__institution_id",
    "catalogue.translation": "item__institution_id",
    "catalogue.itemwork": "item__institution_id",
    "knowledge.collectionorigin": "collection__institution_id",
    "reading.correction": "transcription__canvas__item__institution_id",
    "ingest.structure": "item__institution_id",
    "ingest.harvestedrecord": "item__institution_id",
    "showcase.featureditem": "item__institution_id",
}
#: Records shared by every institution (mentions without an item are shared too).
SHARED = frozenset({
    "catalogue.work", "catalogue.workcreator", "knowledge.person", "knowledge.place", "knowledge.period",
    "knowledge.subject", "knowledge.authoritylink", "search.titlealias", "search.featuredwork",
})
#: Shared records only administrators may delete.
ADMIN_DELETES = frozenset({"knowledge.period", "knowledge.subject", "catalogue.institution"})
JOINS = frozenset({"catalogue.join", "catalogue.joinmember", "knowledge.joinsuggestion"})
#: Records curators may read in the admin but only administrators may write.
READ_ONLY = frozenset({"ingest.ingestrun", "ingest.ingesterror", "search.zeroresultquery"})
#: Records whose visibility follows an item (or that have their own ``visibility``).
VISIBILITY_PATH = {
    "catalogue.item": "visibility",
    "catalogue.work": "visibility",
    "catalogue.canvas": "item__visibility",
    "catalogue.transcription": "canvas__item__visibility",
    "catalogue.translation": "item__visibility",
}


# ---------------------------------------------------------------------------------------- roles


def is_admin(user: User | None) -> bool:
    """An active superuser."""
    return bool(user is not None and user.is_authenticated and user.is_active
                and getattr(user, "is_superuser", False))


def curated_institution_ids(user: User | None) -> set[int] | None:
    """Institution ids ``user`` curates; ``None`` means every institution (administrator).

    Only active staff accounts curate: a curatorship on any other account grants nothing.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return set()
    if getattr(user, "is_superuser", False):
        return None
    if not getattr(user, "is_staff", False):
        return set()
    curatorships = getattr(user, "curatorships")  # noqa: B009 - reverse relation unknown to the stubs
    return set(curatorships.values_list("institution_id", flat=True))


def is_curator(user: User | None) -> bool:
    """An administrator, or an active staff user with at least one curatorship."""
    allowed = curated_institution_ids(user)
    return allowed is None or bool(allowed)


def _active(user: User | None) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _profile_flag(user: User | None, flag: str) -> bool:
    if not _active(user):
        return False
    from mogao.accounts.models import profile_of

    profile = profile_of(user)
    return bool(profile is not None and getattr(profile, flag))


def is_moderator(user: User | None) -> bool:
    """An administrator or an active account marked moderator."""
    return is_admin(user) or _profile_flag(user, "moderator")


def is_manager(user: User | None) -> bool:
    """An administrator or an active account marked manager (reads the audience dashboards)."""
    return is_admin(user) or _profile_flag(user, "manager")


def is_trusted(user: User | None) -> bool:
    """Administrators, curators, moderators and trusted readers publish without review."""
    return is_curator(user) or is_moderator(user) or _profile_flag(user, "trusted")


# ---------------------------------------------------------------------------------------- records


def _label(obj: Any) -> str:
    meta = getattr(obj, "_meta", None)
    return str(meta.label_lower) if meta is not None else ""


def _follow(obj: Any, path: str) -> Any:
    target: Any = obj
    for part in path.split("__"):
        if target is None:
            return None
        target = getattr(target, part, None)
    return target


def institution_of(obj: Any) -> int | None:
    """The institution id that owns a record, following its parents (``None``: shared or unknown)."""
    label = _label(obj)
    if label == "knowledge.mention":
        return institution_of(obj.item) if obj.item_id else None
    if label == "ingest.ingesterror":
        return institution_of(obj.run)
    if label == "ingest.ingestrun":
        from mogao.catalogue.models import Institution

        found = Institution.objects.filter(code=obj.institution_code).values_list("pk", flat=True).first()
        return int(found) if found is not None else None
    path = OWNED.get(label)
    if path is None:
        return None
    if path == "pk":
        return int(obj.pk) if obj.pk else None
    *parents, last = path.split("__")
    parent = _follow(obj, "__".join(parents)) if parents else obj
    value = getattr(parent, last, None) if parent is not None else None
    return int(value) if value is not None else None


def _visibility(obj: Any) -> str:
    """The effective visibility of ``obj``: its own, or that of the item it belongs to."""
    path = VISIBILITY_PATH.get(_label(obj))
    if path is None:
        for fallback in ("visibility", "item__visibility", "canvas__item__visibility"):
            value = _follow(obj, fallback)
            if isinstance(value, str):
                return value
        return PUBLIC
    value = _follow(obj, path)
    return value if isinstance(value, str) else PUBLIC


def _join_items(obj: Any) -> list[Any]:
    """The member items of a join (or of a join suggestion's or a member's join)."""
    label = _label(obj)
    join = obj if label == "catalogue.join" else getattr(obj, "join", None)
    if join is None or join.pk is None:
        return []
    return [m.item for m in join.members.select_related("item")]


def _linked_institutions(obj: Any) -> set[int]:
    """Institutions whose items link to a shared record (a work's witnesses, a place's finds…)."""
    from mogao.catalogue.models import Item

    label = _label(obj)
    if obj.pk is None:
        return set()
    if label == "catalogue.work":
        qs = Item.objects.filter(item_works__work=obj)
    elif label == "knowledge.place":
        qs = Item.objects.filter(Q(find_place=obj) | Q(mentions__object_id=obj.pk,
                                                        mentions__content_type__model="place"))
    elif label == "knowledge.person":
        qs = Item.objects.filter(Q(acquired_by=obj) | Q(mentions__object_id=obj.pk,
                                                         mentions__content_type__model="person")
                                 | Q(item_works__work__creators__person=obj))
    elif label == "catalogue.workcreator":
        return _linked_institutions(obj.work)
    else:
        return set()
    return set(qs.values_list("institution_id", flat=True).distinct())


def is_curator_of(user: User, obj: Any) -> bool:
    """True when ``user`` curates the institution that owns ``obj`` (administrators curate all)."""
    allowed = curated_institution_ids(user)
    if allowed is None:
        return True
    owner = institution_of(obj)
    return owner is not None and owner in allowed


# ---------------------------------------------------------------------------------------- deciders


class Decider(NamedTuple):
    """The rules of one kind of record kept in a ``policy_*`` module beside this one."""

    can: Callable[[User, str, Any], bool]
    scope: Callable[[User, str, QuerySet[Any]], QuerySet[Any]]


def is_contribution(obj: Any) -> bool:
    """True for a reader contribution (instance or class)."""
    from mogao.community.models import Contribution

    kind = obj if isinstance(obj, type) else type(obj)
    return issubclass(kind, Contribution)


def _decider(obj: Any) -> Decider | None:
    """The decider for ``obj``'s kind (contributions, reader groups, stories…), or ``None``."""
    from mogao.accounts import policy_community as community
    from mogao.accounts import policy_stories as stories

    if is_contribution(obj):
        return Decider(community.contribution, community.scope_contributions)
    deciders = {
        "community.readergroup": Decider(community.reader_group, community.scope_reader_groups),
        stories.STORY: Decider(stories.story, stories.scope),
        stories.STEP: Decider(stories.story, stories.scope),
        stories.TRANSITION: Decider(stories.story, stories.scope),
    }
    return deciders.get(_label(obj))


# ---------------------------------------------------------------------------------------- the policy


def _can_view(user: User, obj: Any) -> bool:
    if obj is None or isinstance(obj, type):
        return True
    if _label(obj) in JOINS:
        return all(_can_view(user, item) for item in _join_items(obj))
    if _visibility(obj) == PUBLIC:
        return True
    if _label(obj) in SHARED:
        return is_admin(user)
    return is_curator_of(user, obj)


def _can_download(user: User, obj: Any) -> bool:
    if not _can_view(user, obj):
        return False
    if obj is None or isinstance(obj, type):
        return True
    item = obj if hasattr(obj, "downloads_allowed") else getattr(obj, "item", None)
    if item is None and hasattr(obj, "canvas"):
        item = getattr(obj.canvas, "item", None)
    if item is None or getattr(item, "downloads_allowed", True):
        return True
    return is_curator_of(user, obj)


def _write(user: User, action: str, obj: Any) -> bool:
    """``add``, ``change``, ``delete``, ``revert``, ``admin`` and ``history`` for curators."""
    allowed = curated_institution_ids(user)
    if allowed is None:
        return True
    if not allowed:
        return False
    kind = obj if isinstance(obj, type) else type(obj) if obj is not None else None
    label = _label(kind) if kind is not None else ""
    instance = None if obj is None or isinstance(obj, type) else obj
    reading = action in ("admin", "history")
    if kind is None:
        return reading  # curators may enter the admin
    if label in READ_ONLY:
        if not reading:
            return False
        if instance is None or label == "search.zeroresultquery":
            return True
        owner = institution_of(instance)
        return owner in allowed or getattr(instance, "user_id", None) == getattr(user, "pk", object())
    if label == "reading.correction":
        # Corrections come from readers; curators read and moderate those of their institutions.
        if action in ("add", "delete"):
            return False
        return instance is None or institution_of(instance) in allowed
    if label == "knowledge.mention":
        if instance is None:
            return True
        owner = institution_of(instance)
        return owner is None or owner in allowed
    if label in JOINS:
        if label == "knowledge.joinsuggestion" and action in ("add", "delete"):
            return False  # the suggester makes them; a decision keeps the record
        if instance is None:
            return True
        items = _join_items(instance)
        if not items:
            return action in ("add", "change", "admin", "history")  # a join being made
        return any(item.institution_id in allowed for item in items)
    if label in SHARED:
        if action != "delete" or instance is None:
            return True
        if label in ADMIN_DELETES:
            return False
        return _linked_institutions(instance) <= allowed
    if label in OWNED:
        if action == "delete" and label in ADMIN_DELETES:
            return False
        if action == "add" and label == "catalogue.institution":
            return False
        if instance is None:
            return True
        owner = institution_of(instance)
        return owner is not None and owner in allowed
    return False  # accounts, curatorships, tokens, anything unknown: administrators only


def can(user: User, action: str, obj: Any | None = None) -> bool:
    """True when ``user`` may perform ``action`` on ``obj`` (instance, model class or ``None``)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if user is None:
        user = AnonymousUser()
    if obj is not None:
        decider = _decider(obj)
        if decider is not None:
            return decider.can(user, action, obj)
    if action in ("submit", "publish"):
        return False  # stories only (their decider above)
    if action == "contribute":
        return _active(user)
    if action == "dashboard":
        if is_manager(user):
            return True
        return is_curator(user) and (obj is None or isinstance(obj, type) or is_curator_of(user, obj))
    if action == "report":
        return False
    if action == "view":
        return _can_view(user, obj)
    if action == "download":
        return _can_download(user, obj)
    if action in ("api_write", "export") and obj is None:
        return is_admin(user) if action == "export" else is_curator(user)
    if action == "import":
        if not is_curator(user):
            return False
        if obj is None or isinstance(obj, type):
            return True
        return is_curator_of(user, obj)
    if action == "moderate":
        if obj is None or isinstance(obj, type):
            return is_curator(user)
        return is_curator(user) and ((institution_of(obj) is None and _label(obj) == "knowledge.mention")
                                     or is_curator_of(user, obj))
    if action == "accept":
        if obj is None:
            return is_curator(user)
        if _label(obj) not in JOINS:
            return False
        return _write(user, "change", obj)
    if action == "revert":
        return _write(user, "change", obj)
    return _write(user, action, obj)


# ---------------------------------------------------------------------------------------- scoping


def _owned_filter(label: str, allowed: set[int]) -> Q | None:
    path = OWNED.get(label)
    if path is None:
        return None
    field = "pk__in" if path == "pk" else f"{path.removesuffix('_id')}__in"
    return Q(**{field: allowed})


def scope(user: User, action: str, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """``queryset`` narrowed to the objects on which ``user`` may perform ``action``.

    Agrees with :func:`can` object by object, except for ``delete`` of shared records, which also
    depends on links (use ``can`` per object before deleting).
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    model: type[Model] = queryset.model
    decider = _decider(model)
    if decider is not None:
        return decider.scope(user if user is not None else AnonymousUser(), action, queryset)
    label = _label(model)
    if action == "dashboard" and is_manager(user):
        return queryset  # managers read every institution's slice
    allowed = curated_institution_ids(user)
    if action in ("view", "download"):
        path = VISIBILITY_PATH.get(label)
        if allowed is None or path is None:
            return queryset
        visible = Q(**{path: PUBLIC})
        owned = _owned_filter(label, allowed)
        if owned is not None and allowed and label not in SHARED:
            visible |= owned
        return queryset.filter(visible)
    if allowed is None:
        return queryset
    if not allowed or not can(user, action, model):
        return queryset.none()
    if action == "import":
        return queryset.filter(pk__in=allowed) if label == "catalogue.institution" else queryset.none()
    if label in JOINS:
        from mogao.catalogue.models import JoinMember

        join_ids = JoinMember.objects.filter(item__institution_id__in=allowed).values("join_id")
        field = "pk__in" if label == "catalogue.join" else "join_id__in"
        return queryset.filter(**{field: join_ids})
    if label == "knowledge.mention":
        return queryset.filter(Q(item__isnull=True) | Q(item__institution_id__in=allowed))
    if label == "ingest.ingestrun":
        from mogao.catalogue.models import Institution

        codes = Institution.objects.filter(pk__in=allowed).values("code")
        return queryset.filter(Q(institution_code__in=codes) | Q(user_id=getattr(user, "pk", None)))
    if label == "ingest.ingesterror":
        from mogao.ingest.models import IngestRun

        return queryset.filter(run__in=scope(user, action, IngestRun.objects.all()))
    owned = _owned_filter(label, allowed)
    if owned is not None:
        return queryset.filter(owned)
    return queryset  # shared and read-only kinds the user may act on at all


# ---------------------------------------------------------------------------------------- secret links


def can_view_with_link(user: User, obj: Any, key: str | None) -> bool:
    """``view``, or an *unlisted* contribution opened with its secret link (#15, saved collections).

    An unlisted contribution is stored private with ``unlisted=True`` and a ``link_token``: lists,
    search, export and ``scope`` see a private record; only a request presenting the token (compared
    in constant time) may view it. Making it private or renewing the token closes the old link.
    """
    if can(user, "view", obj):
        return True
    if not is_contribution(obj) or isinstance(obj, type) or not getattr(obj, "unlisted", False):
        return False
    token = str(getattr(obj, "link_token", "") or "")
    return (obj.visibility == "private" and obj.status == "approved" and bool(token) and bool(key)
            and hmac.compare_digest(token.encode(), str(key).encode()))
