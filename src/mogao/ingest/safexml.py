"""Parsing untrusted XML: no DTDs, no entities, no network, no huge trees (XXE, billion laughs)."""

from __future__ import annotations

import re

from lxml import etree

from mogao.ingest.records import SourceError

# A DOCTYPE is where external entities (XXE) and entity bombs (billion laughs) are declared; no
# legitimate OAI-PMH or TEI response we import needs one, so documents carrying one are refused.
_DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


class UnsafeXML(SourceError):
    """The document declares a DTD or entities, which importers refuse."""


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
        dtd_validation=False, remove_comments=True,
    )


def parse_xml(data: bytes, *, where: str = "") -> etree._Element:
    """The root element of ``data``; raises UnsafeXML for DTD/entities, SourceError when malformed."""
    if _DOCTYPE.search(data[:1_000_000] if len(data) > 1_000_000 else data):
        raise UnsafeXML(f"{where or 'document'}: XML with a DOCTYPE or entity declarations is refused")
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as exc:
        raise SourceError(f"{where or 'document'}: malformed XML: {exc}") from exc
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise UnsafeXML(f"{where or 'document'}: XML with a DOCTYPE is refused")
    return root
