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


def test_a_batch_announcement_reaches_search_with_one_query(institution, diamond, django_capture_on_commit_callbacks):
    """A bulk insert is announced once per batch; search works out the ids with one query for it."""
    from django.test.utils import CaptureQueriesContext

    from mogao.core import changes
    from mogao.core.changes import ChangeSet
    from mogao.search import receivers

    items = insert(_items(institution, "e"), key="pid", history=True)
    insert([ItemWork(item=items[0], work=diamond, role="text")])
    changes.flush()  # what the fixtures wrote (their commit never comes inside a test's transaction)
    heard: list[ChangeSet] = []

    def subscriber(sender, changes, **kwargs):
        heard.append(changes)

    changes.changes_committed.connect(subscriber, dispatch_uid="test-batch")
    try:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            changes.announce(Item, [i.pk for i in items], stamped=True)
        assert len(callbacks) == 1 and len(heard) == 1  # one announcement, one ChangeSet
        assert heard[0].items == {i.pk for i in items}
        with CaptureQueriesContext(connection) as queries:
            ids = receivers.document_ids(heard[0])
        assert ids == {f"item:{i.pid}" for i in items} | {f"work:{diamond.pid}"}
        assert len(queries) == 1  # the items and their works, for the whole batch
    finally:
        changes.changes_committed.disconnect(dispatch_uid="test-batch")
