"""Copy-ready citations of an item, a page or a line: Chicago, MLA, BibTeX and CSL-JSON.

Every style names the holder and the shelfmark and ends with the stable URL; the catalogue's own
:mod:`mogao.catalogue.citation` (Chicago and BibTeX of the item) shares its BibTeX escaping.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from mogao.catalogue import display
from mogao.catalogue.citation import bibtex_escape
from mogao.catalogue.models import Item
from mogao.core import langmap
from mogao.iiif.presentation.common import absolute


def _accessed(day: date, language: str | None) -> str:
    """MLA's "Accessed 4 Dec. 2026." in the reader's language (the date as that language writes it)."""
    if not language or language.startswith("en"):
        return f"Accessed {day.day} {day.strftime('%b')}. {day.year}."
    with translation.override(language):
        return translation.gettext("Accessed %(date)s.") % {"date": date_format(day, "DATE_FORMAT")}


def stable_url(item: Item, *, page: int | None = None, line: int | None = None) -> str:
    """The citable URL of the item, of one page (canvas order) or of one line (1-based) on it."""
    if page is None:
        return absolute(item.get_absolute_url())
    url = absolute(reverse("reading:page", args=[item.pid, page]))
    return f"{url}#l{line}" if line is not None else url


def item_citations(
    item: Item, *, language: str | None, page: int | None = None, line: int | None = None,
    accessed: date | None = None,
) -> dict[str, str]:
    """``chicago``, ``mla``, ``bibtex`` and ``csl_json`` strings, plus ``url`` and ``manifest``."""
    accessed = accessed or date.today()
    url = stable_url(item, page=page, line=line)
    title = item.label(language)
    original = langmap.pick(item.title, "zh-hant")
    full_title = f"{title} ({original})" if original and original != title else title
    holder = item.institution.label(language)
    shelfmark = item.shelfmark or item.pid
    date_text = display.date_text(item.date_expression, item.year_start, item.year_end, lang=language or "en") \
        or display.year_range(item.year_start, item.year_end)
    loc = ""
    if page is not None:
        loc = f"p. {page}" + (f", l. {line}" if line is not None else "")
    chicago = (
        f"{holder}, {shelfmark}. “{full_title}.”" + (f" {date_text}." if date_text else "")
        + (f" {loc}." if loc else "") + f" Mogao. {url}."
    )
    mla = (
        f"“{full_title}.” {shelfmark}, {holder}" + (f", {date_text}" if date_text else "")
        + (f", {loc}" if loc else "")
        + f". Mogao, {url}. {_accessed(accessed, language)}"
    )
    key = item.pid.replace("-", "_")
    bib_fields = [
        ("title", full_title), ("howpublished", f"{holder}, {shelfmark}"),
        ("note", "; ".join(x for x in (date_text, loc) if x)), ("url", url),
        ("urldate", accessed.isoformat()),
    ]
    if item.year_start is not None:
        bib_fields.insert(2, ("year", str(item.year_start)))
    bibtex = "@misc{" + key + ",\n" + ",\n".join(
        # biblatex reads url verbatim: escaping its "#" would corrupt the link.
        f"  {k} = {{{v if k == 'url' else bibtex_escape(v)}}}" for k, v in bib_fields if v
    ) + "\n}"
    csl: dict[str, Any] = {
        "id": item.pid, "type": "manuscript", "title": full_title, "archive": holder,
        "archive_location": shelfmark, "URL": url, "source": "Mogao",
        "accessed": {"date-parts": [[accessed.year, accessed.month, accessed.day]]},
    }
    if item.year_start is not None:
        csl["issued"] = {"date-parts": [[item.year_start]]}
        if date_text:
            csl["issued"]["literal"] = date_text
    if page is not None:
        csl["locator"] = str(page) if line is None else f"{page}:{line}"
    return {
        "chicago": chicago, "mla": mla, "bibtex": bibtex,
        "csl_json": json.dumps([csl], ensure_ascii=False, indent=2), "url": url,
        "manifest": absolute(reverse("iiif_presentation:item_manifest", args=[item.pid])),
    }
