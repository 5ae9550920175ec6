"""A real SMTP server on loopback for tests (#15): ``smtp_server`` runs aiosmtpd and keeps every
message it receives; Django's SMTP backend is pointed at it for the test.

Use it in any test that sends mail through the site (unit tests with the test client, or browser
tests against the live server)::

    def test_mail(smtp_server, client):
        client.post("/accounts/signup/", {...})
        message = smtp_server.wait_for(to="reader@example.org")
        assert "confirm" in message.body

Registered by :mod:`mogao.testing.pytest_plugin`. aiosmtpd is a development dependency, imported
only when the fixture runs.
"""

from __future__ import annotations

import email
import email.policy
import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

import pytest


@dataclass(frozen=True)
class ReceivedMail:
    """One message as the server received it."""

    sender: str
    recipients: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message.get("Subject", ""))

    @property
    def body(self) -> str:
        """The text/plain part (or the only part), decoded."""
        part = self.message.get_body(preferencelist=("plain", "html"))
        return str(part.get_content()) if part is not None else ""

    def links(self) -> list[str]:
        """Every http(s) link in the body, in order."""
        return re.findall(r"https?://[^\s<>\"']+", self.body)


class _Handler:
    def __init__(self, box: SMTPRecorder) -> None:
        self.box = box

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.original_content or envelope.content,
                                          policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        self.box.add(ReceivedMail(envelope.mail_from, list(envelope.rcpt_tos), parsed))
        return "250 Message accepted for delivery"


class SMTPRecorder:
    """An aiosmtpd server on 127.0.0.1 (a free port) that records what it receives."""

    def __init__(self) -> None:
        self.host = "127.0.0.1"
        self.port = _free_port()
        self.messages: list[ReceivedMail] = []
        self._lock = threading.Condition()
        self._controller: Any = None

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self._controller = Controller(_Handler(self), hostname=self.host, port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def add(self, mail: ReceivedMail) -> None:
        with self._lock:
            self.messages.append(mail)
            self._lock.notify_all()

    def clear(self) -> None:
        with self._lock:
            self.messages.clear()

    def wait_for(self, *, to: str | None = None, count: int = 1, timeout: float = 30.0) -> ReceivedMail:
        """The latest message to ``to`` (any recipient when ``None``), once ``count`` have arrived."""
        deadline = time.monotonic() + timeout

        def matching() -> list[ReceivedMail]:
            return [m for m in self.messages if to is None or to in m.recipients]

        with self._lock:
            while len(matching()) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no mail to {to!r} within {timeout}s (got {len(self.messages)} in all)")
                self._lock.wait(left)
            return matching()[-1]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[SMTPRecorder]:
    """A running SMTP server on loopback; the site's mail goes to it through Django's SMTP backend."""
    server = SMTPRecorder()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = server.host
    settings.EMAIL_PORT = server.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    try:
        yield server
    finally:
        server.stop()
