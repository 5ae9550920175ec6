"""Publishing views of stories (#16): the index of published stories, the IIIF manifest and the
steps as a W3C AnnotationPage. Who may see a story is asked of the one policy (``view``)."""

from __future__ import annotations

import json

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from mogao.accounts import policy
from mogao.iiif.views_presentation import iiif_error, iiif_json
from mogao.stories import selectors, w3c
from mogao.stories.manifest import story_manifest
from mogao.stories.models import Story

ANNO_PROFILE = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """Published stories with their covers, in home-page order."""
    return render(request, "stories/index.html", {"cards": selectors.cards()})


def _viewable(request: HttpRequest, slug: str) -> Story | None:
    story = selectors.story_with_steps(slug)
    if story is None or not policy.can(request.user, "view", story):
        return None
    return story


def _private(response: HttpResponse, story: Story) -> HttpResponse:
    """A draft's documents are for its curators only: never stored by a shared cache."""
    if not story.is_published:
        response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def manifest(request: HttpRequest, slug: str) -> HttpResponse:
    story = _viewable(request, slug)
    if story is None:
        return iiif_error(404, _("No story %(slug)s.") % {"slug": slug})
    data = story_manifest(story, list(story.steps.all()))
    if data is None:
        return iiif_error(404, _("No manifest: the story %(slug)s shows no page image.") % {"slug": slug})
    return _private(iiif_json(data), story)


@require_safe
def annotations(request: HttpRequest, slug: str) -> HttpResponse:
    """Every step as a W3C Web Annotation, in one AnnotationPage."""
    story = _viewable(request, slug)
    if story is None:
        raise Http404(slug)
    data = w3c.page(story, list(story.steps.all()))
    response = HttpResponse(json.dumps(data, ensure_ascii=False, separators=(",", ":")), content_type=ANNO_PROFILE)
    response["Access-Control-Allow-Origin"] = "*"
    return _private(response, story)
