"""Dashboard (#18): the policy matrix, the institution slice, tables, CSV; open statistics and the API."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from mogao.accounts.models import Curatorship, profile_of
from mogao.audience import rollup, selectors
from mogao.audience.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(world: dict[str, Any]) -> dict[str, Any]:
    day = timezone.localdate()
    a, b = world["item"], world["other"]
    for lang, item, n in (("fr", a, 3), ("zh-hans", b, 2)):
        for i in range(n):
            Event.objects.create(day=day, kind="read_open", language=lang, item_id=item.pk,
                                 institution_id=item.institution_id, visit=f"{lang}{i}")
    Event.objects.create(day=day, kind="search", language="fr", query="=cmd zzyzx", results=0, visit="fr0")
    Event.objects.create(day=day, kind="reaction", language="zh-hans", item_id=b.pk,
                         institution_id=b.institution_id, detail="moved", visit="zh-hans0")
    rollup.rollup_day(day)
    return world


def login(role: str, world: dict[str, Any]) -> Client:
    users = get_user_model().objects
    c = Client()
    if role == "anonymous":
        return c
    user = users.create_user(role, password="pw-long-enough-1", is_staff=role.startswith("curator"),
                             is_superuser=role == "admin")
    if role.startswith("curator"):
        Curatorship.objects.create(user=user, institution=world["a"])
    if role == "manager":
        profile = profile_of(user)
        assert profile is not None
        profile.manager = True
        profile.save()
    c.force_login(user)
    return c


@pytest.mark.parametrize(("role", "status"), [
    ("anonymous", 302), ("reader", 403), ("curator", 200), ("manager", 200), ("admin", 200),
])
def test_policy_matrix(data: dict[str, Any], role: str, status: int) -> None:
    response = login(role, data).get("/dashboard/")
    assert response.status_code == status
    if status == 302:
        assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", ["manager", "admin"])
def test_managers_see_every_institution(data: dict[str, Any], role: str) -> None:
    body = login(role, data).get("/dashboard/").content.decode()
    assert "Diamond Sutra" in body and "Voyage" in body


def test_curator_sees_own_institution_not_the_other(data: dict[str, Any]) -> None:
    c = login("curator", data)
    body = c.get("/dashboard/").content.decode()
    assert "Diamond Sutra" in body and "Voyage" not in body
    # asking for the other institution is ignored: still only their own slice
    body = c.get(f"/dashboard/?institution={data['b'].pk}").content.decode()
    assert "Voyage" not in body
    assert f'value="{data["b"].pk}"' not in body


def test_zero_results_with_suggested_action_and_safe_csv(data: dict[str, Any]) -> None:
    c = login("manager", data)
    body = c.get("/dashboard/").content.decode()
    assert "=cmd zzyzx" in body and "Translate a title" in body
    csv = c.get("/dashboard/?export=zero")
    assert csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode()
    assert "'=cmd zzyzx,1,French" in text  # a formula is neutralised; languages by their names
    langs = c.get("/dashboard/?export=languages").content.decode().splitlines()
    assert langs[0].startswith("Language,Visits,Searches")
    assert any(line.startswith("French,3,1,") for line in langs[1:])


def test_dashboard_in_four_languages(data: dict[str, Any]) -> None:
    c = login("manager", data)
    for lang, word in (("fr", "Tableau"), ("zh-hans", "读者"), ("zh-hant", "讀者")):
        body = c.get("/dashboard/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
        assert word in body, lang


def test_statistics_page_and_api(data: dict[str, Any]) -> None:
    body = Client().get("/statistics/").content.decode()
    assert "Diamond Sutra" in body and "Simplified Chinese" in body and ">zh-hans<" not in body
    assert "chinois simplifié" in Client().get("/statistics/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    api = Client().get("/api/v1/statistics").json()
    langs = {row["language"]: row for row in api["languages"]}
    assert langs["fr"]["reads"] == 3 and langs["zh-hans"]["reads"] == 2
    assert {row["id"] for row in api["items"]} == {data["item"].pid, data["other"].pid}


def test_demand_for_items_reads_rollups(data: dict[str, Any]) -> None:
    got = selectors.demand_for_items([data["item"].pk, data["other"].pk, 999999])
    assert got[data["item"].pk]["reads"] == 3
    assert got[data["other"].pk] == {"reads": 2, "views": 0, "reactions": 1, "clicks": 0}
    assert got[999999]["reads"] == 0
