"""IIIF Presentation 2 and 3 manifests and collections -> items with canvases, from a file or URL.

A manifest becomes one item keyed by the manifest id within the institution; its canvases become
Mogao canvases in order, pointing at the remote image service (``service_url``) — images are never
copied. Labels, summaries and metadata become language maps; ranges are kept as structure
(:class:`~mogao.ingest.models.Structure`), as are metadata, rights and the required statement the
catalogue has no field for. A collection yields one record per member manifest, fetched when
following is on (always for URL sources).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from mogao.catalogue import services
from mogao.catalogue.models import Canvas, Institution, Item, Rights
from mogao.ingest import fetch
from mogao.ingest.iiif_values import langmap_of, metadata_of
from mogao.ingest.models import Structure
from mogao.ingest.records import Outcome, Problem, Record, SourceError

MAX_MANIFEST_BYTES = 20 * 1024 * 1024
_URL = URLValidator(schemes=["http", "https"])
_RIGHTS = {r.rstrip("/").replace("https://", "http://"): r for r in Rights.values}


def _id(obj: Any) -> str:
    if isinstance(obj, str):
        return obj
    if isinstance(obj, dict):
        return str(obj.get("id") or obj.get("@id") or "")
    return ""


def _type(obj: dict[str, Any]) -> str:
    raw = obj.get("type") or obj.get("@type") or ""
    raw = raw[0] if isinstance(raw, list) and raw else raw
    return str(raw).split(":")[-1]


def is_v3(doc: dict[str, Any]) -> bool:
    ctx = doc.get("@context")
    contexts = ctx if isinstance(ctx, list) else [ctx]
    if any(isinstance(c, str) and "presentation/3" in c for c in contexts):
        return True
    return "type" in doc and "@type" not in doc


def safe_url(value: str) -> str:
    """``value`` percent-encoded where needed (spaces in ids), or '' when it is not an http(s) URL."""
    if not value:
        return ""
    quoted = quote(value, safe=":/?#[]@!$&'()*+,;=%~")
    try:
        _URL(quoted)
    except ValidationError:
        return ""
    return quoted if len(quoted) <= 500 else ""


def local_id_of(manifest_id: str) -> str:
    """The item's record identifier: the manifest id, hashed when longer than the field allows."""
    if len(manifest_id) <= 200:
        return manifest_id
    return "iiif:" + hashlib.sha256(manifest_id.encode()).hexdigest()


def _service_id(resource: dict[str, Any]) -> str:
    service = resource.get("service")
    services_ = service if isinstance(service, list) else [service]
    for s in services_:
        if isinstance(s, dict) and _id(s):
            return _id(s).rstrip("/")
    return ""


def _first_image(canvas: dict[str, Any], v3: bool) -> dict[str, Any]:
    if v3:
        for page in canvas.get("items") or []:
            for anno in page.get("items") or []:
                body = anno.get("body")
                body = body[0] if isinstance(body, list) and body else body
                if isinstance(body, dict) and _type(body) == "Choice":
                    body = (body.get("items") or [{}])[0]
                if isinstance(body, dict) and _type(body) == "SpecificResource":
                    body = body.get("source") if isinstance(body.get("source"), dict) else body
                if isinstance(body, dict):
                    return body
        return {}
    for image in canvas.get("images") or []:
        resource = image.get("resource") if isinstance(image, dict) else None
        if isinstance(resource, dict) and _type(resource) in ("Choice", "oa:Choice"):
            resource = resource.get("default") or (resource.get("item") or [{}])[0]
        if isinstance(resource, dict):
            return resource
    return {}


def _canvases(doc: dict[str, Any], v3: bool) -> list[dict[str, Any]]:
    if v3:
        return [c for c in doc.get("items") or [] if isinstance(c, dict) and _type(c) == "Canvas"]
    sequences = doc.get("sequences") or []
    return list(sequences[0].get("canvases") or []) if sequences else []


