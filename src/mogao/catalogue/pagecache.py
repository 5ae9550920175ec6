"""The item page of anonymous readers, rendered once per process and catalogue state (#19).

An item page costs ~20 ms of CPU to render (eight queries, the comments, the reactions, the
templates); under a crowd of readers that is what limits a node. Here the rendered page is kept in
this process's memory and served again to the next anonymous reader asking for the same thing.

What a cached page is keyed by: the item's pid, the interface language, the address the request
came to (absolute links and citations follow it), the query string and the htmx headers. It is
served only while both generations of :mod:`mogao.core.generation` are the ones it was rendered
under (read with one query per request): the catalogue generation (every catalogue or knowledge
change committed anywhere) and the readers generation, raised here after any committed write to
what readers add to a page (comments, reactions, digitization requests, accounts and profiles,
whose names sign comments), and at once after such a write in this process. Writes that send no
model signal (``QuerySet.update``) are covered by
:data:`MAX_AGE`: no page is older than that.

One request at a time renders a given page (#19): a crowd on a page whose copy expired or whose
generation moved would otherwise render it once per waiting thread, and every page stored in the
same second would expire in the same second: measured under 100 readers, four renders per page and
~100 renders in a few seconds every 30 s, during which every request of the process waited. A copy
is rendered again by one request some time before it expires (:data:`REFRESH_BETWEEN`) while the
others keep getting it; with no copy, the others wait for the one render (:data:`RENDER_WAIT`).

What stays per request, so that a cached page is never another reader's page:

- only anonymous readers with no session cookie and no pending messages get or fill the cache
  (a signed-in curator always gets a fresh render: drafts, private items and their own state);
- only public items are cached (``item_detail`` serves no other; a change of visibility raises the
  catalogue generation);
- the CSP nonce and the CSRF token of the render are replaced by placeholders in the stored page
  and filled with this request's own nonce (the one the CSP header carries) and a fresh masked CSRF
  token on every response, which also sets the CSRF cookie as a render does;
- every middleware still runs: the audience records the item view, Vary and Content-Language,
  the CSP header, the page font;
- the view's own headers (Content-Type, its Vary) are replayed, and the htmx middleware adds its
  Vary when the render looked at ``request.htmx``.
"""

from __future__ import annotations

import random
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware import csrf
from django.middleware.csrf import CSRF_TOKEN_LENGTH, get_token
from django.utils.translation import get_language

from mogao.core import generation
from mogao.core.urls import request_base
from mogao.site.pagefont import cjk_characters

#: Apps whose records show on a reader's item page beside the catalogue (auth: names signing comments).
READER_APPS = frozenset({"discussion", "community", "digitization", "accounts", "auth", "saved"})
#: Seconds a cached page may be served at most (writes that send no signal show within this time).
MAX_AGE = 30.0
#: A page is rendered again ahead of :data:`MAX_AGE`, at a point drawn for each copy between these
#: fractions of it: a crowd on a page never sees it expire (no burst of renders of one page), and
#: pages stored together are not all rendered again in the same second.
REFRESH_BETWEEN = (0.5, 0.8)
#: Seconds a request for a page that another request is rendering waits for that render.
RENDER_WAIT = 2.0
#: Pages kept per process (least recently used dropped first); a page is ~25 KB.
MAX_ENTRIES = 512
NONCE = "\x00mogao-csp-nonce\x00"
CSRF = "\x00mogao-csrf-token\x00"
_TOKEN = re.compile(rf"(?<![A-Za-z0-9])[A-Za-z0-9]{{{CSRF_TOKEN_LENGTH}}}(?![A-Za-z0-9])")


