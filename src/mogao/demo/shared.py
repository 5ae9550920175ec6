"""`mogao demo --data PATH`: load the real third-party data set through the ingest importers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured


def load_shared_data(path: Path, *, echo: Callable[[str], Any]) -> dict[str, int]:
    """Load the DILA catalogue, English titles and page scans found under ``path``."""
    if not path.is_dir():
        raise ImproperlyConfigured(f"--data {path} is not a folder")
    from mogao.ingest.shared import load_shared_data as ingest_load

    return dict(ingest_load(path, echo=echo))
