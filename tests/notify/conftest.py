"""Fixtures of the notification tests (#17): a test kind with its mail templates, readers with
verified addresses, and a helper that runs the after-commit mail sending."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.test import Client

from mogao.accounts.models import profile_of
from mogao.notify import kinds, register_kind

KIND = "notifytest.hello"
DIGEST_KIND = "notifytest.queue"
TEMPLATE = "notifytest/mail/hello"
TEMPLATES = Path(__file__).parent / "templates"


@pytest.fixture(autouse=True)
def test_kind(settings: Any) -> Iterator[str]:
    """The test kinds registered and their templates found, for this test only."""
    engine = dict(settings.TEMPLATES[0])
    engine["DIRS"] = [*engine["DIRS"], TEMPLATES]
    settings.TEMPLATES = [engine]
    before = dict(kinds._KINDS)
    register_kind(KIND, "Test greetings")
    register_kind(DIGEST_KIND, "Test queue digest")
    yield KIND
    kinds._KINDS.clear()
    kinds._KINDS.update(before)


def make_reader(name: str, *, languages: list[str] | None = None, verified: bool = True, email: bool = True) -> Any:
    user = get_user_model().objects.create_user(name, email=f"{name}@example.org" if email else "")
    if email:
        EmailAddress.objects.create(user=user, email=user.email, verified=verified, primary=True)
    if languages is not None:
        profile = profile_of(user)
        assert profile is not None
        profile.languages = languages
        profile.save()
    return user


def signed_in(user: Any, **kwargs: Any) -> Client:
    client = Client(**kwargs)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client
