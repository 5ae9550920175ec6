"""TXT, TEI-XML (well-formed, lines kept) and the PDF's selectable, searchable text layer."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from lxml import etree

from mogao.catalogue.models import Item, Transcription

pytestmark = pytest.mark.django_db
TEI = "{http://www.tei-c.org/ns/1.0}"


def lines_of(item: Item) -> list[str]:
    out: list[str] = []
    for t in Transcription.objects.filter(canvas__item=item, is_primary=True).order_by("canvas__order"):
        out.extend(line["text"] for line in t.layout["lines"])
    return out


def test_txt_keeps_every_line_under_its_page(client: Client, diamond: Item) -> None:
    response = client.get(f"/items/{diamond.pid}/text.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    text = response.content.decode("utf-8")
    assert "[p. 1]" in text and "[p. 2]" in text and "Or.8210/P.2" in text
    body = text.splitlines()
    for line in lines_of(diamond):
        assert line in body


def test_tei_is_well_formed_and_keeps_lines(client: Client, diamond: Item) -> None:
    response = client.get(f"/items/{diamond.pid}/text.tei.xml")
    assert response.status_code == 200
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    root = etree.fromstring(response.content, parser)
    assert root.tag == f"{TEI}TEI"
    assert root.find(f".//{TEI}msIdentifier/{TEI}idno").text == "Or.8210/P.2"
    pbs = root.findall(f".//{TEI}pb")
    assert [pb.get("n") for pb in pbs] == ["1", "2"]
    assert pbs[0].get("facs").endswith(f"/iiif/items/{diamond.pid}/canvas/1")
    lbs = root.findall(f".//{TEI}lb")
    assert [lb.tail for lb in lbs] == lines_of(diamond)
    assert lbs[0].get("facs").endswith("#xywh=296,80,72,1008")


def test_tei_escapes_markup_in_the_text(client: Client, diamond: Item) -> None:
    t = Transcription.objects.get(canvas__item=diamond, canvas__order=1)
    t.layout["lines"][0]["text"] = "<b>&如是</b>\x01"
    t.layout["lines"][0]["chars"] = []
    t.save()
    root = etree.fromstring(client.get(f"/items/{diamond.pid}/text.tei.xml").content)
    assert root.findall(f".//{TEI}lb")[0].tail == "<b>&如是</b>"


def test_pdf_text_layer_is_selectable_and_searchable(client: Client, diamond: Item, artifacts: Any) -> None:
    from pdfminer.high_level import extract_text
    from pypdf import PdfReader

    response = client.get(f"/items/{diamond.pid}/text.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    data = b"".join(response.streaming_content)
    (artifacts / "reading-diamond-text.pdf").write_bytes(data)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 2
    page1 = reader.pages[0].extract_text()
    compact = "".join(page1.split())
    for line in lines_of(diamond)[:4]:
        assert line in compact, (line, page1)
    mined = "".join(extract_text(io.BytesIO(data)).split())
    assert "如是我聞" in mined and "祇樹" in mined
    # The text layer is invisible (render mode 3) and sits over the page image.
    content = reader.pages[0].get_contents().get_data()
    assert b"3 Tr" in content


def test_pdf_respects_the_holders_rights(client: Client, diamond: Item) -> None:
    diamond.allow_download = False
    diamond.save()
    response = client.get(f"/items/{diamond.pid}/text.pdf")
    assert response.status_code == 403
    assert "switched off" in response.content.decode()
    page = client.get(f"/items/{diamond.pid}/read").content.decode()
    assert "/text.pdf" not in page and "Image downloads are switched off" in page
