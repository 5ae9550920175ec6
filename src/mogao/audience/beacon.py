"""The audience beacon: ``navigator.sendBeacon`` posts what a reader did in the page (no cookie read).

``POST /audience/beacon`` with a small JSON body (``text/plain``, ≤ 2 KiB), answered 204 always:

- ``{"kind": "click", "rank": 3, "href": "/items/…", "type": "item"}``: a search result followed;
- ``{"kind": "zoom", "href": "/items/<pid>…", "page": 2}``: a deep-zoom interaction in a viewer
  (sent once per page shown);
- ``{"kind": "story_step", "story": 12, "step": 3}``: a story's step reached (steps count from 1);
- ``{"kind": "story_done", "story": 12}``: a story read to its end.

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
    story, step = _number(data.get("story"), 2**53), _number(data.get("step"), 1000)
    return {"target_type": "story", "target_id": story, "page": step} if story and step else None


def _story_done(data: dict[str, Any]) -> dict[str, Any] | None:
    story = _number(data.get("story"), 2**53)
    return {"target_type": "story", "target_id": story} if story else None


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
