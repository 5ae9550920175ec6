"""``/api/v1/digitization/requests``: the public digitization queue as JSON (#17)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from mogao.api.http import COMMON_ERRORS, request_language
from mogao.digitization import selectors
from mogao.digitization.models import Request

router = Router(tags=["digitization"])
LIMIT = 200


class PartOut(Schema):
    key: str
    label: str
    count: float
    points: float


class TransitionOut(Schema):
    from_status: str
    to_status: str
    by_curator: bool
    reason: str
    at: str


class PledgeOut(Schema):
    institution: str
    kind: str
    note: str
    created: str


class RequestOut(Schema):
    id: int
    url: str
    item: str
    item_url: str
    shelfmark: str
    title: str
    holder: str
    status: str
    first_page: int | None
    last_page: int | None
    expected_month: str | None
    readers: int
    priority: float
    computed_priority: float
    override_reason: str
    breakdown: list[PartOut]
    created: str


class RequestDetailOut(RequestOut):
    timeline: list[TransitionOut]
    pledges: list[PledgeOut]


class RequestPage(Schema):
    results: list[RequestOut]
    count: int


def _out(request: HttpRequest, row: Request, lang: str, readers: int) -> dict[str, Any]:
    return {
        "id": row.pk, "url": request.build_absolute_uri(row.get_absolute_url()), "item": row.item.pid,
        "item_url": request.build_absolute_uri(row.item.get_absolute_url()), "shelfmark": row.item.shelfmark,
        "title": row.item.label(lang), "holder": row.item.institution.code, "status": row.status,
        "first_page": row.first_canvas or None, "last_page": row.last_canvas or None,
        "expected_month": row.expected_month.strftime("%Y-%m") if row.expected_month else None,
        "readers": readers, "priority": row.score, "computed_priority": row.priority,
        "override_reason": row.override_reason if row.override_score is not None else "",
        "breakdown": [{"key": p["key"], "label": p["label"], "count": p["count"], "points": p["points"]}
                      for p in selectors.explained(row)],
        "created": row.created.isoformat(),
    }


StatusFilter = Literal["", "open", "all", "requested", "accepted", "declined", "merged", "scheduled", "imaging",
                      "quality_check", "published"]
TypeFilter = Literal["", "manuscript", "printed", "scroll", "booklet", "rubbing", "fragment", "set", "other"]
Code = Annotated[str, Field(max_length=40, pattern=r"^[A-Za-z0-9_.-]*$")]


class QueueQuery(Schema):
    holder: Code = ""
    status: StatusFilter = ""
    period: Code = ""
    type: TypeFilter = ""


@router.get("/digitization/requests", response={200: RequestPage, **COMMON_ERRORS}, summary="The digitization queue")
def list_requests(request: HttpRequest, query: Query[QueueQuery]) -> dict[str, Any]:
    """Open requests (``status=all`` or one status for others), highest priority first, with the
    breakdown of each priority; filters as on /digitization/ (holder code, status, period, type)."""
    lang = request_language(request)
    filters = selectors.Filters.of(query.dict())
    qs = selectors.queue(request.user, filters)
    rows = list(qs[:LIMIT])
    return {"results": [_out(request, r, lang, r.n_readers) for r in rows],  # type: ignore[attr-defined]
            "count": qs.count()}


@router.get("/digitization/requests/{pk}", response={200: RequestDetailOut, **COMMON_ERRORS},
            summary="One digitization request")
def get_request(request: HttpRequest, pk: int) -> dict[str, Any]:
    from mogao.accounts import policy

    row = Request.objects.select_related("item", "item__institution").filter(pk=pk).first()
    if row is None or not policy.can(request.user, "view", row):
        raise Http404("No such request.")
    out = _out(request, row, request_language(request), selectors.readers_of(row))
    out["timeline"] = [{"from_status": t.from_status, "to_status": t.to_status, "by_curator": t.by_id is not None,
                        "reason": t.reason, "at": t.at.isoformat()} for t in row.transitions.all()]
    out["pledges"] = [{"institution": p.institution.code, "kind": p.kind, "note": p.note,
                       "created": p.created.isoformat()} for p in row.pledges.select_related("institution")]
    return out
