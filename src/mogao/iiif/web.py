"""Thin Django adapter of the IIIF Image API: copy the request in, the core's Response out.

Also :func:`fast_path`, a WSGI wrapper that answers ``/iiif/3/`` paths straight from the core
(skipping Django's middleware and URL resolution) for deployments that want the speed; it
validates the Host header against ``ALLOWED_HOSTS`` exactly as Django would.

Both ask :mod:`mogao.iiif.access` (hence the policy) per image before the core answers: images
of private or withdrawn items are 404 to whoever may not view them, and are capped to
``IIIF_NODOWNLOAD_MAX`` px when downloads are switched off. The fast path answers alone whenever
the answer cannot depend on the user (fully public images, or no session cookie); otherwise it
hands the request to Django so that sessions and authentication resolve the user.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.cookie import parse_cookie
from django.http.request import split_domain_port, validate_host
from django.views.decorators.http import require_http_methods

from mogao.iiif import replicate
from mogao.iiif.access import Access, image_access, needs_user, nodownload_max
from mogao.iiif.image import ImageNotFound, RequestHeaders, Response
from mogao.iiif.image.server import error_response
from mogao.iiif.services import image_server

PREFIX = "/iiif/3/"
_ALLOW = "GET, HEAD, OPTIONS"


def answer(path: str, base: str, headers: RequestHeaders, access: Access) -> Response:
    """The core's answer to ``path`` for a user granted ``access`` to its image."""
    server = image_server()
    identifier = path.split("/", 1)[0]
    if access is Access.NONE:
        # Word for word what the core says of a missing image: existence is not revealed.
        return error_response(ImageNotFound(f"no image {identifier[:60]!r}"))
    limits = server.limits.restricted(nodownload_max()) if access is Access.LIMITED else None
    if replicate.enabled():
        # Published by another node (#19): meta.json only; tiles come by range reads (mogao.iiif.remote).
        replicate.ensure_local(server.store, identifier, files=False)
    response = server.handle(path, base, headers, limits=limits)
    if needs_user(identifier):
        # The answer depends on who asks: no shared cache may keep it for someone else.
        response.headers["Cache-Control"] = "private, no-cache"
        response.headers["Vary"] = ", ".join(filter(None, (response.headers.get("Vary"), "Cookie")))
    return response


def _to_django(response: Response, *, head: bool) -> HttpResponse:
    out = HttpResponse(b"" if head else response.body, status=response.status)
    for name, value in response.headers.items():
        out[name] = value
    return out


def _preflight() -> HttpResponse:
    out = HttpResponse(status=204)
    out["Access-Control-Allow-Origin"] = "*"
    out["Access-Control-Allow-Methods"] = _ALLOW
    out["Access-Control-Allow-Headers"] = "*"
    out["Access-Control-Max-Age"] = "86400"
    return out


@require_http_methods(["GET", "HEAD", "OPTIONS"])
def image_api(request: HttpRequest, path: str) -> HttpResponse:
    """Every path under ``/iiif/3/``: base URI redirect, info.json and image requests."""
    if request.method == "OPTIONS":
        return _preflight()
    prefix = request.path[: len(request.path) - len(path)] if request.path.endswith(path) else PREFIX
    base = request.build_absolute_uri(prefix)
    access = image_access(path.split("/", 1)[0], request.user)
    response = answer(path, base, RequestHeaders.from_mapping(request.headers), access)
    return _to_django(response, head=request.method == "HEAD")


StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def fast_path(app: WSGIApp) -> WSGIApp:
    """Wrap the Django WSGI ``app`` so that ``GET /iiif/3/...`` is answered by the core directly."""

    def wsgi(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path_info: str = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        if not path_info.startswith(PREFIX) or method not in ("GET", "HEAD"):
            return app(environ, start_response)
        host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
        domain, _port = split_domain_port(host)
        if not domain or not validate_host(domain, settings.ALLOWED_HOSTS):
            return app(environ, start_response)  # let Django produce its usual 400
        # WSGI hands PATH_INFO as latin-1-decoded bytes; undo that to get the UTF-8 text.
        path = path_info.encode("latin-1").decode("utf-8", "replace")[len(PREFIX):]
        identifier = path.split("/", 1)[0]
        if needs_user(identifier) and _has_session(environ):
            return app(environ, start_response)  # Django resolves the user (sessions + auth)
        scheme = environ.get("wsgi.url_scheme", "http")
        headers = RequestHeaders(
            environ.get("HTTP_ACCEPT", ""), environ.get("HTTP_IF_NONE_MATCH", ""),
            environ.get("HTTP_IF_MODIFIED_SINCE", ""),
        )
        response = answer(path, f"{scheme}://{host}{PREFIX}", headers, image_access(identifier))
        body = b"" if method == "HEAD" else response.body
        head = [(k, v) for k, v in response.headers.items()]
        head.append(("Content-Length", str(len(body))))
        head.append(("X-Content-Type-Options", "nosniff"))
        start_response(f"{response.status} {_REASONS.get(response.status, 'OK')}", head)
        return [body]

    return wsgi


def _has_session(environ: dict[str, Any]) -> bool:
    cookies = parse_cookie(environ.get("HTTP_COOKIE", ""))
    return bool(cookies.get(settings.SESSION_COOKIE_NAME))


_REASONS = {
    200: "OK", 303: "See Other", 304: "Not Modified", 400: "Bad Request", 403: "Forbidden",
    404: "Not Found", 500: "Internal Server Error", 501: "Not Implemented", 503: "Service Unavailable",
}


def _application() -> WSGIApp:
    from mogao.site.wsgi import application  # already wrapped with fast_path

    return application


class _LazyApp:
    """``mogao.iiif.web:application`` for granian: Django plus the image fast path, built on first call."""

    def __init__(self) -> None:
        self._app: WSGIApp | None = None

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if self._app is None:
            self._app = _application()
        return self._app(environ, start_response)


application = _LazyApp()
