"""Annotations as W3C Web Annotation JSON-LD, both ways (#15).

:func:`serialize` writes an :class:`Annotation` as the W3C model; :func:`parse` reads a client's
JSON into :class:`Parsed` or raises :class:`Invalid` naming the offending field, before anything
is saved. Visibility travels in the model's own ``audience`` property (a ``schema:Audience`` whose
``schema:audienceType`` is ``public``, ``group`` or ``private``; a group audience has the group's
``id``), so the JSON stays within the W3C context.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from mogao.annotations.models import MAX_TAGS, MAX_TEXT, Annotation, Purpose, Tag
from mogao.catalogue.models import Canvas, Transcription
from mogao.community.models import ReaderGroup, Visibility
from mogao.iiif.presentation.common import absolute
from mogao.iiif.presentation.manifests import canvas_id

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
LDP_CONTEXT = "http://www.w3.org/ns/ldp.jsonld"
PROFILE = f'application/ld+json; profile="{ANNO_CONTEXT}"'
ALLOWED_KEYS = frozenset({"@context", "id", "type", "motivation", "body", "target", "audience",
                          "created", "modified", "creator", "generator", "generated"})
BODY_KEYS = frozenset({"type", "value", "language", "format", "purpose", "id"})
TARGET_KEYS = frozenset({"source", "selector", "type", "id"})
#: Bidirectional embedding, override and isolate controls: removed from text, never stored.
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8}){0,4}$")
XYWH = re.compile(r"^xywh=(?:pixel:)?(\d{1,6}(?:\.\d+)?),(\d{1,6}(?:\.\d+)?),(\d{1,6}(?:\.\d+)?),(\d{1,6}(?:\.\d+)?)$")
MAX_EXACT = 2000


class Invalid(ValueError):
    """A client's annotation is not acceptable; ``field`` names where (``body[0].value``…)."""

    def __init__(self, where: str, message: str, *, status: int = 400, **params: Any) -> None:
        """``message`` is translated; its ``%(field)s`` is ``where`` unless ``params`` name another."""
        if "%(" in message:
            message = message % {"field": where, **params}
        super().__init__(message)
        self.field = where
        self.message = message
        self.status = status


@dataclass
class Parsed:
    """What a client's annotation asks for, validated against its canvas."""

    text: str = ""
    language: str = ""
    purpose: str = Purpose.COMMENTING
    tags: list[str] = field(default_factory=list)
    visibility: str = Visibility.PRIVATE
    group: ReaderGroup | None = None
    region: tuple[int, int, int, int] | None = None
    transcription: Transcription | None = None
    text_range: tuple[int, int] | None = None
    exact: str = ""


def clean_text(value: str) -> str:
    """Text as stored: NFC, bidi controls and other control characters (but newlines) removed."""
    value = BIDI.sub("", unicodedata.normalize("NFC", value))
    return "".join(ch for ch in value if ch in "\n\t" or unicodedata.category(ch) != "Cc").strip()


# ------------------------------------------------------------------------------------ identifiers


def container_path(canvas: Canvas) -> str:
    return reverse("annotations:container", args=[canvas.pk])


def annotation_iri(annotation: Annotation) -> str:
    return absolute(reverse("annotations:annotation", args=[annotation.canvas_id, annotation.uid]))


def group_iri(group: ReaderGroup) -> str:
    return absolute(reverse("annotations:group", args=[group.slug]))


def transcription_iri(canvas: Canvas) -> str:
    """The transcription of a canvas is read on the reading room page; text selectors count in it."""
    return absolute(reverse("reading:page", args=[canvas.item.pid, canvas.order])) + "#transcription"


def full_text(transcription: Transcription) -> str:
    """The text TextPositionSelectors count in: the reading room's lines joined with newlines."""
    from mogao.reading.layout import lines_of

    return "\n".join(line.text for line in lines_of(transcription.text, transcription.layout))


# ------------------------------------------------------------------------------------ serialize


def bodies(annotation: Annotation) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    if annotation.text:
        body: dict[str, Any] = {"type": "TextualBody", "value": annotation.text, "format": "text/plain",
                                "purpose": annotation.purpose}
        if annotation.language:
            body["language"] = annotation.language
        out.append(body)
    out.extend({"type": "TextualBody", "value": tag, "purpose": "tagging"} for tag in annotation.tags)
    return out


def target(annotation: Annotation) -> dict[str, Any]:
    canvas = annotation.canvas
    if annotation.is_region:
        return {"source": canvas_id(canvas.item, canvas),
                "selector": {"type": "FragmentSelector", "conformsTo": "http://www.w3.org/TR/media-frags/",
                             "value": f"xywh={annotation.xywh}"}}
    selectors: list[dict[str, Any]] = [
        {"type": "TextPositionSelector", "start": annotation.text_start, "end": annotation.text_end},
    ]
    if annotation.exact:
        selectors.append({"type": "TextQuoteSelector", "exact": annotation.exact})
    return {"source": transcription_iri(canvas), "selector": selectors}


