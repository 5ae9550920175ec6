"""Comments end to end through the views: post, reply, thread, filter, edit, delete, limits."""

from __future__ import annotations

from typing import Any

import pytest

from mogao.community.models import Status
from mogao.discussion import services
from mogao.discussion.models import MAX_BODY, Comment

from .conftest import World

pytestmark = pytest.mark.django_db


def post_url(target: Any) -> str:
    return f"/comments/{target._meta.label_lower}/{target.pk}/post"


def test_reader_comment_waits_then_appears(world: World) -> None:
    item = world.items["A"]
    reader = world.client("reader")
    response = reader.post(post_url(item), {"body": "What does 如是我聞 mean here?", "language": ""})
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.status == Status.PENDING and comment.author == world.users["reader"]
    assert comment.institution_id == world.institutions["A"].pk and comment.language == "en"
    # the author sees it with its status; another reader does not
    assert "如是我聞" in reader.get(item.get_absolute_url()).content.decode()
    assert "如是我聞" not in world.client("author").get(item.get_absolute_url()).content.decode()
    assert "如是我聞" not in world.client("anonymous").get(item.get_absolute_url()).content.decode()
    # the holder's curator moderates it; the other institution's does not
    assert world.client("curator_b").post(f"/moderation/discussion.comment/{comment.pk}/decide",
                                          {"status": "approved"}).status_code == 404
    assert world.client("curator_a").post(f"/moderation/discussion.comment/{comment.pk}/decide",
                                          {"status": "approved"}).status_code == 302
    comment.refresh_from_db()
    assert comment.status == Status.APPROVED and comment.decided_by == world.users["curator_a"]
    assert "如是我聞" in world.client("anonymous").get(item.get_absolute_url()).content.decode()


def test_trusted_comment_on_a_work_is_published_and_threaded(world: World) -> None:
    trusted = world.client("trusted")
    work = world.work
    assert trusted.post(post_url(work), {"body": "這部經很重要", "language": ""}).status_code == 302
    top = Comment.objects.get()
    assert top.status == Status.APPROVED and top.language == "zh-Hant" and top.institution_id is None
    assert trusted.post(post_url(work), {"body": "Indeed, the Diamond Sutra.", "parent": top.pk}).status_code == 302
    reply = Comment.objects.exclude(pk=top.pk).get()
    assert reply.parent_id == top.pk
    html = world.client("anonymous").get(work.get_absolute_url()).content.decode()
    assert html.index(f'id="comment-{top.pk}"') < html.index(f'id="comment-{reply.pk}"')
    assert "depth-1" in html
    # filter by language: Chinese only keeps the Chinese comment, the English reply is left out
    zh = world.client("anonymous").get(f"/comments/catalogue.work/{work.pk}/?clang=zh",
                                       HTTP_HX_REQUEST="true").content.decode()
    assert 'data-text="這部經很重要"' in zh and "Diamond Sutra." not in zh
    en = world.client("anonymous").get(work.get_absolute_url() + "?clang=en").content.decode()
    assert "Diamond" in en and 'data-text="這部經很重要"' not in en
    assert "A comment in another language, left out by the filter." in en  # the parent keeps its place


def test_reply_to_another_pages_comment_is_refused(world: World) -> None:
    trusted = world.client("trusted")
    trusted.post(post_url(world.work), {"body": "On the work"})
    other = Comment.objects.get()
    response = trusted.post(post_url(world.items["A"]), {"body": "misplaced", "parent": other.pk},
                            HTTP_HX_REQUEST="true")
    assert response.status_code == 400 and "You can only reply to a comment of this page." in response.content.decode()
    assert Comment.objects.count() == 1


def test_private_item_cannot_be_commented(world: World) -> None:
    response = world.client("reader").post(post_url(world.items["private"]), {"body": "hello"})
    assert response.status_code == 404 and not Comment.objects.exists()


def test_anonymous_is_sent_to_sign_in(world: World) -> None:
    response = world.client("anonymous").post(post_url(world.items["A"]), {"body": "hello"})
    assert response.status_code == 302 and "login" in response["Location"] and not Comment.objects.exists()
    html = world.client("anonymous").get(world.items["A"].get_absolute_url()).content.decode()
    assert "Sign in to comment." in html and 'name="body"' not in html


