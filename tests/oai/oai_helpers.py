"""Helpers shared by the OAI tests: call the endpoint, validate, and read the answer."""

from __future__ import annotations

from typing import Any

from django.test import Client
from lxml import etree

NS = {"o": "http://www.openarchives.org/OAI/2.0/", "dc": "http://purl.org/dc/elements/1.1/",
      "m": "urn:mogao:oai:record:1", "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/"}


def call(client: Client, schema: etree.XMLSchema, method: str = "get", **params: Any) -> etree._Element:
    """Send one request; assert HTTP 200, XML content type and validity against the schema."""
    send = client.post if method == "post" else client.get
    response = send("/oai", params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    doc = etree.fromstring(response.content, parser)
    if not schema.validate(doc):
        raise AssertionError(f"invalid OAI-PMH response: {schema.error_log}\n{response.content[:3000]!r}")
    return doc


def error_code(doc: etree._Element) -> str | None:
    found = doc.find("o:error", NS)
    return None if found is None else found.get("code")


def headers(doc: etree._Element) -> list[etree._Element]:
    return doc.findall(".//o:header", NS)


def identifiers(doc: etree._Element) -> list[str]:
    return [h.findtext("o:identifier", namespaces=NS) or "" for h in headers(doc)]


def token_of(doc: etree._Element) -> etree._Element | None:
    return doc.find(".//o:resumptionToken", NS)


def identifier(pid: str) -> str:
    return f"oai:127.0.0.1:{pid}"
