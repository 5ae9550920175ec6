"""Fixtures for discovery tests: the built-in demo catalogue plus a canvas, a private and a deleted item."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from mogao.catalogue import services
from mogao.catalogue.models import Canvas, Item, Visibility
from mogao.core import changes
from mogao.demo.loader import load_builtin


@dataclass
class Demo:
    item: Item
    private: Item
    deleted_pid: str


@pytest.fixture(autouse=True)
def _base_url(settings) -> None:  # type: ignore[no-untyped-def]
    settings.BASE_URL = "https://mogao.example"


@pytest.fixture
def demo(db: None) -> Demo:
    load_builtin()
    item = Item.objects.filter(visibility=Visibility.PUBLIC).select_related("institution").order_by("pid").first()
    assert item is not None
    if not item.canvases.exists():
        Canvas.objects.create(item=item, order=1, label={"en": ["f. 1"]}, width=1000, height=800, image_id="demo-1")
    private, _ = services.item_upsert(institution=item.institution, shelfmark="Secret 1",
                                      title={"en": ["Hidden"]}, visibility=Visibility.PRIVATE)
    doomed, _ = services.item_upsert(institution=item.institution, shelfmark="Doomed 1", title={"en": ["Gone"]})
    Canvas.objects.create(item=doomed, order=1, width=10, height=10, image_id="doomed-1")
    pid = doomed.pid
    doomed.delete()
    changes.flush()  # the commit: tombstones are written after it (the test's transaction never commits)
    return Demo(item=Item.objects.get(pk=item.pk), private=private, deleted_pid=pid)
