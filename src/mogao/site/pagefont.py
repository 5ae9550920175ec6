"""A font made for each page's own CJK text, for readers whose device has no CJK font (#13).

Most readers have a CJK system font (mogao.css lists the serif and sans ones first) and download no
font at all. For the others, the unicode-range subsets of the Noto Serif web font cost 15–30 files
of ~40 KB on a Chinese page, because Google's slicing spreads any text over many subsets. Here,
after a reader page is rendered, :class:`PageFontMiddleware` collects the page's distinct CJK
characters, records that set on disk under a hash of it, and adds
``<link rel="stylesheet" href="/fonts/page/<hash>.css">``. The stylesheet declares the family
``Mogao Page Serif`` (after the system fonts, before the unicode-range web font in mogao.css) whose
one woff2, ``/fonts/page/<hash>.woff2``, holds exactly those glyphs: cut on its first request
from the Noto subsets the page's web font already uses (fontTools), then kept on disk. A browser
that has a CJK system font never asks for either file's font (it never reaches the family).

Safety: the endpoints serve only sets the server itself recorded (an unknown hash is a 404, so a
URL cannot ask for arbitrary characters); a set holds at most :data:`MAX_CHARS` characters (a page
with more gets no page font and keeps the unicode-range subsets); the store is pruned past
:data:`MAX_STORE_BYTES`. Characters added later by scripts (glosses, the timeline's data) fall back
to the unicode-range web font, which stays in the font stack after the page font.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import threading
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

FAMILY = "Mogao Page Serif"
MAX_CHARS = 2000  # ~210 bytes a glyph in woff2: ~420 KB at most, within the 600 KB budget
MAX_STORE_BYTES = 256 * 1024 * 1024
PRUNE_TO = 0.75
PRUNE_EVERY = 500  # new sets recorded between two checks of the store's size
_recorded_since_prune = 0
# The page font's web font, as base.html links it: the interface's script, TC for Latin interfaces.
SOURCE = {"zh-hans": "noto-serif-sc"}
DEFAULT_SOURCE = "noto-serif-tc"
# Declared coarse (the woff2 has exactly the page's glyphs): Latin text never asks for the file.
RANGE = "U+2E80-2FFF,U+3000-303F,U+3040-30FF,U+3100-31FF,U+3400-4DBF,U+4E00-9FFF,U+F900-FAFF,U+FE30-FE4F," \
        "U+FF00-FFEF,U+20000-3134F"
SKIPPED_PREFIXES = ("/admin/", "/api/", "/static/", "/fonts/", "/iiif/", "/oai")
HASH = re.compile(r"^[0-9a-f]{24}$")
FACE = re.compile(r"@font-face\{[^}]*src:url\(\./([^)]+\.woff2)\)[^}]*unicode-range:([^}]+)\}")
_lock = threading.Lock()  # page builds
_prepare_lock = threading.Lock()  # merging the full fonts


def is_cjk(code: int) -> bool:
    """Characters a CJK font draws and a Latin system font does not (ideographs, kana, CJK punctuation)."""
    return (0x2E80 <= code <= 0x31FF or 0x3400 <= code <= 0x4DBF or 0x4E00 <= code <= 0x9FFF
            or 0xF900 <= code <= 0xFAFF or 0xFE30 <= code <= 0xFE4F or 0xFF00 <= code <= 0xFFEF
            or 0x20000 <= code <= 0x3134F)


# The ranges of is_cjk as one character class: the scan runs in C, not a Python call per character
# (a 25 KB page took ~5 ms in the loop, #19).
_CJK = re.compile("[\u2e80-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
                  "\U00020000-\U0003134f]")


def cjk_characters(text: str) -> str:
    """The distinct CJK characters of ``text``, sorted (so equal sets give equal hashes)."""
    return "".join(sorted(set(_CJK.findall(text))))


_made: set[Path] = set()  # store folders made by this process: no mkdir call on every page (#19)


def store_dir() -> Path:
    path = Path(settings.MOGAO_PAGE_FONT_DIR)
    if path not in _made:
        path.mkdir(parents=True, exist_ok=True)
        _made.add(path)
    return path


def key_of(source: str, chars: str) -> str:
    return hashlib.sha256(f"{source}\n{chars}".encode()).hexdigest()[:24]


def record(source: str, chars: str) -> str | None:
    """Record the set (once) and return its hash; None if there is nothing to draw or too much."""
    if not chars or len(chars) > MAX_CHARS or source not in {DEFAULT_SOURCE, *SOURCE.values()}:
        return None
    key = key_of(source, chars)
    path = store_dir() / f"{key}.txt"
    if not path.exists():
        try:
            _write_atomic(path, f"{source}\n{chars}".encode())
        except FileNotFoundError:  # the folder was removed since this process made it
            _made.discard(path.parent)
            _write_atomic(store_dir() / path.name, f"{source}\n{chars}".encode())
        global _recorded_since_prune
        _recorded_since_prune += 1
        if _recorded_since_prune >= PRUNE_EVERY:  # searches make new sets: keep the store bounded
            _recorded_since_prune = 0
            prune()
    return key


def recorded(key: str) -> tuple[str, str] | None:
    """The (source, characters) the server recorded under ``key``, or None."""
    if not HASH.match(key):
        return None
    try:
        source, _, chars = (store_dir() / f"{key}.txt").read_text(encoding="utf-8").partition("\n")
    except FileNotFoundError:
        return None
    if key_of(source, chars) != key or len(chars) > MAX_CHARS:
        return None  # a damaged or foreign file: never built
    return source, chars


def _write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def prune(limit: int = MAX_STORE_BYTES) -> None:
    """Remove the least recently written files once the store exceeds ``limit`` bytes."""
    entries = []
    for entry in os.scandir(store_dir()):
        if entry.is_file():
            st = entry.stat()
            entries.append((st.st_mtime, st.st_size, entry.path))
    total = sum(size for _, size, _ in entries)
    if total <= limit:
        return
    for _, size, path in sorted(entries):
        Path(path).unlink(missing_ok=True)
        total -= size
        if total <= limit * PRUNE_TO:
            break


@lru_cache(maxsize=2)
def source_faces(source: str) -> tuple[tuple[Path, frozenset[int]], ...]:
    """The woff2 subsets of the web font ``source`` and the characters each holds."""
    css_path = finders.find(f"vendor/fonts/{source}/400.css")
    if not css_path:
        return ()
    css_file = Path(str(css_path))
    faces = []
    for file, ranges in FACE.findall(css_file.read_text(encoding="utf-8")):
        if "interface-" in file:
            continue
        codes: set[int] = set()
        for part in ranges.split(","):
            first, _, last = part.strip().removeprefix("U+").partition("-")
            codes.update(range(int(first, 16), int(last or first, 16) + 1))
        faces.append((css_file.parent / file, frozenset(codes)))
    return tuple(faces)


def _options() -> Any:
    from fontTools import subset

    options = subset.Options()
    # Outlines and metrics only (as the interface subset, frontend/fonts.py): vertical forms and
    # other layout features stay with the unicode-range web font.
    options.layout_features = []
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "STAT"]
    options.hinting = False
    options.name_IDs = ["*"]
    return options


def full_font(source: str) -> Path | None:
    """Every glyph of the web font ``source`` (completed by the other script's) in one TrueType file.

    Kept beside the store (outside pruning), named by a hash of the subsets' stylesheet so that a
    new package version gets a new file. Merging takes seconds to a minute; cutting a page from
    the result then takes one to a few seconds.
    """
    faces = source_faces(source)
    if not faces:
        return None
    digest = hashlib.sha256(repr(["v2", *((p.name, min(c)) for p, c in faces)]).encode()).hexdigest()[:12]
    folder = store_dir().parent / "pagefont-sources"
    path = folder / f"{source}-{digest}.ttf"
    if path.exists():
        return path
    from fontTools import subset
    from fontTools.merge import Merger
    from fontTools.ttLib import TTFont

    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="mogao-pagefont-") as tmp:
        parts: list[str] = []
        covered: set[int] = set()
        # The font's own glyphs, then those only the other script's font has (简 of the language
        # switcher is in no Noto Serif TC subset, though one declares it): one page font draws all.
        other = next(s for s in (DEFAULT_SOURCE, *SOURCE.values()) if s != source)
        for file, codes in (*faces, *source_faces(other)):
            need = set(codes) - covered
            if not need:
                continue
            font = TTFont(file)
            need &= set(font.getBestCmap())
            if not need:
                continue
            subsetter = subset.Subsetter(_options())
            subsetter.populate(unicodes=need)
            subsetter.subset(font)
            font.flavor = None
            part = str(Path(tmp) / f"{len(parts)}.ttf")
            font.save(part)
            parts.append(part)
            covered |= need
        merged = Merger().merge(parts)
        out = Path(tmp) / "full.ttf"
        merged.save(str(out))
        _write_atomic(path, out.read_bytes())
    return path


def prepare() -> None:
    """Merge the full fonts ahead of the first reader without a CJK font (``mogao serve``, benches)."""
    with _prepare_lock:
        for source in (DEFAULT_SOURCE, *SOURCE.values()):
            full_font(source)


def build(source: str, chars: str) -> bytes | None:
    """One woff2 with the glyphs of ``chars``, cut from the full font of ``source``."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    full = full_font(source)
    if full is None:
        return None
    font = TTFont(full)
    subsetter = subset.Subsetter(_options())
    subsetter.populate(unicodes={ord(c) for c in chars})
    subsetter.subset(font)
    font.flavor = "woff2"
    with tempfile.TemporaryDirectory(prefix="mogao-pagefont-") as tmp:
        out = Path(tmp) / "page.woff2"
        font.save(str(out))
        return out.read_bytes()


class NotReady(Exception):
    """The full font is being merged in the background; the browser falls back meanwhile."""


_preparing: threading.Thread | None = None
_state_lock = threading.Lock()


def _prepare_in_background() -> None:
    global _preparing
    with _state_lock:
        if _preparing is None or not _preparing.is_alive():
            _preparing = threading.Thread(target=prepare, name="mogao-pagefont-prepare", daemon=True)
            _preparing.start()


def full_font_ready(source: str) -> bool:
    return any((store_dir().parent / "pagefont-sources").glob(f"{source}-*.ttf"))


def font_file(key: str) -> Path | None:
    """The woff2 of a recorded set, built on first use; None for an unknown hash.

    Raises :class:`NotReady` while the full font is merged (once per installation, a minute or
    two; ``pagefont.prepare()`` ahead of time avoids it): the page then shows the unicode-range
    web font, the next family in the stack.
    """
    path = store_dir() / f"{key}.woff2"
    if path.exists():
        return path
    entry = recorded(key)
    if entry is None:
        return None
    if not full_font_ready(entry[0]):
        _prepare_in_background()
        raise NotReady
    with _lock:  # one build at a time in this process: bounded CPU for bursts of new pages
        if path.exists():
            return path
        data = build(*entry)
        if data is None:
            return None
        _write_atomic(path, data)
        prune()
    return path


IMMUTABLE = "public, max-age=31536000, immutable"


@require_GET
def page_font_css(request: HttpRequest, key: str) -> HttpResponse:
    if recorded(key) is None:
        raise Http404
    css = (f"@font-face{{font-family:'{FAMILY}';font-style:normal;font-weight:400;font-display:swap;"
           f"src:url(/fonts/page/{key}.woff2) format('woff2');unicode-range:{RANGE}}}\n")
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = IMMUTABLE
    return response


def _build_allowed(request: HttpRequest, key: str) -> bool:
    """A font not yet cut costs seconds of CPU: each client may ask for a few new ones a minute
    (pages a person reads); beyond that the browser falls back to the unicode-range web font."""
    if (store_dir() / f"{key}.woff2").exists():
        return True
    from mogao.security.clientip import client_ip
    from mogao.security.ratelimit import hit

    rate = getattr(settings, "MOGAO_PAGE_FONT_BUILD_RATE", "30/min")
    return hit("pagefont-build", client_ip(request) or "-", rate).allowed


@require_GET
def page_font_woff2(request: HttpRequest, key: str) -> HttpResponse | FileResponse:
    if recorded(key) is not None and not _build_allowed(request, key):
        response = HttpResponse(status=429)
        response["Retry-After"] = "60"
        response["Cache-Control"] = "no-store"
        return response
    try:
        path = font_file(key)
    except NotReady:
        response = HttpResponse(status=503)
        response["Retry-After"] = "60"
        response["Cache-Control"] = "no-store"
        return response
    if path is None:
        raise Http404
    font = FileResponse(path.open("rb"), content_type="font/woff2")
    font["Cache-Control"] = IMMUTABLE
    return font


HEAD_END = "</head>"


class PageFontMiddleware:
    """Adds the page font's stylesheet to full HTML reader pages (not the admin, the API, fragments)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (not settings.MOGAO_PAGE_FONT or request.method != "GET" or response.streaming
                or response.status_code not in (200, 404)
                or not response.get("Content-Type", "").startswith("text/html")
                or response.get("Content-Encoding") or request.path.startswith(SKIPPED_PREFIXES)):
            return response
        charset = response.charset or "utf-8"
        try:
            html = response.content.decode(charset)
        except UnicodeDecodeError:
            return response
        end = html.find(HEAD_END)
        if end < 0:
            return response  # an htmx fragment: its characters come from the unicode-range subsets
        lang = (html[:end].split('lang="', 1)[1:] or [""])[0].split('"', 1)[0].lower()
        source = SOURCE.get(lang, DEFAULT_SOURCE)
        # A page served again from a cache may carry its characters, counted when it was rendered.
        chars = getattr(response, "page_font_chars", None)
        key = record(source, chars if chars is not None else cjk_characters(html))
        if key is None:
            return response
        link = f'<link rel="stylesheet" href="/fonts/page/{key}.css">\n'
        response.content = (html[:end] + link + html[end:]).encode(charset)
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        return response
