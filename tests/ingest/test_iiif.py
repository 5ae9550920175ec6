"""IIIF import: every real v2/v3 manifest and collection in ../shared/data/iiif, idempotence, URLs."""

from __future__ import annotations

import json

import pytest

from mogao.catalogue.models import Canvas, Item
from mogao.ingest.models import IngestError, Structure
from mogao.ingest.pipeline import run_source, run_start
from mogao.ingest.sources.iiif import IiifSource

pytestmark = [pytest.mark.django_db, pytest.mark.shared_data]


def manifests(shared):
    return sorted(p for p in (shared / "iiif").glob("v*/*.json"))


def import_one(path, institution, **kw):
    run = run_start(kind="iiif", source=str(path), institution_code=institution.code)
    return run_source(IiifSource(str(path), institution=institution, **kw), run)


def test_every_shared_manifest_imports(shared_data, institution):
    paths = manifests(shared_data)
    assert len(paths) >= 40
    for path in paths:
        doc = json.loads(path.read_text())
        kind = str(doc.get("type") or doc.get("@type")).split(":")[-1]
        run = import_one(path, institution)
        errors = list(IngestError.objects.filter(run=run, is_warning=False).values_list("message", flat=True))
        assert run.status == "done" and run.failed_count == 0, (path.name, errors)
        if kind == "Manifest":
            assert run.created_count == 1, path.name
            item = Item.objects.get(institution=institution, local_id=doc.get("id") or doc.get("@id"))
            assert item.title, path.name
            canvases = doc.get("items") if "items" in doc else doc["sequences"][0]["canvases"]
            wanted = [c for c in canvases if "Canvas" in str(c.get("type") or c.get("@type"))]
            assert item.canvases.count() == len(wanted)
            assert Structure.objects.filter(item=item).exists()
        else:
            assert run.created_count == 0 and IngestError.objects.filter(run=run, is_warning=True).exists()
        again = import_one(path, institution)
        assert again.created_count == again.updated_count == 0, path.name


def test_v2_manifest_details(shared_data, institution):
    path = shared_data / "iiif/v2/prezi2to3_bl.manifest.json"
    import_one(path, institution)
    item = Item.objects.get(local_id=json.loads(path.read_text())["@id"])
    assert item.canvases.count() == 462
    canvas = item.canvases.get(order=1)
    assert canvas.service_url.startswith("https://") and not canvas.image_id
    assert canvas.width and canvas.height
    structure = Structure.objects.get(item=item)
    assert structure.ranges and structure.metadata and structure.rights
    assert item.digitization_status == "digitized"


def test_language_tagged_labels(shared_data, institution):
    path = shared_data / "iiif/v2/parser_quatar-manifest.json"
    import_one(path, institution)
    item = Item.objects.get(local_id=json.loads(path.read_text())["@id"])
    assert "ar" in item.title
    structure = Structure.objects.get(item=item)
    assert any("ar" in m["label"] for m in structure.metadata)
    assert all("<a" not in v for m in structure.metadata for vs in m["value"].values() for v in vs)


def test_v3_multilingual_and_ranges(shared_data, institution):
    import_one(shared_data / "iiif/v3/cookbook_0006-text-language.json", institution)
    item = Item.objects.get(local_id__endswith="0006-text-language/manifest.json")
    assert len(item.title) >= 2
    import_one(shared_data / "iiif/v3/cookbook_0024-book-4-toc.json", institution)
    item = Item.objects.get(local_id__contains="0024")
    ranges = Structure.objects.get(item=item).ranges
    assert ranges and ranges[0]["ranges"]
    assert all(isinstance(o, int) for r in ranges[0]["ranges"] for o in r["canvases"])


def test_changed_canvas_updates_the_item(tmp_path, shared_data, institution):
    doc = json.loads((shared_data / "iiif/v3/cookbook_0009-book-1.json").read_text())
    path = tmp_path / "book.json"
    path.write_text(json.dumps(doc))
    assert import_one(path, institution).created_count == 1
    doc["items"][1]["label"] = {"en": ["Changed"]}
    doc["items"] = doc["items"][:4]
    path.write_text(json.dumps(doc))
    run = import_one(path, institution)
    assert run.updated_count == 1
    item = Item.objects.get(local_id=doc["id"])
    assert item.canvases.count() == 4
    assert Canvas.objects.get(item=item, order=2).label == {"en": ["Changed"]}


def test_remote_collection_is_followed(local_server, settings, institution):
    settings.INGEST_ALLOW_HOSTS = ["127.0.0.1"]
    base = local_server.base

    def manifest(n):
        return json.dumps({
            "@context": "http://iiif.io/api/presentation/3/context.json", "id": f"{base}/m{n}.json",
            "type": "Manifest", "label": {"en": [f"Volume {n}"]}, "rights": "http://creativecommons.org/publicdomain/zero/1.0/",
            "items": [{"id": f"{base}/m{n}/c1", "type": "Canvas", "width": 100, "height": 200, "items": [
                {"type": "AnnotationPage", "items": [{"type": "Annotation", "motivation": "painting", "body": {
                    "id": f"https://img.example.org/v{n}/full/max/0/default.jpg", "type": "Image",
                    "service": [{"id": f"https://img.example.org/v{n}", "type": "ImageService3"}]}}]}]}],
        }).encode()

    collection = json.dumps({
        "@context": "http://iiif.io/api/presentation/3/context.json", "id": f"{base}/c.json", "type": "Collection",
        "label": {"en": ["Set"]}, "items": [{"id": f"{base}/m{n}.json", "type": "Manifest"} for n in (1, 2, 3)],
    }).encode()
    local_server.routes["/c.json"] = (200, {"Content-Type": "application/json"}, collection)
    for n in (1, 2):
        local_server.routes[f"/m{n}.json"] = (200, {"Content-Type": "application/json"}, manifest(n))
    from mogao.ingest.services import ingest_execute

    run = ingest_execute(kind="iiif", location=f"{base}/c.json", institution_code=institution.code)
    assert (run.created_count, run.failed_count) == (2, 1)  # m3 is missing on the server
    assert "HTTP 404" in IngestError.objects.get(run=run).message
    item = Item.objects.get(local_id=f"{base}/m1.json")
    assert item.rights == "http://creativecommons.org/publicdomain/zero/1.0/"
    assert item.canvases.get().service_url == "https://img.example.org/v1"
