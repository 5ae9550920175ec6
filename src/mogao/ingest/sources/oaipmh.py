"""OAI-PMH harvesting: ListRecords (oai_dc or datacite) -> items keyed by OAI identifier.

Incremental harvests pass ``from_`` (or ``incremental=True`` to reuse the response date of the
last finished harvest of the same endpoint and set). Deleted records withdraw the item they
produced (``visibility=withdrawn``) rather than delete it, so citations keep resolving.
Resuming: the source keeps the resumption token of the page being read in the run's state, so a
resumed run asks for that page again instead of starting over.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from lxml import etree

from mogao.catalogue import services
from mogao.catalogue.models import Institution, Item, Rights, Visibility
from mogao.core import langtags
from mogao.ingest.models import HarvestedRecord, IngestRun
from mogao.ingest.normalise import strip_markup
from mogao.ingest.oai_client import OaiClient, header_of
from mogao.ingest.records import Outcome, Problem, Record, SourceError

DC = "http://purl.org/dc/elements/1.1/"
DATACITE = "http://datacite.org/schema/kernel-4"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
PREFIXES = ("oai_dc", "datacite", "oai_datacite")
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_ISO639_2 = {"eng": "en", "fre": "fr", "fra": "fr", "ger": "de", "deu": "de", "chi": "zh", "zho": "zh",
             "jpn": "ja", "spa": "es", "ita": "it", "por": "pt", "rus": "ru", "kor": "ko", "ara": "ar",
             "tib": "bo", "bod": "bo", "san": "sa", "lat": "la", "dut": "nl", "nld": "nl"}
_RIGHTS = {r.rstrip("/").replace("https://", "http://"): r for r in Rights.values}


def _lang(tag: str | None) -> str:
    if not tag:
        return langtags.NONE
    norm = langtags.normalize(_ISO639_2.get(tag.lower(), tag))
    return norm if langtags.is_known(norm) else langtags.NONE


def _texts(nodes: list[etree._Element]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for node in nodes:
        text = strip_markup(strip_markup("".join(node.itertext()))) if node is not None else ""
        text = " ".join(text.split())[:20_000]
        if text and text not in out.get(_lang(node.get(XML_LANG)), []):
            out.setdefault(_lang(node.get(XML_LANG)), []).append(text)
    return out


def _years(values: list[str]) -> tuple[int | None, int | None]:
    years = [int(y) for v in values for y in _YEAR.findall(v) if 0 < int(y) < 2200]
    return (min(years), max(years)) if years else (None, None)


def map_metadata(metadata: etree._Element, prefix: str) -> dict[str, Any]:
    """Item fields from an oai_dc or DataCite metadata element; raises SourceError without a title."""
    if prefix == "oai_dc":
        def find(name: str) -> list[etree._Element]:
            return list(metadata.iter(f"{{{DC}}}{name}"))

        title = _texts(find("title"))
        description = _texts(find("description"))
        dates = [n.text or "" for n in find("date")]
        languages = [n.text or "" for n in find("language")]
        rights = [n.text or "" for n in find("rights")]
        creators = [" ".join("".join(n.itertext()).split()) for n in find("creator")]
    else:
        def find(name: str) -> list[etree._Element]:
            return [n for n in metadata.iter() if isinstance(n.tag, str) and etree.QName(n).localname == name]

        title = _texts(find("title"))
        description = _texts(find("description"))
        dates = [n.text or "" for n in find("publicationYear") + find("date")]
        languages = [n.text or "" for n in find("language")]
        rights = [n.get("rightsURI") or n.text or "" for n in find("rights")]
        creators = [" ".join("".join(n.itertext()).split()) for n in find("creatorName")]
    if not title:
        raise SourceError("the record has no title")
    start, end = _years(dates)
    tags = []
    for value in languages:
        tag = _lang(value.strip())
        if tag != langtags.NONE and tag not in tags:
            tags.append(tag)
    fields: dict[str, Any] = {
        "title": title, "description": description, "languages": tags,
        "year_start": start, "year_end": end, "date_expression": "; ".join(d.strip() for d in dates if d.strip())[:200],
        "notes": {"none": ["Creators: " + "; ".join(creators)]} if creators else {},
        "item_type": Item.Type.OTHER,
    }
    for value in rights:
        uri = _RIGHTS.get(value.strip().rstrip("/").replace("https://", "http://"))
        if uri:
            fields["rights"] = uri
            break
    return fields


class OaiSource:
    """Records harvested from an OAI-PMH endpoint with ListRecords."""

    kind = "oai"

    def __init__(
        self, endpoint: str, *, institution: Institution, prefix: str = "oai_dc", set_spec: str = "",
        from_: str = "", until: str = "", incremental: bool = False, http: Any = None,
    ) -> None:
        if prefix not in PREFIXES:
            raise SourceError(f"metadata prefix {prefix!r} is not supported (use {', '.join(PREFIXES)})")
        self.client = OaiClient(endpoint, http=http)
        self.endpoint = self.client.endpoint
        self.institution = institution
        self.prefix, self.set_spec, self.until = prefix, set_spec, until
        self.from_ = from_ or (self._last_harvest() if incremental else "")

    def _last_harvest(self) -> str:
        last = IngestRun.objects.filter(
            kind="oai", source=self.endpoint, status=IngestRun.Status.DONE, dry_run=False,
            options__set=self.set_spec, options__prefix=self.prefix,
        ).order_by("-id").first()
        return str(last.state.get("response_date", "")) if last else ""

    def records(self, state: dict[str, Any]) -> Iterator[Record | Problem]:
        index = int(state.get("page_start", 0))
        token = state.get("token") or None
        params = {"metadataPrefix": self.prefix, "set": self.set_spec or None,
                  "from": self.from_ or None, "until": self.until or None}
        for page in self.client.pages("ListRecords", "oai:ListRecords/oai:record", token=token, **params):
            state.setdefault("response_date", page.response_date)
            state["page_start"] = index
            for position, element in enumerate(page.elements, start=1):
                yield self._record(index, element, f"{page.url} /OAI-PMH/ListRecords/record[{position}]")
                index += 1
            state["token"] = page.token
        state["token"] = None

    def _record(self, index: int, element: etree._Element, location: str) -> Record:
        header = header_of(element)
        record = Record(index=index, key=header.identifier, location=location)
        if not header.identifier:
            record.error("the record header has no identifier", field="identifier",
                         location=f"{location}/header/identifier")
            return record
        record.data = {"header": header}
        if header.deleted:
            return record
        metadata = next((m for m in element.iterfind("{http://www.openarchives.org/OAI/2.0/}metadata")), None)
        payload = next((c for c in metadata if isinstance(c.tag, str)), None) if metadata is not None else None
        if payload is None:
            record.error("the record has no metadata", location=f"{location}/metadata")
            return record
        try:
            record.data["fields"] = map_metadata(payload, "oai_dc" if self.prefix == "oai_dc" else "datacite")
        except SourceError as exc:
            record.error(str(exc), field="title", location=f"{location}/metadata")
        return record

    def load(self, record: Record) -> Outcome:
        header = record.data["header"]
        harvested = HarvestedRecord.objects.filter(endpoint=self.endpoint, identifier=header.identifier).first()
        if header.deleted:
            return self._withdraw(harvested, header)
        local_id = header.identifier[:200]
        item, outcome = services.item_upsert(
            institution=self.institution, local_id=local_id,
            **{**record.data["fields"], "visibility": Visibility.PUBLIC},
        )
        wanted = {"datestamp": header.datestamp, "sets": header.sets, "deleted": False, "item": item}
        if harvested is None:
            HarvestedRecord.objects.create(endpoint=self.endpoint, identifier=header.identifier, **wanted)
        elif any(getattr(harvested, k) != v for k, v in wanted.items()):
            for k, v in wanted.items():
                setattr(harvested, k, v)
            harvested.save()
        return outcome  # type: ignore[return-value]

    def _withdraw(self, harvested: HarvestedRecord | None, header: Any) -> Outcome:
        if harvested is None:
            HarvestedRecord.objects.create(endpoint=self.endpoint, identifier=header.identifier,
                                           datestamp=header.datestamp, sets=header.sets, deleted=True)
            return "deleted"
        if harvested.deleted:
            return "unchanged"
        harvested.deleted = True
        harvested.datestamp = header.datestamp
        harvested.save()
        if harvested.item is not None and harvested.item.visibility != Visibility.WITHDRAWN:
            services.item_upsert(
                institution=harvested.item.institution, local_id=harvested.item.local_id,
                shelfmark=harvested.item.shelfmark, visibility=Visibility.WITHDRAWN,
            )
        return "deleted"