def audience(annotation: Annotation) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "schema:Audience", "schema:audienceType": annotation.visibility}
    if annotation.visibility == Visibility.GROUP and annotation.group is not None:
        out["id"] = group_iri(annotation.group)
    return out


def serialize(annotation: Annotation, *, context: bool = True) -> dict[str, Any]:
    """The W3C JSON-LD of one annotation (``context=False`` when embedded in a page or manifest)."""
    data: dict[str, Any] = {}
    if context:
        data["@context"] = ANNO_CONTEXT
    data["id"] = annotation_iri(annotation)
    data["type"] = "Annotation"
    data["motivation"] = annotation.purpose if annotation.text else "tagging"
    data["created"] = annotation.created.isoformat().replace("+00:00", "Z")
    data["modified"] = annotation.modified.isoformat().replace("+00:00", "Z")
    data["body"] = bodies(annotation)
    data["target"] = target(annotation)
    data["audience"] = audience(annotation)
    return data


# ------------------------------------------------------------------------------------ parse


def _str(value: Any, name: str, *, limit: int) -> str:
    if not isinstance(value, str):
        raise Invalid(name, _("%(field)s must be a string."))
    if len(value) > limit:
        raise Invalid(name, _("%(field)s is longer than %(n)d characters."), n=limit)
    return value


def _check_context(data: dict[str, Any]) -> None:
    ctx = data.get("@context")
    contexts = ctx if isinstance(ctx, list) else [ctx]
    if ANNO_CONTEXT not in contexts:
        raise Invalid("@context", _("%(field)s must include %(value)s."), value=ANNO_CONTEXT)
    if data.get("type") != "Annotation":
        raise Invalid("type", _("%(field)s must be %(value)s."), value="Annotation")


def _parse_bodies(raw: Any, parsed: Parsed) -> None:
    items = raw if isinstance(raw, list) else [raw]
    if raw is None or not items:
        raise Invalid("body", _("%(field)s is required: a TextualBody with text, or tags."))
    if len(items) > MAX_TAGS + 1:
        raise Invalid("body", _("%(field)s has more than %(n)d entries."), n=MAX_TAGS + 1)
    texts = 0
    for i, body in enumerate(items):
        name = f"body[{i}]"
        if not isinstance(body, dict):
            raise Invalid(name, _("%(field)s must be an object."))
        unknown = set(body) - BODY_KEYS
        if unknown:
            raise Invalid(f"{name}.{sorted(unknown)[0]}",
                          _("%(field)s has an unknown key %(key)s."), field=name, key=sorted(unknown)[0])
        if body.get("type", "TextualBody") != "TextualBody":
            raise Invalid(f"{name}.type", _("%(field)s must be %(value)s."), value="TextualBody")
        if body.get("format", "text/plain") != "text/plain":
            raise Invalid(f"{name}.format", _("%(field)s must be %(value)s."), value="text/plain")
        value = _str(body.get("value"), f"{name}.value", limit=MAX_TEXT)
        purpose = body.get("purpose", "commenting")
        if purpose == "tagging":
            if value not in Tag.values:
                raise Invalid(f"{name}.value",
                              _("%(field)s is not a tag of the list: %(tags)s."), tags=", ".join(Tag.values))
            if value not in parsed.tags:
                parsed.tags.append(value)
            continue
        if purpose not in Purpose.values:
            raise Invalid(f"{name}.purpose", _("%(field)s must be commenting, describing or tagging."))
        texts += 1
        if texts > 1:
            raise Invalid(name, _("%(field)s may hold one text (and tags)."), field="body")
        parsed.text = clean_text(value)
        parsed.purpose = purpose
        language = body.get("language", "")
        if language and (not isinstance(language, str) or not LANGUAGE.match(language)):
            raise Invalid(f"{name}.language", _("%(field)s must be a BCP 47 tag such as en, fr, zh-Hant."))
        parsed.language = language or ""
        if parsed.text and not parsed.language:
            raise Invalid(f"{name}.language", _("%(field)s is required for a text."))
    if not parsed.text and not parsed.tags:
        raise Invalid("body", _("%(field)s needs some text or a tag."))


