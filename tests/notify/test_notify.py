"""notify(): the on-site row, the mail in the recipient's language through a real SMTP server,
who gets mail and who does not, and sending after commit without ever failing the caller (#17)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from tests.notify.conftest import KIND, TEMPLATE, make_reader

from mogao.notify import notify
from mogao.notify.models import Notification
from mogao.testing.smtp import SMTPRecorder

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
