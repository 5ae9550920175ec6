"""What the cluster bench asks of the library itself, run as a process of the cluster (its environment).

    python bench/cluster/ops.py upload FOLDER PREFIX           # page images into the bucket
    python bench/cluster/ops.py enqueue csv|images LOCATION INSTITUTION [OCR_BACKEND]
    python bench/cluster/ops.py status RUN_ID…
    python bench/cluster/ops.py verify CSV INSTITUTION IMAGE_INSTITUTION PAGES

Each prints one JSON line. ``enqueue`` queues an ingest run as the admin's upload form does
(``ingest_enqueue``: a pending run, sent to the broker after the commit), so a worker runs it.
"""

from __future__ import annotations

import csv
import json
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any


def upload(folder: str, prefix: str) -> dict[str, Any]:
    from mogao.core.storage import upload_folder

    files, size = upload_folder(Path(folder), prefix)
    return {"files": files, "bytes": size, "location": f"storage:{prefix}"}


def enqueue(kind: str, location: str, institution: str, ocr_backend: str = "") -> dict[str, Any]:
    from django.db import transaction

    from mogao.ingest.services import ingest_enqueue, institution_ensure

    institution_ensure(code=institution, name=f"Cluster bench {institution}")
    options: dict[str, Any] = {}
    if kind == "images":
        options = {"mode": "folder", "pattern": "", "ocr": True, "ocr_backend": ocr_backend or None}
    with transaction.atomic():
        run = ingest_enqueue(kind=kind, location=location, institution_code=institution, options=options)
    return {"run": run.pk}


def status(*run_ids: str) -> dict[str, Any]:
    from mogao.catalogue.models import Canvas, Transcription
    from mogao.core import taskqueue
    from mogao.ingest.models import IngestRun

    runs = [{"id": r.pk, "status": str(r.status), "position": r.position, "total": r.total}
            for r in IngestRun.objects.filter(pk__in=[int(i) for i in run_ids]).order_by("pk")]
    depths: dict[str, Any]
    try:
        depths = dict(taskqueue.queue_depths())
    except Exception as exc:  # the broker restarting: say so, the bench asks again
        depths = {"error": type(exc).__name__}
    return {"runs": runs, "canvases": Canvas.objects.filter(image_id__startswith="climg-").count(),
            "ocr": Transcription.objects.filter(source=Transcription.Source.OCR,
                                                canvas__image_id__startswith="climg-").count(),
            "queues": depths}


def verify(csv_path: str, institution: str, image_institution: str, pages: str) -> dict[str, Any]:
    """Records lost or duplicated, images without a pyramid, pages OCR'd other than once."""
    from mogao.catalogue.models import Canvas, Item, Transcription
    from mogao.core.storage import media
    from mogao.iiif.services import image_server

    with open(csv_path, encoding="utf-8") as handle:
        expected = [row["identifier"] for row in csv.DictReader(handle)]
    found = Counter(Item.objects.filter(institution__code=institution).values_list("local_id", flat=True))
    missing = [i for i in expected if i not in found]
    duplicated = {k: v for k, v in found.items() if v > 1}
    unexpected = [k for k in found if k not in set(expected)]
    canvases = list(Canvas.objects.filter(item__institution__code=image_institution).order_by("pk"))
    per_item = Counter(c.item_id for c in canvases)
    storage, store = media(), image_server().store
    no_pyramid = [c.image_id for c in canvases if not storage.exists(
        f"derivatives/{store.folder(c.image_id).relative_to(store.root).as_posix()}/pyramid.tif")]
    ocr = Counter(Transcription.objects.filter(canvas__in=canvases, source=Transcription.Source.OCR)
                  .values_list("canvas_id", flat=True))
    empty = Transcription.objects.filter(canvas__in=canvases, source=Transcription.Source.OCR, text="").count()
    return {
        "records_expected": len(expected), "records_found": sum(found.values()), "records_distinct": len(found),
        "records_missing": len(missing), "records_duplicated": sum(v - 1 for v in duplicated.values()),
        "records_unexpected": len(unexpected), "missing_sample": missing[:5],
        "pages_expected": int(pages), "canvases": len(canvases),
        "distinct_images": len({c.image_id for c in canvases}),
        "items_with_pages": len(per_item), "pages_without_pyramid": len(no_pyramid),
        "pages_ocr_once": sum(1 for c in canvases if ocr[c.pk] == 1),
        "pages_ocr_more": sum(1 for c in canvases if ocr[c.pk] > 1),
        "pages_ocr_none": sum(1 for c in canvases if ocr[c.pk] == 0),
        "ocr_empty_text": empty,
        "sample_pids": list(Item.objects.filter(institution__code=institution).order_by("?")
                            .values_list("pid", flat=True)[:20]),
        "image_item_pids": sorted({c.item.pid for c in canvases}),
    }


def main() -> None:
    import django

    django.setup()
    command, args = sys.argv[1], sys.argv[2:]
    handlers: dict[str, Callable[..., dict[str, Any]]] = {
        "upload": upload, "enqueue": enqueue, "status": status, "verify": verify}
    print(json.dumps(handlers[command](*args), default=str))


if __name__ == "__main__":
    main()
