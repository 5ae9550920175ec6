"""CSV export of a reader's collection: one row per entry, safe to open in a spreadsheet.

Every cell that starts like a formula (``=``, ``+``, ``-``, ``@``, tab, carriage return, and
their full-width forms) is prefixed with ``'`` so spreadsheets show it as text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from django.utils.translation import get_language

from mogao.core import langmap
from mogao.iiif.presentation.common import absolute
from mogao.saved.iiif import entry_image_url
from mogao.saved.models import ReaderCollection, SavedEntry
from mogao.saved.text import csv_cell

HEADER = ["collection", "position", "kind", "item", "shelfmark", "title", "holder", "rights", "page",
          "xywh", "note", "url", "image"]


def collection_csv(collection: ReaderCollection, entries: Sequence[SavedEntry]) -> str:
    language = get_language()
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(HEADER)
    for n, entry in enumerate(entries, start=1):
        item = entry.item
        row = [
            collection.name, n, entry.kind, item.pid, item.shelfmark,
            langmap.pick(item.title, language, default=item.pid), langmap.pick(item.institution.name, language),
            item.rights, entry.canvas.order if entry.canvas else "", entry.xywh, entry.note,
            absolute(item.get_absolute_url()), entry_image_url(entry, size="max"),
        ]
        writer.writerow([csv_cell(v) for v in row])
    return "\ufeff" + out.getvalue()  # the BOM makes spreadsheets read UTF-8 (Chinese titles)
