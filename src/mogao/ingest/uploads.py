"""Storing admin uploads in the storage (#19) under ``uploads/<random>/`` with sanitised file names.

The import run names them ``storage:uploads/<random>[/<file>]``; the worker that runs it, on any node,
gets a local copy through :func:`mogao.core.storage.resolve_location`.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from pathlib import Path

from django.core.files.uploadedfile import UploadedFile
from django.utils.text import get_valid_filename

from mogao.core.storage import STORAGE_PREFIX, UPLOADS, media


def uploads_save(files: Iterable[UploadedFile]) -> list[str]:
    """Write ``files`` into a fresh storage folder; return their ``storage:`` locations, folder first.

    Names cannot escape the folder (no path parts).
    """
    storage = media()
    folder = f"{UPLOADS}/{secrets.token_hex(8)}"
    names = []
    for upload in files:
        name = get_valid_filename(Path(upload.name or "upload").name) or "upload"
        upload.seek(0)
        saved = storage.save(f"{folder}/{name}", upload)
        names.append(f"{STORAGE_PREFIX}{saved}")
    return [f"{STORAGE_PREFIX}{folder}", *names]