def _ranges(doc: dict[str, Any], orders: dict[str, int], v3: bool) -> list[dict[str, Any]]:
    """Ranges as nested ``{"label", "canvases": [order...], "ranges": [...]}``."""
    structures = [r for r in doc.get("structures") or [] if isinstance(r, dict)]

    def canvas_order(ref: Any) -> int | None:
        return orders.get(_id(ref).split("#")[0])

    if v3:
        def walk(rng: dict[str, Any], depth: int) -> dict[str, Any]:
            out: dict[str, Any] = {"label": langmap_of(rng.get("label"))[0], "canvases": [], "ranges": []}
            for member in rng.get("items") or []:
                if isinstance(member, dict) and _type(member) == "Range" and depth < 20:
                    out["ranges"].append(walk(member, depth + 1))
                else:
                    order = canvas_order(member)
                    if order is not None:
                        out["canvases"].append(order)
            return out

        return [walk(r, 0) for r in structures]
    by_id = {_id(r): r for r in structures}
    children = {
        _id(child) for r in structures for child in (r.get("ranges") or []) + [
            m for m in r.get("members") or [] if isinstance(m, dict) and _type(m) == "Range"
        ]
    }

    def walk2(rng: dict[str, Any], depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {"label": langmap_of(rng.get("label"))[0], "canvases": [], "ranges": []}
        for ref in rng.get("canvases") or []:
            order = canvas_order(ref)
            if order is not None:
                out["canvases"].append(order)
        for member in rng.get("members") or []:
            if isinstance(member, dict) and _type(member) == "Canvas":
                order = canvas_order(member)
                if order is not None:
                    out["canvases"].append(order)
        subs = list(rng.get("ranges") or []) + [
            _id(m) for m in rng.get("members") or [] if isinstance(m, dict) and _type(m) == "Range"
        ]
        for sub in subs:
            child = by_id.get(_id(sub))
            if child is not None and depth < 20:
                out["ranges"].append(walk2(child, depth + 1))
        return out

    return [walk2(r, 0) for r in structures if _id(r) not in children or r.get("viewingHint") == "top"]


def _rights(doc: dict[str, Any], v3: bool) -> str:
    raw = doc.get("rights") if v3 else doc.get("license")
    raw = raw[0] if isinstance(raw, list) and raw else raw
    return _id(raw) if raw else ""


def _year(doc: dict[str, Any]) -> int | None:
    nav = doc.get("navDate")
    if isinstance(nav, str) and len(nav) >= 4 and nav[:4].isdigit():
        return int(nav[:4])
    return None


class IiifSource:
    """Items from a manifest or collection (a path, or an http(s) URL fetched safely)."""

    kind = "iiif"

    def __init__(self, location: str, *, institution: Institution, follow: bool | None = None) -> None:
        self.location = location
        self.institution = institution
        self.is_url = location.startswith(("http://", "https://")) or "://" in location
        self.follow = self.is_url if follow is None else follow

    def _read(self, location: str) -> dict[str, Any]:
        if self.is_url or "://" in location:
            got = fetch.fetch(location, max_bytes=MAX_MANIFEST_BYTES, accept="application/ld+json, application/json")
            if got.status >= 400:
                raise SourceError(f"{location}: HTTP {got.status}")
            data = got.content
        else:
            try:
                data = Path(location).read_bytes()
            except OSError as exc:
                raise SourceError(f"cannot read {location}: {exc.strerror}") from exc
        try:
            doc = json.loads(data)
        except ValueError as exc:
            raise SourceError(f"{location}: not JSON ({exc})") from exc
        if not isinstance(doc, dict):
            raise SourceError(f"{location}: a manifest or collection must be a JSON object")
        return doc

    def records(self, state: dict[str, Any]) -> Iterator[Record | Problem]:
        doc = self._read(self.location)
        kind = _type(doc)
        if kind == "Manifest":
            yield self._manifest_record(0, doc, self.location)
            return
        if kind != "Collection":
            raise SourceError(f"{self.location}: expected a Manifest or Collection, found “{kind or 'nothing'}”")
        members = self._members(doc)
        if not self.follow:
            yield Problem(f"collection lists {len(members)} manifest(s); import with --follow to fetch them",
                          self.location, warning=True)
            return
        for index, (path, member) in enumerate(members):
            record = Record(index=index, key=_id(member), location=f"{self.location} {path}")
            if "items" in member and _type(member) == "Manifest" and is_v3(member):
                yield self._manifest_record(index, member, record.location)  # embedded in full
            else:
                record.data = {"fetch": _id(member)}
                yield record

    def _members(self, doc: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
        out = []
        for key in ("manifests", "members", "items"):
            for i, member in enumerate(doc.get(key) or []):
                if isinstance(member, dict) and _type(member) == "Manifest":
                    out.append((f"$.{key}[{i}]", member))
        return out

    def _manifest_record(self, index: int, doc: dict[str, Any], location: str) -> Record:
        manifest_id = _id(doc) or location
        record = Record(index=index, key=local_id_of(manifest_id), location=location)
        self.normalise(record, doc)
        return record

    def normalise(self, record: Record, doc: dict[str, Any]) -> None:
        """Fill ``record.data`` with item fields, canvases and structure from a manifest."""
        v3 = is_v3(doc)
        title, notes = langmap_of(doc.get("label"))
        for note in notes:
            record.warn(note, field="label", location=f"{record.location} $.label")
        if not title:
            title = {"none": [_id(doc) or record.key]}
        summary, _ = langmap_of(doc.get("summary") if v3 else doc.get("description"))
        rights_uri = _rights(doc, v3)
        canvases = []
        orders: dict[str, int] = {}
        for order, canvas in enumerate(_canvases(doc, v3), start=1):
            image = _first_image(canvas, v3)
            service = _service_id(image) if image else ""
            orders[_id(canvas)] = order
            label, _ = langmap_of(canvas.get("label"))
            canvases.append({
                "order": order, "label": label,
                "width": _int(canvas.get("width")), "height": _int(canvas.get("height")),
                "service_url": safe_url(service),
                "source_url": safe_url(_id(image)) if not service and image else safe_url(_id(canvas)),
            })
        year = _year(doc)
        fields: dict[str, Any] = {
            "title": title, "description": summary,
            "rights": _RIGHTS.get(rights_uri.rstrip("/").replace("https://", "http://"), Rights.UNDETERMINED),
            "digitization_status": Item.Status.DIGITIZED if canvases else Item.Status.CATALOGUED,
        }
        if year is not None:
            fields.update(year_start=year, year_end=year, date_expression=str(doc.get("navDate"))[:200])
        required = doc.get("requiredStatement") if v3 else doc.get("attribution")
        record.data = {
            "fields": fields, "canvases": canvases,
            "structure": {
                "ranges": _ranges(doc, orders, v3), "metadata": metadata_of(doc.get("metadata")),
                "rights": rights_uri, "required_statement": metadata_of([required])[0] if isinstance(required, dict)
                else {"label": {}, "value": langmap_of(required)[0]},
                "manifest": _id(doc),
            },
        }

    def load(self, record: Record) -> Outcome:
        if "fetch" in record.data:
            doc = self._read(record.data["fetch"])
            if _type(doc) != "Manifest":
                raise SourceError(f"{record.data['fetch']}: expected a Manifest")
            self.normalise(record, doc)
        return manifest_load(institution=self.institution, local_id=record.key, data=record.data)


def _int(value: Any) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def manifest_load(*, institution: Institution, local_id: str, data: dict[str, Any]) -> Outcome:
    """Upsert the item, its canvases (extra old ones removed) and its structure; one outcome."""
    item, outcome = services.item_upsert(institution=institution, local_id=local_id, **data["fields"])
    changed = False
    fields = ("label", "width", "height", "service_url", "source_url")
    existing = {c["order"]: c for c in Canvas.objects.filter(item=item).values("order", *fields)}
    for canvas in data["canvases"]:
        order = canvas["order"]
        values = {k: ("" if canvas[k] is None and k.endswith("url") else canvas[k]) for k in fields}
        current = existing.get(order)
        if current is not None and all(current[k] == values[k] for k in fields):
            continue
        services.canvas_upsert(item=item, order=order, **values)
        changed = True
    extra = Canvas.objects.filter(item=item, order__gt=len(data["canvases"]))
    if extra.exists():
        extra.delete()
        changed = True
    structure = data["structure"]
    saved = Structure.objects.filter(item=item).first()
    wanted = {
        "ranges": structure["ranges"], "metadata": structure["metadata"], "rights": structure["rights"],
        "required_statement": structure["required_statement"],
        "source_url": safe_url(structure["manifest"]),
    }
    if saved is None:
        Structure.objects.create(item=item, **wanted)
    elif any(getattr(saved, k) != v for k, v in wanted.items()):
        for k, v in wanted.items():
            setattr(saved, k, v)
        saved.save()
        changed = True
    if outcome == "unchanged" and changed:
        return "updated"
    return outcome  # type: ignore[return-value]
