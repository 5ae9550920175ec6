"""The priority recomputation and the curators' digest run on the cluster's periodic scheduler (#19), and the
audience dashboard reads the time to publish from this app's selector (#18)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from mogao.core import periodic
from mogao.digitization.models import Request, Status
from mogao.digitization.selectors import publish_times

from .conftest import Lib


def test_recompute_and_digest_are_registered_periodic_tasks() -> None:
    names = {p.name: p for p in periodic.registered()}
    assert names["digitization.recompute"].task.queue_name == "periodic"
    assert names["digitization.recompute"].every == 60 * 60
    assert names["notify.digest"].every == 24 * 3600


def test_publish_times_counts_published_requests_and_their_median_days(lib: Lib) -> None:
    now = timezone.now()
    rows = []
    for key, days in (("a", 2), ("a2", 4), ("b", 30)):
        req = Request.objects.create(item=lib.items[key], status=Status.PUBLISHED)
        Request.objects.filter(pk=req.pk).update(created=now - timedelta(days=days), published=now)
        rows.append(req)
    Request.objects.create(item=lib.items["partial"])  # still open: not counted
    today = timezone.localdate()
    every: dict[str, Any] = publish_times(today - timedelta(days=7), today)
    assert every == {"published": 3, "median_days": 4.0}
    only_a = publish_times(today, today, frozenset({lib.institutions["A"].pk}))
    assert only_a == {"published": 2, "median_days": 3.0}
    assert publish_times(today, today, frozenset()) == {"published": 0, "median_days": None}
    assert publish_times(today - timedelta(days=30), today - timedelta(days=1))["published"] == 0
