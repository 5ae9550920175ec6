"""Who sees and who changes a reader's collection (#15): private never to others, unlisted only by
its link, public to everyone once approved, only the owner edits."""

from __future__ import annotations

import pytest
from django.test import Client

from mogao.accounts import policy
from mogao.saved.models import ReaderCollection, SavedEntry, Sharing
from mogao.saved.selectors import public_collections

from .conftest import World, saved

pytestmark = pytest.mark.django_db

READS = ("/saved/{pid}/", "/saved/{pid}/manifest", "/saved/{pid}/iiif-collection", "/saved/{pid}/export.csv")


def _statuses(client: Client, c: ReaderCollection, query: str = "") -> list[int]:
    return [client.get(url.format(pid=c.pid) + query).status_code for url in READS]


def test_private_is_seen_by_its_owner_only(world: World) -> None:
    c = world.collection(Sharing.PRIVATE)
    saved(world, c)
    assert _statuses(world.client(world.owner), c) == [200] * 4
    for reader in (None, world.other, world.trusted):
        assert _statuses(world.client(reader), c) == [404] * 4
    # ... not even with the link token (a private collection has no working link)
    assert _statuses(world.client(), c, f"?key={c.link_token}") == [404] * 4
    assert c not in public_collections(world.other)


def test_unlisted_is_seen_only_with_its_link(world: World) -> None:
    c = world.collection(Sharing.UNLISTED)
    saved(world, c)
    anonymous = world.client()
    assert _statuses(anonymous, c) == [404] * 4
    assert _statuses(anonymous, c, "?key=wrong") == [404] * 4
    assert _statuses(anonymous, c, f"?key={c.link_token}") == [200] * 4
    assert c.visibility == "private" and c.status == "approved"
    assert c not in public_collections(world.other) and c not in public_collections(None)
    page = anonymous.get(f"/saved/{c.pid}/?key={c.link_token}")
    assert page["X-Robots-Tag"].startswith("noindex") and page["Cache-Control"] == "private, no-store"
    assert not policy.can(world.other, "view", c)  # the policy's view stays private
    # A new link: the old one stops working.
    old = c.link_token
    assert world.client(world.owner).post(f"/saved/{c.pid}/new-link").status_code == 302
    assert _statuses(anonymous, c, f"?key={old}") == [404] * 4


def test_public_by_a_trusted_reader_is_seen_by_all(world: World) -> None:
    c = world.collection(Sharing.PUBLIC, user=world.trusted)
    saved(world, c)
    assert c.status == "approved"
    for reader in (None, world.other, world.owner):
        assert _statuses(world.client(reader), c) == [200] * 4
    assert c in public_collections(None)


def test_public_by_a_new_reader_waits_for_review(world: World) -> None:
    c = world.collection(Sharing.PUBLIC)
    saved(world, c)
    assert c.status == "pending"
    assert _statuses(world.client(), c) == [404] * 4
    assert _statuses(world.client(world.owner), c) == [200] * 4
    c.status = "approved"
    c.save()
    assert _statuses(world.client(), c) == [200] * 4
    # A note written later by the untrusted owner sends it back to review.
    saved(world, c, world.b, note="see the colophon")
    c.refresh_from_db()
    assert c.status == "pending"


def test_only_the_owner_changes_a_collection(world: World) -> None:
    c = world.collection(Sharing.PUBLIC, user=world.trusted, name="Original")
    entry = saved(world, c, note="mine")
    for reader in (world.other, world.owner):
        client = world.client(reader)
        assert client.post(f"/saved/{c.pid}/edit", {"name": "Taken", "sharing": "private"}).status_code == 404
        assert client.post(f"/saved/{c.pid}/entries/{entry.pk}/note", {f"e{entry.pk}-note": "x"}).status_code == 404
        assert client.post(f"/saved/{c.pid}/entries/{entry.pk}/delete").status_code == 404
        assert client.post(f"/saved/{c.pid}/delete").status_code == 404
        assert client.post(f"/saved/{c.pid}/new-link").status_code == 404
        page = client.get(f"/saved/{c.pid}/").content.decode()
        assert "/edit" not in page and "Delete this collection" not in page
    c.refresh_from_db()
    entry.refresh_from_db()
    assert c.name == "Original" and c.visibility == "public" and entry.note == "mine"
    # Nobody saves into another reader's collection either.
    response = world.client(world.other).post(f"/saved/save/{world.b.pid}", {"target": "item", "collection": c.pid})
    assert response.status_code == 400
    assert not SavedEntry.objects.filter(collection=c, item=world.b).exists()


def test_anonymous_readers_are_invited_to_sign_in(world: World) -> None:
    page = world.client().get(world.a.get_absolute_url()).content.decode()
    assert "Sign in to save this item" in page and 'href="/accounts/login/?next=' in page
    assert "saved-recs-slot" not in page  # no recommendations request for anonymous readers
    response = world.client().post(f"/saved/save/{world.a.pid}", {"target": "item", "collection": "new",
                                                                 "new_name": "x"})
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert not ReaderCollection.objects.exists()
    assert world.client().get("/saved/recommendations").status_code == 204


def test_writes_need_the_csrf_token(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.owner)
    response = client.post(f"/saved/save/{world.a.pid}", {"target": "item", "collection": "new", "new_name": "x"})
    assert response.status_code == 403
    assert not ReaderCollection.objects.exists()


def test_private_items_never_show_in_a_collection(world: World) -> None:
    c = world.collection(Sharing.PUBLIC, user=world.trusted)
    saved(world, c, world.a)
    # The item was public when saved, then withdrawn by its holder.
    SavedEntry.objects.create(collection=c, kind="item", item=world.hidden, position=9)
    for reader in (None, world.trusted):
        client = world.client(reader)
        assert world.hidden.shelfmark not in client.get(f"/saved/{c.pid}/").content.decode()
        assert world.hidden.pid not in client.get(f"/saved/{c.pid}/manifest").content.decode()
        assert world.hidden.pid not in client.get(f"/saved/{c.pid}/export.csv").content.decode()
    # And a private item cannot be saved.
    response = world.client(world.trusted).post(f"/saved/save/{world.hidden.pid}", {"target": "item",
                                                                                     "collection": c.pid})
    assert response.status_code == 404
