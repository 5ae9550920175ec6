"""A small, safe OAI-PMH 2.0 client: all six verbs, resumption tokens, and every protocol error.

Responses are fetched with :mod:`mogao.ingest.fetch` (SSRF-safe, size-capped) and parsed with
:mod:`mogao.ingest.safexml` (no DTDs or entities). Protocol errors become :class:`OaiError` with
the OAI code (``badArgument``, ``badResumptionToken``, ``badVerb``, ``cannotDisseminateFormat``,
``idDoesNotExist``, ``noMetadataFormats``, ``noSetHierarchy``); ``noRecordsMatch`` is not an
error for a harvest: it means an empty list.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from lxml import etree

from mogao.ingest import fetch
from mogao.ingest.records import SourceError
from mogao.ingest.safexml import UnsafeXML, parse_xml

NS = {"oai": "http://www.openarchives.org/OAI/2.0/"}
OAI_ERRORS = frozenset({
    "badArgument", "badResumptionToken", "badVerb", "cannotDisseminateFormat", "idDoesNotExist",
    "noRecordsMatch", "noMetadataFormats", "noSetHierarchy",
})
MAX_RESPONSE_BYTES = 50 * 1024 * 1024
MAX_PAGES = 100_000


class OaiError(SourceError):
    """An OAI-PMH ``<error code=…>`` answer."""

    def __init__(self, code: str, message: str, url: str) -> None:
        super().__init__(f"OAI-PMH error {code} from {url}: {message}")
        self.code = code


@dataclass
class Header:
    identifier: str
    datestamp: str
    sets: list[str]
    deleted: bool


@dataclass
class Page:
    """One response of a list verb."""

    url: str
    root: etree._Element
    elements: list[etree._Element]
    token: str | None
    response_date: str
    extra: dict[str, Any] = field(default_factory=dict)


def header_of(element: etree._Element) -> Header:
    head = element if etree.QName(element).localname == "header" else element.find("oai:header", NS)
    if head is None:
        raise SourceError("record without a header")
    return Header(
        identifier=(head.findtext("oai:identifier", default="", namespaces=NS) or "").strip(),
        datestamp=(head.findtext("oai:datestamp", default="", namespaces=NS) or "").strip(),
        sets=[s.text.strip() for s in head.findall("oai:setSpec", NS) if s.text],
        deleted=head.get("status") == "deleted",
    )


class OaiClient:
    """Issues OAI-PMH requests against ``endpoint`` (base URL without query)."""

    def __init__(self, endpoint: str, *, http: Any = None) -> None:
        self.endpoint = endpoint.split("?")[0]
        self.http = http

    def request(self, verb: str, **params: str | None) -> tuple[str, etree._Element]:
        args = {"verb": verb, **{k: v for k, v in params.items() if v}}
        url = f"{self.endpoint}?{urlencode(args)}"
        got = fetch.fetch(url, max_bytes=MAX_RESPONSE_BYTES, accept="text/xml, application/xml", client=self.http)
        if got.status >= 500:
            raise SourceError(f"{url}: HTTP {got.status}")
        try:
            root = parse_xml(got.content, where=url)
        except UnsafeXML:
            raise
        except SourceError:
            if got.status >= 400:  # an HTTP error page, not an OAI-PMH error response
                raise SourceError(f"{url}: HTTP {got.status}") from None
            raise
        if etree.QName(root).localname != "OAI-PMH":
            raise SourceError(f"{url}: not an OAI-PMH response (root element <{etree.QName(root).localname}>)")
        error = root.find("oai:error", NS)
        if error is not None:
            code = error.get("code", "")
            raise OaiError(code if code in OAI_ERRORS else f"unknown({code})", (error.text or "").strip(), url)
        if got.status >= 400:
            raise SourceError(f"{url}: HTTP {got.status}")
        return url, root

    def identify(self) -> dict[str, Any]:
        _url, root = self.request("Identify")
        node = root.find("oai:Identify", NS)
        if node is None:
            raise SourceError("Identify: no <Identify> element")
        out: dict[str, Any] = {}
        for child in node:
            if not isinstance(child.tag, str):
                continue
            name = etree.QName(child).localname
            if name == "description":
                continue
            value = (child.text or "").strip()
            if name == "adminEmail":
                out.setdefault("adminEmail", []).append(value)
            else:
                out[name] = value
        return out

    def list_metadata_formats(self, identifier: str | None = None) -> list[dict[str, str]]:
        _url, root = self.request("ListMetadataFormats", identifier=identifier)
        return [
            {
                "prefix": f.findtext("oai:metadataPrefix", default="", namespaces=NS).strip(),
                "schema": f.findtext("oai:schema", default="", namespaces=NS).strip(),
                "namespace": f.findtext("oai:metadataNamespace", default="", namespaces=NS).strip(),
            }
            for f in root.iterfind("oai:ListMetadataFormats/oai:metadataFormat", NS)
        ]

    def list_sets(self) -> Iterator[dict[str, str]]:
        for page in self.pages("ListSets", "oai:ListSets/oai:set"):
            for node in page.elements:
                yield {
                    "spec": node.findtext("oai:setSpec", default="", namespaces=NS).strip(),
                    "name": node.findtext("oai:setName", default="", namespaces=NS).strip(),
                }

    def get_record(self, identifier: str, prefix: str = "oai_dc") -> etree._Element:
        _url, root = self.request("GetRecord", identifier=identifier, metadataPrefix=prefix)
        record = root.find("oai:GetRecord/oai:record", NS)
        if record is None:
            raise SourceError(f"GetRecord {identifier}: no record in the response")
        return record

    def list_identifiers(self, **params: str | None) -> Iterator[Header]:
        for page in self.pages("ListIdentifiers", "oai:ListIdentifiers/oai:header", **params):
            for node in page.elements:
                yield header_of(node)

    def pages(
        self, verb: str, path: str, *, token: str | None = None, **params: str | None
    ) -> Iterator[Page]:
        """Every page of a list verb, following resumption tokens; starts at ``token`` if given.

        ``noRecordsMatch`` ends the list quietly; a repeated token (a looping server) is an error.
        """
        seen: set[str] = set()
        for _n in range(MAX_PAGES):
            try:
                if token:
                    url, root = self.request(verb, resumptionToken=token)
                else:
                    url, root = self.request(verb, **params)
            except OaiError as exc:
                if exc.code == "noRecordsMatch":
                    return
                raise
            node = root.find(f"oai:{verb}/oai:resumptionToken", NS)
            next_token = (node.text or "").strip() if node is not None else ""
            yield Page(url=url, root=root, elements=list(root.iterfind(path, NS)),
                       token=next_token or None,
                       response_date=root.findtext("oai:responseDate", default="", namespaces=NS).strip())
            if not next_token:
                return
            if next_token in seen:
                raise SourceError(f"{verb}: the server repeated resumption token {next_token!r}")
            seen.add(next_token)
            token = next_token
        raise SourceError(f"{verb}: more than {MAX_PAGES} pages")
