"""The values that flow through the pipeline: source records, their problems, and load outcomes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

Outcome = Literal["created", "updated", "unchanged", "deleted"]


@dataclass(frozen=True)
class Problem:
    """One precise message about a record (or the source itself, when ``index`` is None)."""

    message: str
    location: str = ""
    field: str = ""
    warning: bool = False


@dataclass
class Record:
    """A raw record read from a source and normalised into the fields a loader writes.

    ``index`` is the record's 0-based position in the source (stable across runs, so resuming can
    skip committed records); ``key`` is its stable identifier within the institution. A record
    with any non-warning problem is not loaded and counts as failed.
    """

    index: int
    key: str
    location: str
    data: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(not p.warning for p in self.problems)

    def error(self, message: str, *, field: str = "", location: str = "") -> None:
        self.problems.append(Problem(message, location or self.location, field))

    def warn(self, message: str, *, field: str = "", location: str = "") -> None:
        self.problems.append(Problem(message, location or self.location, field, warning=True))


class Source(Protocol):
    """What the pipeline needs from a source: records in a stable order, and a loader for one.

    ``records`` yields every record from the start (the pipeline skips those already committed),
    and may yield :class:`Problem` objects about the source as a whole. ``load`` writes one valid
    record through the catalogue services inside the pipeline's savepoint and returns its outcome.
    """

    kind: str

    def records(self, state: dict[str, Any]) -> Iterator[Record | Problem]: ...

    def load(self, record: Record) -> Outcome: ...


class SourceError(Exception):
    """The source as a whole cannot be read (missing file, refused URL, unreadable XML)."""
