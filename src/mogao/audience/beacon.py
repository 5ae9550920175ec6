"""The click beacon: ``navigator.sendBeacon`` posts which search result was followed (no cookie read)."""

from __future__ import annotations

import json
import re

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from mogao.audience import recorder

MAX_BODY = 2048
_ITEM = re.compile(r"^/items/([\w-]{1,120})(?:/|$)")
_WORK = re.compile(r"^/works/([\w-]{1,120})(?:/|$)")
#: Story reader events (#16): a step shown (page = its number) and the last step reached.
STORY_KINDS = ("story_step", "story_done")


@csrf_exempt  # sendBeacon cannot send a token; only same-origin posts are counted, and nothing else changes
@require_POST
def beacon(request: HttpRequest) -> HttpResponse:
    """``POST /audience/beacon`` ``{"kind": "click", "rank": 3, "href": "/items/…"}``: 204 always."""
    done = HttpResponse(status=204)
    if request.headers.get("Sec-Fetch-Site", "same-origin") != "same-origin":
        return done
    if int(request.headers.get("Content-Length") or 0) > MAX_BODY:
        return done
    try:
        data = json.loads(request.body[:MAX_BODY] or b"{}")
    except ValueError:
        return done
    if isinstance(data, dict) and data.get("kind") in STORY_KINDS:
        _story(data)
        return done
    if not isinstance(data, dict) or data.get("kind") != "click":
        return done
    href = str(data.get("href", ""))[:300]
    rank = data.get("rank")
    fields: dict[str, object] = {"rank": rank if isinstance(rank, int) and 0 < rank < 10_000 else None}
    if m := _ITEM.match(href):
        fields["item_pid"] = m.group(1)
    elif m := _WORK.match(href):
        fields["work_pid"] = m.group(1)
    else:
        fields["target_type"] = str(data.get("type", ""))[:16] if data.get("type") in ("person", "place") else ""
    recorder.record("click", **fields)
    return done


def _story(data: dict[str, object]) -> None:
    """``{"kind": "story_step", "story": slug, "n": 4}``: counted for published stories only."""
    from mogao.stories.models import Story, StoryStatus

    slug, n = str(data.get("story", ""))[:80], data.get("n")
    if not isinstance(n, int) or not 0 < n < 10_000 or not re.fullmatch(r"[\w-]+", slug):
        return
    pk = Story.objects.filter(slug=slug, status=StoryStatus.PUBLISHED).values_list("pk", flat=True).first()
    if pk is None or not 0 < n <= Story.objects.get(pk=pk).steps.count():
        return
    recorder.record(str(data["kind"]), target_type="story", target_id=pk, page=n)
