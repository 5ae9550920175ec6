"""The item page cache renders a page once for a crowd (#19): ahead of expiry, and while others wait.

Nothing here measures time: the cache's clock points (the copy's refresh point) are set by hand,
and "another request rendering the page" is a claim put in the cache's table by the test.
"""

from __future__ import annotations

import dataclasses
import threading
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from mogao.catalogue import pagecache, services
from mogao.catalogue.models import Institution, Item

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(bl: Institution) -> Item:
    obj, _ = services.item_upsert(institution=bl, shelfmark="Or.8210/P.3", title={"en": ["Lotus Sutra"]})
    return obj


def get(path: str) -> tuple[Any, int]:
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(path)
    return response, len(queries.captured_queries)


def only_key() -> tuple[Any, ...]:
    (key,) = pagecache._pages
    return key


class OtherRender(threading.Event):
    """Another request's render of the page, which ends (storing ``entry``) when this one waits for it."""

    def __init__(self, key: tuple[Any, ...], entry: pagecache.Entry | None) -> None:
        super().__init__()
        self.key, self.entry, self.waited = key, entry, 0

    def wait(self, timeout: float | None = None) -> bool:
        self.waited += 1
        if self.entry is not None:
            pagecache._pages[self.key] = self.entry
        pagecache._rendering.pop(self.key, None)
        self.set()
        return True


def test_a_copy_past_its_refresh_point_is_rendered_again_by_one_request(item: Item) -> None:
    get(f"/items/{item.pid}")
    key = only_key()
    first = pagecache._pages[key]
    assert first.stored < first.refresh_at < first.stored + pagecache.MAX_AGE
    pagecache._pages[key] = dataclasses.replace(first, refresh_at=first.stored)  # its refresh point has come
    response, queries = get(f"/items/{item.pid}")
    assert response.status_code == 200 and queries > 2  # this request rendered the next copy
    assert pagecache._pages[key].refresh_at > first.stored
    assert key not in pagecache._rendering


def test_while_one_request_renders_the_next_copy_the_others_get_the_current_one(item: Item) -> None:
    get(f"/items/{item.pid}")
    key = only_key()
    pagecache._pages[key] = dataclasses.replace(pagecache._pages[key], refresh_at=0.0)
    pagecache._rendering[key] = threading.Event()  # another request is rendering it
    try:
        response, queries = get(f"/items/{item.pid}")
    finally:
        pagecache._rendering.pop(key, None)
    assert response.status_code == 200 and queries <= 1  # served the current copy


def test_with_no_copy_a_request_waits_for_the_render_under_way_and_gets_its_page(item: Item) -> None:
    _, rendered = get(f"/items/{item.pid}")
    key = only_key()
    other = OtherRender(key, pagecache._pages.pop(key))
    pagecache._rendering[key] = other
    response, queries = get(f"/items/{item.pid}")
    assert other.waited == 1
    assert response.status_code == 200 and "Lotus Sutra" in response.content.decode()
    assert queries <= 2 < rendered  # the generations, read before and after waiting: no render


def test_when_the_render_waited_for_stores_nothing_the_request_renders(item: Item) -> None:
    get(f"/items/{item.pid}")
    key = only_key()
    del pagecache._pages[key]
    other = OtherRender(key, None)
    pagecache._rendering[key] = other
    response, queries = get(f"/items/{item.pid}")
    assert other.waited == 1 and response.status_code == 200
    assert queries > 2 and key in pagecache._pages  # rendered here, and stored


def test_a_render_still_under_way_after_the_wait_is_not_waited_for_again(item: Item, monkeypatch: Any) -> None:
    get(f"/items/{item.pid}")
    key = only_key()
    del pagecache._pages[key]
    slow = threading.Event()  # never set: the other render is still going on
    pagecache._rendering[key] = slow
    monkeypatch.setattr(pagecache, "RENDER_WAIT", 0.0)
    try:
        response, _ = get(f"/items/{item.pid}")
        assert response.status_code == 200
        assert pagecache._rendering[key] is slow  # its claim is left to it
    finally:
        pagecache._rendering.pop(key, None)
