"""Text-only works from JSON full texts: one item per text, one image-less canvas per section.

A :class:`TextMapping` says where a file keeps its sections (a small JSONPath: ``$``, ``.key``,
``[*]``), which fields label a section and which holds its text (a string or a list of lines).
Each section becomes a canvas with no image (``Canvas.has_image`` is false: the IIIF manifest
leaves it out, the reading room shows its text) whose primary transcription, ``source=import``,
holds the text one line per paragraph, so the reading room, TXT/TEI exports and search use it like
any other transcription. Loading is idempotent: unchanged canvases and transcriptions are not
rewritten, and sections that disappeared from the file lose their canvas.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError

from mogao.catalogue import services
from mogao.catalogue.models import Canvas, Institution, Item, Transcription
from mogao.core import langtags
from mogao.ingest.records import Outcome, Problem, Record, SourceError

_STEP = re.compile(r"\.([A-Za-z_][\w-]*)|\[\*\]")
#: A section's text longer than this is refused (a transcription of one chapter or poem).
MAX_TEXT = 200_000


def parse_path(path: str) -> list[str | None]:
    """``"$.content[*].content[*]"`` -> ``["content", None, "content", None]`` (None: each element).

    Raises SourceError naming the mapping field for anything else.
    """
    if not path.startswith("$"):
        raise SourceError(f"mapping field “sections”: a path starts with $ (got {path!r})")
    steps: list[str | None] = []
    pos = 1
    while pos < len(path):
        match = _STEP.match(path, pos)
        if match is None:
            raise SourceError(f"mapping field “sections”: cannot read {path[pos:]!r} in {path!r} "
                              "(use .key and [*], e.g. $.content[*])")
        steps.append(match[1])
        pos = match.end()
    return steps


def _lang_map(value: Any, name: str) -> dict[str, list[str]]:
    if not isinstance(value, dict) or not value or not all(
        isinstance(k, str) and isinstance(v, list) and all(isinstance(s, str) for s in v) for k, v in value.items()
    ):
        raise SourceError(f"mapping field “{name}”: expected a language map such as {{\"zh-Hant\": [\"論語\"]}}")
    return value


@dataclass(frozen=True)
class TextMapping:
    """How to read one JSON full text; see the module docstring. Built from JSON by :meth:`from_dict`."""

    identifier: str
    title: dict[str, list[str]]
    sections: str = "$[*]"
    label: tuple[str, ...] = ("chapter",)
    text: str = "paragraphs"
    language: str = "lzh"
    label_language: str = "none"
    description: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TextMapping:
        """A mapping from its JSON form; SourceError naming the field when a value is wrong."""
        if not isinstance(data, dict):
            raise SourceError("a text mapping is a JSON object")
        unknown = set(data) - set(cls.__dataclass_fields__)
        if unknown:
            raise SourceError(f"mapping field “{sorted(unknown)[0]}”: unknown (known: "
                              f"{', '.join(cls.__dataclass_fields__)})")
        identifier = data.get("identifier")
        if not isinstance(identifier, str) or not identifier.strip():
            raise SourceError("mapping field “identifier”: required, the item's identifier")
        label = data.get("label", ["chapter"])
        if isinstance(label, str):
            label = [label]
        if not isinstance(label, list) or not all(isinstance(x, str) for x in label):
            raise SourceError("mapping field “label”: a field name or a list of field names")
        for name in ("sections", "text", "language", "label_language"):
            if name in data and not isinstance(data[name], str):
                raise SourceError(f"mapping field “{name}”: expected a string")
        for name in ("language", "label_language"):
            tag = data.get(name)
            if tag and tag != "none" and not langtags.is_known(tag):
                raise SourceError(f"mapping field “{name}”: unknown language tag “{tag}”")
        mapping = cls(
            identifier=identifier.strip(), title=_lang_map(data.get("title"), "title"),
            sections=data.get("sections", "$[*]"), label=tuple(label), text=data.get("text", "paragraphs"),
            language=data.get("language", "lzh"), label_language=data.get("label_language", "none"),
            description=_lang_map(data["description"], "description") if data.get("description") else {},
        )
        parse_path(mapping.sections)
        return mapping


def _walk(value: Any, steps: list[str | None], where: str) -> Iterator[tuple[str, Any]]:
    """(JSON path, value) of every node ``steps`` reaches from ``value`` (missing keys: nothing)."""
    if not steps:
        yield where, value
        return
    step, rest = steps[0], steps[1:]
    if step is None:
        if isinstance(value, list):
            for i, element in enumerate(value):
                yield from _walk(element, rest, f"{where}[{i}]")
    elif isinstance(value, dict) and step in value:
        yield from _walk(value[step], rest, f"{where}.{step}")


def _text_of(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list) and all(isinstance(x, str) for x in value):
        return "\n".join(x.strip() for x in value if x.strip())
    return None


class TextSource:
    """Items with text-only canvases from JSON full texts, each file read with its mapping."""

    kind = "json"

    def __init__(self, texts: list[tuple[Path, TextMapping]], *, institution: Institution,
                 item_type: str = Item.Type.OTHER) -> None:
        self.texts = [(Path(p), m) for p, m in texts]
        self.institution = institution
        self.item_type = item_type

    def records(self, state: dict[str, Any]) -> Iterator[Record | Problem]:
        for index, (path, mapping) in enumerate(self.texts):
            record = Record(index=index, key=mapping.identifier, location=path.name)
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except OSError as exc:
                record.error(f"cannot read {path}: {exc.strerror}")
                yield record
                continue
            except (UnicodeDecodeError, ValueError) as exc:
                record.error(f"not valid UTF-8 JSON: {exc}")
                yield record
                continue
            sections: list[tuple[str, str]] = []
            for where, node in _walk(data, parse_path(mapping.sections), "$"):
                location = f"{path.name} {where}"
                if not isinstance(node, dict):
                    record.warn("a section is not an object; skipped", location=location)
                    continue
                text = _text_of(node.get(mapping.text))
                if not text:
                    record.warn(f"no text in “{mapping.text}”; section skipped", field=mapping.text,
                                location=f"{location}.{mapping.text}")
                    continue
                if len(text) > MAX_TEXT:
                    record.warn(f"text is {len(text):,} characters long; the limit is {MAX_TEXT:,}; section "
                                "skipped", field=mapping.text, location=f"{location}.{mapping.text}")
                    continue
                parts = [str(node[k]).strip() for k in mapping.label if node.get(k) not in (None, "")]
                sections.append((" · ".join(parts) or str(len(sections) + 1), text))
            if not sections:
                record.error(f"no sections with text at {mapping.sections}", field="sections")
            record.data = {"mapping": mapping, "sections": sections}
            yield record

    def load(self, record: Record) -> Outcome:
        mapping: TextMapping = record.data["mapping"]
        sections: list[tuple[str, str]] = record.data["sections"]
        item, outcome = services.item_upsert(
            institution=self.institution, local_id=mapping.identifier, title=mapping.title,
            description=mapping.description, item_type=self.item_type,
            languages=[langtags.normalize(mapping.language).split("-")[0]],
        )
        canvases = {c.order: c for c in Canvas.objects.filter(item=item)}
        current = {
            # The imported text is found by its source, primary or not: a curator's correction made
            # primary later is left alone, and the import keeps updating its own transcription.
            t.canvas_id: t for t in Transcription.objects.filter(
                canvas__item=item, source=Transcription.Source.IMPORT
            ).order_by("id")
        }
        changed = False
        for order, (label, text) in enumerate(sections, start=1):
            values: dict[str, Any] = {"label": {mapping.label_language: [label]}, "width": None, "height": None,
                                      "image_id": "", "service_url": ""}
            canvas = canvases.get(order)
            if canvas is None or any(getattr(canvas, k) != v for k, v in values.items()):
                canvas, _created = services.canvas_upsert(item=item, order=order, **values)
                changed = True
            changed |= _transcription_set(canvas, current.get(canvas.pk), text, mapping.language)
        extra = Canvas.objects.filter(item=item, order__gt=len(sections))
        if extra.exists():
            extra.delete()
            changed = True
        if changed and outcome == "unchanged":
            outcome = "updated"
        return outcome  # type: ignore[return-value]


def _transcription_set(canvas: Canvas, current: Transcription | None, text: str, language: str) -> bool:
    """Make ``text`` the canvas's imported primary transcription; True when something was written."""
    if current is not None and current.text == text and current.language == language:
        return False
    transcription = current or Transcription(
        canvas=canvas, source=Transcription.Source.IMPORT, engine="", is_primary=True,
    )
    transcription.text, transcription.language = text, language
    try:
        transcription.full_clean()
    except ValidationError as exc:
        raise ValidationError({"text": f"section {canvas.order}: {'; '.join(exc.messages)}"}) from None
    transcription.save()  # announced on the change channel; simple-history records the change
    return True
