"""Fixtures of the knowledge tests: the built-in demo, loaded once per test that asks for it."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def demo(db: Any) -> dict[str, int]:
    """The built-in demo (people, places, periods, works, items and the two London–Paris joins)."""
    from mogao.demo.loader import demo_load

    return demo_load(echo=lambda _msg: None)


@pytest.fixture
def curator(db: Any) -> Any:
    """A staff user allowed to decide on joins and review mentions."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    user = get_user_model().objects.create_user("kcurator", password="pw-kcurator", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=["catalogue", "knowledge"]))
    return user
