"""bulkwrite.insert stores exactly what bulk_create_with_history stores, history rows included."""

from __future__ import annotations

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from simple_history.utils import bulk_create_with_history

from mogao.catalogue.models import Item, ItemWork
from mogao.ingest.bulkwrite import insert

pytestmark = pytest.mark.django_db


def _items(institution, prefix: str) -> list[Item]:
    return [
        Item(institution=institution, pid=f"{prefix}-{i}", local_id=f"{prefix}{i}", shelfmark=f"{prefix}.{i}",
             title={"zh-Hant": [f"金剛經 {i}"], "en": ["Diamond “Sutra”"]}, languages=["lzh", "bo"],
             date_expression="咸通九年", year_start=868, year_end=868, item_type="scroll",
             description={} if i % 2 else {"fr": ["l'été"]})
        for i in range(3)
    ]


def _stored(item: Item) -> dict:
    values = model_to_dict(Item.objects.get(pk=item.pk), exclude=["id", "pid", "local_id", "shelfmark", "works"])
    return values


def test_insert_matches_bulk_create_with_history(institution, diamond):
    ours = insert(_items(institution, "a"), key="pid", history=True)
    theirs = bulk_create_with_history(_items(institution, "b"), Item)
    assert all(o.pk and not o._state.adding for o in ours)
    for mine, reference in zip(ours, theirs, strict=True):
        assert _stored(mine) == _stored(reference)
        assert Item.objects.get(pk=mine.pk).title == {"zh-Hant": [mine.title["zh-Hant"][0]], "en": ["Diamond “Sutra”"]}
        history, expected = mine.history.get(), reference.history.get()
        assert (history.history_type, history.history_user_id, history.history_change_reason) == (
            expected.history_type, expected.history_user_id, expected.history_change_reason)
        assert history.id == mine.pk and history.instance.title == mine.title
        assert history.created == Item.objects.get(pk=mine.pk).created
    links = insert([ItemWork(item=ours[0], work=diamond, role="text")])
    assert links[0].pk is None and list(ours[0].works.all()) == [diamond]


def test_insert_needs_a_key_for_history(institution):
    with pytest.raises(ValueError, match="key"):
        insert(_items(institution, "c"), history=True)
    assert insert([]) == []


def test_one_statement_per_table_and_batch(institution, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):  # items (executemany), ids back, history rows (executemany)
        insert(_items(institution, "d"), key="pid", history=True)
    assert Item.history.filter(pid__startswith="d-").count() == 3


def test_batch_signal_reaches_search_once_and_single_receivers_each_time(
    institution, diamond, django_capture_on_commit_callbacks
):
    from django.test.utils import CaptureQueriesContext

    from mogao.catalogue.signals import catalogue_changed, record_changed, records_changed
    from mogao.search import receivers

    items = insert(_items(institution, "e"), key="pid", history=True)
    insert([ItemWork(item=items[0], work=diamond, role="text")])
    heard: list[tuple[str, bool]] = []

    def single(sender, instance, batched=False, **kwargs):
        heard.append((instance.pid, batched))

    catalogue_changed.connect(single, dispatch_uid="test-single")
    receivers._pending().clear()  # an earlier test of this worker may have left ids behind
    try:
        with django_capture_on_commit_callbacks(), CaptureQueriesContext(connection) as queries:
            records_changed(items)
            pending = set(receivers._pending())
        assert pending == {f"item:{i.pid}" for i in items} | {f"work:{diamond.pid}"}
        assert len(queries) == 1  # the works of the whole batch
        assert heard == [(i.pid, True) for i in items]
        receivers._pending().clear()
        with django_capture_on_commit_callbacks():
            record_changed(items[1])
            assert set(receivers._pending()) == {f"item:{items[1].pid}"}
        assert heard[-1] == (items[1].pid, False)
    finally:
        catalogue_changed.disconnect(dispatch_uid="test-single")
        receivers._pending().clear()
