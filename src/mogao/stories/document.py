"""The story document (#16): the JSON the reader's player consumes, one per story and language.

:func:`story_document` gathers everything a step shows — its narrative (sanitized again on output),
the canvas with its IIIF image service and region, the holder's credit, a second canvas for a
comparison, the transcription lines of a text passage with the lines to highlight, the places and
dispersal lines of a map step, the range and dynasty bands of a timeline step, and the narration with
its captions — so the page itself stays small (see :mod:`mogao.stories.reader`). Documents are cached
per story version and language for a few minutes.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import asdict
from typing import Any
from urllib.parse import quote

import nh3
from django.core.cache import cache
from django.db.models import Count, Max, Prefetch
from django.urls import reverse

from mogao.catalogue.models import Canvas, Transcription
from mogao.core import langmap
from mogao.knowledge.models import Period
from mogao.knowledge.selectors.entities import entity_url
from mogao.reading.layout import direction, lines_of
from mogao.stories.models import Step, StepKind, Story
from mogao.stories.services import canvas_credit

JsonDict = dict[str, Any]

#: Tags and attributes a narrative may keep (the services sanitize on save; this is the output guard).
NARRATIVE_TAGS = {"p", "br", "em", "strong", "i", "b", "a", "ul", "ol", "li", "blockquote", "q", "cite",
                  "span", "sup", "sub", "h3", "h4"}
NARRATIVE_ATTRIBUTES = {"a": {"href", "title", "hreflang"}, "span": {"lang"}, "q": {"lang"}, "p": {"lang"}}
CACHE_SECONDS = 300
#: Reading time of a step without narration: per character, with a floor and a ceiling (milliseconds).
READING_MS_PER_CHAR, READING_MS_MIN, READING_MS_MAX = 45, 4000, 20000
CAPTION_LANGUAGES = ("en", "fr", "zh-Hans", "zh-Hant")

_REGION = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*,\s*(\d+(?:\.\d+)?)\s*,\s*(\d+(?:\.\d+)?)\s*$")
_TAG = re.compile(r"<[^>]*>")


def sanitize(html: str) -> str:
    """A narrative's HTML with only the allowed tags, links limited to http(s) and site paths."""
    return nh3.clean(html or "", tags=NARRATIVE_TAGS, attributes=NARRATIVE_ATTRIBUTES,
                     url_schemes={"http", "https"}, link_rel="noopener noreferrer")


def plain(html: str) -> str:
    return " ".join(_TAG.sub(" ", html or "").split())


def parse_region(value: str) -> list[float] | None:
    """``"x,y,w,h"`` (optionally ``xywh=``/``pixel:`` prefixed) as numbers, or None when empty/invalid."""
    text = (value or "").strip().removeprefix("xywh=").removeprefix("pixel:")
    m = _REGION.match(text)
    if not m:
        return None
    x, y, w, h = (float(g) for g in m.groups())
    return [x, y, w, h] if w > 0 and h > 0 else None


def reading_ms(html: str) -> int:
    return max(READING_MS_MIN, min(READING_MS_MAX, len(plain(html)) * READING_MS_PER_CHAR))


def content_state(canvas_uri: str, manifest_uri: str, region: list[float] | None) -> str:
    """A IIIF Content State 1.0 value for ``?iiif-content=``: the canvas (and region) in its manifest.

    Encoded as the specification says: the JSON, then ``encodeURIComponent``, then base64url
    without padding.
    """
    target = canvas_uri
    if region:
        target += "#xywh=" + ",".join(str(round(v)) for v in region)
    state = {
        "@context": "http://iiif.io/api/presentation/3/context.json",
        "id": target, "type": "Canvas", "partOf": [{"id": manifest_uri, "type": "Manifest"}],
    }
    text = json.dumps(state, ensure_ascii=False, separators=(",", ":"))
    encoded = quote(text, safe="-_.!~*'()")
    return base64.urlsafe_b64encode(encoded.encode("ascii")).decode("ascii").rstrip("=")


