"""notify(): the on-site row, the mail in the recipient's language through a real SMTP server,
who gets mail and who does not, and sending after commit without ever failing the caller (#17)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from mogao.notify import notify
from mogao.notify.models import Notification
from mogao.notify.services import set_email
from mogao.testing.smtp import SMTPRecorder

from .conftest import KIND, TEMPLATE, make_reader

pytestmark = pytest.mark.django_db


def test_notify_stores_the_notification_and_mails_it_after_commit(
    smtp_server: SMTPRecorder, django_capture_on_commit_callbacks: Any,
) -> None:
    ann = make_reader("ann")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        count = notify([ann], KIND, template=TEMPLATE, context={"title": "Scroll <7>"}, url="/items/x/")
        assert smtp_server.messages == []  # nothing leaves before the commit
    assert count == 1 and len(callbacks) == 1
    note = Notification.objects.get(recipient=ann)
    assert note.kind == KIND and note.subject == "Notifications: Scroll <7>" and note.read_at is None
    assert note.body == "Hello ann: Scroll <7> & more." and note.url == "/items/x/"
    mail = smtp_server.wait_for(to="ann@example.org")
    assert mail.subject == "Notifications: Scroll <7>"
    assert "Hello ann: Scroll <7> & more." in mail.body  # plain text: not HTML-escaped
    assert "http://testserver/items/x/" in mail.links() or any(link.endswith("/items/x/") for link in mail.links())
    assert any("/notifications/unsubscribe/" in link for link in mail.links())
    html = mail.message.get_body(preferencelist=("html",))
    assert html is not None and "Scroll &lt;7&gt;" in html.get_content()
    note.refresh_from_db()
    assert note.emailed_at is not None


def test_rolled_back_notification_sends_nothing(smtp_server: SMTPRecorder,
                                                django_capture_on_commit_callbacks: Any) -> None:
    ann = make_reader("ann")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                notify([ann], KIND, template=TEMPLATE, context={"title": "t"}, url="/")
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert callbacks == [] and not Notification.objects.exists()


def _send(recipients: list[Any], capture: Any, **kwargs: Any) -> int:
    with capture(execute=True):
        return notify(recipients, KIND, template=TEMPLATE, context={"title": "A scroll"}, url="/items/x/", **kwargs)


@pytest.mark.parametrize(("languages", "expected"), [
    (["fr"], "Vous recevez ce courriel parce que vous avez un compte Mogao."),
    (["lzh", "zh-Hant", "fr"], "你收到這封郵件，是因為你擁有莫高帳號。"),
    (["zh-Hans"], "你收到这封邮件，是因为你拥有莫高账号。"),
    (["ja", "de"], "You receive this mail because you have a Mogao account."),
    ([], "You receive this mail because you have a Mogao account."),
])
def test_the_mail_is_written_in_the_recipients_language(
    smtp_server: SMTPRecorder, django_capture_on_commit_callbacks: Any, languages: list[str], expected: str,
) -> None:
    ann = make_reader("ann", languages=languages)
    _send([ann], django_capture_on_commit_callbacks)
    mail = smtp_server.wait_for(to="ann@example.org")
    assert expected in mail.body
    html = mail.message.get_body(preferencelist=("html",))
    assert html is not None and expected in html.get_content()


def test_each_recipient_gets_their_own_language_in_one_call(
    smtp_server: SMTPRecorder, django_capture_on_commit_callbacks: Any,
) -> None:
    fr, tw = make_reader("fr", languages=["fr"]), make_reader("tw", languages=["zh-Hant"])
    assert _send([fr, tw], django_capture_on_commit_callbacks) == 2
    assert "courriel" in smtp_server.wait_for(to="fr@example.org").body
    body = smtp_server.wait_for(to="tw@example.org").body
    assert "郵件" in body and "邮件" not in body
    assert Notification.objects.get(recipient=fr).subject == "Notifications: A scroll"  # translated, same word
    assert Notification.objects.get(recipient=tw).subject == "通知: A scroll"


def test_who_gets_a_mail(smtp_server: SMTPRecorder, django_capture_on_commit_callbacks: Any) -> None:
    """On-site for every active recipient, once; mail only to a verified address not opted out."""
    ok = make_reader("ok")
    unverified = make_reader("unverified", verified=False)
    no_address = make_reader("noaddress", email=False)
    opted_out = make_reader("optedout")
    set_email(opted_out, KIND, False)
    inactive = make_reader("inactive")
    inactive.is_active = False
    inactive.save()
    count = _send([ok, unverified, no_address, opted_out, inactive, ok], django_capture_on_commit_callbacks)
    assert count == 4
    assert sorted(Notification.objects.values_list("recipient__username", flat=True)) == [
        "noaddress", "ok", "optedout", "unverified"]
    smtp_server.wait_for(to="ok@example.org")
    assert [m.recipients for m in smtp_server.messages] == [["ok@example.org"]]
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 1


def test_email_false_notifies_on_site_only(smtp_server: SMTPRecorder, django_capture_on_commit_callbacks: Any) -> None:
    ann = make_reader("ann")
    assert _send([ann], django_capture_on_commit_callbacks, email=False) == 1
    assert Notification.objects.filter(recipient=ann).count() == 1 and smtp_server.messages == []


def test_a_mail_server_failure_is_logged_never_raised(
    settings: Any, django_capture_on_commit_callbacks: Any, caplog: pytest.LogCaptureFixture,
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nobody listens
    ann = make_reader("ann")
    with caplog.at_level("ERROR", logger="mogao.notify.services"):
        assert _send([ann], django_capture_on_commit_callbacks) == 1
    assert Notification.objects.get(recipient=ann).emailed_at is None
    assert any("not sent" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "//evil.example/x", "data:text/html,x", "/" + "x" * 1000])
def test_links_must_be_paths_or_http(url: str) -> None:
    with pytest.raises(ValueError):
        notify([make_reader("ann")], KIND, template=TEMPLATE, context={"title": "t"}, url=url)
    assert not Notification.objects.exists()


def test_an_absolute_http_link_is_kept(smtp_server: SMTPRecorder, django_capture_on_commit_callbacks: Any) -> None:
    ann = make_reader("ann")
    with django_capture_on_commit_callbacks(execute=True):
        notify([ann], KIND, template=TEMPLATE, context={"title": "t"}, url="https://iiif.example.org/m.json")
    assert "https://iiif.example.org/m.json" in smtp_server.wait_for(to="ann@example.org").links()
