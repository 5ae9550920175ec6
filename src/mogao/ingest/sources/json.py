"""JSON and JSON Lines source: one item per object, with the same fields as the CSV columns.

Accepted shapes: an array of objects, an object with an ``items`` array, or JSON Lines (one object
per line, ``.jsonl``/``.ndjson``). Language maps may be written as ``{"title": {"en": "…"}}`` or as
flat ``"title@en"`` keys; lists (``languages``, ``works``) as JSON arrays. Locations are JSON paths
(``$[3].title.en``) or, for JSON Lines, ``file.jsonl line 4``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from mogao.ingest.normalise import LANGMAP_COLUMNS, normalise_cells
from mogao.ingest.records import Outcome, Problem, Record, SourceError
from mogao.ingest.sources.tabular import ItemLoader

MAX_FILE_BYTES = 512 * 1024 * 1024


def flatten(obj: dict[str, Any], rename: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """(cells, JSON sub-path per cell) from one object; nested language maps become ``name@tag``."""
    cells: dict[str, str] = {}
    paths: dict[str, str] = {}
    for raw_key, value in obj.items():
        key = rename.get(raw_key, raw_key)
        if isinstance(value, dict) and key.lower() in LANGMAP_COLUMNS:
            for tag, texts in value.items():
                joined = texts if isinstance(texts, str) else "\n".join(str(t) for t in texts or [])
                cells[f"{key}@{tag}"] = joined
                paths[f"{key}@{tag}"] = f".{raw_key}.{tag}"
            continue
        if isinstance(value, list):
            text = ";".join(str(v) for v in value)
        elif value is None:
            text = ""
        elif isinstance(value, str | int | float | bool):
            text = str(value)
        else:
            text = json.dumps(value, ensure_ascii=False)
        cells[key] = text
        paths[key] = f".{raw_key}"
    return cells, paths


def _locator(where: str, paths: dict[str, str]) -> Callable[[str], str]:
    """The JSON path of a cell: ``items.json $[3].title.en``."""

    def locate(col: str) -> str:
        return f"{where}{paths.get(col, '.' + col)}"

    return locate


class JsonSource:
    """Items from a JSON array or a JSON Lines file."""

    kind = "json"

    def __init__(self, path: Path, *, mapping: dict[str, Any] | None = None, institution: str = "") -> None:
        self.path = Path(path)
        self.mapping = mapping or {}
        self.institution = institution or str(self.mapping.get("institution", ""))
        self.loader = ItemLoader()
        self.rename = {str(k): str(v) for k, v in self.mapping.get("columns", {}).items()}

    def _objects(self) -> Iterator[tuple[str, Any]]:
        try:
            if self.path.stat().st_size > MAX_FILE_BYTES:
                raise SourceError(f"{self.path.name} is larger than {MAX_FILE_BYTES:,} bytes")
            raw = self.path.read_bytes()
        except OSError as exc:
            raise SourceError(f"cannot read {self.path}: {exc.strerror}") from exc
        text = raw.decode("utf-8-sig", errors="replace")
        name = self.path.name
        if self.path.suffix.lower() in (".jsonl", ".ndjson") or (
            not text.lstrip().startswith("[") and "\n{" in text.strip()
        ):
            for number, line in enumerate(text.splitlines(), start=1):
                if line.strip():
                    try:
                        yield f"{name} line {number}", json.loads(line)
                    except ValueError as exc:
                        yield f"{name} line {number}", exc
            return
        try:
            doc = json.loads(text)
        except ValueError as exc:
            raise SourceError(f"{name}: not valid JSON ({exc})") from exc
        prefix = "$"
        if isinstance(doc, dict) and isinstance(doc.get("items"), list):
            doc, prefix = doc["items"], "$.items"
        if not isinstance(doc, list):
            raise SourceError(f"{name}: expected an array of objects, or an object with an “items” array")
        for i, obj in enumerate(doc):
            yield f"{name} {prefix}[{i}]", obj

    def records(self, state: dict[str, Any]) -> Iterator[Record | Problem]:
        seen: dict[str, str] = {}
        for index, (where, obj) in enumerate(self._objects()):
            record = Record(index=index, key="", location=where)
            if isinstance(obj, Exception):
                record.error(f"not valid JSON: {obj}")
            elif not isinstance(obj, dict):
                record.error("expected an object")
            else:
                cells, paths = flatten(obj, self.rename)
                normalise_cells(
                    record, cells, locate=_locator(where, paths),
                    institutions=self.loader.institutions, default_institution=self.institution,
                )
                if record.key and not record.failed:
                    if record.key in seen:
                        record.error(f"identifier “{record.key}” already appears at {seen[record.key]}",
                                     field="identifier", location=f"{where}.identifier")
                    else:
                        seen[record.key] = where
            yield record

    def load(self, record: Record) -> Outcome:
        return self.loader.load(record)

    def load_many(self, records: list[Record]) -> dict[int, Outcome]:
        return self.loader.load_many(records)

    def reset_caches(self) -> None:
        self.loader.reset_caches()
