"""Fixtures of the audience tests: an institution pair with items, works and a canvas; a clean buffer."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache

from mogao.audience import recorder
from mogao.catalogue import services


@pytest.fixture(autouse=True)
def _clean_buffer() -> Iterator[None]:
    recorder.discard()
    yield
    recorder.discard()


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    cache.clear()
    a, _ = services.institution_upsert(code="BL", name={"en": ["British Library"]})
    b, _ = services.institution_upsert(code="BnF", name={"fr": ["Bibliothèque nationale de France"]})
    item, _ = services.item_upsert(institution=a, shelfmark="Or.8210/P.2", title={"en": ["Diamond Sutra"]})
    other, _ = services.item_upsert(institution=b, shelfmark="Pelliot chinois 2001", title={"fr": ["Voyage"]})
    canvas, _ = services.canvas_upsert(item=item, order=1)
    from mogao.stories.models import Step, Story

    story = Story.objects.create(slug="diamond-journey", institution=a, status="published",
                                 title={"en": ["A journey"]})
    for n in (1, 2):
        Step.objects.create(story=story, position=n, kind="timeline", text={"en": [f"Step {n}"]},
                            year_start=868, year_end=868)
    draft = Story.objects.create(slug="draft-journey", institution=a, title={"en": ["A draft"]})
    Step.objects.create(story=draft, position=1, kind="timeline", text={"en": ["Step"]}, year_start=868)
    return {"a": a, "b": b, "item": item, "other": other, "canvas": canvas, "story": story}
