"""Account deletion against every real contribution model (#15): comments, annotations, collections,
reactions — public and private — with "anonymise" and with "remove", checked in the database and on
the pages, as the privacy page says."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType

from mogao.annotations.models import Annotation
from mogao.community.models import Reaction
from mogao.discussion.models import Comment
from mogao.discussion.services import comment_post
from mogao.saved.models import ReaderCollection, SavedEntry

from .contribs import PASSWORD, Contribs, Place, client_for, contribute, make_user, place

pytestmark = pytest.mark.django_db

NAME = "Ada Lovelace-Display"


def _history_rows(model: Any, **filters: Any) -> Any:
    return model.history.model.objects.filter(**filters)


def _setup() -> tuple[Place, Any, Any, Contribs, Comment]:
    where = place()
    author = make_user("adaquokka", trusted=True)
    author.profile.display_name = NAME
    author.profile.save()
    other = make_user("bob", trusted=True)
    mine = contribute(author, where)
    # a reply by someone else to the author's public comment, and the author's edits (history rows)
    reply = comment_post(user=other, target=where.item, body="Bobanswers", language="en",
                         parent=mine.comments["public"])
    mine.annotations["public"].text = "Pubnote edited"
    mine.annotations["public"].save()
    return where, author, other, mine, reply


def _delete(author: Any, mode: str) -> None:
    client = client_for(author)
    response = client.post("/me/delete/", {"contributions": mode, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]


def _pages(where: Place, mine: Contribs, viewer: Any = None) -> str:
    client = client_for(viewer)
    html = client.get(where.item.get_absolute_url()).content.decode()
    html += client.get(where.work.get_absolute_url()).content.decode()
    html += client.get(f"/comments/catalogue.item/{where.item.pk}/").content.decode()
    html += client.get(f"/annotations/canvas/{where.canvas.pk}/").content.decode()
    html += client.get(f"/iiif/items/{where.item.pid}/manifest").content.decode()
    public = mine.collections["public"]
    response = client.get(f"/saved/{public.pid}/")
    html += response.content.decode() if response.status_code == 200 else ""
    return html


def test_anonymise_keeps_public_work_nameless_and_removes_private_and_history(settings: Any) -> None:
    where, author, other, mine, reply = _setup()
    uid = author.pk
    before = _pages(where, mine, other)
    assert "Pubcomment" in before, before
    assert NAME in before
    _delete(author, "anonymise")

    # database: public and group stay, authorless; private gone; reactions count for nobody
    for kind in ("public", "work"):
        c = Comment.objects.get(pk=mine.comments[kind].pk)
        assert c.author_id is None and c.body.startswith(("Pubcomment", "Workcomment"))
    assert not Comment.objects.filter(pk=mine.comments["private"].pk).exists()
    assert Annotation.objects.get(pk=mine.annotations["public"].pk).author_id is None
    assert Annotation.objects.get(pk=mine.annotations["group"].pk).author_id is None
    assert not Annotation.objects.filter(pk=mine.annotations["private"].pk).exists()
    assert ReaderCollection.objects.get(pk=mine.collections["public"].pk).author_id is None
    assert not ReaderCollection.objects.filter(pk=mine.collections["private"].pk).exists()
    assert not SavedEntry.objects.filter(collection_id=mine.collections["private"].pk).exists()
    assert Reaction.objects.filter(user__isnull=True).count() == 2 and not Reaction.objects.filter(user_id=uid)
    assert Comment.objects.filter(pk=reply.pk, author=other).exists()  # other people's work untouched

    # history no longer names the person; private things leave no history (notes included)
    for model in (Comment, Annotation, ReaderCollection, SavedEntry):
        rows = model.history.model.objects
        assert not rows.filter(history_user_id=uid).exists(), model
        if hasattr(model, "author"):
            assert not rows.filter(author_id=uid).exists(), model
    assert not _history_rows(Comment, id=mine.comments["private"].pk).exists()
    assert not _history_rows(Annotation, id=mine.annotations["private"].pk).exists()
    assert not _history_rows(ReaderCollection, id=mine.collections["private"].pk).exists()
    assert not _history_rows(SavedEntry, collection_id=mine.collections["private"].pk).exists()

    # pages: the public ones remain, shown without the author's name
    after = _pages(where, mine, other)
    assert "Pubcomment" in after and "Workcomment" in after and "Bobanswers" in after
    assert "Privcomment" not in after and "Privnote" not in after
    assert NAME not in after
    assert "adaquokka" not in after
    assert "A former reader" in after
    assert client_for(other).get(f"/saved/{mine.collections['public'].pid}/").status_code == 200
    assert client_for(other).get(f"/saved/{mine.collections['private'].pid}/").status_code == 404


def test_remove_deletes_everything_with_its_history_but_keeps_others_replies() -> None:
    where, author, other, mine, reply = _setup()
    uid = author.pk
    _delete(author, "remove")

    assert not Annotation.objects.filter(pk__in=[a.pk for a in mine.annotations.values()]).exists()
    assert not ReaderCollection.objects.filter(pk__in=[c.pk for c in mine.collections.values()]).exists()
    assert not SavedEntry.objects.exists()
    assert not Reaction.objects.exists()
    # Bob's reply stays; the comment it answers keeps its place in the thread, emptied and nameless
    assert Comment.objects.filter(pk=reply.pk, author=other, body="Bobanswers").exists()
    shell = Comment.objects.filter(pk=mine.comments["public"].pk).first()
    assert shell is None or (shell.deleted and shell.body == "" and shell.author_id is None)
    assert not Comment.objects.filter(pk__in=[mine.comments["work"].pk, mine.comments["private"].pk]).exists()
    for model in (Comment, Annotation, ReaderCollection, SavedEntry):
        rows = model.history.model.objects
        assert not rows.filter(history_user_id=uid).exists(), model
        if hasattr(model, "author"):
            assert not rows.filter(author_id=uid).exists(), model
    assert not _history_rows(Comment, body__startswith="Pubcomment").exists()
    assert not _history_rows(SavedEntry).exists()

    after = _pages(where, mine, other)
    assert "Bobanswers" in after
    for gone in ("Pubcomment", "Workcomment", "Privcomment", "Pubnote", "Groupnote", NAME):
        assert gone not in after, gone
    ct = ContentType.objects.get_for_model(Comment)
    assert client_for(other).get(f"/saved/{mine.collections['public'].pid}/").status_code == 404
    assert ct is not None


@pytest.mark.parametrize("mode", ["anonymise", "remove"])
def test_the_moderation_queue_survives_a_deleted_reporter_and_author(mode: str) -> None:
    _where, author, other, mine, reply = _setup()
    moderator = make_user("mod", moderator=True)
    from mogao.discussion.services import report_create

    report_create(user=other, contribution=mine.comments["public"], reason="spam")
    report_create(user=author, contribution=reply, reason="spam")
    _delete(author, mode)
    response = client_for(moderator).get("/moderation/")
    assert response.status_code == 200
    assert NAME not in response.content.decode()


def test_the_privacy_page_says_what_deletion_does() -> None:
    html = client_for().get("/privacy/").content.decode()
    for words in ("Anonymise", "stay, shown without any name", "Everything you kept private is deleted",
                  "history of your contributions no longer names you", "deleted, with their history",
                  "emptied and without your name"):
        assert words in html
