"""Requests publish themselves when images reach the item, through the one change channel, and tell the readers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from PIL import Image

from mogao.catalogue.models import Item
from mogao.digitization import services, states
from mogao.digitization.models import Request, Status
from mogao.ingest.services import ingest_execute
from mogao.notify.models import Notification

from .conftest import make_lib

pytestmark = [pytest.mark.django_db(transaction=True)]


def _png(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (64, 48), (200, 180, 150)).save(path)
    return path


def _verified(user: Any) -> None:
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)


def test_an_image_folder_import_publishes_the_request_and_tells_both_readers(
        settings: Any, tmp_path: Path, mailoutbox: Any) -> None:
    lib = make_lib(settings)
    item = lib.items["a"]
    for who in ("reader", "reader2"):
        _verified(lib.users[who])
        services.request_digitization(user=lib.users[who], item=item, purpose="research")
    req = Request.objects.get(item=item)
    states.transition(req, Status.ACCEPTED, lib.users["curator_a"])
    mailoutbox.clear()
    _png(tmp_path / "scans" / item.pid / "p1.png")
    _png(tmp_path / "scans" / item.pid / "p2.png")
    run = ingest_execute(kind="images", location=str(tmp_path / "scans"), institution_code="DGA")
    assert run.status == "done", run.message
    req.refresh_from_db()
    assert req.status == Status.PUBLISHED and req.published is not None
    last = req.transitions.last()
    assert last is not None and last.by is None and last.from_status == Status.ACCEPTED
    item.refresh_from_db()
    assert item.title == {"en": ["Digit item a"]} and item.canvases.count() == 2  # the record is kept
    assert item.digitization_status == Item.Status.DIGITIZED
    notes = Notification.objects.filter(kind="digitization.published")
    assert sorted(notes.values_list("recipient__username", flat=True)) == ["dg-reader", "dg-reader2"]
    mails = [m for m in mailoutbox if "Online now" in m.subject]
    assert sorted(m.to[0] for m in mails) == ["reader2@example.org", "reader@example.org"]
    assert all(item.get_absolute_url() in m.body for m in mails)


def test_images_add_to_some_pages_publishes_only_the_covered_range(settings: Any, tmp_path: Path) -> None:
    from mogao.iiif.services import image_canvas_append, image_register

    lib = make_lib(settings)
    item = lib.items["partial"]  # pages 3 and 4 have no image
    req = services.request_digitization(user=lib.users["reader"], item=item, purpose="research", first=3, last=4)[0]
    from mogao.catalogue.models import Canvas

    info = image_register(source=_png(tmp_path / "p3.png"), identifier="dg-partial-3")
    Canvas.objects.filter(item=item, order=3).update(image_id=info.identifier)
    assert Request.objects.get(pk=req.pk).status == Status.REQUESTED  # page 4 still missing
    Canvas.objects.filter(item=item, order=4).update(image_id=info.identifier)
    assert Request.objects.get(pk=req.pk).status == Status.PUBLISHED
    # `mogao images add --item` on a whole-item request
    whole = services.request_digitization(user=lib.users["reader"], item=lib.items["b"], purpose="teaching")[0]
    image_canvas_append(item=lib.items["b"], info=info)
    assert Request.objects.get(pk=whole.pk).status == Status.PUBLISHED


def test_the_holders_curators_get_a_digest_of_new_requests(settings: Any, mailoutbox: Any) -> None:
    from django.core.management import call_command

    lib = make_lib(settings)
    for who in ("curator_a", "curator_b"):
        _verified(lib.users[who])
    services.request_digitization(user=lib.users["reader"], item=lib.items["a"], purpose="research")
    services.request_digitization(user=lib.users["reader2"], item=lib.items["a"], purpose="teaching")  # a join
    services.request_digitization(user=lib.users["reader"], item=lib.items["a2"], purpose="research")
    assert mailoutbox == []  # on site only; the mail is the digest
    call_command("notify_digest")
    digests = [m for m in mailoutbox if m.to == ["curator_a@example.org"]]
    assert len(digests) == 1 and "DG-a" in digests[0].body and "DG-a2" in digests[0].body
    assert not [m for m in mailoutbox if m.to == ["curator_b@example.org"]]


def test_a_iiif_manifest_import_publishes_the_request_of_the_item_it_describes(settings: Any) -> None:
    """A holder imports the IIIF manifest of an item catalogued earlier (same record id): its remote
    pages arrive through the importer and the request becomes published by itself."""
    from mogao.ingest.sources.iiif import IiifSource, local_id_of

    lib = make_lib(settings)
    manifest_id = "https://images.example.org/iiif/dg-a/manifest.json"
    item = lib.items["a"]
    Item.objects.filter(pk=item.pk).update(local_id=local_id_of(manifest_id))
    req = services.request_digitization(user=lib.users["reader"], item=item, purpose="research")[0]
    doc = {
        "@context": "http://iiif.io/api/presentation/3/context.json", "id": manifest_id, "type": "Manifest",
        "label": {"en": ["Digit item a"]},
        "items": [{
            "id": "https://images.example.org/iiif/dg-a/canvas/1", "type": "Canvas", "width": 800, "height": 600,
            "items": [{"id": "https://images.example.org/iiif/dg-a/page/1", "type": "AnnotationPage", "items": [{
                "id": "https://images.example.org/iiif/dg-a/annotation/1", "type": "Annotation",
                "motivation": "painting", "target": "https://images.example.org/iiif/dg-a/canvas/1",
                "body": {"id": "https://images.example.org/iiif/dg-a/full/max/0/default.jpg", "type": "Image",
                         "format": "image/jpeg", "width": 800, "height": 600,
                         "service": [{"id": "https://images.example.org/iiif/dg-a", "type": "ImageService3",
                                      "profile": "level1"}]},
            }]}],
        }],
    }
    source = IiifSource(manifest_id, institution=lib.institutions["A"])
    record = source._manifest_record(1, doc, manifest_id)
    source.load(record)
    assert Item.objects.get(pk=item.pk).canvases.exclude(service_url="").count() == 1
    assert Request.objects.get(pk=req.pk).status == Status.PUBLISHED
