"""The policy over reader contributions in one table (#15): role × action × visibility, for comments,
annotations and collections, asserting ``policy.can`` and that ``policy.scope`` agrees.

The expected answers are written from the issue's rules (see :func:`expected`), independently of
``mogao.accounts.policy``:

- ``view``: the author always; private ones nobody else (administrators included); group ones the
  members of the group; public ones everyone once approved, before that whoever may moderate them;
- ``change``: the author only; ``delete``: the author, or an administrator;
- ``moderate``: administrators, moderators and curators of the institution holding the subject
  (collections span institutions: no holder), on public contributions only;
- ``report``: any signed-in reader but the author, on a public, approved contribution.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType

from mogao.accounts import policy
from mogao.annotations.models import Annotation
from mogao.catalogue import services
from mogao.community.models import ReaderGroup
from mogao.discussion.models import Comment
from mogao.saved.models import ReaderCollection

from .contribs import annotate, curator_of, make_user, place

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "author", "other_reader", "group_member", "moderator", "curator_holder",
         "curator_other", "admin")
ACTIONS = ("view", "change", "delete", "moderate", "report")
VISIBILITIES = ("private", "group", "public_approved", "public_pending")
MODELS = (Comment, Annotation, ReaderCollection)


def expected(role: str, action: str, visibility: str, model: type) -> bool:
    author = role == "author"
    has_holder = model is not ReaderCollection
    moderates = role in ("moderator", "admin") or (role == "curator_holder" and has_holder)
    public = visibility.startswith("public")
    approved = visibility == "public_approved"
    if action == "view":
        return (author or approved or (visibility == "group" and role == "group_member")
                or (visibility == "public_pending" and moderates))
    if action == "change":
        return author
    if action == "delete":
        return author or role == "admin"
    if action == "moderate":
        return public and moderates
    if action == "report":
        return role not in ("anonymous", "author") and approved
    raise AssertionError(action)


def _users() -> dict[str, Any]:
    where = place()
    other_inst, _ = services.institution_upsert(code="BnF", name={"fr": ["BnF"]})
    users: dict[str, Any] = {
        "anonymous": AnonymousUser(),
        "author": make_user("author"),
        "other_reader": make_user("other"),
        "group_member": make_user("member"),
        "moderator": make_user("moderator", moderator=True),
        "curator_holder": curator_of("curholder", where.item.institution),
        "curator_other": curator_of("curother", other_inst),
        "admin": make_user("admin", is_staff=True, is_superuser=True),
    }
    users["place"] = where
    return users


def _objects(model: type, users: dict[str, Any]) -> dict[str, Any]:
    where = users["place"]
    author = users["author"]
    group = ReaderGroup.objects.create(name="Class", slug=f"class-{model.__name__.lower()}", owner=author)
    group.members.add(author, users["group_member"])
    out = {}
    for vis in VISIBILITIES:
        visibility = vis.split("_")[0]
        status = "pending" if vis == "public_pending" else "approved"
        grp = group if visibility == "group" else None
        if model is Comment:
            obj = Comment.objects.create(
                author=author, target_type=ContentType.objects.get_for_model(where.item), target_id=where.item.pk,
                institution_id=where.item.institution_id, body=f"c {vis}", language="en",
                visibility=visibility, status=status, group=grp)
        elif model is Annotation:
            obj = annotate(author, where.canvas, f"a {vis}", visibility, status=status, group=grp)
        else:
            obj = ReaderCollection.objects.create(author=author, name=f"r {vis}", visibility=visibility,
                                                  status=status, group=grp)
        out[vis] = obj
    return out


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_policy_matrix_over_contributions(model: type) -> None:
    users = _users()
    objects = _objects(model, users)
    wrong: list[str] = []
    for role in ROLES:
        user = users[role]
        for action in ACTIONS:
            scoped = set(policy.scope(user, action, model._default_manager.all()).values_list("pk", flat=True))
            for vis, obj in objects.items():
                want = expected(role, action, vis, model)
                got = policy.can(user, action, obj)
                if got != want:
                    wrong.append(f"can({role}, {action}, {vis}) = {got}, want {want}")
                if (obj.pk in scoped) != want:
                    wrong.append(f"scope({role}, {action}) has {vis}: {obj.pk in scoped}, want {want}")
    assert not wrong, f"{model.__name__}:\n" + "\n".join(wrong)


def test_an_inactive_author_can_do_nothing_with_their_contributions() -> None:
    users = _users()
    objects = _objects(Annotation, users)
    author = users["author"]
    author.is_active = False
    author.save()
    for action in ACTIONS:
        assert not any(policy.can(author, action, o) for o in objects.values() if o.visibility != "public"
                       or action != "view" or o.status != "approved"), action
        assert set(policy.scope(author, action, Annotation.objects.all())) <= (
            {objects["public_approved"]} if action == "view" else set())


def test_an_anonymised_contribution_belongs_to_nobody() -> None:
    users = _users()
    objects = _objects(Comment, users)
    orphan = objects["public_approved"]
    orphan.author = None
    orphan.save()
    for role in ROLES:
        assert not policy.can(users[role], "change", orphan), role
        assert policy.can(users[role], "delete", orphan) == (role == "admin"), role
        assert policy.can(users[role], "report", orphan) == (role != "anonymous"), role
    assert orphan not in policy.scope(users["author"], "change", Comment.objects.all())
    assert orphan in policy.scope(users["other_reader"], "report", Comment.objects.all())