def _parse_region(selector: dict[str, Any], canvas: Canvas) -> tuple[int, int, int, int]:
    if selector.get("type") != "FragmentSelector":
        raise Invalid("target.selector.type", _("%(field)s must be FragmentSelector for the page image."))
    value = selector.get("value")
    match = XYWH.match(value) if isinstance(value, str) else None
    if match is None:
        raise Invalid("target.selector.value", _("%(field)s must be xywh=x,y,w,h in pixels."))
    x, y, w, h = (round(float(v)) for v in match.groups())
    if w <= 0 or h <= 0:
        raise Invalid("target.selector.value", _("%(field)s must have a positive width and height."))
    if x + w > (canvas.width or 0) or y + h > (canvas.height or 0):
        raise Invalid("target.selector.value",
                      _("%(field)s lies outside the page (%(w)s×%(h)s pixels)."), w=canvas.width, h=canvas.height)
    return x, y, w, h


def _parse_text(selector: Any, canvas: Canvas, parsed: Parsed) -> None:
    selectors = selector if isinstance(selector, list) else [selector]
    position = next((s for s in selectors if isinstance(s, dict) and s.get("type") == "TextPositionSelector"), None)
    if position is None:
        raise Invalid("target.selector", _("%(field)s must include a TextPositionSelector for the transcription."))
    transcription = canvas.transcriptions.filter(is_primary=True).order_by("pk").first()
    if transcription is None:
        raise Invalid("target.source", _("This page has no transcription."), status=404)
    start, end = position.get("start"), position.get("end")
    if not isinstance(start, int) or isinstance(start, bool) or not isinstance(end, int) or isinstance(end, bool):
        raise Invalid("target.selector.start",
                      _("%(field)s start and end must be whole numbers."), field="target.selector")
    text = full_text(transcription)
    if not 0 <= start < end <= len(text):
        raise Invalid("target.selector.end",
                      _("%(field)s start and end must lie within the text (0–%(n)d)."),
                      field="target.selector", n=len(text))
    if end - start > MAX_EXACT:
        raise Invalid("target.selector.end",
                      _("%(field)s selects more than %(n)d characters."), field="target.selector", n=MAX_EXACT)
    parsed.transcription, parsed.text_range, parsed.exact = transcription, (start, end), text[start:end]


def _parse_target(raw: Any, canvas: Canvas, parsed: Parsed) -> None:
    if isinstance(raw, list):
        if len(raw) != 1:
            raise Invalid("target", _("%(field)s must be one page region or one transcription range."))
        raw = raw[0]
    if not isinstance(raw, dict):
        raise Invalid("target", _("%(field)s must be an object with source and selector."))
    unknown = set(raw) - TARGET_KEYS
    if unknown:
        raise Invalid(f"target.{sorted(unknown)[0]}",
                      _("%(field)s has an unknown key %(key)s."), field="target", key=sorted(unknown)[0])
    source = raw.get("source")
    if source == canvas_id(canvas.item, canvas):
        selector = raw.get("selector")
        if not isinstance(selector, dict):
            raise Invalid("target.selector", _("%(field)s must be a FragmentSelector object."))
        parsed.region = _parse_region(selector, canvas)
    elif source == transcription_iri(canvas):
        _parse_text(raw.get("selector"), canvas, parsed)
    else:
        raise Invalid("target.source",
                      _("%(field)s must be this container's page (canvas) or its transcription."),
                      status=404 if isinstance(source, str) else 400)


def _parse_audience(raw: Any, user: Any, parsed: Parsed) -> None:
    if raw is None:
        return
    if not isinstance(raw, dict):
        raise Invalid("audience", _("%(field)s must be an object."))
    kind = raw.get("schema:audienceType")
    if kind not in Visibility.values:
        raise Invalid("audience.schema:audienceType", _("%(field)s must be private, group or public."))
    parsed.visibility = kind
    if kind == Visibility.GROUP:
        ref = raw.get("id")
        slug = ref.rstrip("/").rsplit("/", 1)[-1] if isinstance(ref, str) else ""
        group = ReaderGroup.objects.filter(slug=slug, members=user).first() if slug else None
        if group is None:
            raise Invalid("audience.id", _("%(field)s must name a group you belong to."))
        parsed.group = group


def parse(data: Any, *, canvas: Canvas, user: Any) -> Parsed:
    """Validate a client's annotation for ``canvas`` (raises :class:`Invalid` naming the field)."""
    if not isinstance(data, dict):
        raise Invalid("(body)", _("The request body must be a JSON object."))
    unknown = set(data) - ALLOWED_KEYS
    if unknown:
        key = sorted(unknown)[0]
        raise Invalid(key, _("Unknown key %(key)s."), key=key)
    _check_context(data)
    motivation = data.get("motivation")
    if motivation is not None and motivation not in {"commenting", "describing", "tagging"}:
        raise Invalid("motivation", _("%(field)s must be commenting, describing or tagging."))
    parsed = Parsed()
    _parse_bodies(data.get("body"), parsed)
    _parse_target(data.get("target"), canvas, parsed)
    _parse_audience(data.get("audience"), user, parsed)
    return parsed
