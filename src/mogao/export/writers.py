"""Writers: JSON Lines (lossless), CSV (one row per item, for spreadsheets) and a BagIt bag.

The bag holds ``data/records.jsonl`` (the same lossless JSON Lines), ``data/items.csv``,
``data/manifests/{pid}.json`` (IIIF Presentation 3) for items with images and, only where the
item's rights and download switches allow, ``data/transcriptions/{pid}.txt`` and
``data/images/{pid}/{order}.{ext}`` (masters from the local image store).
"""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import bagit

from mogao.catalogue.models import Item, Rights
from mogao.core.urls import base_url
from mogao.export.records import Record, export_items, item_record, iter_records

#: Rights under which Mogao may redistribute texts and images in a bag.
OPEN_RIGHTS = {
    Rights.PUBLIC_DOMAIN, Rights.CC0, Rights.CC_BY, Rights.CC_BY_SA, Rights.NO_COPYRIGHT, Rights.NKC,
}
CSV_COLUMNS = [
    "pid", "institution", "collection", "shelfmark", "local_id", "title", "description", "item_type",
    "languages", "material", "dimensions", "extent", "date_expression", "year_start", "year_end", "period",
    "find_place", "acquired_by", "acquisition_year", "provenance", "notes", "rights", "allow_download",
    "digitization_status", "visibility", "works", "canvases",
]


def dumps(record: Record) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def write_jsonl(stream: IO[str], records: Iterable[Record]) -> int:
    """Write one JSON object per line; returns how many."""
    n = 0
    for record in records:
        stream.write(dumps(record) + "\n")
        n += 1
    return n


def csv_rows(*, public_only: bool = False) -> Iterator[dict[str, Any]]:
    """One flat row per item; language maps and lists are JSON text in their cells."""
    for item in export_items(public_only=public_only).iterator(chunk_size=500):
        record = item_record(item, with_text=False)
        row: dict[str, Any] = {}
        for column in CSV_COLUMNS:
            value = record[column]
            if column == "canvases":
                value = len(value)
            row[column] = json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else (
                "" if value is None else value
            )
        yield row


#: First characters that make a spreadsheet read a cell as a formula (tab and carriage return too:
#: some spreadsheets strip them and then read the formula that follows).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: Any) -> Any:
    """The value as a spreadsheet takes it as text: a leading ``'`` before a formula start only.

    Empty cells stay empty; numbers and other non-text values pass unchanged.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(stream: IO[str], *, public_only: bool = False) -> int:
    writer = csv.DictWriter(stream, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    n = 0
    for row in csv_rows(public_only=public_only):
        writer.writerow({k: spreadsheet_cell(v) for k, v in row.items()})
        n += 1
    return n


def redistributable(item: Item) -> bool:
    """True when the item's rights and its holder's switches allow copying texts and images."""
    return item.rights in OPEN_RIGHTS and item.downloads_allowed


def write_bag(out: Path, *, public_only: bool = True) -> bagit.Bag:
    """Build a BagIt bag at ``out`` (a new or empty folder) and return it, validated."""
    from mogao.iiif.presentation import manifests
    from mogao.iiif.presentation.selectors import viewer_canvases

    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise FileExistsError(f"{out} is not empty")
    out.mkdir(parents=True, exist_ok=True)
    with (out / "records.jsonl").open("w", encoding="utf-8") as stream:
        write_jsonl(stream, iter_records(public_only=public_only))
    with (out / "items.csv").open("w", encoding="utf-8", newline="") as stream:
        write_csv(stream, public_only=public_only)
    counts = {"manifests": 0, "transcriptions": 0, "images": 0}
    store = _image_store()
    for item in export_items(public_only=public_only).iterator(chunk_size=200):
        canvases = viewer_canvases(item=item)
        if canvases:
            target = out / "manifests" / f"{item.pid}.json"
            target.parent.mkdir(exist_ok=True)
            manifest = manifests.item_manifest(item, canvases=canvases)
            target.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
            counts["manifests"] += 1
        if not redistributable(item):
            continue
        texts = [
            f"## {c.order}\n{t.text}\n" for c in item.canvases.all() for t in c.transcriptions.all()
            if t.is_primary and t.text
        ]
        if texts:
            target = out / "transcriptions" / f"{item.pid}.txt"
            target.parent.mkdir(exist_ok=True)
            target.write_text("\n".join(texts), encoding="utf-8")
            counts["transcriptions"] += 1
        for canvas in item.canvases.all():
            counts["images"] += _copy_master(store, item, canvas, out)
    info = {
        "Source-Organization": "Mogao",
        "External-Description": "Mogao catalogue export: JSON Lines records (format 1), CSV, IIIF manifests, "
        "and openly licensed transcriptions and images.",
        "External-Identifier": base_url(),
        "Mogao-Format-Version": "1",
        **{f"Mogao-{k.title()}": str(v) for k, v in counts.items()},
    }
    bag = bagit.make_bag(str(out), info, checksums=["sha256"])
    bag.validate()
    return bag


def _image_store() -> Any:
    from mogao.iiif.presentation.downloads import image_store

    return image_store()


def _copy_master(store: Any, item: Item, canvas: Any, out: Path) -> int:
    if not canvas.image_id:
        return 0
    from mogao.iiif import replicate
    from mogao.iiif.image.errors import ImageNotFound

    if replicate.enabled():
        replicate.ensure_local(store, canvas.image_id)  # published by another node (#19)
    try:
        source = Path(store.master_path(store.info(canvas.image_id)))
    except ImageNotFound:  # a missing master shows in the bag's image count, it does not stop the export
        return 0
    target = out / "images" / item.pid / f"{canvas.order}{source.suffix.lower()}"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return 1
