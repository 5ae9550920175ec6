"""OAI-PMH response envelopes built with lxml (so every value is escaped)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from django.utils import timezone
from lxml import etree

from mogao.core.urls import base_url as site_base_url
from mogao.oai.formats import XSI_NS, clean_text

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
SCHEMA_LOCATION = f"{OAI_NS} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"


def base_url() -> str:
    return f"{site_base_url()}/oai"


def datestamp(value: datetime) -> str:
    """Seconds granularity, UTC, Z notation (the repository's declared granularity)."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def envelope(args: Mapping[str, str]) -> etree._Element:
    """The ``<OAI-PMH>`` root with responseDate and the request echo (``args`` become attributes)."""
    root = etree.Element(f"{{{OAI_NS}}}OAI-PMH", nsmap={None: OAI_NS, "xsi": XSI_NS})
    root.set(f"{{{XSI_NS}}}schemaLocation", SCHEMA_LOCATION)
    etree.SubElement(root, f"{{{OAI_NS}}}responseDate").text = datestamp(timezone.now())
    request = etree.SubElement(root, f"{{{OAI_NS}}}request")
    request.text = base_url()
    for key, value in args.items():
        request.set(key, clean_text(value))
    return root


def sub(parent: etree._Element, tag: str, text: object | None = None, **attrs: str) -> etree._Element:
    """Add an element in the OAI namespace."""
    el = etree.SubElement(parent, f"{{{OAI_NS}}}{tag}", **attrs)
    if text is not None:
        el.text = clean_text(text)
    return el


def error_document(code: str, message: str, args: Mapping[str, str] | None = None) -> etree._Element:
    root = envelope(args or {})
    sub(root, "error", message, code=code)
    return root


def serialize(root: etree._Element) -> bytes:
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=False)
    return data