@pytest.mark.parametrize("body, message", [
    ("x" * (MAX_BODY + 1), "The comment is too long"),
    ("   \n\t ", "The comment is empty."),
])
def test_bad_bodies_name_the_field_and_save_nothing(world: World, body: str, message: str) -> None:
    client = world.client("reader")
    response = client.post(post_url(world.items["A"]), {"body": body}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and 'aria-invalid="true"' in html and 'name="body"' in html
    assert not Comment.objects.exists()
    plain = client.post(post_url(world.items["A"]), {"body": body})
    assert plain.status_code == 400 and message in plain.content.decode()
    assert not Comment.objects.exists()


def test_unknown_language_is_refused(world: World) -> None:
    response = world.client("reader").post(post_url(world.items["A"]), {"body": "hi", "language": "xx-<b>"},
                                           HTTP_HX_REQUEST="true")
    assert response.status_code == 400 and "Choose a language from the list." in response.content.decode()
    assert not Comment.objects.exists()


def test_rate_limit_per_account(world: World, settings: Any) -> None:
    settings.COMMENT_RATE = "3/min"
    client = world.client("trusted")
    for n in range(3):
        assert client.post(post_url(world.items["A"]), {"body": f"comment {n}"}).status_code == 302
    refused = client.post(post_url(world.items["A"]), {"body": "one too many"}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    assert "please wait" in refused.content.decode()
    assert Comment.objects.count() == 3
    # another account still may
    assert world.client("reader").post(post_url(world.items["A"]), {"body": "mine"}).status_code == 302


def test_only_the_author_edits_and_deletes(world: World) -> None:
    author = world.client("trusted")
    author.post(post_url(world.items["A"]), {"body": "First version"})
    comment = Comment.objects.get()
    for role in ("reader", "moderator", "curator_a", "admin"):
        response = world.client(role).post(f"/comments/{comment.pk}/edit", {"body": "vandalised"},
                                           HTTP_HX_REQUEST="true")
        assert response.status_code == 403, role
    for role in ("reader", "moderator", "curator_a"):
        assert world.client(role).post(f"/comments/{comment.pk}/delete").status_code in (403, 302), role
        assert Comment.objects.filter(pk=comment.pk).exists(), role
    comment.refresh_from_db()
    assert comment.body == "First version"
    assert author.post(f"/comments/{comment.pk}/edit", {"body": "Second version", "language": "en"}).status_code == 302
    comment.refresh_from_db()
    assert comment.body == "Second version" and comment.edited is not None
    assert [h.body for h in comment.history.order_by("history_date")] == ["First version", "Second version"]
    assert author.post(f"/comments/{comment.pk}/delete").status_code == 302
    assert not Comment.objects.filter(pk=comment.pk).exists()


def test_untrusted_edit_goes_back_to_review(world: World) -> None:
    reader = world.users["reader"]
    comment = services.comment_post(user=reader, target=world.items["A"], body="hello")
    comment.status = Status.APPROVED
    comment.save()
    services.comment_edit(user=reader, comment=comment, body="hello, with a new claim")
    comment.refresh_from_db()
    assert comment.status == Status.PENDING


def test_delete_with_replies_keeps_the_thread(world: World) -> None:
    trusted = world.users["trusted"]
    top = services.comment_post(user=trusted, target=world.items["A"], body="top")
    services.comment_post(user=world.users["moderator"], target=world.items["A"], body="reply", parent=top)
    services.comment_delete(user=trusted, comment=top)
    top.refresh_from_db()
    assert top.deleted and top.body == ""
    html = world.client("anonymous").get(world.items["A"].get_absolute_url()).content.decode()
    assert "Comment deleted by its author." in html and "reply" in html


def test_htmx_post_returns_the_section(world: World) -> None:
    response = world.client("trusted").post(post_url(world.items["A"]), {"body": "via htmx"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="comments"') and "via htmx" in html
    assert "Your comment is published." in html


def test_csrf_is_enforced(world: World) -> None:
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["reader"])
    assert client.post(post_url(world.items["A"]), {"body": "no token"}).status_code == 403
    assert not Comment.objects.exists()


def test_my_mogao_section_lists_own_comments(world: World, rf: Any) -> None:
    from mogao.community.mymogao import sections
    from mogao.discussion import mymogao

    services.comment_post(user=world.users["reader"], target=world.items["A"], body="my own words")
    assert any(s.key == "comments" for s in sections())
    request = rf.get("/me/")
    request.user = world.users["reader"]
    context = mymogao.context(request)
    assert context is not None and [c.body for c in context["comments"]] == ["my own words"]
    request.user = world.users["author"]
    assert mymogao.context(request) is None
