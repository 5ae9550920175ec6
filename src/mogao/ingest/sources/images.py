"""Image folders: pages (TIFF, JPEG, PNG, JPEG 2000…) grouped into items, in natural page order.

Grouping: ``folder`` mode makes one item per sub-folder (or one for the folder itself when its
images lie directly in it); ``filename`` mode groups files by a pattern with an ``item`` group and
an optional ``page`` group, e.g. ``book1_p01.png`` and ``book1_p02.png`` -> item ``book1``.
A group named after the public id or shelfmark of an item the institution catalogued before adds the
pages to that item and keeps its record (digitization on demand, #17).
Each page is registered with the image store (which refuses images over
``settings.IMAGE_MAX_PIXELS`` and builds the pyramid after commit); OCR is queued after commit
for new or changed pages when asked.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError

from mogao.catalogue import services
from mogao.catalogue.models import Canvas, Institution, Item
from mogao.core.pids import slug_text
from mogao.ingest.records import Outcome, Problem, Record, SourceError

EXTENSIONS = frozenset({".tif", ".tiff", ".jpg", ".jpeg", ".png", ".jp2", ".j2k", ".jpx", ".webp"})
DEFAULT_PATTERN = r"^(?P<item>.+?)[_\-. ](?:p|page|pp|f|fol)[_\-. ]?(?P<page>\d+)$"


def natural_key(name: str) -> list[Any]:
    """Sort key putting ``p2`` before ``p10``."""
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", name)]


def _images(folder: Path) -> list[Path]:
    return sorted(
        (p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in EXTENSIONS),
        key=lambda p: natural_key(p.name),
    )


def _catalogued_item(institution: Institution, key: str) -> Item | None:
    """An item already catalogued whose public id or shelfmark names the folder (not one made by an image import)."""
    found = Item.objects.filter(institution=institution, pid=key).first()
    if found is None:
        found = Item.objects.filter(institution=institution, shelfmark=key).exclude(shelfmark="").first()
    if found is not None and found.local_id == key:
        return None  # made by an earlier image import: the usual upsert
    return found


class ImageFolderSource:
    """Items with canvases from a folder of page images."""

    kind = "images"

    def __init__(
        self, folder: Path, *, institution: Institution, mode: str = "folder",
        pattern: str = DEFAULT_PATTERN, ocr: bool = False, ocr_backend: str | None = None,
        titles: dict[str, dict[str, list[str]]] | None = None, item_type: str = Item.Type.PRINTED,
    ) -> None:
        if mode not in ("folder", "filename"):
            raise SourceError(f"unknown grouping mode {mode!r} (folder or filename)")
        self.folder = Path(folder)
        self.institution = institution
        self.mode = mode
        try:
            self.pattern = re.compile(pattern)
        except re.error as exc:
            raise SourceError(f"bad file-name pattern: {exc}") from exc
        self.ocr, self.ocr_backend = ocr, ocr_backend
        self.titles = titles or {}
        self.item_type = item_type

    def groups(self) -> list[tuple[str, list[Path]]]:
        """(item key, pages in order) for every item in the folder, sorted by key."""
        if not self.folder.is_dir():
            raise SourceError(f"{self.folder} is not a folder")
        if self.mode == "filename":
            grouped: dict[str, list[tuple[list[Any], Path]]] = {}
            for path in _images(self.folder):
                match = self.pattern.match(path.stem)
                key = match["item"] if match else path.stem
                page = match.groupdict().get("page") if match else None
                grouped.setdefault(key, []).append((natural_key(page or path.name), path))
            return [(k, [p for _k, p in sorted(v, key=lambda kv: kv[0])])
                    for k, v in sorted(grouped.items(), key=lambda kv: natural_key(kv[0]))]
        subfolders = sorted((p for p in self.folder.iterdir() if p.is_dir()), key=lambda p: natural_key(p.name))
        groups = [(p.name, _images(p)) for p in subfolders]
        groups = [(k, v) for k, v in groups if v]
        own = _images(self.folder)
        if own:
            groups.insert(0, (self.folder.name, own))
        return groups

    def records(self, state: dict[str, Any]) -> Iterator[Record | Problem]:
        groups = self.groups()
        if not groups:
            yield Problem(f"no images ({', '.join(sorted(EXTENSIONS))}) in {self.folder}", str(self.folder))
        for index, (key, pages) in enumerate(groups):
            record = Record(index=index, key=key, location=str(pages[0].parent / key))
            record.data = {"pages": pages}
            yield record

    def load(self, record: Record) -> Outcome:
        from mogao.iiif.services import image_register

        catalogued = _catalogued_item(self.institution, record.key)
        if catalogued is not None:
            # images for an item catalogued before (e.g. digitized on request, #17): keep its record
            item, outcome = catalogued, "unchanged"
            if item.digitization_status != Item.Status.DIGITIZED:
                item.digitization_status = Item.Status.DIGITIZED
                item.save(update_fields=["digitization_status", "updated"])
                outcome = "updated"
        else:
            title = self.titles.get(record.key) or {"none": [record.key]}
            item, outcome = services.item_upsert(
                institution=self.institution, local_id=record.key, title=title,
                item_type=self.item_type, digitization_status=Item.Status.DIGITIZED,
            )
        existing = {c.order: c for c in Canvas.objects.filter(item=item)}
        changed: list[Canvas] = []
        for order, path in enumerate(record.data["pages"], start=1):
            identifier = slug_text(f"{self.institution.code}-{record.key}-{order:04d}", 120) or f"img-{order}"
            try:
                info = image_register(source=path, identifier=identifier)
            except ValidationError as exc:
                messages = "; ".join(exc.messages)
                raise ValidationError({"source": f"{path.name}: {messages}"}) from None
            values = {"label": {"none": [f"{order}"]}, "width": info.width, "height": info.height,
                      "image_id": info.identifier}
            current = existing.get(order)
            if current is not None and all(getattr(current, k) == v for k, v in values.items()):
                continue
            canvas, _created = services.canvas_upsert(item=item, order=order, **values)
            changed.append(canvas)
        extra = Canvas.objects.filter(item=item, order__gt=len(record.data["pages"]))
        if extra.exists():
            extra.delete()
            outcome = "updated" if outcome == "unchanged" else outcome
        if changed and self.ocr:
            from mogao.core.tasks import enqueue_after_commit
            from mogao.ocr.tasks import ocr_canvas_task

            for canvas in changed:
                enqueue_after_commit(ocr_canvas_task, canvas.pk, self.ocr_backend)
        if changed and outcome == "unchanged":
            outcome = "updated"
        return outcome  # type: ignore[return-value]
