"""Metadata formats, registered by prefix: ``oai_dc`` and the richer ``mogao`` profile.

A format is a prefix, its schema and namespace, and a function that writes one item's metadata
under a parent element. Register more with :func:`register`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

from mogao.catalogue.models import Item, ItemWork, Visibility
from mogao.core.urls import base_url

Renderer = Callable[[Item, etree._Element], None]

DC_NS = "http://purl.org/dc/elements/1.1/"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
MOGAO_NS = "urn:mogao:oai:record:1"
#: XML 1.0 forbids these characters even when escaped; they are dropped from every value.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")


def clean_text(value: object) -> str:
    """Text safe to put in an XML 1.0 document."""
    return _ILLEGAL_XML.sub("", str(value))


@dataclass(frozen=True)
class MetadataFormat:
    prefix: str
    schema: str
    namespace: str
    render: Renderer


FORMATS: dict[str, MetadataFormat] = {}


def register(fmt: MetadataFormat) -> MetadataFormat:
    """Make a format available to every record under its prefix."""
    FORMATS[fmt.prefix] = fmt
    return fmt


def item_url(item: Item) -> str:
    return f"{base_url()}{item.get_absolute_url()}"


def manifest_url(item: Item) -> str:
    return f"{base_url()}/iiif/items/{item.pid}/manifest"


def _add(parent: etree._Element, tag: str, text: object, lang: str | None = None) -> etree._Element:
    el = etree.SubElement(parent, tag)
    el.text = clean_text(text)
    if lang and lang != "none" and _LANGUAGE_TAG.match(lang):
        el.set(XML_LANG, lang)
    return el


def _add_map(parent: etree._Element, tag: str, value: dict[str, list[str]] | None) -> None:
    for lang, texts in (value or {}).items():
        for text in texts:
            _add(parent, tag, text, lang)


def _public_works(item: Item) -> list[ItemWork]:
    return [iw for iw in item.item_works.all() if iw.work.visibility == Visibility.PUBLIC]


def _date_text(item: Item) -> str:
    if item.year_start is None:
        return ""
    if item.year_end is None or item.year_end == item.year_start:
        return str(item.year_start)
    return f"{item.year_start}/{item.year_end}"


def render_oai_dc(item: Item, parent: etree._Element) -> None:
    """Unqualified Dublin Core: the lowest common denominator every harvester understands."""
    root = etree.SubElement(
        parent, f"{{{OAI_DC_NS}}}dc", nsmap={"oai_dc": OAI_DC_NS, "dc": DC_NS, "xsi": XSI_NS}
    )
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_DC_NS} http://www.openarchives.org/OAI/2.0/oai_dc.xsd")
    dc = f"{{{DC_NS}}}"
    _add_map(root, dc + "title", item.title)
    seen: set[str] = set()
    for iw in _public_works(item):
        for creator in iw.work.creators.all():
            name = creator.person.label("en")
            if name not in seen:
                seen.add(name)
                _add(root, dc + "creator", name)
    for iw in _public_works(item):
        _add_map(root, dc + "subject", iw.work.title)
    _add_map(root, dc + "description", item.description)
    _add_map(root, dc + "publisher", item.institution.name)
    if item.date_expression:
        _add(root, dc + "date", item.date_expression)
    if _date_text(item):
        _add(root, dc + "date", _date_text(item))
    _add(root, dc + "type", "Text")
    _add(root, dc + "type", item.get_item_type_display())
    _add_map(root, dc + "format", item.material)
    for extra in (item.dimensions, item.extent):
        if extra:
            _add(root, dc + "format", extra)
    _add(root, dc + "identifier", item_url(item))
    if item.shelfmark:
        _add(root, dc + "identifier", item.shelfmark)
    holder = item.institution.label("en")
    _add(root, dc + "source", f"{holder}, {item.shelfmark}" if item.shelfmark else holder)
    for lang in item.languages:
        _add(root, dc + "language", lang)
    if item.canvases.all():
        _add(root, dc + "relation", manifest_url(item))
    for iw in _public_works(item):
        _add(root, dc + "relation", f"{base_url()}{iw.work.get_absolute_url()}")
    if item.find_place:
        _add_map(root, dc + "coverage", item.find_place.name)
    if item.period:
        _add_map(root, dc + "coverage", item.period.name)
    _add(root, dc + "rights", item.rights)


def render_mogao(item: Item, parent: etree._Element) -> None:
    """The Mogao profile (``schemas/mogao.xsd``): every catalogue field, language maps intact."""
    m = f"{{{MOGAO_NS}}}"
    root = etree.SubElement(parent, m + "item", nsmap={"m": MOGAO_NS, "xsi": XSI_NS})
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{MOGAO_NS} {base_url()}/oai/schemas/mogao.xsd")
    root.set("pid", item.pid)
    _add(root, m + "url", item_url(item))
    _add_map(root, m + "title", item.title)
    _add_map(root, m + "description", item.description)
    inst = etree.SubElement(root, m + "institution", code=item.institution.code, pid=item.institution.pid)
    _add_map(inst, m + "name", item.institution.name)
    if item.collection:
        coll = etree.SubElement(root, m + "collection", code=item.collection.code, pid=item.collection.pid)
        _add_map(coll, m + "name", item.collection.name)
    if item.shelfmark:
        _add(root, m + "shelfmark", item.shelfmark)
    if item.local_id:
        _add(root, m + "localId", item.local_id)
    _add(root, m + "type", item.item_type)
    _add(root, m + "digitizationStatus", item.digitization_status)
    if item.date_expression or item.year_start is not None or item.period:
        date = etree.SubElement(root, m + "date")
        if item.year_start is not None:
            date.set("yearStart", str(item.year_start))
        if item.year_end is not None:
            date.set("yearEnd", str(item.year_end))
        if item.period:
            date.set("period", item.period.pid)
        date.text = clean_text(item.date_expression)
    for lang in item.languages:
        _add(root, m + "language", lang)
    _add_map(root, m + "material", item.material)
    if item.dimensions:
        _add(root, m + "dimensions", item.dimensions)
    if item.extent:
        _add(root, m + "extent", item.extent)
    if item.find_place:
        place = etree.SubElement(root, m + "findPlace", pid=item.find_place.pid)
        _add_map(place, m + "name", item.find_place.name)
    _add_map(root, m + "provenance", item.provenance)
    _add(root, m + "rights", item.rights)
    for iw in _public_works(item):
        work = etree.SubElement(root, m + "work", pid=iw.work.pid, role=iw.role)
        _add(work, m + "url", f"{base_url()}{iw.work.get_absolute_url()}")
        _add_map(work, m + "title", iw.work.title)
    canvases = item.canvases.all()
    if canvases:
        _add(root, m + "manifest", manifest_url(item)).set("canvases", str(len(canvases)))


register(MetadataFormat(
    prefix="oai_dc", schema="http://www.openarchives.org/OAI/2.0/oai_dc.xsd", namespace=OAI_DC_NS,
    render=render_oai_dc,
))
register(MetadataFormat(
    prefix="mogao", schema="/oai/schemas/mogao.xsd", namespace=MOGAO_NS, render=render_mogao,
))


def schema_url(fmt: MetadataFormat) -> str:
    """Absolute schema URL (formats may register a site-relative one)."""
    return f"{base_url()}{fmt.schema}" if fmt.schema.startswith("/") else fmt.schema
