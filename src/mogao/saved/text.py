"""Plain text from readers: markup removed with nh3, bidi and other control characters dropped.

Names, descriptions and notes are plain text. They are stored without markup and escaped at every
sink (templates, IIIF JSON, CSV); the bidirectional embedding, override and isolate controls
(U+202A–U+202E, U+2066–U+2069) are removed so a note cannot reorder what follows it on a page.
"""

from __future__ import annotations

import html
import re
import unicodedata

import nh3

#: Bidi embeddings/overrides/isolates, and every other control character except tab and newline.
_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def plain_text(value: str, *, multiline: bool = True) -> str:
    """``value`` as plain text: tags (and script/style contents) removed, entities decoded."""
    text = html.unescape(nh3.clean(value or "", tags=set()))
    text = _CONTROLS.sub("", text).replace("\r\n", "\n")
    kept = []
    for ch in text:
        if ch == "\n" and multiline:
            kept.append(ch)
        elif ch in "\t\n\r":
            kept.append(" ")
        elif unicodedata.category(ch) not in ("Cc", "Cs", "Co"):
            kept.append(ch)
    text = "".join(kept)
    return text.strip()


#: Spreadsheet formula triggers (CSV injection): a cell starting with one of these is prefixed.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def csv_cell(value: object) -> str:
    """A CSV cell that a spreadsheet will never evaluate as a formula (prefixed with ``'``)."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text
