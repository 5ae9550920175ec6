"""The item's text as plain text and as TEI-XML (lines kept as ``<lb/>``, pages as ``<pb/>``)."""

from __future__ import annotations

import re

from lxml import etree

from mogao.catalogue.models import Canvas, Item
from mogao.core import langmap
from mogao.core.urls import base_url
from mogao.iiif.presentation.manifests import canvas_id
from mogao.reading.layout import Line

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
# Characters XML 1.0 cannot hold (a stored OCR line could carry one): dropped from the export.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

Pages = list[tuple[Canvas, list[Line]]]


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def item_txt(item: Item, pages: Pages) -> str:
    """UTF-8 text: a header (title, holder, shelfmark, URL), then each page's lines under ``[p. n]``."""
    url = f"{base_url()}{item.get_absolute_url()}"
    titles = dict.fromkeys([langmap.pick(item.title, "zh-hant"), item.label("en")])
    head = [" / ".join(t for t in titles if t), item.institution.label("en")]
    if item.shelfmark:
        head.append(item.shelfmark)
    out = [" · ".join(h for h in head if h), url, ""]
    for canvas, lines in pages:
        out.append(f"[p. {canvas.order}]")
        out.extend(line.text for line in lines)
        out.append("")
    return "\n".join(out)


def _sub(
    parent: etree._Element, tag: str, text: str | None = None, *, lang: str | None = None, **attrs: str
) -> etree._Element:
    el = etree.SubElement(parent, f"{{{TEI_NS}}}{tag}", attrs)
    if lang:
        el.set(f"{{{XML_NS}}}lang", lang)
    if text:
        el.text = _clean(text)
    return el


def item_tei(item: Item, pages: Pages, *, language: str = "lzh") -> bytes:
    """A TEI P5 document: header with title, holder, shelfmark and rights; each page a ``<pb>``
    pointing at its IIIF canvas and each line an ``<lb n>`` followed by its text."""
    root = etree.Element(f"{{{TEI_NS}}}TEI", nsmap={None: TEI_NS})
    header = _sub(root, "teiHeader")
    file_desc = _sub(header, "fileDesc")
    title_stmt = _sub(file_desc, "titleStmt")
    for tag, values in (item.title or {}).items():
        for value in values:
            _sub(title_stmt, "title", value, lang=str(tag))
    if not item.title:
        _sub(title_stmt, "title", item.shelfmark or item.pid)
    publication = _sub(file_desc, "publicationStmt")
    _sub(publication, "publisher", "Mogao")
    _sub(publication, "idno", f"{base_url()}{item.get_absolute_url()}", type="URI")
    availability = _sub(publication, "availability")
    _sub(availability, "licence", item.get_rights_display(), target=item.rights)
    source = _sub(file_desc, "sourceDesc")
    ms = _sub(_sub(source, "msDesc"), "msIdentifier")
    _sub(ms, "institution", item.institution.label("en"))
    if item.shelfmark:
        _sub(ms, "idno", item.shelfmark)
    body = _sub(_sub(root, "text", lang=language), "body")
    div = _sub(body, "div")
    for canvas, lines in pages:
        _sub(div, "pb", n=str(canvas.order), facs=canvas_id(item, canvas))
        block = _sub(div, "ab")
        for line in lines:
            lb = _sub(block, "lb", n=str(line.index + 1))
            if line.box:
                lb.set("facs", f"{canvas_id(item, canvas)}#xywh={','.join(str(round(v)) for v in line.box)}")
            lb.tail = _clean(line.text)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
