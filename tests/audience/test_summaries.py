"""The dashboard's pre-aggregated tables (#18): whole months from the monthly tables, the days around them
from the daily ones, and top lists whose counts are exact over any range."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from mogao.audience import rollup, selectors, views
from mogao.audience.models import DailyTop, Event, MonthlyTop, MonthlyTotal

pytestmark = pytest.mark.django_db


def test_spans_split_a_range_into_whole_months_and_edge_days() -> None:
    r = selectors.Range(date(2026, 1, 15), date(2026, 4, 3))
    assert selectors._spans(r) == ([date(2026, 2, 1), date(2026, 3, 1)],
                                   [(date(2026, 1, 15), date(2026, 1, 31)), (date(2026, 4, 1), date(2026, 4, 3))])
    assert selectors._spans(selectors.Range(date(2026, 3, 1), date(2026, 3, 31))) == ([date(2026, 3, 1)], [])
    assert selectors._spans(selectors.Range(date(2026, 3, 2), date(2026, 3, 31))) == (
        [], [(date(2026, 3, 2), date(2026, 3, 31))])


def test_sums_and_top_lists_are_exact_across_months(world: dict[str, Any]) -> None:
    a, b = world["item"], world["other"]
    today = timezone.localdate()
    days = [today - timedelta(days=d) for d in range(75)]
    expected = {"fr": {a.pk: 0, b.pk: 0}, "zh-hans": {a.pk: 0, b.pk: 0}}
    for i, day in enumerate(days):
        for lang, item, n in (("fr", a, 1 + i % 2), ("fr", b, 1), ("zh-hans", b, i % 3)):
            for _ in range(n):
                Event.objects.create(day=day, kind="read_open", language=lang, item_id=item.pk,
                                     institution_id=item.institution_id)
            expected[lang][item.pk] += n
        Event.objects.create(day=day, kind="story_step", language="fr", target_type="story", target_id=3, page=1)
    rollup.run(days=days, delete=False)
    assert MonthlyTotal.objects.exists() and MonthlyTop.objects.exists() and DailyTop.objects.exists()
    r = selectors.Range(days[-1], today)
    assert selectors._spans(r)[0], "the range holds at least one whole month"
    reads = selectors.by_language("read", r)
    assert reads == {lang: sum(v.values()) for lang, v in expected.items()}
    top = {(x["language"], x["item_id"]): x["count"] for x in selectors.top_items(r)}
    assert top == {(lang, pk): n for lang, v in expected.items() for pk, n in v.items() if n}
    # the dashboard answers the same from its prefetched totals and candidates
    data = views.sections(r)
    assert ["French", "Diamond Sutra", expected["fr"][a.pk]] in data["items"]["rows"]
    assert ["French", "#3", "Step 1", 75] in data["stories"]["rows"]
    # one institution: the other's item is not among its reads
    one = selectors.Range(r.start, r.end, frozenset({world["a"].pk}))
    assert {x["item_id"] for x in selectors.top_items(one)} == {a.pk}
    assert selectors.by_language("read", one, per_institution=True) == {"fr": expected["fr"][a.pk]}
