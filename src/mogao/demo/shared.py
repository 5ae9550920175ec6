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
    from mogao.knowledge.loaders import load_dila_entities, load_toolkit_periods

    summary = dict(ingest_load(path, echo=echo))
    people_places = load_dila_entities(path)
    echo(f"  DILA people and places: {people_places}")
    periods = load_toolkit_periods()
    echo(f"  dynasties and reign eras: {periods}")
    # Mentions are extracted by the knowledge app when `demo_loaded` is sent, after this.
    return summary
