"""Answer IIIF Image API 3.0 paths: parse, plan, serve from the derivative cache or render.

:class:`ImageServer` is framework-free: it takes the decoded path after the service prefix and
a few request headers, and returns a :class:`Response` (status, headers, body) that a thin web
adapter copies out. Every failure is an :class:`IIIFError` turned into a short text response.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from urllib.parse import quote

import pyvips

from mogao.iiif.image.cache import DerivativeCache
from mogao.iiif.image.errors import IIIFError, ImageNotFound, ImageUnreadable
from mogao.iiif.image.info import LD_JSON, PROFILE_URI, info_document
from mogao.iiif.image.params import ImageRequest
from mogao.iiif.image.pipeline import Limits, Plan, plan
from mogao.iiif.image.processor import Processor, RemotePyramid, Source
from mogao.iiif.image.store import ImageInfo, ImageStore, valid_identifier

CACHE_CONTROL = "public, max-age=86400"


@dataclass
class Response:
    """An HTTP answer: ``body`` is empty for redirects, 304s and HEAD-like uses."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


@dataclass(frozen=True, slots=True)
class RequestHeaders:
    """The request headers the image server looks at."""

    accept: str = ""
    if_none_match: str = ""
    if_modified_since: str = ""

    @classmethod
    def from_mapping(cls, headers: Mapping[str, str]) -> RequestHeaders:
        """Pick the headers from a case-insensitive mapping (e.g. Django's ``request.headers``)."""
        return cls(
            headers.get("Accept", "") or "",
            headers.get("If-None-Match", "") or "",
            headers.get("If-Modified-Since", "") or "",
        )


def _base_headers() -> dict[str, str]:
    return {"Access-Control-Allow-Origin": "*"}


def error_response(error: IIIFError) -> Response:
    """A short plain-text answer with the error's status (CORS too, so viewers see the message)."""
    headers = _base_headers()
    headers["Content-Type"] = "text/plain; charset=utf-8"
    headers["Cache-Control"] = "no-store"
    return Response(error.status, headers, (error.message + "\n").encode())


def _not_modified(headers: RequestHeaders, etag: str, modified: float) -> bool:
    if headers.if_none_match:
        tags = {t.strip() for t in headers.if_none_match.split(",")}
        return etag in tags or f"W/{etag}" in tags or "*" in tags
    if headers.if_modified_since:
        try:
            since = parsedate_to_datetime(headers.if_modified_since).timestamp()
        except (TypeError, ValueError, IndexError, OverflowError):
            return False
        return int(modified) <= since
    return False


_MEMO_SIZE = 20_000


@dataclass(frozen=True, slots=True)
class _Resolved:
    """A request resolved for one version of an image: what to render and what to answer."""

    plan: Plan
    key: str
    etag: str
    modified: float
    headers: dict[str, str]


