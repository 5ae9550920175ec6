"""The moderation queue: generic over Contribution subclasses, scoped by the policy, decisions
recorded with history, reports resolved; the policy matrix of who may do what to a comment."""

from __future__ import annotations

from typing import Any

import pytest

from mogao.accounts import policy
from mogao.community.models import Contribution, Status
from mogao.discussion import moderation, services
from mogao.discussion.models import Comment, ModerationDecision, Report

from .conftest import ROLES, World

pytestmark = pytest.mark.django_db


def test_every_contribution_kind_is_discovered() -> None:
    from django.apps import apps

    expected = {m._meta.label_lower for m in apps.get_models() if issubclass(m, Contribution)}
    assert "discussion.comment" in expected
    assert {m._meta.label_lower for m in moderation.contribution_models()} == expected


def _comments(world: World) -> dict[str, Comment]:
    reader = world.users["reader"]
    return {
        "item A": services.comment_post(user=reader, target=world.items["A"], body="on A"),
        "item B": services.comment_post(user=reader, target=world.items["B"], body="on B"),
        "work": services.comment_post(user=reader, target=world.work, body="on the work"),
    }


# who may moderate which pending comment (written independently of the policy)
MODERATES = {
    "anonymous": set(), "reader": set(), "author": set(), "trusted": set(),
    "moderator": {"item A", "item B", "work"}, "admin": {"item A", "item B", "work"},
    "curator_a": {"item A"}, "curator_b": {"item B"},
}


@pytest.mark.parametrize("role", ROLES)
def test_queue_is_scoped(world: World, role: str) -> None:
    comments = _comments(world)
    client = world.client(role)
    response = client.get("/moderation/")
    if role == "anonymous":
        assert response.status_code == 302
        return
    if not MODERATES[role]:
        assert response.status_code == 403
        return
    html = response.content.decode()
    for name, comment in comments.items():
        assert (f"discussion-comment-{comment.pk}\"" in html) == (name in MODERATES[role]), name


@pytest.mark.parametrize("role", ROLES)
def test_policy_matrix(world: World, role: str) -> None:
    """view / change / delete / report / moderate of a published and a pending comment, per role."""
    reader, trusted = world.users["reader"], world.users["trusted"]
    published = services.comment_post(user=trusted, target=world.items["A"], body="published")
    pending = services.comment_post(user=reader, target=world.items["A"], body="pending")
    user = world.users.get(role)
    from django.contrib.auth.models import AnonymousUser

    user = user or AnonymousUser()
    author_of = {"published": "trusted", "pending": "reader"}
    for name, comment in (("published", published), ("pending", pending)):
        mine = role == author_of[name]
        moderates = role in ("moderator", "admin", "curator_a")
        expected = {
            "view": name == "published" or mine or moderates,
            "change": mine,
            "delete": mine or role == "admin",
            "report": name == "published" and not mine and role != "anonymous",
            "moderate": moderates,
        }
        got = {action: policy.can(user, action, comment) for action in expected}
        assert got == expected, (role, name)
        scoped = {action: policy.scope(user, action, Comment.objects.filter(pk=comment.pk)).exists()
                  for action in expected}
        assert scoped == expected, (role, name)


def test_decisions_are_recorded_with_history_and_resolve_reports(world: World) -> None:
    trusted, reader, mod = world.users["trusted"], world.users["reader"], world.users["moderator"]
    comment = services.comment_post(user=trusted, target=world.work, body="a published comment")
    services.report_create(user=reader, contribution=comment, reason="spam", note="looks like spam")
    client = world.client("moderator")
    queue = client.get("/moderation/?show=reported").content.decode()
    assert "looks like spam" in queue and "a published comment" in queue
    refused = client.post(f"/moderation/discussion.comment/{comment.pk}/decide", {"status": "hidden", "reason": ""})
    assert refused.status_code == 400 and "Say why" in refused.content.decode()
    comment.refresh_from_db()
    assert comment.status == Status.APPROVED
    done = client.post(f"/moderation/discussion.comment/{comment.pk}/decide",
                       {"status": "hidden", "reason": "Advertising"})
    assert done.status_code == 302
    comment.refresh_from_db()
    assert (comment.status, comment.status_reason, comment.decided_by) == (Status.HIDDEN, "Advertising", mod)
    assert comment.decided_at is not None
    decision = ModerationDecision.objects.get()
    assert (decision.previous, decision.status, decision.reason) == ("approved", "hidden", "Advertising")
    assert Report.objects.get().resolved is not None
    last = comment.history.first()
    assert last.status == "hidden" and last.history_user == mod and "moderation" in last.history_change_reason
    # hidden: gone from the page, shown to its author with the reason
    assert "a published comment" not in world.client("anonymous").get(world.work.get_absolute_url()).content.decode()
    mine = world.client("trusted").get(world.work.get_absolute_url()).content.decode()
    assert "a published comment" in mine and "Advertising" in mine
    decided = client.get("/moderation/?show=decided").content.decode()
    assert "Advertising" in decided and "History" in decided


def test_reject_with_bad_status_and_long_reason(world: World) -> None:
    comment = services.comment_post(user=world.users["reader"], target=world.work, body="x")
    client = world.client("moderator")
    assert client.post(f"/moderation/discussion.comment/{comment.pk}/decide", {"status": "deleted"}).status_code == 400
    long = client.post(f"/moderation/discussion.comment/{comment.pk}/decide",
                       {"status": "rejected", "reason": "r" * 501})
    assert long.status_code == 400 and "too long" in long.content.decode()
    comment.refresh_from_db()
    assert comment.status == Status.PENDING and not ModerationDecision.objects.exists()


def test_report_rules(world: World, settings: Any) -> None:
    trusted, reader = world.users["trusted"], world.users["reader"]
    comment = services.comment_post(user=trusted, target=world.items["A"], body="published")
    url = f"/report/discussion.comment/{comment.pk}"
    assert world.client("trusted").post(url, {"reason": "spam"}, HTTP_HX_REQUEST="true").status_code == 403
    bad = world.client("reader").post(url, {"reason": "because"}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 400 and "Choose a reason" in bad.content.decode()
    assert world.client("reader").post(url, {"reason": "spam", "note": "n" * 501},
                                       HTTP_HX_REQUEST="true").status_code == 400
    assert not Report.objects.exists()
    assert world.client("reader").post(url, {"reason": "spam"}).status_code == 302
    assert world.client("reader").post(url, {"reason": "abuse"}).status_code == 302
    assert Report.objects.get().reason == "abuse"  # one report per reader, updated
    settings.REPORT_RATE = "1/min"
    services.report_create(user=world.users["author"], contribution=comment, reason="spam")
    limited = world.client("author").post(url, {"reason": "abuse"}, HTTP_HX_REQUEST="true")
    assert limited.status_code == 429
    pending = services.comment_post(user=reader, target=world.items["A"], body="pending")
    hidden = world.client("author").post(f"/report/discussion.comment/{pending.pk}", {"reason": "spam"})
    assert hidden.status_code == 404


def test_queue_in_four_languages(world: World) -> None:
    _comments(world)
    expected = {"en": "Moderation", "fr": "Modération", "zh-hans": "审核", "zh-hant": "審核"}
    for code, title in expected.items():
        client = world.client("moderator")
        client.cookies["django_language"] = code
        html = client.get("/moderation/").content.decode()
        assert f"<h1>{title}</h1>" in html, code
