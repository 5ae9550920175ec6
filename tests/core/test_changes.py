"""The change-channel contract: every write path reaches every subscriber after the commit.

Each case writes through one path (services, admin form, admin action, admin history revert, API,
CSV bulk and per-record imports, text import, JSON Lines re-import, ``QuerySet.update``, a worker
task), runs the commit's callbacks, and checks what every subscriber keeps: the search document
(equal to what the record makes now, or gone), the OAI-PMH datestamp or tombstone, the IIIF
Change Discovery activity and the catalogue generation of the page caches. Nothing may happen
before the commit. Runs on SQLite and on PostgreSQL (``MOGAO_DATABASE_URL``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from mogao.catalogue import services
from mogao.catalogue.models import Canvas, Item, Transcription, Visibility
from mogao.core import changes, generation
from mogao.discovery import changes as discovery
from mogao.iiif.presentation.selectors import manifest_item_qs
from mogao.oai.models import Tombstone
from mogao.search import documents
from mogao.search.backends import get_backend, reset_backend

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db: None, settings: Any) -> Iterator[None]:
    from mogao.demo.loader import demo_load

    settings.BASE_URL = "https://mogao.example"
    reset_backend()
    demo_load(echo=lambda *_: None)
    from mogao.stories.models import Story

    Story.objects.all().delete()  # the demo stories (#16) protect the pages these tests delete
    changes.flush()  # the demo's own commit (never comes inside a test's transaction)
    yield
    reset_backend()


def indexed(doc_id: str) -> Any:
    entry = get_backend()._entries.get(doc_id)  # the memory engine of the tests
    return entry.doc if entry is not None else None


class Probe:
    """What every subscriber shows for one item, before and after a write."""

    def __init__(self, pid: str) -> None:
        self.pid = pid
        self.generation = generation.current()
        self.started: datetime = timezone.now()
        self.had_manifest = manifest_item_qs().filter(pid=pid).exists()

    def activity(self) -> discovery.Activity | None:
        found = [a for a in discovery.activities(offset=0, limit=discovery.total()) if a.pid == self.pid]
        assert len(found) <= 1, "a manifest appears once in the stream"
        return found[0] if found else None

    def live(self, *, expect_text: str | None = None) -> None:
        item = Item.objects.get(pid=self.pid)
        assert generation.current() > self.generation, "page caches: generation not raised"
        doc = indexed(f"item:{self.pid}")
        assert doc is not None and doc == documents.document_for(f"item:{self.pid}"), "search document stale"
        if expect_text:
            assert expect_text in json.dumps(doc.text, ensure_ascii=False), "search: change not indexed"
        assert item.updated >= self.started, "OAI datestamp / sitemap lastmod not moved"
        assert not Tombstone.objects.filter(pid=self.pid).exists()
        if manifest_item_qs().filter(pid=self.pid).exists():
            activity = self.activity()
            assert activity is not None and activity.kind in {"Update", "Create"} and activity.when >= self.started

    def gone(self, reason: str) -> None:
        assert generation.current() > self.generation, "page caches: generation not raised"
        assert indexed(f"item:{self.pid}") is None, "search still lists it"
        tombstone = Tombstone.objects.filter(pid=self.pid).first()
        assert tombstone is not None and tombstone.reason == reason, "OAI: no tombstone"
        assert tombstone.deleted_at >= self.started
        if self.had_manifest:
            activity = self.activity()
            assert activity is not None and activity.kind == "Delete", "Change Discovery: no Delete"


@pytest.fixture
def commit(django_capture_on_commit_callbacks: Any) -> Callable[..., Any]:
    """Run ``write`` in a transaction, check nothing happened yet, then commit (run the callbacks)."""

    def run(write: Callable[[], Any], probe: Probe | None = None) -> Any:
        before = generation.current()
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            result = write()
            assert generation.current() == before, "a subscriber ran before the commit"
        assert callbacks, "nothing waits for the commit"
        return result

    return run


def _item(**filters: Any) -> Item:
    item = manifest_item_qs().filter(**filters).order_by("pid").first()
    assert item is not None
    return item


@pytest.fixture
def admin_client(demo: None) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.create_superuser("root", password="x-unused-password-1"))
    return client


def item_form(item: Item, **overrides: Any) -> dict[str, Any]:
    """The item change form as a browser posts it (language maps as rows, no inline rows)."""
    data: dict[str, Any] = {
        "institution": item.institution_id, "collection": item.collection_id or "", "shelfmark": item.shelfmark,
        "local_id": item.local_id, "item_type": item.item_type, "date_expression": item.date_expression,
        "year_start": "" if item.year_start is None else item.year_start,
        "year_end": "" if item.year_end is None else item.year_end, "period": item.period_id or "",
        "dimensions": item.dimensions, "extent": item.extent, "languages": json.dumps(item.languages),
        "find_place": item.find_place_id or "", "acquired_by": item.acquired_by_id or "",
        "acquisition_year": item.acquisition_year or "", "rights": item.rights,
        "digitization_status": item.digitization_status, "visibility": item.visibility,
        "item_works-TOTAL_FORMS": "0", "item_works-INITIAL_FORMS": "0",
        "canvases-TOTAL_FORMS": "0", "canvases-INITIAL_FORMS": "0",
    }
    if item.allow_download:
        data["allow_download"] = "on"
    for name in ("title", "description", "material", "provenance", "notes"):
        rows = [(tag, text) for tag, texts in getattr(item, name).items() for text in texts]
        for i, (tag, text) in enumerate([*rows, ("", "")]):
            data[f"{name}-lang-{i}"] = tag
            data[f"{name}-text-{i}"] = text
    data.update(overrides)
    return data


def _title_rows(item: Item, text: str) -> dict[str, str]:
    rows = [(tag, t) for tag, texts in item.title.items() for t in texts]
    return {f"title-lang-{len(rows)}": "en", f"title-text-{len(rows)}": text}


# ---------------------------------------------------------------------------- the write paths


def test_catalogue_service(demo: None, commit: Any) -> None:
    item = _item()
    probe = Probe(item.pid)
    commit(lambda: services.item_upsert(institution=item.institution, shelfmark=item.shelfmark,
                                        local_id=item.local_id, title={**item.title, "de": ["Quokkaservice"]}), probe)
    probe.live(expect_text="Quokkaservice")


def test_catalogue_service_on_a_part(demo: None, commit: Any) -> None:
    item = _item()
    probe = Probe(item.pid)
    commit(lambda: services.canvas_upsert(item=item, order=99, label={"en": ["Quokkapage"]}), probe)
    probe.live()
    canvas = Canvas.objects.get(item=item, order=99)
    probe = Probe(item.pid)
    commit(lambda: Transcription.objects.create(canvas=canvas, text="Quokkatext 觀自在菩薩"), probe)
    probe.live(expect_text="Quokkatext")


def test_admin_change_form(admin_client: Client, commit: Any) -> None:
    item = _item()
    probe = Probe(item.pid)
    data = item_form(item, **_title_rows(item, "Quokkaadmin"))
    response = commit(lambda: admin_client.post(f"/admin/catalogue/item/{item.pk}/change/", data), probe)
    assert response.status_code == 302, response.content.decode()[:2000]
    probe.live(expect_text="Quokkaadmin")
    probe = Probe(item.pid)
    data = item_form(Item.objects.get(pk=item.pk), visibility=Visibility.PRIVATE)
    response = commit(lambda: admin_client.post(f"/admin/catalogue/item/{item.pk}/change/", data), probe)
    assert response.status_code == 302, response.content.decode()[:2000]
    probe.gone("private")


def test_admin_action(admin_client: Client, commit: Any) -> None:
    item = _item()
    probe = Probe(item.pid)
    data = {"action": "delete_selected", "_selected_action": [item.pk], "post": "yes"}
    response = commit(lambda: admin_client.post("/admin/catalogue/item/", data), probe)
    assert response.status_code == 302 and not Item.objects.filter(pk=item.pk).exists()
    probe.gone("deleted")


def test_admin_history_revert(admin_client: Client, commit: Any) -> None:
    item = _item()
    services.item_upsert(institution=item.institution, shelfmark=item.shelfmark, local_id=item.local_id,
                         title={**item.title, "de": ["Quokkaold"]})
    changes.flush()
    old = next(h for h in item.history.order_by("-history_date", "-history_id") if "de" in h.title)
    services.item_upsert(institution=item.institution, shelfmark=item.shelfmark, local_id=item.local_id,
                         title=item.title)
    changes.flush()
    assert "Quokkaold" not in json.dumps(indexed(f"item:{item.pid}").text)
    probe = Probe(item.pid)
    data = item_form(old.instance)
    url = f"/admin/catalogue/item/{item.pk}/history/{old.history_id}/"
    response = commit(lambda: admin_client.post(url, data), probe)
    assert response.status_code == 302, response.content.decode()[:2000]
    probe.live(expect_text="Quokkaold")


def test_api_write(demo: None, client: Client, commit: Any) -> None:
    from mogao.api.services import token_create

    user = get_user_model().objects.create_superuser("api-root", password="x-unused-password-1")
    token = token_create(user=user, name="contract")[1]
    item = _item()
    probe = Probe(item.pid)
    response = commit(lambda: client.patch(
        f"/api/v1/items/{item.pid}", data=json.dumps({"visibility": "withdrawn"}),
        content_type="application/json", headers={"authorization": f"Bearer {token}"},
    ), probe)
    assert response.status_code == 200, response.content
    probe.gone("withdrawn")


def _csv(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "items.csv"
    header = "identifier,institution,shelfmark,title@zh-Hant,title@en,languages,date,type,works,description@en"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def _run_csv(path: Path) -> Any:
    from mogao.ingest.pipeline import run_source, run_start
    from mogao.ingest.sources.csv import CsvSource

    return run_source(CsvSource(path), run_start(kind="csv", source=str(path)), batch_size=50)


def test_csv_bulk_and_per_record_imports(demo: None, commit: Any, tmp_path: Path) -> None:
    rows = [f"Q{i},BL,Quokka {i},金剛經 {i},Quokkacsv copy {i},lzh,868,scroll,taisho:T0235,A scroll" for i in range(3)]
    inst = Item.objects.filter(institution__code="BL").first()
    assert inst is not None
    before, started = generation.current(), timezone.now()
    run = commit(lambda: _run_csv(_csv(tmp_path, rows)))
    assert run.created_count == 3, list(run.errors.values_list("message"))
    created = Item.objects.get(local_id="Q1")
    probe = Probe(created.pid)  # what the bulk path created, checked as of before the import
    probe.generation, probe.started = before, started
    probe.live(expect_text="Quokkacsv")
    assert indexed("work:t0235-diamond-sutra") == documents.document_for("work:t0235-diamond-sutra")
    # a changed row goes through the per-record (slow) path
    rows[1] = rows[1].replace("A scroll", "A Quokkaslow scroll")
    probe = Probe(created.pid)
    run = commit(lambda: _run_csv(_csv(tmp_path, rows)), probe)
    assert run.updated_count == 1
    probe.live(expect_text="Quokkaslow")


def test_text_source_import(demo: None, commit: Any, tmp_path: Path) -> None:
    from mogao.ingest.pipeline import run_source, run_start
    from mogao.ingest.sources.texts import TextMapping, TextSource

    institution = Item.objects.first().institution  # type: ignore[union-attr]
    path = tmp_path / "poems.json"
    mapping = TextMapping.from_dict({"identifier": "quokka-poems", "title": {"zh-Hant": ["唐詩"]},
                                     "sections": "$[*]", "label": ["chapter"], "label_language": "zh-Hant",
                                     "language": "lzh-Hant"})

    def load(text: str) -> Any:
        path.write_text(json.dumps([{"chapter": "一", "paragraphs": text}], ensure_ascii=False), encoding="utf-8")
        run = run_start(kind="json", source=str(path), institution_code=institution.code)
        return run_source(TextSource([(path, mapping)], institution=institution), run)

    load("白日依山盡")
    changes.flush()
    item = Item.objects.get(local_id="quokka-poems")
    probe = Probe(item.pid)
    run = commit(lambda: load("黃河入海流 Quokkapoem"), probe)
    assert run.updated_count == 1
    probe.live(expect_text="Quokkapoem")


def test_jsonl_reimport(demo: None, commit: Any) -> None:
    from mogao.export.records import item_record
    from mogao.export.reimport import import_jsonl

    item = _item()
    record = item_record(item)
    record["title"] = {**record["title"], "de": ["Quokkajsonl"]}
    probe = Probe(item.pid)
    report = commit(lambda: import_jsonl([json.dumps(record, ensure_ascii=False)]), probe)
    assert report.ok, report.errors
    probe.live(expect_text="Quokkajsonl")


def test_queryset_update(demo: None, commit: Any) -> None:
    item = _item()
    probe = Probe(item.pid)
    commit(lambda: Item.objects.filter(pk=item.pk).update(title={"en": ["Quokkaupdate"]}), probe)
    probe.live(expect_text="Quokkaupdate")
    probe = Probe(item.pid)
    commit(lambda: Item.objects.filter(pk=item.pk).update(visibility=Visibility.WITHDRAWN), probe)
    probe.gone("withdrawn")
    probe = Probe(item.pid)
    commit(lambda: Item.objects.filter(pk=item.pk).update(visibility=Visibility.PUBLIC), probe)
    probe.live()


def test_worker_task(demo: None, commit: Any, tmp_path: Path) -> None:
    """An import run executed by the task worker (the tests' tasks backend runs it at once)."""
    from mogao.ingest.models import IngestRun
    from mogao.ingest.pipeline import run_start
    from mogao.ingest.tasks import ingest_run_task

    item = _item(institution__code="BL")
    row = f"Q-{item.pk},BL,{item.shelfmark},{item.title.get('zh-Hant', ['x'])[0]},Quokkaworker,lzh,868,scroll,,"
    path = _csv(tmp_path, [row])
    run = run_start(kind="csv", source=str(path))
    probe = Probe(item.pid)
    commit(lambda: ingest_run_task.enqueue(run.pk), probe)
    assert IngestRun.objects.get(pk=run.pk).updated_count == 1
    probe.live(expect_text="Quokkaworker")


def test_deleting_a_record_and_a_rollback(demo: None, commit: Any, django_capture_on_commit_callbacks: Any) -> None:
    from django.db import transaction

    item = _item()
    probe = Probe(item.pid)
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                Item.objects.get(pk=item.pk).delete()
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert generation.current() == probe.generation and indexed(f"item:{item.pid}") is not None
    assert not Tombstone.objects.filter(pid=item.pid).exists()
    commit(lambda: Item.objects.get(pk=item.pk).delete(), probe)
    probe.gone("deleted")


def test_one_channel_only(db: None) -> None:
    """No other Mogao code listens to the model signals of watched models: they all go through here."""
    from django.apps import apps
    from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label not in changes.WATCHED_APPS:
            continue
        for signal in (pre_save, post_save, pre_delete, post_delete, m2m_changed):
            modules = {getattr(r, "__module__", "") for r in signal._live_receivers(model)[0]}
            ours = {m for m in modules if m.startswith("mogao.")}
            assert ours <= {"mogao.core.changes"}, (model, signal, ours)
