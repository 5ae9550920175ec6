"""Scale: a 500-page item's manifest costs a constant number of queries and still validates."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from django.test import Client

from mogao.catalogue.models import Canvas

from .prezi_support import Library

PAGES = 500


@pytest.mark.django_db
def test_500_page_manifest_has_constant_queries_and_validates(
    client: Client, library: Library, assert_valid: Any, django_assert_max_num_queries: Any,
) -> None:
    Canvas.objects.bulk_create(
        Canvas(item=library.scroll, order=10 + n, service_url=f"https://iiif.example.org/iiif/3/p{n}",
               width=3000, height=4000)
        for n in range(PAGES)
    )
    client.get("/iiif/collections/top")  # warm up: the first request imports every URLconf
    started = time.perf_counter()
    with django_assert_max_num_queries(6):
        response = client.get(f"/iiif/items/{library.scroll.pid}/manifest")
    elapsed = time.perf_counter() - started
    manifest = json.loads(response.content)
    assert len(manifest["items"]) == PAGES + 2
    assert_valid(manifest)
    # Not a timed test (shared machine): the figure is printed for the record with -s.
    print(f"\n500-page manifest: {elapsed * 1000:.0f} ms, {len(response.content) / 1024:.0f} KiB")
