"""The priority explains itself: a hand-worked example, the join bonus on the demo's dispersed manuscript."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone

from mogao.catalogue.models import Canvas, Item
from mogao.community.models import Reaction
from mogao.digitization import priority, services, states
from mogao.digitization.models import Request, Status
from mogao.search.expand import fold_text
from mogao.search.models import ZeroResultQuery

from .conftest import Lib

pytestmark = pytest.mark.django_db


def test_hand_worked_example(lib: Lib) -> None:
    item = lib.items["a"]
    for who, purpose in (("reader", "research"), ("reader2", "research"), ("curator_b", "teaching")):
        req = services.request_digitization(user=lib.users[who], item=item, purpose=purpose)[0]
    now = timezone.now()
    key = fold_text(item.shelfmark)
    ZeroResultQuery.objects.create(query=key, language="en", day=now.date(), count=4, last_seen=now)
    ZeroResultQuery.objects.create(query=f"{key} scroll", language="fr", day=now.date(), count=3, last_seen=now)
    ZeroResultQuery.objects.create(query="lotus sutra", language="en", day=now.date(), count=50, last_seen=now)
    Reaction.objects.create(user=lib.users["reader"], content_type=ContentType.objects.get_for_model(Item),
                            object_id=item.pk, kind="curious")
    states.transition(req, Status.ACCEPTED, lib.users["curator_a"])
    services.set_inputs(user=lib.users["curator_a"], request=req, conservation_risk=2, estimated_pages=175)
    req.refresh_from_db()
    # by hand: 3 readers × 10 = 30; 2 purposes × 5 = 10; 4 + 3 matching empty searches = 7;
    # 1 reaction = 1; risk medium (2) × 5 = 10; 175 pages → −(175 // 50) = −3. Total 55.
    assert req.breakdown == [
        {"key": "readers", "count": 3, "points": 30.0},
        {"key": "purposes", "count": 2, "points": 10.0},
        {"key": "searches", "count": 7, "points": 7.0},
        {"key": "reactions", "count": 1, "points": 1.0},
        {"key": "conservation_risk", "count": 2, "points": 10.0},
        {"key": "cost", "count": 175, "points": -3.0},
    ]
    assert req.priority == 55.0 and req.score == 55.0
    page = Client().get(req.get_absolute_url()).content.decode()
    assert '<span class="score">55</span>' in page
    for label in ("distinct readers", "distinct purposes", "searches that found nothing and match the item",
                  "conservation risk", "estimated cost in pages"):
        assert label in page
    api = Client().get(f"/api/v1/digitization/requests/{req.pk}").json()
    assert api["priority"] == 55.0 and [p["points"] for p in api["breakdown"]] == [30, 10, 10, 7, -3, 1]
    # the curator's override wins, with its reason; the computed breakdown stays
    services.set_inputs(user=lib.users["curator_a"], request=req, override_score=80, override_reason="Exhibition")
    req.refresh_from_db()
    assert (req.score, req.priority, req.override_reason) == (80, 55.0, "Exhibition")


def test_views_are_read_from_the_audience_rollups(lib: Lib) -> None:
    from mogao.audience.models import DailyCount

    item = lib.items["a"]
    req = services.request_digitization(user=lib.users["reader"], item=item, purpose="research")[0]
    fields = {f.name for f in DailyCount._meta.concrete_fields}
    row = {"metric": "item_view", "item_id": item.pk, "day": timezone.localdate(), "count": 37}
    DailyCount.objects.create(**{k: v for k, v in row.items() if k in fields})
    priority.recompute([req.pk])
    req.refresh_from_db()
    assert {"key": "views", "count": 37, "points": 3.7} in req.breakdown


def test_the_demo_join_fragment_gets_the_dispersed_manuscript_bonus(db: None, settings: Any) -> None:
    from mogao.demo.loader import load_builtin

    settings.DIGITIZATION_REQUEST_RATE = "1000/hour"
    load_builtin()
    london = Item.objects.get(shelfmark="Or.8210/S.3969")
    paris = Item.objects.get(shelfmark="Pelliot chinois 3884")
    Canvas.objects.filter(item__in=[london, paris]).update(image_id="", service_url="")
    from django.contrib.auth import get_user_model

    reader = get_user_model().objects.create_user("dg-join-reader")
    req = services.request_digitization(user=reader, item=london, purpose="research")[0]
    priority.recompute([req.pk])
    req.refresh_from_db()
    assert "completes_join" not in [p["key"] for p in req.breakdown]  # the Paris part is not online either
    Canvas.objects.update_or_create(item=paris, order=1, defaults={"image_id": "p3884-1", "width": 10, "height": 10})
    priority.recompute([req.pk])
    req.refresh_from_db()
    assert {"key": "completes_join", "count": 1, "points": 25.0} in req.breakdown
    assert req.priority == 10 + 5 + 25 + sum(p["points"] for p in req.breakdown
                                             if p["key"] not in ("readers", "purposes", "completes_join"))
    page = Client().get(req.get_absolute_url()).content.decode()
    assert "completes a dispersed manuscript" in page
    assert Request.objects.filter(item=paris).count() == 0
