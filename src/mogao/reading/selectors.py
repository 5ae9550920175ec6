"""Reads of the reading room: an item's pages with aligned text, glosses, translations, corrections.

All functions take already-public items (see :func:`reading_item`); none writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Prefetch, QuerySet
from pypinyin.contrib.tone_convert import to_tone

from mogao.accounts import policy
from mogao.catalogue.models import Canvas, Item, Transcription, Translation
from mogao.catalogue.selectors import item_public_qs
from mogao.iiif.presentation.common import canvas_service
from mogao.reading.layout import Line, direction, lines_of
from mogao.reading.models import Correction
from mogao.reading.scripts import convert_chars, readings
from mogao.text import dictionary
from mogao.text.convert import to_simplified, to_traditional
from mogao.text.fold import fold
from mogao.text.romanize import to_pinyin, to_wade_giles


@dataclass
class Page:
    """One canvas as the reading room shows it."""

    canvas: Canvas
    transcription: Transcription | None
    direction: str
    lines: list[Line] = field(default_factory=list)

    @property
    def has_text(self) -> bool:
        return any(line.text for line in self.lines)


def reading_item(*, pid: str) -> Item | None:
    """A public item with its canvases (in order) and their primary transcriptions."""
    primary = Transcription.objects.filter(is_primary=True).order_by("id")
    return (
        item_public_qs()
        .select_related("institution", "collection")
        .prefetch_related(
            Prefetch(
                "canvases",
                queryset=Canvas.objects.order_by("order").prefetch_related(
                    Prefetch("transcriptions", queryset=primary, to_attr="primary_transcriptions")
                ),
            ),
            "item_works__work",
        )
        .filter(pid=pid)
        .first()
    )


def item_pages(*, item: Item) -> list[Page]:
    """Every canvas of ``item`` (from :func:`reading_item`) with its primary transcription's lines."""
    pages = []
    for canvas in item.canvases.all():
        found = getattr(canvas, "primary_transcriptions", None)
        transcription = found[0] if found else canvas.transcriptions.filter(is_primary=True).first()
        if transcription is None:
            pages.append(Page(canvas, None, direction({})))
            continue
        pages.append(Page(
            canvas, transcription, direction(transcription.layout),
            lines_of(transcription.text, transcription.layout),
        ))
    return pages


def page_payload(page: Page) -> dict[str, Any]:
    """The JSON the reading room script draws a page from (all scripts and readings precomputed)."""
    service = canvas_service(page.canvas)
    # Local images load from the page's own origin (a mirror or dev server), remote ones as entered.
    tiles = None if service is None else f"/iiif/3/{page.canvas.image_id}" if service.local else service.base
    lines = []
    for line in page.lines:
        chars = [c.text for c in line.chars]
        lines.append({
            "index": line.index,
            "box": line.box,
            "chars": [c.box for c in line.chars],
            "original": chars,
            "traditional": convert_chars(chars, "traditional"),
            "simplified": convert_chars(chars, "simplified"),
            "pinyin": readings(chars),
        })
    return {
        "order": page.canvas.order,
        "width": page.canvas.width,
        "height": page.canvas.height,
        "service": tiles,
        "direction": page.direction,
        "transcription": page.transcription.pk if page.transcription else None,
        "source": page.transcription.get_source_display() if page.transcription else "",
        "lines": lines,
    }


def item_text(*, item: Item) -> list[tuple[Canvas, list[Line]]]:
    """The item's transcribed pages with their lines, in canvas order (for TXT, TEI and PDF)."""
    return [(p.canvas, p.lines) for p in item_pages(item=item) if p.has_text]


def item_translations(*, item: Item, language: str) -> list[Translation]:
    """The item's translations, the reader's interface language first, then by language tag."""
    base = language.lower().split("-")[0]
    found = list(item.translations.select_related("canvas").all())
    return sorted(found, key=lambda t: (t.language.lower().split("-")[0] != base, t.language.lower(), t.pk))


