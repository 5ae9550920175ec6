"""CSV source: one item per row, headers from the documented vocabulary or a mapping file.

Reading is defensive: the file is decoded as UTF-8 with undecodable bytes kept as surrogates, so
one badly encoded row is reported (with the byte) while the other rows load; the delimiter is
detected from the header; rows with the wrong number of fields are reported, not guessed at.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from mogao.ingest.normalise import check_header, normalise_cells
from mogao.ingest.records import Outcome, Problem, Record, SourceError
from mogao.ingest.sources.tabular import ItemLoader

DELIMITERS = (",", ";", "\t", "|")
#: Cells longer than this abort the csv module; we accept them and refuse them per cell instead.
FIELD_SIZE_LIMIT = 64 * 1024 * 1024
_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}


def read_mapping(path: Path | None) -> dict[str, Any]:
    """A mapping file: ``{"columns": {"Their header": "title@en"}, "delimiter": ",", "institution": "BL"}``."""
    if path is None:
        return {}
    try:
        mapping = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SourceError(f"mapping file {path}: {exc}") from exc
    if not isinstance(mapping, dict) or not isinstance(mapping.get("columns", {}), dict):
        raise SourceError(f"mapping file {path}: expected an object with a “columns” object")
    return mapping


class CsvSource:
    """Items from a CSV file (see docs/ingest.md for the columns)."""

    kind = "csv"

    def __init__(self, path: Path, *, mapping: dict[str, Any] | None = None, institution: str = "") -> None:
        self.path = Path(path)
        self.mapping = mapping or {}
        self.institution = institution or str(self.mapping.get("institution", ""))
        self.loader = ItemLoader()

    def _text(self) -> str:
        try:
            raw = self.path.read_bytes()
        except OSError as exc:
            raise SourceError(f"cannot read {self.path}: {exc.strerror}") from exc
        return raw.decode("utf-8-sig", errors="surrogateescape")

    def _delimiter(self, first_line: str) -> tuple[str, Problem | None]:
        wanted = self.mapping.get("delimiter")
        if wanted:
            return str(wanted), None
        counts = {d: first_line.count(d) for d in DELIMITERS}
        best = max(DELIMITERS, key=lambda d: counts[d])
        if counts[best] == 0 or best == ",":
            return ",", None
        return best, Problem(
            f"the header is separated by {_NAMES[best]}s, not commas; reading the file that way",
            f"{self.path.name} line 1", warning=True,
        )

    def records(self, state: dict[str, Any]) -> Iterator[Record | Problem]:
        text = self._text()
        first_line = text.split("\n", 1)[0]
        delimiter, note = self._delimiter(first_line)
        if note:
            yield note
        csv.field_size_limit(min(sys.maxsize, FIELD_SIZE_LIMIT))
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        name = self.path.name
        try:
            header = next(reader)
        except StopIteration:
            raise SourceError(f"{name} is empty") from None
        rename = {str(k).strip(): str(v) for k, v in self.mapping.get("columns", {}).items()}
        columns = [rename.get(h.strip(), h.strip()) for h in header]
        for col, message in check_header(columns):
            yield Problem(message, f"{name} line 1 column {col}", col, warning=True)
        if "identifier" not in columns:
            raise SourceError(f"{name}: the header has no “identifier” column (found: {', '.join(columns)})")
        seen: dict[str, int] = {}
        index = 0
        line_end = reader.line_num
        while True:
            line = line_end + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                raise SourceError(f"{name} line {line}: {exc}") from exc
            line_end = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            record = Record(index=index, key="", location=f"{name} line {line}")
            index += 1
            yield self._record(record, row, columns, delimiter, seen, line)

    def _record(
        self, record: Record, row: list[str], columns: list[str], delimiter: str,
        seen: dict[str, int], line: int,
    ) -> Record:
        name = self.path.name
        if len(row) != len(columns):
            extra = row[len(columns):]
            if len(row) > len(columns) and not any(c.strip() for c in extra):
                row = row[: len(columns)]
            else:
                other = next((d for d in DELIMITERS if d != delimiter and d in "".join(row)), None)
                if len(row) < len(columns) and other and len(row) <= 2:
                    record.error(f"this row is separated by {_NAMES[other]}s, but the file uses "
                                 f"{_NAMES[delimiter]}s ({len(row)} field(s) instead of {len(columns)})")
                else:
                    record.error(f"this row has {len(row)} fields but the header has {len(columns)} "
                                 "(a value with a delimiter needs quotes)")
                record.key = row[columns.index("identifier")].strip() if len(row) > columns.index("identifier") else ""
                return record
        cells = {col: value for col, value in zip(columns, row, strict=True) if col}
        normalise_cells(
            record, cells, locate=lambda col: f"{name} line {line} column {col}",
            institutions=self.loader.institutions, default_institution=self.institution,
        )
        if record.key and not record.failed:
            if record.key in seen:
                record.error(f"identifier “{record.key}” already appears on line {seen[record.key]}; "
                             "this row is skipped", field="identifier",
                             location=f"{name} line {line} column identifier")
            else:
                seen[record.key] = line
        return record

    def load(self, record: Record) -> Outcome:
        return self.loader.load(record)

    def load_many(self, records: list[Record]) -> dict[int, Outcome]:
        return self.loader.load_many(records)

    def reset_caches(self) -> None:
        self.loader.reset_caches()