class ImageServer:
    """The IIIF Image API over an :class:`ImageStore`, with a :class:`DerivativeCache` fast path."""

    def __init__(self, store: ImageStore, cache: DerivativeCache, limits: Limits) -> None:
        self.store = store
        self.cache = cache
        self.limits = limits
        self.processor = Processor()
        #: Gives the object-storage pyramid of an image whose files are not on this node (#19), or None.
        self.remote: Callable[[ImageInfo], RemotePyramid | None] | None = None
        self._memo: dict[tuple[object, ...], _Resolved] = {}
        self._info_bodies: dict[tuple[str, float, Limits], bytes] = {}

    def handle(
        self, path: str, base: str, headers: RequestHeaders | None = None, *, limits: Limits | None = None
    ) -> Response:
        """Answer ``path`` (decoded, after ``{base}/``); ``base`` is the absolute service prefix.

        ``limits`` replaces the server's own for this request (e.g. capped when downloads are
        switched off); who may see which image is decided by the caller, before this is called.
        """
        headers = headers or RequestHeaders()
        try:
            return self._dispatch(path, base.rstrip("/"), headers, limits or self.limits)
        except IIIFError as error:
            return error_response(error)

    def _dispatch(self, path: str, base: str, headers: RequestHeaders, limits: Limits) -> Response:
        segments = path.split("/")
        identifier = segments[0]
        if not valid_identifier(identifier):
            raise ImageNotFound(f"no image {identifier[:60]!r}")
        if len(segments) == 1 or segments[1:] == [""]:
            info = self.store.info(identifier)  # 404 before redirecting to nothing
            target = f"{base}/{quote(info.identifier, safe='')}/info.json"
            return Response(303, {**_base_headers(), "Location": target})
        if len(segments) == 2 and segments[1] == "info.json":
            return self.info_json(identifier, base, headers, limits)
        if len(segments) == 5:
            return self.image(identifier, segments[1:], base, headers, limits)
        raise ImageNotFound(
            "no such IIIF resource: use {id}/info.json or {id}/{region}/{size}/{rotation}/{quality}.{format}"
        )

    def info_json(
        self, identifier: str, base: str, headers: RequestHeaders, limits: Limits | None = None
    ) -> Response:
        """The info.json: JSON-LD media type when the client asks for it, plain JSON otherwise."""
        limits = limits or self.limits
        info = self.store.info(identifier)
        service_id = f"{base}/{quote(info.identifier, safe='')}"
        ld = "application/ld+json" in headers.accept
        # One ETag per representation: the two media types share a body but not a tag.
        tag = f"{info.version}|{service_id}|{limits}|{ld}"
        etag = '"' + hashlib.sha256(tag.encode()).hexdigest()[:24] + '"'
        out = _base_headers()
        out.update({
            "Content-Type": LD_JSON if ld else "application/json",
            "Link": f'<{PROFILE_URI}>;rel="profile"',
            "Vary": "Accept",
            "ETag": etag,
            "Last-Modified": formatdate(info.modified, usegmt=True),
            "Cache-Control": CACHE_CONTROL,
        })
        if _not_modified(headers, etag, info.modified):
            return Response(304, out)
        memo_key = (service_id, info.modified, limits)
        body = self._info_bodies.get(memo_key)
        if body is None:
            body = json.dumps(info_document(info, service_id, limits), ensure_ascii=False).encode()
            if len(self._info_bodies) >= _MEMO_SIZE:
                self._info_bodies.clear()
            self._info_bodies[memo_key] = body
        return Response(200, out, body)

    def image(
        self, identifier: str, params: list[str], base: str, headers: RequestHeaders,
        limits: Limits | None = None,
    ) -> Response:
        """Render (or fetch from cache) one image request; conditional requests skip rendering.

        A resolved request (canonical form, cache key, headers) is remembered per URL and reused
        while the image's metadata file is unchanged, so a cache hit skips parsing and planning.
        """
        limits = limits or self.limits
        memo_key = (base, identifier, *params, limits)
        entry = self._memo.get(memo_key)
        if entry is not None:
            info = self.store.info(identifier)
            if entry.modified != info.modified:
                entry = None
        if entry is None:
            request = ImageRequest.parse(*params)
            info = self.store.info(identifier)
            entry = self._resolve(info, plan(request, info.width, info.height, limits), base, limits)
            if len(self._memo) >= _MEMO_SIZE:
                self._memo.clear()  # crude but bounded; refills from hot URLs within seconds
            self._memo[memo_key] = entry
        if _not_modified(headers, entry.etag, entry.modified):
            return Response(304, dict(entry.headers))
        body = self.cache.get(entry.key)
        if body is None:
            body = self.render(info, entry.plan)
            self.cache.put(entry.key, body)
        return Response(200, dict(entry.headers), body)

    def _resolve(self, info: ImageInfo, resolved: Plan, base: str, limits: Limits) -> _Resolved:
        canonical = resolved.canonical(limits)
        key = f"{info.identifier}|{info.version}|{canonical}"
        if limits != self.limits:
            key += f"|{limits}"  # `max` names another size under other limits
        etag = '"' + hashlib.sha256(key.encode()).hexdigest()[:24] + '"'
        out = _base_headers()
        out.update({
            "Content-Type": resolved.format.media_type,
            "Link": (
                f'<{base}/{quote(info.identifier, safe="")}/{canonical}>;rel="canonical",'
                f'<{PROFILE_URI}>;rel="profile"'
            ),
            "ETag": etag,
            "Last-Modified": formatdate(info.modified, usegmt=True),
            "Cache-Control": CACHE_CONTROL,
        })
        return _Resolved(resolved, key, etag, info.modified, out)

    def render(self, info: ImageInfo, resolved: Plan) -> bytes:
        """Render a resolved plan of ``info`` (no cache); a damaged stored file is ImageUnreadable."""
        source = Source.for_image(self.store, info)
        remote = None
        if self.remote is not None and not source.path.is_file():
            remote = self.remote(info)  # only meta.json is here: tiles come by range reads
        try:
            return self.processor.render(source, resolved, remote)
        except pyvips.Error as exc:
            raise ImageUnreadable(f"the stored image {info.identifier!r} cannot be decoded") from exc