def translation_passages(translation: Translation) -> list[dict[str, str]]:
    """Aligned passages ``[{"ref", "source", "text"}]``; a translation without any is one passage."""
    out = []
    for i, passage in enumerate(translation.passages or []):
        if isinstance(passage, dict) and passage.get("text"):
            out.append({
                "ref": str(passage.get("ref", i + 1)),
                "source": str(passage.get("source", "")),
                "text": str(passage["text"]),
            })
        elif isinstance(passage, str) and passage:
            out.append({"ref": str(i + 1), "source": "", "text": passage})
    return out or [{"ref": "1", "source": "", "text": translation.text}]


def _entry_pinyin(entry: dictionary.Entry) -> str:
    """CC-CEDICT's numbered reading with tone marks (``Fo2`` -> ``fó``): the dictionary's reading
    of the word, which beats pypinyin's guess for a character read alone (佛 is not ``fú`` here)."""
    return " ".join(to_tone(s.lower().replace("u:", "v")) for s in entry.pinyin.split())


@dataclass
class AlignedRow:
    """One passage across translations: its reference, the source text and one
    ``(language, text)`` cell per column."""

    ref: str
    source: str
    cells: list[tuple[str, str]]


def aligned_translations(translations: list[Translation]) -> list[AlignedRow]:
    """Rows aligned by passage reference (in first-seen order), one cell per translation (``""``
    where a translation lacks that passage); the source text is the first one given."""
    rows: dict[str, AlignedRow] = {}
    for column, translation in enumerate(translations):
        for passage in translation_passages(translation):
            empty = [(t.language, "") for t in translations]
            row = rows.setdefault(passage["ref"], AlignedRow(passage["ref"], "", empty))
            row.source = row.source or passage["source"]
            row.cells[column] = (translation.language, passage["text"])
    return list(rows.values())


def gloss(*, text: str, at: int) -> dict[str, Any]:
    """The dictionary word of ``text`` covering character ``at``: readings, definitions, variants.

    ``text`` is a line; the word is its longest-match dictionary segment (see
    :func:`mogao.text.dictionary.segment`). Raises ``IndexError`` when ``at`` is outside ``text``.
    """
    if not 0 <= at < len(text):
        raise IndexError(at)
    start = 0
    word, entries = text[at], []
    for piece, found in dictionary.segment(text):
        if start <= at < start + len(piece):
            word, entries = piece, found
            break
        start += len(piece)
    if not entries and len(word) > 1:
        word, entries = text[at], dictionary.lookup(text[at])
    char = text[at]
    variants = {to_traditional(char), to_simplified(char), fold(char)}
    for entry in dictionary.lookup(char):
        variants.update({entry.traditional, entry.simplified})
    variants.discard(char)
    return {
        "word": word,
        "char": char,
        "pinyin": _entry_pinyin(entries[0]) if entries else to_pinyin(word),
        "wade_giles": to_wade_giles(word),
        "entries": [
            {"traditional": e.traditional, "simplified": e.simplified, "pinyin": e.pinyin,
             "definitions": list(e.definitions[:6])}
            for e in entries[:4]
        ],
        "variants": sorted(v for v in variants if v and len(v) == 1),
    }


def pending_corrections(*, item: Item) -> QuerySet[Correction]:
    """Pending corrections of the item's transcriptions, oldest first."""
    return (
        Correction.objects.filter(transcription__canvas__item=item, status=Correction.Status.PENDING)
        .select_related("transcription__canvas", "proposed_by")
        .order_by("created", "id")
    )


def reviewable_corrections(*, user: AbstractBaseUser | AnonymousUser) -> QuerySet[Correction]:
    """Pending corrections the user may review (items of the institutions they curate)."""
    qs = Correction.objects.filter(status=Correction.Status.PENDING).select_related(
        "transcription__canvas__item", "proposed_by"
    )
    return policy.scope(user, "moderate", qs)


def line_corrections(*, transcription: Transcription) -> QuerySet[Correction]:
    """Every correction of a transcription with its reviewer, newest first (the line history)."""
    return transcription.corrections.select_related("proposed_by", "reviewed_by").all()