def credit(canvas: Canvas, language: str) -> JsonDict:
    """The holder and rights of a canvas's item (the services' ``canvas_credit``), shown on every step."""
    return asdict(canvas_credit(canvas, language))


def _canvas(canvas: Canvas, language: str, base: str) -> JsonDict:
    item = canvas.item
    manifest = f"{base}/iiif/items/{item.pid}/manifest"
    info = ""
    if canvas.image_id:
        info = f"{base}/iiif/3/{canvas.image_id}/info.json"
    elif canvas.service_url:
        info = canvas.service_url.strip().removesuffix("/info.json").rstrip("/") + "/info.json"
    return {
        "id": f"{base}/iiif/items/{item.pid}/canvas/{canvas.order}",
        "manifest": manifest,
        "info": info,
        "local": bool(canvas.image_id),
        "width": canvas.width,
        "height": canvas.height,
        "label": langmap.pick(canvas.label, language, default=str(canvas.order)),
        "credit": credit(canvas, language),
    }


def _lines(canvas: Canvas) -> tuple[list[JsonDict], str]:
    primary = next((t for t in canvas.transcriptions.all() if t.is_primary), None)
    if primary is None:
        return [], "vertical-rl"
    lines = lines_of(primary.text, primary.layout)
    return ([{"n": line.index + 1, "text": line.text, "box": line.box} for line in lines],
            direction(primary.layout))


def _dispersal(places: list[Any], language: str) -> list[JsonDict]:
    from mogao.knowledge.selectors.views import place_map_data

    out: list[JsonDict] = []
    seen: set[tuple[str, str]] = set()
    for place in places:
        data = place_map_data(place=place, language=language)
        by_id = {m["id"]: m for m in data["markers"]}
        for line in data["lines"]:
            key = (line["from"], line["to"])
            if key in seen:
                continue
            seen.add(key)
            holder = by_id.get(line["to"], {})
            out.append({"from": line["from_name"], "to": line["to_name"], "count": line["count"],
                        "coords": line["coords"], "holder": {"name": holder.get("name", ""),
                                                             "lat": holder.get("lat"), "lon": holder.get("lon")}})
    return out


