"""Checks of story and step input (#16): each problem is a translated message on the field it concerns.

The services (:mod:`mogao.stories.services`) call these and raise one ``ValidationError({field:
[message, …]})`` with every problem found, so a form can show each message beside its field.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import nh3
from django.utils.translation import gettext as _

from mogao.accounts import policy
from mogao.catalogue.models import Canvas, Transcription
from mogao.core.langmap import LangMap
from mogao.reading.layout import lines_of

#: The languages a story is written in: the four interface languages.
STORY_LANGUAGES = ("en", "fr", "zh-Hans", "zh-Hant")
#: Slugs that name pages of the stories' own, never a story.
RESERVED_SLUGS = frozenset({"new", "index", "edit", "embed", "manifest", "feed"})
SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$")
MAX_TEXT = 8_000
MAX_TITLE = 300
MAX_SUMMARY = 2_000
MAX_CAPTIONS = 100_000
MAX_STEPS = 200
YEAR_MIN, YEAR_MAX = -3000, 2100
#: Inline markup allowed in a step's narrative; links only to https addresses.
ALLOWED_TAGS = frozenset({"em", "strong", "a", "br", "p"})
AUDIO_RE = re.compile(r"^(?:https://[^\s\"'<>]{1,290}|[A-Za-z0-9_][A-Za-z0-9_./-]{0,290})$")

Errors = dict[str, list[str]]


def add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def language_name(code: str) -> str:
    names = {"en": _("English"), "fr": _("French"), "zh-Hans": _("Simplified Chinese"),
             "zh-Hant": _("Traditional Chinese")}
    return str(names.get(code, code))


def sanitize(html: str) -> str:
    """A narrative with only em, strong, br, p and https links left (everything else escaped or dropped)."""
    return nh3.clean(html, tags=set(ALLOWED_TAGS), attributes={"a": {"href"}}, url_schemes={"https"},
                     link_rel="noopener noreferrer", strip_comments=True).strip()


def plain_map(value: Any, field: str, errors: Errors, *, limit: int, html: bool = False) -> LangMap:
    """``{language: text}`` (or a language map) of the story languages, stripped, empty ones dropped."""
    out: LangMap = {}
    if value in (None, ""):
        return out
    if not isinstance(value, Mapping):
        add(errors, field, _("Give one text per language."))
        return out
    for tag, raw in value.items():
        text = raw[0] if isinstance(raw, list) and raw else raw
        if not isinstance(text, str):
            add(errors, field, _("Give one text per language."))
            continue
        text = text.strip()
        if not text:
            continue
        if tag not in STORY_LANGUAGES:
            add(errors, field, _("Unknown language “%(tag)s”: write in English, French or Chinese.") % {"tag": tag})
            continue
        if len(text) > limit:
            add(errors, field, _("The %(language)s text is longer than %(max)d characters.")
                % {"language": language_name(tag), "max": limit})
            continue
        if html:
            text = sanitize(text)
        if text:
            out[tag] = [text]
    return out


def slug_errors(slug: str) -> list[str]:
    if not slug:
        return [_("Give the story an address.")]
    if not SLUG_RE.match(slug):
        return [_("The address may hold only small letters a–z, digits and hyphens (at most 80).")]
    if slug in RESERVED_SLUGS:
        return [_("This address is reserved: choose another.")]
    return []


def to_int(value: Any, field: str, errors: Errors, *, low: int | None = None, high: int | None = None) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        add(errors, field, _("Give a whole number."))
        return None
    if (low is not None and number < low) or (high is not None and number > high):
        add(errors, field, _("Give a number between %(low)d and %(high)d.") % {"low": low, "high": high})
        return None
    return number


def usable_canvas(user: Any, value: Any, field: str, errors: Errors, *, required: bool,
                  image: bool = True) -> Canvas | None:
    """The page a step shows: one the user may view (never another institution's private page)."""
    if value in (None, ""):
        if required:
            add(errors, field, _("Choose a page."))
        return None
    if isinstance(value, Canvas):
        canvas: Canvas | None = value
    else:
        try:
            pk = int(str(value))
        except (TypeError, ValueError):
            pk = 0
        canvas = Canvas.objects.select_related("item__institution").filter(pk=pk).first()
    if canvas is None or not policy.can(user, "view", canvas):
        add(errors, field, _("This page does not exist or you may not use it: choose another."))
        return None
    if image and not canvas.has_image:
        add(errors, field, _("This page has no image: choose another."))
        return None
    return canvas


def region(value: Any, canvas: Canvas | None, field: str, errors: Errors) -> str:
    """``x,y,w,h`` in whole pixels inside the page, or "" (the whole page)."""
    text = str(value or "").strip().removeprefix("xywh=").removeprefix("pixel:")
    if not text:
        return ""
    parts = [p.strip() for p in text.split(",")]
    if len(parts) != 4 or not all(re.fullmatch(r"-?\d{1,7}", p) for p in parts):
        add(errors, field, _("Give the region as four whole numbers: x,y,w,h."))
        return ""
    x, y, w, h = (int(p) for p in parts)
    if w <= 0 or h <= 0 or x < 0 or y < 0:
        add(errors, field, _("The region needs a positive width and height, starting inside the page."))
        return ""
    if canvas is None:
        return f"{x},{y},{w},{h}"
    if not canvas.width or not canvas.height:
        add(errors, field, _("This page has no known size: its region cannot be checked."))
        return ""
    if x + w > canvas.width or y + h > canvas.height:
        add(errors, field, _("The region lies outside the image, which is %(width)d × %(height)d pixels.")
            % {"width": canvas.width, "height": canvas.height})
        return ""
    return f"{x},{y},{w},{h}"


def line_count(canvas: Canvas) -> int:
    """How many lines the page's primary transcription has in the reading-room layout."""
    transcription = Transcription.objects.filter(canvas=canvas).order_by("-is_primary", "id").first()
    if transcription is None:
        return 0
    return len(lines_of(transcription.text, transcription.layout))


def captions(value: Any, errors: Errors) -> dict[str, str]:
    out: dict[str, str] = {}
    if value in (None, ""):
        return out
    if not isinstance(value, Mapping):
        add(errors, "captions", _("Give WebVTT captions per language."))
        return out
    for tag, raw in value.items():
        text = str(raw or "").replace("\r\n", "\n").strip()
        if not text:
            continue
        if tag not in STORY_LANGUAGES:
            add(errors, "captions",
                _("Unknown language “%(tag)s”: write in English, French or Chinese.") % {"tag": tag})
        elif len(text) > MAX_CAPTIONS:
            add(errors, "captions", _("The %(language)s text is longer than %(max)d characters.")
                % {"language": language_name(tag), "max": MAX_CAPTIONS})
        elif not text.startswith("WEBVTT"):
            add(errors, "captions", _("The %(language)s captions must be WebVTT (start with “WEBVTT”).")
                % {"language": language_name(tag)})
        else:
            out[tag] = text + "\n"
    return out


def audio(value: Any, errors: Errors) -> str:
    text = str(value or "").strip()
    if not text:
        add(errors, "audio", _("Give the audio narration."))
        return ""
    if not AUDIO_RE.match(text) or ".." in text or text.startswith("/"):
        add(errors, "audio", _("Give a path in Mogao's storage or an https address."))
        return ""
    return text
