"""Rollups (#18): correct daily counts, no visit kept, idempotent, retention, the task and the CLI."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from click.testing import CliRunner
from django.utils import timezone

from mogao.audience import rollup
from mogao.audience.models import DailyCount, Event

pytestmark = pytest.mark.django_db


def ev(day: Any, kind: str, **fields: Any) -> Event:
    return Event.objects.create(day=day, kind=kind, **fields)


def counts(day: Any, metric: str) -> dict[tuple[str, int, str], int]:
    return {(r.language, r.item_id or r.work_id, r.key): r.count
            for r in DailyCount.objects.filter(day=day, metric=metric)}


def test_rollup_counts_by_language_item_work_and_query(world: dict[str, Any]) -> None:
    day = timezone.localdate() - timedelta(days=1)
    item, inst = world["item"].pk, world["a"].pk
    ev(day, "search", language="fr", query="zzyzx", results=0, visit="v1")
    ev(day, "search", language="fr", query="zzyzx", results=0, visit="v2")
    ev(day, "search", language="zh-hans", query="金刚经", results=4, visit="v3")
    ev(day, "click", language="zh-hans", rank=1, item_id=item, institution_id=inst, visit="v3")
    ev(day, "read_open", language="zh-hans", item_id=item, institution_id=inst, visit="v3")
    ev(day, "read_open", language="fr", item_id=item, institution_id=inst, visit="v4")
    ev(day, "reaction", language="fr", item_id=item, institution_id=inst, detail="moved", visit="v4")
    ev(day, "api", detail="script")
    assert rollup.rollup_day(day) > 0
    assert counts(day, "search") == {("fr", 0, ""): 2, ("zh-hans", 0, ""): 1}
    assert counts(day, "search_shown") == {("zh-hans", 0, ""): 1}
    assert counts(day, "zero") == {("fr", 0, "zzyzx"): 2}
    assert counts(day, "read_open") == {("zh-hans", item, ""): 1, ("fr", item, ""): 1}
    assert counts(day, "reaction") == {("fr", item, "moved"): 1}
    assert counts(day, "visits") == {("fr", 0, ""): 3, ("zh-hans", 0, ""): 1}
    assert counts(day, "search_visits") == {("fr", 0, ""): 2, ("zh-hans", 0, ""): 1}
    assert counts(day, "search_reads") == {("zh-hans", 0, ""): 1}  # v4 read without searching
    assert counts(day, "api") == {("", 0, "script"): 1}
    # the day is over: its visit hashes are blanked, rollups hold none, and a rerun keeps the visits
    assert not Event.objects.exclude(visit="").exists()
    rollup.rollup_day(day)
    assert counts(day, "visits") == {("fr", 0, ""): 3, ("zh-hans", 0, ""): 1}
    assert counts(day, "search") == {("fr", 0, ""): 2, ("zh-hans", 0, ""): 1}  # not doubled
    columns = {f.name for f in DailyCount._meta.get_fields()}
    assert "visit" not in columns and "region" not in columns


def test_work_reads_follow_the_items_works(world: dict[str, Any]) -> None:
    from mogao.catalogue.models import ItemWork, Work

    work = Work.objects.create(pid="w-diamond", title={"en": ["Diamond Sutra"]})
    ItemWork.objects.create(item=world["item"], work=work)
    day = timezone.localdate()
    ev(day, "read_open", language="en", item_id=world["item"].pk, institution_id=world["a"].pk)
    ev(day, "work_view", language="en", target_type="work", target_id=work.pk)
    rollup.rollup_day(day)
    assert counts(day, "work_read") == {("en", work.pk, ""): 1}
    assert counts(day, "work_view") == {("en", work.pk, ""): 1}


def test_retention_deletes_old_raw_events_only(world: dict[str, Any], settings: Any) -> None:
    settings.AUDIENCE_RETENTION_DAYS = 30
    today = timezone.localdate()
    ev(today - timedelta(days=31), "gloss")
    ev(today - timedelta(days=30), "gloss")
    ev(today, "gloss")
    result = rollup.run()
    assert result["deleted"] == 1
    assert sorted(Event.objects.values_list("day", flat=True)) == [today - timedelta(days=30), today]
    # the old day was rolled up before its events went
    assert DailyCount.objects.filter(day=today - timedelta(days=31), metric="gloss").exists()


def test_task_and_cli(world: dict[str, Any]) -> None:
    from mogao.audience.tasks import rollup_task
    from mogao.cli import main

    ev(timezone.localdate(), "gloss", language="fr")
    rollup_task.enqueue()  # immediate backend in tests
    assert DailyCount.objects.filter(metric="gloss", language="fr").get().count == 1
    out = CliRunner().invoke(main, ["audience", "rollup", "--day", timezone.localdate().isoformat()])
    assert out.exit_code == 0, out.output
    assert "rolled up 1 day(s)" in out.output
    assert DailyCount.objects.filter(metric="gloss", language="fr").get().count == 1
    bad = CliRunner().invoke(main, ["audience", "rollup", "--day", "yesterday"])
    assert bad.exit_code != 0
