"""Reading room for long and text-only works (#13 item 9): page jump, contents, no image panel."""

from __future__ import annotations

import pytest
from django.test import Client

from mogao.catalogue import services
from mogao.catalogue.models import Item, Transcription


@pytest.fixture
def poems(db: None) -> Item:
    holder, _ = services.institution_upsert(code="MOGAO", name={"en": ["Mogao"]})
    item, _ = services.item_upsert(institution=holder, shelfmark="", title={"zh-Hant": ["唐詩選"]},
                                   item_type=Item.Type.PRINTED, languages=["lzh"])
    for order in range(1, 13):
        canvas, _ = services.canvas_upsert(item=item, order=order, label={"zh-Hant": [f"第{order}首"]},
                                           width=1000, height=1400)
        Transcription.objects.create(canvas=canvas, text="床前明月光", language="lzh")
    return item


@pytest.mark.django_db
def test_text_only_work_has_no_image_panel_but_a_contents_and_a_jump(client: Client, poems: Item) -> None:
    html = client.get(f"/items/{poems.pid}/read").content.decode()
    assert "This page has no image." not in html
    assert 'class="reading-image"' not in html and "is-text-only" in html
    assert 'class="reading-toc"' in html and html.count(f'href="/items/{poems.pid}/read/') >= 12
    assert "第12首" in html and 'name="page"' in html
    assert "<script>" not in html.replace('<script type="application/json"', "")  # no inline script


@pytest.mark.django_db
@pytest.mark.parametrize(("asked", "lands"), [("7", 7), ("99", 12), ("0", 1)])
def test_page_jump_lands_inside_the_item(client: Client, poems: Item, asked: str, lands: int) -> None:
    response = client.get(f"/items/{poems.pid}/read", {"page": asked})
    assert response.status_code == 302
    assert response["Location"] == f"/items/{poems.pid}/read/{lands}"


@pytest.mark.django_db
def test_a_page_without_image_in_a_scanned_item_says_so_briefly(client: Client, poems: Item) -> None:
    canvas = poems.canvases.get(order=1)
    canvas.image_id = "some-scan"
    canvas.save()
    html = client.get(f"/items/{poems.pid}/read/2").content.decode()
    assert 'class="notice reading-noimage"' in html and "is-text-only" in html
