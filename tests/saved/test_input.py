"""Bad input answers 400 naming the field, and nothing is half-saved (#15)."""

from __future__ import annotations

import pytest

from mogao.saved.models import NOTE_MAX, ReaderCollection, SavedEntry, Sharing

from .conftest import World

pytestmark = pytest.mark.django_db


def _save(world: World, **data: str) -> tuple[int, str]:
    response = world.client(world.owner).post(f"/saved/save/{world.a.pid}", data)
    return response.status_code, response.content.decode()


def test_a_region_is_saved_with_its_page_and_note(world: World) -> None:
    status, html = _save(world, target="region", collection="new", new_name="Colophons", page="2",
                         xywh="100,200,300,400", note="the date")
    assert status == 200, html
    entry = SavedEntry.objects.get()
    assert (entry.kind, entry.canvas and entry.canvas.order, entry.xywh, entry.note) == ("region", 2, "100,200,300,400",
                                                                                         "the date")
    assert "Saved to" in html and "Colophons" in html
    # saving the same region again keeps one entry
    _save(world, target="region", collection=entry.collection.pid, page="2", xywh="100,200,300,400")
    assert SavedEntry.objects.count() == 1


@pytest.mark.parametrize(("data", "field"), [
    ({"target": "region", "page": "1", "xywh": "1700,0,200,100"}, "xywh"),  # outside the page
    ({"target": "region", "page": "1", "xywh": "0,0,0,10"}, "xywh"),  # empty
    ({"target": "region", "page": "1", "xywh": "a,b,c,d"}, "xywh"),
    ({"target": "region", "page": "1", "xywh": "1," * 30}, "xywh"),  # too long
    ({"target": "region", "page": "", "xywh": "0,0,10,10"}, "page"),
    ({"target": "canvas", "page": "7"}, "page"),  # no such page
    ({"target": "canvas", "page": "-1"}, "page"),
    ({"target": "item", "note": "x" * (NOTE_MAX + 1)}, "note"),
    ({"target": "item", "new_name": "n" * 201}, "new_name"),
    ({"target": "item", "new_name": "<b></b>"}, "new_name"),  # only markup: no name
    ({"target": "everything"}, "target"),
    ({"target": "item", "collection": "nope"}, "collection"),
])
def test_bad_input_names_the_field_and_saves_nothing(world: World, data: dict[str, str], field: str) -> None:
    payload = {"collection": "new", "new_name": "Would be created", **data}
    status, html = _save(world, **payload)
    assert status == 400
    assert f'data-field="{field}"' in html, html[:3000]
    assert not ReaderCollection.objects.exists(), "a new collection must not be created by a refused save"
    assert not SavedEntry.objects.exists()


def test_collection_form_errors_name_the_field(world: World) -> None:
    client = world.client(world.owner)
    response = client.post("/saved/", {"name": "x" * 201, "sharing": "public"})
    assert response.status_code == 400 and 'data-field="name"' in response.content.decode()
    response = client.post("/saved/", {"name": "ok", "sharing": "everyone"})
    assert response.status_code == 400 and 'data-field="sharing"' in response.content.decode()
    response = client.post("/saved/", {"name": "ok", "description": "d" * 2001, "sharing": "private"})
    assert response.status_code == 400 and 'data-field="description"' in response.content.decode()
    assert not ReaderCollection.objects.exists()
    c = world.collection(Sharing.PRIVATE, name="Kept")
    response = client.post(f"/saved/{c.pid}/edit", {"name": "", "sharing": "public"})
    assert response.status_code == 400 and 'data-field="name"' in response.content.decode()
    c.refresh_from_db()
    assert (c.name, c.visibility) == ("Kept", "private")


def test_an_oversized_note_edit_is_refused(world: World) -> None:
    c = world.collection()
    entry = SavedEntry.objects.create(collection=c, kind="item", item=world.a, note="before")
    response = world.client(world.owner).post(f"/saved/{c.pid}/entries/{entry.pk}/note",
                                              {f"e{entry.pk}-note": "y" * (NOTE_MAX + 1)})
    assert response.status_code == 400 and f'data-field="e{entry.pk}-note"' in response.content.decode()
    entry.refresh_from_db()
    assert entry.note == "before"


def test_sharing_maps_onto_the_foundation_fields(world: World) -> None:
    client = world.client(world.trusted)
    assert client.post("/saved/", {"name": "u", "sharing": "unlisted"}).status_code == 302
    c = ReaderCollection.objects.get()
    assert (c.visibility, c.unlisted, c.sharing) == ("private", True, "unlisted")
    client.post(f"/saved/{c.pid}/edit", {"name": "u", "sharing": "public"})
    c.refresh_from_db()
    assert (c.visibility, c.unlisted, c.status) == ("public", False, "approved")
    client.post(f"/saved/{c.pid}/edit", {"name": "u", "sharing": "private"})
    c.refresh_from_db()
    assert (c.visibility, c.unlisted) == ("private", False)


def test_writes_are_rate_limited_per_account(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    from mogao.saved import views

    monkeypatch.setattr(views, "WRITE_RATE", "2/min")
    client = world.client(world.owner)
    codes = [client.post("/saved/", {"name": f"c{n}", "sharing": "private"}).status_code for n in range(3)]
    assert codes == [302, 302, 429]
    assert ReaderCollection.objects.count() == 2
    # another account is not slowed down by the first one
    assert world.client(world.other).post("/saved/", {"name": "x", "sharing": "private"}).status_code == 302
