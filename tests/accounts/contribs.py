"""One of every real contribution (comments, annotations, collections, reactions) for the #15 glue tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client

from mogao.accounts.models import Curatorship, profile_of
from mogao.annotations.models import Annotation
from mogao.catalogue import services
from mogao.catalogue.models import Canvas, Item, Work
from mogao.community import reactions
from mogao.community.models import ReaderGroup
from mogao.discussion.models import Comment
from mogao.discussion.services import comment_post
from mogao.saved.models import ReaderCollection, Sharing
from mogao.saved.services import create_collection, save_entry

PASSWORD = "a-long-reader-password-42"


def make_user(name: str, *, trusted: bool = False, moderator: bool = False, **flags: Any) -> Any:
    user = get_user_model().objects.create_user(name, email=f"{name}@example.org", password=PASSWORD, **flags)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    profile = profile_of(user)
    assert profile is not None
    profile.trusted, profile.moderator = trusted, moderator
    profile.save()
    return user


def client_for(user: Any = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@dataclass
class Place:
    """Where contributions go: a public item with two pages, of a work, held by the BL."""

    item: Item
    canvas: Canvas
    other_item: Item
    work: Work


def place() -> Place:
    cache.clear()
    bl, _ = services.institution_upsert(code="BL", name={"en": ["British Library"]})
    work, _ = services.work_upsert(key=("taisho", "T0235"), title={"en": ["Diamond Sūtra"]})
    item, _ = services.item_upsert(institution=bl, shelfmark="Or.8210/S.1", title={"en": ["Diamond Sūtra, part 1"]},
                                   languages=["lzh"], digitization_status=Item.Status.DIGITIZED,
                                   works=[(work, "text")])
    other, _ = services.item_upsert(institution=bl, shelfmark="Or.8210/S.2", title={"en": ["Diamond Sūtra, part 2"]},
                                    languages=["lzh"], digitization_status=Item.Status.DIGITIZED,
                                    works=[(work, "text")])
    for it, prefix in ((item, "cb-a"), (other, "cb-b")):
        for order in (1, 2):
            services.canvas_upsert(item=it, order=order, image_id=f"{prefix}-{order}", width=1800, height=1200)
    return Place(item=item, canvas=item.canvases.get(order=1), other_item=other, work=work)


@dataclass
class Contribs:
    """Everything ``author`` wrote: ``public`` and ``private`` (and ``group``) of each kind."""

    author: Any
    comments: dict[str, Comment] = field(default_factory=dict)
    annotations: dict[str, Annotation] = field(default_factory=dict)
    collections: dict[str, ReaderCollection] = field(default_factory=dict)
    group: ReaderGroup | None = None


def annotate(author: Any, canvas: Canvas, text: str, visibility: str, *, status: str = "approved",
             group: ReaderGroup | None = None) -> Annotation:
    return Annotation.objects.create(author=author, canvas=canvas, x=10, y=20, w=300, h=400, text=text,
                                     language="en", visibility=visibility, status=status, group=group)


def contribute(author: Any, where: Place, *, tag: str = "") -> Contribs:
    """One of each contribution by (trusted) ``author``: public and approved, private, and group ones."""
    out = Contribs(author=author)
    group = ReaderGroup.objects.create(name=f"Class {tag}{author.pk}", slug=f"class-{tag}{author.pk}", owner=author)
    group.members.add(author)
    out.group = group
    out.comments["public"] = comment_post(user=author, target=where.item, body=f"Pubcomment {tag}", language="en")
    out.comments["work"] = comment_post(user=author, target=where.work, body=f"Workcomment {tag}", language="en")
    out.comments["private"] = Comment.objects.create(
        author=author, target_type=out.comments["public"].target_type, target_id=where.item.pk,
        body=f"Privcomment {tag}", language="en", visibility="private", status="approved")
    out.annotations["public"] = annotate(author, where.canvas, f"Pubnote {tag}", "public")
    out.annotations["private"] = annotate(author, where.canvas, f"Privnote {tag}", "private")
    out.annotations["group"] = annotate(author, where.canvas, f"Groupnote {tag}", "group", group=group)
    public = create_collection(user=author, name=f"Public shelf {tag}", sharing=Sharing.PUBLIC)
    save_entry(user=author, collection=public, item=where.item, kind="item", note=f"Pubentrynote {tag}")
    private = create_collection(user=author, name=f"Private shelf {tag}", sharing=Sharing.PRIVATE)
    save_entry(user=author, collection=private, item=where.item, kind="item", note=f"Priventrynote {tag}")
    out.collections = {"public": public, "private": private}
    reactions.toggle(author, where.item, "moved")
    reactions.toggle(author, where.canvas, "beautiful")
    return out


def curator_of(name: str, institution: Any) -> Any:
    user = make_user(name, is_staff=True)
    Curatorship.objects.create(user=user, institution=institution)
    return user
