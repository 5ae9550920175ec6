"""The API's HTTP behaviour: JSON errors naming the field, ETags, language negotiation, rate limits.

Every error body has one shape, :class:`ErrorOut`: ``{"detail": "...", "errors": [{"field": ...,
"message": ...}]}``. Malformed query parameters answer 400, bodies that fail validation 422, bad
values the services reject 400, missing objects 404, rate limits 429; nothing answers 500 on bad
input.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils import translation
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError, ValidationError
from ninja.throttling import BaseThrottle

from mogao.core.concurrency import PreconditionFailed
from mogao.security import ratelimit
from mogao.security.clientip import client_ip

LANGUAGES = ("en", "zh-hans", "zh-hant", "fr")


class FieldError(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[FieldError] = []


#: Error responses every operation may give, for the OpenAPI document.
COMMON_ERRORS: dict[int, type[Schema]] = {400: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}


def _field_of(loc: Any) -> str:
    parts = [str(p) for p in (loc or []) if p not in {"query", "path", "body", "header", "cookie", "form"}]
    # ninja nests query schemas under their parameter name; the client only knows the last part.
    return parts[-1] if parts else "request"


class MogaoAPI(NinjaAPI):
    """NinjaAPI with weak ETags on successful reads and the one error shape."""

    def create_response(
        self, request: HttpRequest, data: Any, *, status: int | None = None,
        temporal_response: HttpResponse | None = None,
    ) -> HttpResponse:
        response = super().create_response(request, data, status=status, temporal_response=temporal_response)
        if request.method in {"GET", "HEAD"} and response.status_code == 200:
            digest = hashlib.sha256(response.content).hexdigest()
            # A record the API can write carries its version (mogao.core.concurrency), which If-Match
            # compares; the body's digest keeps the tag specific to this representation.
            version = response.get("ETag", "").strip('"')
            etag = f'"{version}-{digest[:16]}"' if version else f'W/"{digest[:32]}"'
            response["ETag"] = etag
            response["Vary"] = "Accept-Language"
            response["Content-Language"] = request_language(request)
            wanted = {t.strip() for t in request.headers.get("If-None-Match", "").split(",")}
            if etag in wanted or "*" in wanted:
                not_modified = HttpResponseNotModified()
                not_modified["ETag"] = etag
                return not_modified
        return response


def error_response(api: NinjaAPI, request: HttpRequest, status: int, detail: str,
                   errors: list[dict[str, str]] | None = None) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "errors": errors or []}, status=status)


def install_error_handlers(api: NinjaAPI) -> None:
    """Map every failure to the one JSON error shape."""

    def on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors: list[dict[str, str]] = []
        for err in exc.errors:
            if "loc" in err:
                errors.append({"field": _field_of(err.get("loc")), "message": str(err.get("msg", "invalid"))})
            else:  # ninja's own errors, e.g. {"cursor": "Invalid Cursor"}
                errors.extend({"field": str(k), "message": str(v)} for k, v in err.items())
        names = ", ".join(sorted({e["field"] for e in errors})) or "request"
        # A malformed query parameter is a bad request (400); a well-formed body whose content
        # cannot be accepted is unprocessable (422).
        in_body = any(err.get("loc", ("",))[0] == "body" for err in exc.errors if "loc" in err)
        return error_response(api, request, 422 if in_body else 400, f"Invalid value for: {names}.", errors)

    def on_django_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        errors: list[dict[str, str]] = []
        if hasattr(exc, "error_dict"):
            for field, messages in exc.message_dict.items():
                errors.extend({"field": field, "message": m} for m in messages)
        else:
            errors = [{"field": "request", "message": m} for m in exc.messages]
        names = ", ".join(sorted({e["field"] for e in errors}))
        return error_response(api, request, 400, f"Invalid value for: {names}.", errors)

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        response = error_response(api, request, exc.status_code, str(exc.message))
        if exc.status_code == 401:
            response["WWW-Authenticate"] = 'Bearer realm="mogao"'
        return response

    def on_404(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error_response(api, request, 404, str(exc) or "Not found.")

    api.add_exception_handler(ValidationError, on_validation)  # type: ignore[arg-type]
    api.add_exception_handler(DjangoValidationError, on_django_validation)  # type: ignore[arg-type]
    api.add_exception_handler(HttpError, on_http_error)  # type: ignore[arg-type]
    api.add_exception_handler(Http404, on_404)  # type: ignore[arg-type]

    def on_precondition(request: HttpRequest, exc: PreconditionFailed) -> HttpResponse:
        return error_response(api, request, 412, exc.message)

    api.add_exception_handler(PreconditionFailed, on_precondition)  # type: ignore[arg-type]


def request_language(request: HttpRequest) -> str:
    """The reader's language: ``?lang=`` first, then Accept-Language, then the site default."""
    chosen = request.GET.get("lang", "")
    if chosen in LANGUAGES:
        return chosen
    header = translation.get_language_from_request(request, check_path=False)
    return header if header in LANGUAGES else settings.LANGUAGE_CODE


class AnonymousThrottle(BaseThrottle):
    """Limits anonymous clients per address (setting ``API_ANON_RATE``, default ``300/min``).

    The address is :func:`mogao.security.clientip.client_ip` (``X-Forwarded-For`` is read only as
    deep as ``MOGAO_PROXY_DEPTH`` says), the counts live in the database so every process shares
    them, and the rate is read on each request so deployments and tests can change it without a
    restart. Requests carrying a valid API token, reads included, are not limited.
    """

    def __init__(self) -> None:
        self._wait: float | None = None

    def allow_request(self, request: HttpRequest) -> bool:
        if _has_valid_token(request):
            return True
        rate = str(getattr(settings, "API_ANON_RATE", "300/min"))
        decision = ratelimit.hit("api-anon", client_ip(request) or "unknown", rate)
        self._wait = None if decision.allowed else float(decision.retry_after)
        return decision.allowed

    def wait(self) -> float | None:
        return self._wait


def _has_valid_token(request: HttpRequest) -> bool:
    if getattr(request, "auth", None) is not None:
        return True
    scheme, _, secret = str(request.META.get("HTTP_AUTHORIZATION", "")).partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return False
    from mogao.api.services import token_authenticate

    return token_authenticate(secret.strip()) is not None