@dataclass(frozen=True)
class Entry:
    body: str
    generations: tuple[int, int, int]  # catalogue, readers, this process's own reader-facing writes
    headers: tuple[tuple[str, str], ...]  # the view's own (Content-Type, Vary, ...)
    stored: float
    refresh_at: float  # from then on, one request renders the next copy while the others get this one
    csp_override: dict[str, str] | None
    htmx_consulted: bool  # the render chose on request.htmx: the htmx middleware adds its Vary
    cjk: str  # the page's CJK characters, for the page font middleware (nonces and tokens are ASCII)


_pages: OrderedDict[tuple[Any, ...], Entry] = OrderedDict()
_lock = threading.Lock()
_rendering: dict[tuple[Any, ...], threading.Event] = {}  # pages being rendered, by key: set once stored


def enabled() -> bool:
    return bool(getattr(settings, "MOGAO_ITEM_PAGE_CACHE", True))


def clear() -> None:
    """Forget every page (tests; a rolled-back test database repeats generations)."""
    with _lock:
        _pages.clear()


def cacheable(request: HttpRequest) -> bool:
    """Whether this request may get (and fill) the shared page: an anonymous reader with no state."""
    if request.method not in ("GET", "HEAD") or not enabled():
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    if user is None or user.is_authenticated:
        return False
    return len(get_messages(request)) == 0


def _key(request: HttpRequest, pid: str) -> tuple[Any, ...]:
    return (pid, get_language(), request_base(request), request.META.get("QUERY_STRING", ""),
            request.headers.get("HX-Request", ""), request.headers.get("HX-History-Restore-Request", ""),
            request.headers.get("HX-Target", ""))


#: Django's own unmasking of a CSRF token (the secret a form token was masked from).
_unmask: Callable[[str], str] = csrf._unmask_cipher_token  # type: ignore[attr-defined]


def _strip(body: str, request: HttpRequest) -> str:
    """The rendered page with this request's nonce and CSRF tokens replaced by placeholders."""
    nonce = getattr(request, "csp_nonce", None)
    if nonce is not None and getattr(nonce, "_wrapped", None) is not None and str(nonce) in body:
        body = body.replace(str(nonce), NONCE)
    secret = request.META.get("CSRF_COOKIE")
    if secret:
        def swap(match: re.Match[str]) -> str:
            return CSRF if _unmask(match[0]) == secret else match[0]

        body = _TOKEN.sub(swap, body)
    return body


def _fill(body: str, request: HttpRequest) -> str:
    if NONCE in body:
        body = body.replace(NONCE, str(request.csp_nonce))  # type: ignore[attr-defined]
    if CSRF in body:
        body = body.replace(CSRF, get_token(request))
    return body


def serve(request: HttpRequest, pid: str, render: Callable[[], HttpResponse]) -> HttpResponse:
    """The item page from the cache when this reader may have it, else ``render()`` (stored if it may).

    One request at a time renders a given page: past the page's refresh point one request renders
    the next copy while the others are still served the current one; with no current copy (first
    request, expired, or a generation moved) the others wait up to :data:`RENDER_WAIT` seconds for
    that render and are served its page.
    """
    if not cacheable(request):
        return render()
    key = _key(request, pid)
    for attempt in range(2):
        generations = (*generation.both(), _local_writes)
        now = time.monotonic()
        claimed = False
        with _lock:  # held for dictionary operations only: the page is filled in outside it
            entry = _pages.get(key)
            if entry is not None and (entry.generations != generations or now - entry.stored >= MAX_AGE):
                del _pages[key]
                entry = None
            if entry is not None:
                _pages.move_to_end(key)
                if now >= entry.refresh_at and key not in _rendering:
                    _rendering[key] = threading.Event()  # this request renders the next copy
                    claimed = True
            elif key not in _rendering:
                _rendering[key] = threading.Event()
                claimed = True
            waiting = None if entry is not None or claimed or attempt else _rendering[key]
        if claimed or (entry is None and waiting is None):  # the render is ours, or we waited once already
            return _render_and_store(request, render, key, generations, now, claimed=claimed)
        if entry is not None:
            return _cached(entry, request)
        assert waiting is not None
        waiting.wait(RENDER_WAIT)
    raise AssertionError("unreachable")  # the second attempt always returns


