"""The audience beacon: ``navigator.sendBeacon`` posts what a reader did in the page (no cookie read).

``POST /audience/beacon`` with a small JSON body (``text/plain``, ≤ 2 KiB), answered 204 always:

- ``{"kind": "click", "rank": 3, "href": "/items/…", "type": "item"}``: a search result followed;
- ``{"kind": "zoom", "href": "/items/<pid>…", "page": 2}``: a deep-zoom interaction in a viewer
  (sent once per page shown);
- ``{"kind": "story_step", "story": "<slug>", "n": 3}``: a story's step reached (steps count from 1);
- ``{"kind": "story_done", "story": "<slug>", "n": 7}``: a story read to its last step
  (both counted for published stories and existing steps only; #16's reader sends them).

Pages send them through ``window.mogaoAudience.send({...})`` (audience/beacon.js), which sends
nothing under Do-Not-Track or Global Privacy Control. Only same-origin posts are counted.
"""

from __future__ import annotations

import json
import re
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from mogao.audience import recorder

MAX_BODY = 2048
_ITEM = re.compile(r"^/items/([\w-]{1,120})(?:/|$)")
_WORK = re.compile(r"^/works/([\w-]{1,120})(?:/|$)")


def _number(value: Any, top: int = 10_000) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 < value < top else None


def _click(data: dict[str, Any]) -> dict[str, Any] | None:
    href = str(data.get("href", ""))[:300]
    fields: dict[str, Any] = {"rank": _number(data.get("rank"))}
    if m := _ITEM.match(href):
        fields["item_pid"] = m.group(1)
    elif m := _WORK.match(href):
        fields["work_pid"] = m.group(1)
    else:
        fields["target_type"] = str(data.get("type", ""))[:16] if data.get("type") in ("person", "place") else ""
    return fields


def _zoom(data: dict[str, Any]) -> dict[str, Any] | None:
    m = _ITEM.match(str(data.get("href", ""))[:300])
    return {"item_pid": m.group(1), "page": _number(data.get("page"))} if m else None


def _story_step(data: dict[str, Any]) -> dict[str, Any] | None:
    return _story(data)


def _story_done(data: dict[str, Any]) -> dict[str, Any] | None:
    return _story(data)


KINDS = {"click": _click, "zoom": _zoom, "story_step": _story_step, "story_done": _story_done}


@csrf_exempt  # sendBeacon cannot send a token; only same-origin posts are counted, and nothing else changes
@require_POST
def beacon(request: HttpRequest) -> HttpResponse:
    """Record one event a page reports (see the module's doc for the bodies): 204 always."""
    done = HttpResponse(status=204)
    if request.headers.get("Sec-Fetch-Site", "same-origin") != "same-origin":
        return done
    if int(request.headers.get("Content-Length") or 0) > MAX_BODY:
        return done
    try:
        data = json.loads(request.body[:MAX_BODY] or b"{}")
    except ValueError:
        return done
    if not isinstance(data, dict) or data.get("kind") not in KINDS:
        return done
    kind = str(data["kind"])
    fields = KINDS[kind](data)
    if fields is not None:
        recorder.record(kind, **fields)
    return done



def _story(data: dict[str, Any]) -> dict[str, Any] | None:
    """``{"kind": "story_step", "story": slug, "n": 4}``: counted for published stories only (#16)."""
    from mogao.stories.models import Story, StoryStatus

    slug, n = str(data.get("story", ""))[:80], data.get("n")
    if not isinstance(n, int) or isinstance(n, bool) or not 0 < n < 10_000 or not re.fullmatch(r"[\w-]+", slug):
        return None
    pk = Story.objects.filter(slug=slug, status=StoryStatus.PUBLISHED).values_list("pk", flat=True).first()
    if pk is None or not 0 < n <= Story.objects.get(pk=pk).steps.count():
        return None
    return {"target_type": "story", "target_id": pk, "page": n}
