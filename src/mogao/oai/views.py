"""The /oai endpoint (GET and POST) and the Mogao profile's schema; thin adapters over ``protocol``."""

from __future__ import annotations

from pathlib import Path

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from mogao.oai.protocol import handle
from mogao.oai.responses import serialize

_SCHEMAS = Path(__file__).resolve().parent / "schemas"


@csrf_exempt  # harvesters POST form-encoded arguments with no session; nothing here writes
@require_http_methods(["GET", "HEAD", "POST"])
def endpoint(request: HttpRequest) -> HttpResponse:
    params = request.POST if request.method == "POST" else request.GET
    document = handle({key: params.getlist(key) for key in params})
    return HttpResponse(serialize(document), content_type="text/xml; charset=utf-8")


@require_GET
def schema(request: HttpRequest, name: str) -> HttpResponse:
    if name not in {"mogao.xsd", "xml.xsd"}:
        raise Http404("No such schema.")
    return HttpResponse((_SCHEMAS / name).read_bytes(), content_type="application/xml")
