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
def curator(demo: dict[str, int]) -> Any:
    """A staff user curating every demo institution: the policy lets them decide joins and mentions."""
    from django.contrib.auth import get_user_model

    from mogao.accounts.models import Curatorship
    from mogao.catalogue.models import Institution

    user = get_user_model().objects.create_user("kcurator", password="pw-kcurator", is_staff=True)
    for institution in Institution.objects.all():
        Curatorship.objects.create(user=user, institution=institution)
    return user
