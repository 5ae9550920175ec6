"""``{% annotation_panel item canvas %}``: the annotation list and editor next to a viewer (#15).

Everyone sees the annotations they may see (fetched from the W3C containers). Signed-in readers
also get the editor: Annotorious on the OpenSeadragon viewer (draw a region) and, in the reading
room, "annotate the selected characters". Annotorious renders with PixiJS, which would compile
its WebGL uniform uploads with ``new Function``; Mogao's build of Annotorious
(frontend/annotorious/) uses PixiJS's eval-free path instead, so every page keeps the strict
Content-Security-Policy (no ``'unsafe-eval'``).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse

from mogao.accounts import policy
from mogao.annotations import jsonld
from mogao.annotations.groups import my_groups
from mogao.annotations.models import Annotation, Purpose, Tag
from mogao.catalogue.models import Canvas, Item
from mogao.community.models import Visibility
from mogao.iiif.presentation.manifests import canvas_id

register = template.Library()

#: Languages offered for a note (BCP 47 tags), the interface languages first.
NOTE_LANGUAGES = ("en", "fr", "zh-Hans", "zh-Hant", "lzh", "ja", "ko", "de", "es", "ru")


def _canvas_entry(item: Item, canvas: Canvas) -> dict[str, Any]:
    return {
        "order": canvas.order,
        "container": reverse("annotations:container", args=[canvas.pk]),
        "mine": reverse("annotations:mine", args=[canvas.pk]),
        "canvas": canvas_id(item, canvas),
        "transcription": jsonld.transcription_iri(canvas),
        "width": canvas.width,
        "height": canvas.height,
    }


@register.inclusion_tag("annotations/_panel.html", takes_context=True)
def annotation_panel(context: template.Context, item: Item, canvas: Canvas | None = None,
                     text: bool = False) -> dict[str, Any]:
    request = context["request"]
    user = request.user
    can_write = bool(user.is_authenticated and policy.can(user, "contribute", Annotation))
    canvases = [canvas] if canvas is not None else [c for c in item.canvases.all() if c.width and c.height]
    config = {
        "canvases": [_canvas_entry(item, c) for c in canvases],
        "canWrite": can_write,
        "mode": "text" if text else "image",
        "tags": {value: str(label) for value, label in Tag.choices},
        "visibility": {value: str(label) for value, label in Visibility.choices},
        "purposes": {value: str(label) for value, label in Purpose.choices},
        "groups": {jsonld.group_iri(g): g.name for g in my_groups(user)} if can_write else {},
    }
    return {
        "request": request,
        "config": config,
        "can_write": can_write,
        "text_mode": text,
        "tags": Tag.choices,
        "purposes": Purpose.choices,
        "visibilities": Visibility.choices,
        "groups": my_groups(user) if can_write else [],
        "languages": NOTE_LANGUAGES,
        "login_url": f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': request.get_full_path()})}",
    }
