"""Administrators' bulk export: the whole catalogue as JSON Lines, CSV or a zipped BagIt bag."""

from __future__ import annotations

import io
import shutil
import tempfile
from pathlib import Path

from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.utils import timezone
from ninja import Query, Router

from mogao.api.auth import require_admin, token_auth
from mogao.api.http import COMMON_ERRORS, ErrorOut
from mogao.api.schemas import ExportQuery
from mogao.export import writers
from mogao.export.records import iter_records

router = Router(tags=["export"])


@router.get(
    "/export", auth=token_auth, response={200: None, 401: ErrorOut, 403: ErrorOut, **COMMON_ERRORS},
    summary="Export the whole catalogue (administrators)",
    description="`jsonl`: lossless records (re-import with `mogao import-jsonl`); `csv`: one row per item; "
    "`bagit`: a zipped BagIt bag with records, manifests and openly licensed texts and images.",
)
def export(request: HttpRequest, query: Query[ExportQuery]) -> HttpResponseBase:
    require_admin(request)
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    if query.format == "jsonl":
        text = io.StringIO()
        writers.write_jsonl(text, iter_records())
        response = HttpResponse(text.getvalue().encode(), content_type="application/x-ndjson; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="mogao-{stamp}.jsonl"'
        return response
    if query.format == "csv":
        text = io.StringIO()
        writers.write_csv(text)
        response = HttpResponse(text.getvalue().encode(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="mogao-{stamp}.csv"'
        return response
    work = Path(tempfile.mkdtemp(prefix="mogao-bag-"))
    try:
        writers.write_bag(work / "bag", public_only=False)
        archive = shutil.make_archive(str(work / f"mogao-{stamp}"), "zip", root_dir=work, base_dir="bag")
        data = Path(archive).read_bytes()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return FileResponse(io.BytesIO(data), as_attachment=True, filename=f"mogao-bag-{stamp}.zip",
                        content_type="application/zip")