def _cached(entry: Entry, request: HttpRequest) -> HttpResponse:
    response = HttpResponse(_fill(entry.body, request))
    for name, value in entry.headers:
        response[name] = value
    if entry.csp_override is not None:
        request.csp_override = dict(entry.csp_override)  # type: ignore[attr-defined]
    if entry.htmx_consulted and (htmx := getattr(request, "htmx", None)) is not None:
        htmx.consulted = True
    response.page_font_chars = entry.cjk  # type: ignore[attr-defined]
    return response


def _render_and_store(request: HttpRequest, render: Callable[[], HttpResponse], key: tuple[Any, ...],
                      generations: tuple[int, int, int], now: float, *, claimed: bool) -> HttpResponse:
    """``render()``, stored under ``key`` when it may be; ``claimed``: this request took the render of ``key``."""
    try:
        response = render()
        entry = _entry(request, response, generations, now)
        if entry is not None:
            with _lock:
                _pages[key] = entry
                while len(_pages) > MAX_ENTRIES:
                    _pages.popitem(last=False)
        return response
    finally:
        if claimed:
            with _lock:
                done = _rendering.pop(key, None)
            if done is not None:
                done.set()


def _entry(request: HttpRequest, response: HttpResponse, generations: tuple[int, int, int],
           now: float) -> Entry | None:
    """What the cache keeps of this render, or None when it may not be shared."""
    if response.status_code != 200 or response.streaming or response.has_header("Set-Cookie") \
            or response.cookies or not response.get("Content-Type", "").startswith("text/html"):
        return None
    session = getattr(request, "session", None)
    if request.user.is_authenticated or len(get_messages(request)) != 0 or (session is not None and session.modified):
        return None  # signed in, a message queued or a session begun while rendering: never shared
    charset = response.charset or "utf-8"
    body = response.content.decode(charset)
    return Entry(body=_strip(body, request), generations=generations, cjk=cjk_characters(body),
                 headers=tuple((k, v) for k, v in response.items() if k.lower() != "content-length"),
                 stored=now, refresh_at=now + MAX_AGE * random.uniform(*REFRESH_BETWEEN),  # noqa: S311
                 csp_override=getattr(request, "csp_override", None),
                 htmx_consulted=bool(getattr(getattr(request, "htmx", None), "consulted", False)))


# ------------------------------------------------------------------ the readers generation

#: Reader-facing writes made by this process, committed or not: a page rendered before one of them is
#: not served again even before the commit raises the readers generation (or when it never runs it,
#: as in a test's transaction). A rolled-back write only costs a render.
_local_writes = 0


def _bump_readers() -> None:
    generation.bump(generation.READERS)


def _on_write(sender: Any, **kwargs: Any) -> None:
    global _local_writes
    with _lock:
        _local_writes += 1
    transaction.on_commit(_bump_readers)  # at once in autocommit mode; never for a rolled-back write


def connect() -> None:
    """Raise the readers generation after every committed write to a reader-facing record.

    Connected model by model (the catalogue's own models go through the change channel only).
    """
    from django.apps import apps

    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label not in READER_APPS or hasattr(model, "instance_type"):
            continue  # (simple-history's historical rows change nothing a reader sees)
        label = model._meta.label_lower
        post_save.connect(_on_write, sender=model, dispatch_uid=f"pagecache-save-{label}")
        post_delete.connect(_on_write, sender=model, dispatch_uid=f"pagecache-delete-{label}")
        if model._meta.auto_created:
            continue
        for field in model._meta.many_to_many:
            through = getattr(field.remote_field, "through", None)
            if through is not None:
                m2m_changed.connect(_on_write, sender=through, dispatch_uid=f"pagecache-m2m-{label}-{field.name}")
