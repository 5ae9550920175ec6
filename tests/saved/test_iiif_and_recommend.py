"""The IIIF manifest and collection of a reader's collection, and explained recommendations (#15)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from mogao.accounts.models import profile_of
from mogao.community import mymogao
from mogao.saved.models import Sharing
from mogao.saved.recommend import _PROVIDERS, Source, recommendations_for, register_source, sources_for

from .conftest import World, saved

pytestmark = pytest.mark.django_db

SCHEMA = Path(__file__).resolve().parent.parent / "iiif" / "presentation" / "fixtures" / "iiif_3_0.json"


def _valid(document: dict[str, Any]) -> None:
    validator = jsonschema.Draft7Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message[:300]}" for e in errors[:5])


def test_manifest_has_every_saved_page_and_region_credited(world: World) -> None:
    c = world.collection(Sharing.PUBLIC, user=world.trusted)
    saved(world, c, world.a)  # both pages
    canvas_b = world.b.canvases.get(order=2)
    saved(world, c, world.b, kind="region", canvas=canvas_b, region=(10, 20, 300, 400), note="the colophon")
    manifest = world.client().get(f"/saved/{c.pid}/manifest").json()
    _valid(manifest)
    assert manifest["type"] == "Manifest" and manifest["label"] == {"none": [c.name]}
    assert len(manifest["items"]) == 3
    ids = [canvas["id"] for canvas in manifest["items"]]
    assert len(set(ids)) == 3 and all(f"/saved/{c.pid}/canvas/" in i for i in ids)
    region = manifest["items"][2]
    assert region["requiredStatement"]["value"]["fr"][0].startswith("Bibliothèque nationale de France")
    assert region["rights"] == world.b.rights
    assert region["partOf"][0]["id"].endswith(f"/iiif/items/{world.b.pid}/manifest")
    note = region["annotations"][0]["items"][0]
    assert note["motivation"] == "commenting" and note["target"] == f"{region['id']}#xywh=10,20,300,400"
    assert note["body"] == {"type": "TextualBody", "value": "the colophon", "format": "text/plain"}
    assert manifest["items"][0]["provider"][0]["label"] == {"en": ["British Library"]}
    assert len(manifest["structures"]) == 2 and "rights" in manifest  # both items share the default rights


def test_iiif_collection_lists_the_items_manifests(world: World) -> None:
    c = world.collection(Sharing.UNLISTED)
    saved(world, c, world.a)
    saved(world, c, world.b, kind="canvas", canvas=world.b.canvases.get(order=1))
    data = world.client().get(f"/saved/{c.pid}/iiif-collection?key={c.link_token}").json()
    _valid(data)
    assert data["id"].endswith(f"/saved/{c.pid}/iiif-collection?key={c.link_token}")
    assert [m["id"].rsplit("/", 2)[-2] for m in data["items"]] == [world.a.pid, world.b.pid]


def test_an_empty_collection_has_no_manifest(world: World) -> None:
    c = world.collection()
    response = world.client(world.owner).get(f"/saved/{c.pid}/manifest")
    assert response.status_code == 404 and response.json()["status"] == 404


def test_recommendations_explain_themselves(world: World) -> None:
    c = world.collection()
    saved(world, c, world.a)
    recs = recommendations_for(world.owner, language="en")
    assert [r.item.pk for r in recs] == [world.b.pk]
    because = recs[0].because[0]
    assert because.source.item == world.a and because.source.verb == "saved"
    assert ("same_work", "Diamond Sūtra") in because.codes
    html = world.client(world.owner).get("/saved/recommendations").content.decode()
    assert "Because you saved Diamond Sūtra, part 1" in html and "same work" in html
    # on the item page of what you saved: the slot is there, loaded after the page
    page = world.client(world.owner).get(world.a.get_absolute_url()).content.decode()
    assert "saved-recs-slot" in page
    html = world.client(world.owner).get(f"/saved/recommendations?item={world.a.pid}").content.decode()
    assert world.b.get_absolute_url() in html
    # in My Mogao the section already has its heading: the fragment does not repeat it
    assert "<h2" in world.client(world.owner).get("/saved/recommendations").content.decode()
    inside = world.client(world.owner).get("/saved/recommendations?in=me").content.decode()
    assert "<h2" not in inside and 'aria-label="Recommended for you"' in inside


def test_recommendations_can_be_turned_off(world: World) -> None:
    c = world.collection()
    saved(world, c, world.a)
    client = world.client(world.owner)
    assert client.post("/saved/recommendations/switch", {"on": "0", "next": "/saved/"}).status_code == 302
    profile = profile_of(world.owner)
    assert profile is not None
    profile.refresh_from_db()
    assert profile.recommendations is False
    world.owner._mogao_profile = profile
    assert recommendations_for(world.owner) == []
    assert "saved-recs-slot" not in client.get(world.a.get_absolute_url()).content.decode()
    assert "Recommendations are off" in client.get("/saved/recommendations").content.decode()


def test_nothing_is_recommended_from_what_others_saved_or_from_browsing(world: World) -> None:
    c = world.collection()
    saved(world, c, world.a)
    world.client(world.other).get(world.a.get_absolute_url())  # browsing leaves no trace
    assert sources_for(world.other) == []
    assert recommendations_for(world.other) == []


def test_sources_for_is_a_hook_other_apps_extend(world: World) -> None:
    def reacted(user: Any) -> list[Source]:
        return [Source(item=world.b, verb="reacted")] if user == world.other else []

    register_source(reacted)
    try:
        assert sources_for(world.other) == [Source(item=world.b, verb="reacted")]
        recs = recommendations_for(world.other, language="en")
        assert recs[0].item == world.a and recs[0].because[0].source.verb == "reacted"
    finally:
        _PROVIDERS.remove(reacted)


def test_my_mogao_sections_are_registered(world: World, rf: Any) -> None:
    keys = {s.key for s in mymogao.sections()}
    assert {"saved", "recommendations"} <= keys
    section = next(s for s in mymogao.sections() if s.key == "saved")
    request = rf.get("/me/")
    request.user = world.owner
    world.collection(name="Mine")
    context = section.context(request)
    assert context is not None and [c.name for c in context["collections"]] == ["Mine"]
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    assert section.context(request) is None
