"""How a comment body reaches a page: escaped, gloss-ready, then passed through nh3.

Bodies are plain text. :func:`clean_body` (on input) removes control characters and the Unicode
bidirectional embedding/override/isolate controls (they can make a comment read backwards or
disguise a link); :func:`body_html` (on output) escapes every character, keeps line breaks,
turns ``http(s)`` URLs into links only for trusted authors (``rel="nofollow ugc noopener"``), and
marks the words a reader can ask a gloss for:

- Chinese text (``zh-Hans``, ``zh-Hant``, ``lzh``): one ``<span class="zc">`` per character
  inside a ``<span class="zline" data-text=…>`` chunk of at most :data:`CHUNK` characters, each
  with its pinyin read in context (:func:`mogao.reading.scripts.readings`); the page's script
  asks the reading room's ``/reading/gloss`` for the word covering a character;
- English and French text: one ``<span class="zw" data-word=…>`` per content word; the script
  asks ``/comments/gloss`` for Chinese words glossing it (CC-CEDICT's reverse glosses, as search
  translates queries).

The assembled HTML goes through ``nh3.clean`` with the few tags and attributes it may contain, so
whatever the code above gets wrong, no script, event handler or ``javascript:`` URL gets through.
"""

from __future__ import annotations

import html
import re
import unicodedata

import nh3
from django.utils.safestring import SafeString, mark_safe

from mogao.discussion.langdetect import CHINESE
from mogao.reading.scripts import readings
from mogao.text.fold import is_cjk
from mogao.text.glossary import EN_STOPWORDS, FR_STOPWORDS

#: Longest text sent to the reading room's gloss (its limit is 500 characters).
CHUNK = 200
#: Bidirectional formatting characters removed from bodies (LRE…RLO, LRI…PDI, LRM, RLM, ALM).
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
_URL = re.compile(r"https?://[^\s<>\"'\u3000-\u303f\uff00-\uffef]+", re.IGNORECASE)
_LATIN_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
_TAGS = {"br", "a", "span", "ruby", "rt", "rp"}
_ATTRIBUTES = {
    "a": {"href"},
    "span": {"class", "lang", "data-text", "data-i", "data-word", "tabindex"},
    "rt": {"class", "aria-hidden"},
    "rp": {"aria-hidden"},
}


def clean_body(text: str) -> str:
    """The body as stored: line breaks normalised, control and bidi-override characters removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    kept = []
    for ch in text:
        if ch in BIDI_CONTROLS:
            continue
        if ch not in "\n\t" and unicodedata.category(ch) in ("Cc", "Cs", "Co"):
            continue
        kept.append(ch)
    lines = [line.rstrip() for line in "".join(kept).strip().split("\n")]
    out: list[str] = []
    for line in lines:  # at most one empty line in a row
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out)


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _chinese_line(line: str) -> str:
    parts: list[str] = []
    for start in range(0, len(line), CHUNK):
        chunk = line[start:start + CHUNK]
        chars = list(chunk)
        pinyin = readings(chars)
        spans = []
        for i, (ch, reading) in enumerate(zip(chars, pinyin, strict=True)):
            if is_cjk(ch):
                spans.append(
                    f'<span class="zc" data-i="{i}" tabindex="-1"><ruby>{_e(ch)}<rp aria-hidden="true">(</rp>'
                    f'<rt class="zpy" aria-hidden="true">{_e(reading)}</rt><rp aria-hidden="true">)</rp></ruby></span>'
                )
            else:
                spans.append(_e(ch))
        parts.append(f'<span class="zline" data-text="{_e(chunk)}">{"".join(spans)}</span>')
    return "".join(parts)


def _latin_text(text: str, stopwords: frozenset[str]) -> str:
    out: list[str] = []
    last = 0
    for match in _LATIN_WORD.finditer(text):
        word = match.group(0)
        out.append(_e(text[last:match.start()]))
        if word.lower() in stopwords or any(is_cjk(c) for c in word):
            out.append(_e(word))
        else:
            out.append(f'<span class="zw" data-word="{_e(word)}" tabindex="-1">{_e(word)}</span>')
        last = match.end()
    out.append(_e(text[last:]))
    return "".join(out)


def _text(text: str, language: str) -> str:
    if language in CHINESE:
        return _chinese_line(text)
    if language in ("en", "fr"):
        return _latin_text(text, FR_STOPWORDS | EN_STOPWORDS)
    return _e(text)


def _line(line: str, language: str, links: bool) -> str:
    if not links:
        return _text(line, language)
    out: list[str] = []
    last = 0
    for match in _URL.finditer(line):
        url = match.group(0).rstrip(".,;:!?)")
        out.append(_text(line[last:match.start()], language))
        out.append(f'<a href="{_e(url)}">{_e(url)}</a>')
        last = match.start() + len(url)
    out.append(_text(line[last:], language))
    return "".join(out)


def sanitize(markup: str, *, links: bool) -> str:
    """nh3 over assembled markup: only the tags and attributes a rendered body may hold."""
    tags = set(_TAGS) if links else _TAGS - {"a"}
    return nh3.clean(markup, tags=tags, attributes=_ATTRIBUTES, url_schemes={"http", "https"},
                     link_rel="nofollow ugc noopener", strip_comments=True)


def body_html(body: str, *, language: str, links: bool = False, glosses: bool = True) -> SafeString:
    """The body as safe HTML (see the module docstring); ``links`` only for trusted authors."""
    text = clean_body(body)
    lang = language if glosses else "und"
    markup = "<br>".join(_line(line, lang, links) for line in text.split("\n"))
    return mark_safe(sanitize(markup, links=links))


def plain(body: str) -> str:
    """The body as plain text for places that show a summary (titles, admin lists, exports)."""
    return clean_body(body)
