"""Digests (#17): one mail per person summarising their unread notifications of a kind prefix since
the last digest, in their language, with unsubscribe; ``mogao manage notify_digest`` runs them."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from mogao.notify import kinds, notify, register_digest, send_digest
from mogao.notify.models import Notification
from mogao.notify.services import set_email
from mogao.testing.smtp import SMTPRecorder

from .conftest import DIGEST_KIND, KIND, TEMPLATE, make_reader

pytestmark = pytest.mark.django_db
DIGEST = "notify/mail/digest"


def _queue(user: Any, *titles: str, kind: str = DIGEST_KIND + ".new") -> None:
    for title in titles:
        notify([user], kind, template=TEMPLATE, context={"title": title}, url=f"/requests/{title}/", email=False)


def test_a_digest_groups_several_notifications_in_one_mail_once(
    smtp_server: SMTPRecorder, django_capture_on_commit_callbacks: Any,
) -> None:
    cur = make_reader("cur")
    _queue(cur, "r1", "r2", "r3")
    _queue(cur, "other", kind=KIND)  # another prefix: not in this digest
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digest(DIGEST_KIND, [cur], template=DIGEST, context_for=lambda u: {"extra": u.username}) == 1
    mail = smtp_server.wait_for(to="cur@example.org")
    assert len(smtp_server.messages) == 1
    assert "3 new notifications" in mail.subject and "Test queue digest" in mail.subject
    for title in ("r1", "r2", "r3"):
        assert f"Notifications: {title}" in mail.body
        assert any(link.endswith(f"/requests/{title}/") for link in mail.links())
    assert "other" not in mail.body
    assert str(mail.message["List-Unsubscribe-Post"]) == "List-Unsubscribe=One-Click"
    assert Notification.objects.filter(digested_at__isnull=False).count() == 3
    # The next digest carries only what came since.
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digest(DIGEST_KIND, [cur], template=DIGEST) == 0
    _queue(cur, "r4")
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digest(DIGEST_KIND, [cur], template=DIGEST) == 1
    mail = smtp_server.wait_for(to="cur@example.org", count=2)
    assert "1 new notification" in mail.subject and "r4" in mail.body and "r1" not in mail.body


def test_a_digest_skips_read_notifications_opted_out_and_unverified_people(
    smtp_server: SMTPRecorder, django_capture_on_commit_callbacks: Any,
) -> None:
    read, out, unverified = make_reader("read"), make_reader("out"), make_reader("unverified", verified=False)
    for user in (read, out, unverified):
        _queue(user, "r1")
    Notification.objects.filter(recipient=read).update(read_at=Notification.objects.first().created)  # type: ignore[union-attr]
    set_email(out, DIGEST_KIND, False)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digest(DIGEST_KIND, [read, out, unverified], template=DIGEST) == 0
    assert smtp_server.messages == []


def test_the_digest_is_in_the_recipients_language(
    smtp_server: SMTPRecorder, django_capture_on_commit_callbacks: Any,
) -> None:
    cur = make_reader("cur", languages=["zh-Hant"])
    _queue(cur, "r1", "r2")
    with django_capture_on_commit_callbacks(execute=True):
        send_digest(DIGEST_KIND, [cur], template=DIGEST)
    mail = smtp_server.wait_for(to="cur@example.org")
    assert "則新通知" in mail.subject and "自上次摘要以來" in mail.body


def test_the_command_runs_every_registered_digest(
    smtp_server: SMTPRecorder, django_capture_on_commit_callbacks: Any,
) -> None:
    cur, reader = make_reader("cur"), make_reader("reader")
    _queue(cur, "r1", "r2")
    _queue(reader, "r3")
    before = dict(kinds._DIGESTS)
    register_digest(DIGEST_KIND, lambda: [cur], template=DIGEST)
    try:
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("notify_digest", stdout=out)
    finally:
        kinds._DIGESTS.clear()
        kinds._DIGESTS.update(before)
    assert f"{DIGEST_KIND}: 1" in out.getvalue()
    assert "2 new notifications" in smtp_server.wait_for(to="cur@example.org").subject
    assert [m.recipients for m in smtp_server.messages] == [["cur@example.org"]]


def test_a_digest_that_cannot_be_sent_waits_for_the_next_run(
    settings: Any, smtp_server: SMTPRecorder, django_capture_on_commit_callbacks: Any,
) -> None:
    cur = make_reader("cur")
    _queue(cur, "r1", "r2")
    port = settings.EMAIL_PORT
    settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = 9, 2  # nobody listens
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digest(DIGEST_KIND, [cur], template=DIGEST) == 1  # queued, then failed (logged)
    assert not Notification.objects.filter(digested_at__isnull=False).exists()
    settings.EMAIL_PORT = port
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digest(DIGEST_KIND, [cur], template=DIGEST) == 1
    assert "2 new notifications" in smtp_server.wait_for(to="cur@example.org").subject
