"""Indexing after commit: catalogue and knowledge changes reach the engine, rollbacks do not."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from django.db import transaction

from mogao.catalogue import services as catalogue
from mogao.catalogue.models import Canvas, Item, Transcription, Work
from mogao.knowledge.models import Person
from mogao.search import documents, services
from mogao.search.backends import get_backend, reset_backend
from mogao.search.types import Phrase, SearchQuery, Term


def ids_for(text: str, *, field: str | None = None, phrase: bool = False) -> set[str]:
    node = Phrase(text, field) if phrase else Term(text, field)
    return {h.id for h in get_backend().search(SearchQuery(root=node, limit=100)).hits}


@pytest.mark.django_db
def test_demo_load_builds_the_whole_index(demo: dict[str, int]) -> None:
    assert get_backend().count() == documents.count_all() > 30
    assert "work:t0235-diamond-sutra" in ids_for("金剛經")


@pytest.mark.django_db
def test_a_change_is_indexed_after_commit(demo: dict[str, int], django_capture_on_commit_callbacks: Any) -> None:
    work = Work.objects.get(pid="t0251-heart-sutra")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        catalogue.work_upsert(pid=work.pid, aliases=[*work.aliases, "Prajñāpāramitā hṛdaya"])
        # inside the transaction nothing has been written to the engine yet
        assert "work:t0251-heart-sutra" not in ids_for("hrdaya")
    assert callbacks, "the change queued its indexing for the commit"
    for callback in callbacks:
        callback()
    assert "work:t0251-heart-sutra" in ids_for("hrdaya")


@pytest.mark.django_db
def test_a_rolled_back_change_queues_nothing(demo: dict[str, int], django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                catalogue.work_upsert(pid="t0251-heart-sutra", aliases=["Rolled back title"])
                raise RuntimeError("abort")
        except RuntimeError:
            pass
    assert ids_for("rolled back title") == set()


@pytest.mark.django_db
def test_item_change_reindexes_its_work_and_delete_removes(
    demo: dict[str, int], django_capture_on_commit_callbacks: Any
) -> None:
    item = Item.objects.get(shelfmark="Or.8210/S.3326")
    with django_capture_on_commit_callbacks(execute=True):
        catalogue.item_upsert(
            institution=item.institution, shelfmark=item.shelfmark,
            works=[(Work.objects.get(pid="t0262-lotus-sutra"), "text")],
        )
    work_doc = get_backend().search(SearchQuery(root=Term("t0262-lotus-sutra", "work"), limit=50))
    assert f"item:{item.pid}" in {h.id for h in work_doc.hits}
    # the Lotus Sutra's document now lists the British Library among its holders
    lotus = documents.document_for("work:t0262-lotus-sutra")
    assert lotus is not None and item.institution.pid in lotus.filters["institution"]
    with django_capture_on_commit_callbacks(execute=True):
        item.delete()
    assert f"item:{item.pid}" not in ids_for("敦煌星圖")


@pytest.mark.django_db
def test_people_and_transcriptions_are_indexed(demo: dict[str, int], django_capture_on_commit_callbacks: Any) -> None:
    person = Person.objects.get(pid="kumarajiva")
    with django_capture_on_commit_callbacks(execute=True):
        person.aliases = [*person.aliases, "Kumarajiva the Translator"]
        person.save()
    assert {"person:kumarajiva", "work:t0235-diamond-sutra"} <= ids_for("kumarajiva translator")
    item = Item.objects.get(shelfmark="Or.8210/P.2")
    with django_capture_on_commit_callbacks(execute=True):
        canvas = Canvas.objects.create(item=item, order=99)
        Transcription.objects.create(canvas=canvas, text="測試轉寫雲門飛鳥龜茲")
    assert f"item:{item.pid}" in ids_for("雲門飛鳥", phrase=True)
    with django_capture_on_commit_callbacks(execute=True):
        canvas.delete()
    assert f"item:{item.pid}" not in ids_for("雲門飛鳥", phrase=True)


@pytest.mark.django_db
def test_index_documents_skips_malformed_ids_and_deletes_missing_ones(demo: dict[str, int]) -> None:
    assert services.index_documents(ids=["garbage", "item:no-such-item"]) == (0, 1)


@pytest.mark.django_db
def test_cli_rebuild(demo: dict[str, int]) -> None:
    from mogao.cli import main

    get_backend().clear()
    result = CliRunner().invoke(main, ["index", "rebuild"])
    assert result.exit_code == 0, result.output
    assert f"Indexed {documents.count_all()} documents" in result.output
    assert get_backend().count() == documents.count_all()
    bad = CliRunner().invoke(main, ["index", "update", "nonsense"])
    assert bad.exit_code == 2 and "not a search document id" in bad.output
    ok = CliRunner().invoke(main, ["index", "update", "work:t0235-diamond-sutra"])
    assert ok.exit_code == 0 and "Written 1" in ok.output


@pytest.mark.django_db
def test_a_changed_record_is_searchable_after_the_commit_on_tantivy(
    demo: dict[str, int], settings: Any, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    """Behaviour, not timing: nothing before the commit; after the commit and the task, found.

    Both a service write and a bare ``QuerySet.update`` (as a script or a worker might do) reach
    the engine (fault #21: this test used to assert "within a second" of wall-clock time).
    """
    settings.SEARCH_URL = f"tantivy://{tmp_path / 'index'}"
    reset_backend()
    services.index_rebuild()
    assert get_backend().name == "tantivy"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        catalogue.work_upsert(pid="t0262-lotus-sutra", aliases=["Saddharmapundarika"])
        Work.objects.filter(pid="t0251-heart-sutra").update(aliases=["Hridayasutra"])
    assert ids_for("saddharmapundarika") == ids_for("hridayasutra") == set()
    assert callbacks, "the indexing waits for the commit"
    for callback in callbacks:  # the commit; the tasks backend of the tests runs tasks at once
        callback()
    assert "work:t0262-lotus-sutra" in ids_for("saddharmapundarika")
    assert "work:t0251-heart-sutra" in ids_for("hridayasutra")


@pytest.mark.django_db
def test_vocabulary_follows_changes_made_by_another_process(demo: dict[str, int]) -> None:
    from django.utils import timezone

    from mogao.search import expand

    assert "舍利弗經" not in expand.vocabulary().haystack
    # a worker process changed the record: no signal here, no shared cache, only the database
    Work.objects.filter(pid="t0262-lotus-sutra").update(aliases=["舍利弗經"], updated=timezone.now())
    expand._signature = None  # as if SIGNATURE_TTL had passed
    assert "舍利弗经" in expand.vocabulary().haystack  # folded form


@pytest.mark.django_db
def test_rebuild_with_worker_processes_writes_the_same_index(
    demo: dict[str, int], settings: Any, tmp_path: Path
) -> None:
    """`mogao index rebuild --processes 2`: tokenized in two workers, same documents, same hits."""
    from mogao.cli import main

    settings.SEARCH_URL = f"tantivy://{tmp_path / 'index'}"
    reset_backend()
    services.index_rebuild()
    single = {q: ids_for(q) for q in ("金剛經", "Diamond Sutra", "P.3532", "Kumarajiva")}
    result = CliRunner().invoke(main, ["index", "rebuild", "--processes", "2"])
    assert result.exit_code == 0, result.output
    assert get_backend().count() == documents.count_all()
    assert {q: ids_for(q) for q in single} == single
    assert all(single.values())
    refused = CliRunner().invoke(main, ["index", "rebuild", "--processes", "0"])
    assert refused.exit_code == 2 and "--processes" in refused.output
