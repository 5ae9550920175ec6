"""Reader corrections are throttled per account (fault 14): a clear message, nothing saved."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from mogao.catalogue.models import Item
from mogao.reading.models import Correction

pytestmark = pytest.mark.django_db


def test_a_burst_of_corrections_is_refused_with_a_clear_message(
    client: Client, diamond: Item, reader: Any, settings
) -> None:
    settings.CORRECTION_RATE = "5/day"
    client.force_login(reader)
    url = f"/items/{diamond.pid}/read/1/lines/0/correct"
    codes = [client.post(url, {"text": f"如是我聞 {n}"}).status_code for n in range(5)]
    assert codes == [302] * 5
    refused = client.post(url, {"text": "如是我聞 again"})
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
    assert "many corrections in a short time" in refused.content.decode()
    assert "如是我聞 again" in refused.content.decode(), "the reader's text is kept in the form"
    assert Correction.objects.count() == 5

    # the limit is per account: another reader is not held back
    other = get_user_model().objects.create_user("other-reader", password="x-unused-password-1")
    client.force_login(other)
    assert client.post(url, {"text": "如是我聞 other"}).status_code == 302
    assert Correction.objects.count() == 6