def _timeline(step: Step, language: str) -> JsonDict | None:
    start, end = step.year_start, step.year_end
    label = ""
    if step.period is not None:
        label = step.period.label(language)
        start = step.period.year_start if start is None else start
        end = step.period.year_end if end is None else end
    if start is None:
        return None
    end = start if end is None else end
    pad = max(50, (end - start) // 2)
    lo, hi = start - pad, end + pad
    span = hi - lo
    bands = [
        {"label": p.label(language), "start": p.year_start, "end": p.year_end,
         "x": (max(p.year_start, lo) - lo) / span, "w": (min(p.year_end, hi) - max(p.year_start, lo)) / span}
        for p in Period.objects.filter(kind=Period.Kind.DYNASTY, year_end__gt=lo, year_start__lt=hi)
        .order_by("year_start", "pid")
    ]
    return {"start": start, "end": end, "from": lo, "to": hi, "label": label, "bands": bands,
            "x": (start - lo) / span, "w": max(end - start, 1) / span}


def _captions(step: Step, story: Story) -> list[JsonDict]:
    out = []
    for lang in CAPTION_LANGUAGES:
        if isinstance(step.captions, dict) and step.captions.get(lang):
            url = reverse("stories:captions", args=[story.slug, step.position_n, lang])  # type: ignore[attr-defined]
            out.append({"lang": lang, "url": url})
    return out


def story_steps(story: Story) -> list[Step]:
    """The steps in order, numbered 1.. as ``position_n`` (the number readers and links see)."""
    transcriptions = Prefetch("canvas__transcriptions", queryset=Transcription.objects.filter(is_primary=True))
    steps = list(
        story.steps.select_related("canvas__item__institution", "canvas2__item__institution", "period")
        .prefetch_related("places", transcriptions)
        .order_by("position", "id")
    )
    for n, step in enumerate(steps, start=1):
        step.position_n = n  # type: ignore[attr-defined]
    return steps


def step_document(step: Step, story: Story, language: str, base: str) -> JsonDict:
    n: int = step.position_n  # type: ignore[attr-defined]
    html = sanitize(langmap.pick(step.text, language, default=""))
    doc: JsonDict = {"n": n, "kind": step.kind, "anchor": f"step-{n}", "html": html,
                     "reading_ms": reading_ms(html)}
    if step.canvas is not None:
        doc["canvas"] = _canvas(step.canvas, language, base)
        doc["region"] = parse_region(step.region)
        doc["content_state"] = content_state(doc["canvas"]["id"], doc["canvas"]["manifest"], doc["region"])
    if step.kind == StepKind.COMPARISON and step.canvas2 is not None:
        doc["canvas2"] = _canvas(step.canvas2, language, base)
        doc["region2"] = parse_region(step.region2)
    if step.kind == StepKind.TEXT and step.canvas is not None:
        lines, flow = _lines(step.canvas)
        doc["lines"], doc["direction"] = lines, flow
        first = step.first_line or 1
        last = step.last_line or first
        doc["highlight"] = [first, max(first, last)]
    if step.kind == StepKind.MAP or step.places.all():
        places = list(step.places.all())
        doc["places"] = [{"pid": p.pid, "name": p.label(language), "lat": p.latitude, "lon": p.longitude,
                          "url": entity_url(p)} for p in places if p.latitude is not None]
        doc["dispersal"] = _dispersal(places, language) if step.show_dispersal else []
    if step.kind == StepKind.TIMELINE or step.year_start is not None or step.period_id:
        doc["timeline"] = _timeline(step, language)
    if step.audio:
        doc["audio"] = reverse("stories:audio", args=[story.slug, n])
    doc["captions"] = _captions(step, story)
    return doc


def _version(story: Story) -> str:
    # any step saved, added or removed changes one of these (a removed step changes the count)
    latest = story.steps.aggregate(latest=Max("updated"), top=Max("id"), count=Count("id"))
    raw = f"{story.pk}:{story.updated.isoformat()}:{latest['latest']}:{latest['top']}:{latest['count']}:{story.status}"
    return hashlib.blake2b(raw.encode(), digest_size=10).hexdigest()


def step_rows(story: Story, language: str) -> list[JsonDict]:
    """The steps as the page renders them (number, kind, sanitized narrative); cached per version."""
    key = f"stories:rows:{_version(story)}:{language}"
    cached = cache.get(key)
    if cached is not None:
        return list(cached)
    rows = [{"n": n, "kind": kind, "html": sanitize(langmap.pick(text, language, default=""))}
            for n, (kind, text) in enumerate(story.steps.order_by("position", "id").values_list("kind", "text"),
                                             start=1)]
    cache.set(key, rows, CACHE_SECONDS)
    return rows


def story_document(story: Story, language: str, base_url: str) -> JsonDict:
    """The player's JSON for ``story`` in ``language``; absolute IIIF ids under ``base_url``."""
    base = base_url.rstrip("/")
    key = f"stories:doc:{_version(story)}:{language}:{hashlib.blake2b(base.encode(), digest_size=6).hexdigest()}"
    cached = cache.get(key)
    if cached is not None:
        return dict(cached)
    steps = story_steps(story)
    doc: JsonDict = {
        "slug": story.slug,
        "language": language,
        "title": langmap.pick(story.title, language, default=story.slug),
        "summary": langmap.pick(story.summary, language, default=""),
        "credits": langmap.pick(story.credits, language, default=""),
        "status": story.status,
        "url": reverse("stories:detail", args=[story.slug]),
        "embed_url": reverse("stories:embed", args=[story.slug]),
        "steps": [step_document(step, story, language, base) for step in steps],
    }
    cache.set(key, doc, CACHE_SECONDS)
    return doc
