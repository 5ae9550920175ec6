"""Fixtures for export tests: the demo catalogue enriched with every kind of exported detail."""

from __future__ import annotations

from pathlib import Path

import pytest
import pyvips

from mogao.catalogue import services
from mogao.catalogue.models import Item, Rights, Transcription, Translation, Visibility
from mogao.demo.loader import load_builtin
from mogao.iiif import services as iiif_services
from mogao.knowledge.models import Person
from mogao.knowledge.services import authority_link_add


@pytest.fixture
def rich_catalogue(db: None, tmp_path: Path, settings) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Demo records plus canvases with an image and transcriptions, a translation, a private item,
    a BCE date, an authority link, and an item whose rights forbid redistribution."""
    settings.IMAGE_ROOT = tmp_path / "images"
    load_builtin()
    open_item = Item.objects.filter(visibility=Visibility.PUBLIC, rights=Rights.PUBLIC_DOMAIN).order_by("pid").first()
    assert open_item is not None
    source = tmp_path / "page.png"
    pyvips.Image.black(64, 48).pngsave(str(source))
    info = iiif_services.image_register(source=source, identifier="export-test-page")
    canvas = iiif_services.image_canvas_append(item=open_item, info=info)
    layout = {"direction": "vertical-rl", "lines": [{"text": "如是我聞", "box": [1, 2, 3, 4]}]}
    Transcription.objects.create(canvas=canvas, text="如是我聞。一時佛在舍衛國", language="lzh", layout=layout,
                                 source="ocr", engine="rapidocr", confidence=0.93)
    passages = [{"source": "如是我聞", "target": "Thus have I heard."}]
    Translation.objects.create(item=open_item, canvas=canvas, language="en", text="Thus have I heard.",
                               passages=passages, translator="A. Reader")
    closed, _ = services.item_upsert(
        institution=open_item.institution, shelfmark="NC.1", title={"en": ["Non-commercial"], "zh-Hant": ["非商業"]},
        rights=Rights.CC_BY_NC, year_start=-221, year_end=-206, date_expression="秦",
        description={"en": ["=HYPERLINK(\"http://evil\")"]},
    )
    closed_canvas, _ = services.canvas_upsert(item=closed, order=1, label={"en": ["1"]}, width=10, height=10,
                                              service_url="https://images.example.org/iiif/3/nc1")
    Transcription.objects.create(canvas=closed_canvas, text="不可複製", language="lzh")
    private, _ = services.item_upsert(institution=open_item.institution, shelfmark="PRIV.1",
                                      title={"en": ["Private"]}, visibility=Visibility.PRIVATE)
    person = Person.objects.order_by("pid").first()
    assert person is not None
    authority_link_add(entity=person, scheme="wikidata", identifier="Q42")
    return {"open": open_item.pid, "closed": closed.pid, "private": private.pid}
