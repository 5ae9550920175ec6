"""Storing admin uploads under MOGAO_HOME/ingest/uploads/<random>/ with sanitised file names."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import get_valid_filename


def upload_root() -> Path:
    return Path(settings.HOME) / "ingest" / "uploads"


def uploads_save(files: Iterable[UploadedFile]) -> Path:
    """Write ``files`` into a fresh folder and return it; names cannot escape it (no path parts)."""
    folder = upload_root() / secrets.token_hex(8)
    folder.mkdir(parents=True)
    for upload in files:
        name = get_valid_filename(Path(upload.name or "upload").name) or "upload"
        with (folder / name).open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
    return folder
