"""Copy-ready citations of an item (holder, shelfmark, title, date, stable URL)."""

from __future__ import annotations

from mogao.catalogue.models import Item
from mogao.core import langmap
from mogao.core.urls import base_url


def item_citation(item: Item, *, language: str | None) -> dict[str, str]:
    """Chicago-style text and a BibTeX entry for the item, in the reader's language."""
    url = f"{base_url()}{item.get_absolute_url()}"
    title = item.label(language)
    original = langmap.pick(item.title, "zh-hant")
    holder = item.institution.label(language)
    parts = [f"{holder}, {item.shelfmark}" if item.shelfmark else holder, f"“{title}”"]
    if original and original != title:
        parts[-1] += f" ({original})"
    if item.date_expression:
        parts.append(item.date_expression)
    chicago = ". ".join(parts) + f". Mogao. {url}."
    key = item.pid.replace("-", "_")
    bibtex = (
        f"@misc{{{key},\n  title = {{{title}}},\n  howpublished = {{{holder}, {item.shelfmark}}},\n"
        f"  note = {{{item.date_expression}}},\n  url = {{{url}}}\n}}"
    )
    return {"chicago": chicago, "bibtex": bibtex, "url": url}
