"""Copy-ready citations of an item (holder, shelfmark, title, date, stable URL)."""

from __future__ import annotations

from mogao.catalogue import display
from mogao.catalogue.models import Item
from mogao.core import langmap
from mogao.core.urls import base_url

#: LaTeX's special characters as BibTeX needs them written inside a braced field value.
_BIBTEX = {
    "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&", "$": r"\$", "#": r"\#", "_": r"\_",
    "\\": r"\textbackslash{}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}


def bibtex_escape(value: str) -> str:
    """Text safe inside a braced BibTeX field: braces balanced, no command or comment can start.

    The one escaping used by every BibTeX Mogao writes (item page and reading room).
    """
    return "".join(_BIBTEX.get(ch, ch) for ch in value)


def item_citation(item: Item, *, language: str | None) -> dict[str, str]:
    """Chicago-style text and a BibTeX entry for the item, in the reader's language."""
    url = f"{base_url()}{item.get_absolute_url()}"
    title = item.label(language)
    original = langmap.pick(item.title, "zh-hant")
    holder = item.institution.label(language)
    parts = [f"{holder}, {item.shelfmark}" if item.shelfmark else holder, f"“{title}”"]
    if original and original != title:
        parts[-1] += f" ({original})"
    date_text = display.date_text(item.date_expression, item.year_start, item.year_end, lang=language or "en")
    if date_text:
        parts.append(date_text)
    chicago = ". ".join(parts) + f". Mogao. {url}."
    key = item.pid.replace("-", "_")
    esc = bibtex_escape
    bibtex = (  # biblatex reads url verbatim: escaping it would corrupt the link
        f"@misc{{{key},\n  title = {{{esc(title)}}},\n  howpublished = {{{esc(holder)}, {esc(item.shelfmark)}}},\n"
        f"  note = {{{esc(date_text)}}},\n  url = {{{url}}}\n}}"
    )
    return {"chicago": chicago, "bibtex": bibtex, "url": url}
