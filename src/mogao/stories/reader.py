"""The story reader (#16): the story page, its embeddable twin, the player's JSON, captions and audio.

Published stories are for everyone; a draft or a story in review only for those the policy lets see
it (``policy.can(user, "view", story)``, decided in ``accounts/policy_stories.py``) — anyone else
gets a 404, as for a story that does not exist. The page renders every step's narrative (readable
without JavaScript, found by search engines); ``stories/reader.js`` fetches :func:`data` and drives
the stage. ``/embed/`` is the same player with minimal chrome, the one view here that any site may
frame (``frame-ancestors *``); every other page keeps ``X-Frame-Options: DENY``.
"""

from __future__ import annotations

import mimetypes

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET

from mogao.accounts import policy
from mogao.core import langmap
from mogao.core.urls import base_url
from mogao.stories.document import CAPTION_LANGUAGES, plain, step_rows, story_document
from mogao.stories.models import Step, Story

MAX_CAPTIONS = 200_000


def readable_story(request: HttpRequest, slug: str) -> Story:
    """The story at ``slug`` if this reader may read it, else 404 (drafts are not revealed)."""
    story = Story.objects.select_related("institution").filter(slug=slug).first()
    if story is None:
        raise Http404("No such story.")
    # Published stories for everyone; drafts and stories in review for their curators (policy_stories).
    if not policy.can(request.user, "view", story):
        raise Http404("No such story.")
    return story


def _context(request: HttpRequest, story: Story, *, embed: bool) -> dict[str, object]:
    language = get_language() or "en"
    rows = step_rows(story, language)
    return {
        "story": story,
        "title": langmap.pick(story.title, language, default=story.slug),
        "summary": langmap.pick(story.summary, language, default=""),
        "summary_text": plain(langmap.pick(story.summary, language, default="")),
        "credits": langmap.pick(story.credits, language, default=""),
        "steps": rows,
        "embed": embed,
        "base": base_url(),
    }


@require_GET
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    """``/stories/<slug>/``: the full-screen reader."""
    story = readable_story(request, slug)
    return render(request, "stories/reader.html", _context(request, story, embed=False))


@require_GET
@xframe_options_exempt  # the embeddable player: any site may frame it (CSP frame-ancestors *)
def embed(request: HttpRequest, slug: str) -> HttpResponse:
    """``/stories/<slug>/embed/``: the player with minimal chrome, for an ``<iframe>``."""
    story = readable_story(request, slug)
    return render(request, "stories/embed.html", _context(request, story, embed=True))


@require_GET
def data(request: HttpRequest, slug: str) -> JsonResponse:
    """``/stories/<slug>/data.json``: the player's document in the interface language."""
    story = readable_story(request, slug)
    response = JsonResponse(story_document(story, get_language() or "en", base_url()),
                            json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "public, max-age=60" if story.is_published else "private, no-store"
    return response


def _step(story: Story, n: int) -> Step:
    if n < 1:
        raise Http404("No such step.")
    step = story.steps.order_by("position", "id")[n - 1:n].first()
    if step is None:
        raise Http404("No such step.")
    return step


@require_GET
def captions(request: HttpRequest, slug: str, n: int, lang: str) -> HttpResponse:
    """``/stories/<slug>/steps/<n>/captions.<lang>.vtt``: a step's WebVTT captions in one language."""
    if lang not in CAPTION_LANGUAGES:
        raise Http404("No captions in this language.")
    step = _step(readable_story(request, slug), n)
    text = step.captions.get(lang) if isinstance(step.captions, dict) else None
    if not isinstance(text, str) or not text.lstrip("\ufeff").startswith("WEBVTT"):
        raise Http404("No captions in this language.")
    response = HttpResponse(text[:MAX_CAPTIONS], content_type="text/vtt; charset=utf-8")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def audio(request: HttpRequest, slug: str, n: int) -> HttpResponseBase:
    """``/stories/<slug>/steps/<n>/audio``: a step's narration, streamed from Mogao's storage."""
    step = _step(readable_story(request, slug), n)
    path = step.audio.strip().lstrip("/")
    if not path or ".." in path.split("/") or not default_storage.exists(path):
        raise Http404("No narration.")
    kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
    if not kind.startswith("audio/"):
        raise Http404("No narration.")
    return FileResponse(default_storage.open(path, "rb"), content_type=kind)
