"""Know the visit for the time of a request, and record the page events its route implies.

Place after LocaleMiddleware (the interface language is read when an event is recorded). The work
is a dict appended to a buffer: no database access happens here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

from mogao.audience import recorder

#: Reader pages recorded by route name: (kind, what the ``pid`` argument names).
ROUTES: dict[str, tuple[str, str]] = {
    "catalogue:item": ("item_view", "item_pid"),
    "discovery:item": ("item_view", "item_pid"),  # the item page, with its content negotiation
    "catalogue:work": ("work_view", "work_pid"),
    "reading:read": ("read_open", "item_pid"),
    "reading:page": ("page_view", "item_pid"),
    "reading:gloss": ("gloss", ""),
    "reading:txt": ("download", "item_pid"),
    "reading:tei": ("download", "item_pid"),
    "reading:pdf": ("download", "item_pid"),
}


class AudienceMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            visit = recorder.visit_for(request)
        except Exception:
            visit = recorder.Visit(suppressed=True)
        token = recorder.activate(visit)
        try:
            response = self.get_response(request)
            if not visit.suppressed and response.status_code < 400:
                self._page_event(request, visit)
            return response
        finally:
            recorder.deactivate(token)

    @staticmethod
    def _page_event(request: HttpRequest, visit: recorder.Visit) -> None:
        match = getattr(request, "resolver_match", None)
        if match is None:
            return
        name = match.view_name
        if match.namespace == "api":
            recorder.record("api", language="")
            return
        if name == "oai:endpoint":
            verb = (request.GET.get("verb") or request.POST.get("verb") or "")[:24]
            recorder.record("oai", query=verb, language="")
            return
        route = ROUTES.get(name)
        if route is None or request.method not in ("GET", "HEAD") or visit.client == "bot":
            return  # (the client type is worked out only for the routes that record)
        kind, field = route
        fields: dict[str, Any] = {}
        if field:
            fields[field] = match.kwargs.get("pid", "")
        if kind == "page_view":
            fields["page"] = match.kwargs.get("order")
        if kind == "download":
            fields["detail"] = name.rsplit(":", 1)[1]
        recorder.record(kind, **fields)
