"""Turn flat cells (``title@en``, ``languages``, ``date`` …) into validated item fields.

CSV rows and JSON objects both arrive here as ``{column: text}``; every problem names its column
so reports point at the exact cell. The column vocabulary is documented in docs/ingest.md.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable, Mapping
from typing import Any

import nh3

from mogao.catalogue.models import Item, Rights
from mogao.core import langtags
from mogao.core.langmap import MAX_VALUE_LENGTH
from mogao.ingest.records import Record

#: Columns holding a language map: ``title@zh-Hant``; a bare ``title`` means language "none".
LANGMAP_COLUMNS = ("title", "description", "material", "provenance", "notes")
PLAIN_COLUMNS = ("shelfmark", "dimensions", "extent", "collection")
KNOWN_COLUMNS = frozenset(
    {"identifier", "institution", "type", "languages", "date", "year_start", "year_end", "rights",
     "works", "digitization_status", "visibility", "allow_download", *PLAIN_COLUMNS}
)
REQUIRED = ("identifier", "institution")
#: The longest cell accepted (characters); longer ones are refused, not truncated.
MAX_CELL = 20_000
_RIGHTS_SHORT = {
    "pd": Rights.PUBLIC_DOMAIN, "public domain": Rights.PUBLIC_DOMAIN, "cc0": Rights.CC0,
    "cc-by": Rights.CC_BY, "cc by": Rights.CC_BY, "cc-by-sa": Rights.CC_BY_SA, "cc by-sa": Rights.CC_BY_SA,
    "cc-by-nc": Rights.CC_BY_NC, "cc by-nc": Rights.CC_BY_NC, "nkc": Rights.NKC,
    "inc": Rights.IN_COPYRIGHT, "und": Rights.UNDETERMINED,
}
_YEAR = r"(-?\d{1,4})\s*(BCE|BC|CE|AD)?"
_RANGE = re.compile(rf"^\s*{_YEAR}\s*(?:(?:-|–|—|to|/)\s*{_YEAR})?\s*$", re.IGNORECASE)
_CENTURY = re.compile(r"^\s*(\d{1,2})(?:st|nd|rd|th)\s+century\s*(BCE|BC)?\s*$", re.IGNORECASE)


def split_column(name: str) -> tuple[str, str | None]:
    """``title@zh-Hant`` -> ("title", "zh-Hant"); ``shelfmark`` -> ("shelfmark", None)."""
    base, sep, tag = name.strip().partition("@")
    return base.strip().lower(), (tag.strip() if sep else None)


def check_header(columns: list[str]) -> list[tuple[str, str]]:
    """(column, message) for every unusable header: unknown names and bad language tags."""
    problems = []
    for col in columns:
        base, tag = split_column(col)
        if tag is not None:
            if base not in LANGMAP_COLUMNS:
                problems.append((col, f"column “{col}”: only {', '.join(LANGMAP_COLUMNS)} take a language tag"))
            elif not langtags.is_known(langtags.normalize(tag)):
                problems.append((col, f"column “{col}”: unknown language tag “{tag}” (use e.g. en, zh-Hant, lzh)"))
        elif base and base not in KNOWN_COLUMNS and base not in LANGMAP_COLUMNS:
            problems.append((col, f"column “{col}” is not part of the mapping and is ignored"))
    return problems


def _parse_year(num: str, era: str | None) -> int:
    year = int(num)
    if era and era.upper() in ("BCE", "BC"):
        year = -abs(year)
    return year


@functools.lru_cache(maxsize=4096)
def parse_date(expression: str) -> tuple[int | None, int | None] | None:
    """Year bounds of a date expression, or None when it cannot be read.

    Uses the text toolkit's reign-era parser when it is installed, then plain years
    (``618``, ``618-907``, ``200 BCE``) and centuries (``8th century``).
    """
    try:
        from mogao.text.dates import parse_date as toolkit_parse
    except ImportError:  # the text toolkit is optional for this parser
        pass
    else:
        try:
            found = toolkit_parse(expression)
        except (ValueError, TypeError):
            found = None
        if found is not None:
            return found.start, found.end
    match = _RANGE.match(expression)
    if match:
        start = _parse_year(match[1], match[2] or match[4])
        end = _parse_year(match[3], match[4]) if match[3] else start
        return start, end
    match = _CENTURY.match(expression)
    if match:
        century = int(match[1])
        if match[2]:
            return -century * 100, -(century - 1) * 100 - 1
        return (century - 1) * 100 + 1, century * 100
    return None


def strip_markup(text: str) -> str:
    """Plain text of ``text``: tags removed by nh3, entities decoded."""
    if "<" not in text and "&" not in text:  # the common case needs no HTML parser
        return text.strip()
    return html.unescape(nh3.clean(text, tags=set())).strip()


def normalise_cells(
    record: Record, cells: Mapping[str, str], *, locate: Callable[[str], str],
    institutions: Mapping[str, Any], default_institution: str = "",
) -> None:
    """Fill ``record.data`` with item fields from ``cells``, adding one problem per bad cell.

    ``locate(column)`` gives the location text of a cell for messages.
    """
    data: dict[str, Any] = {}
    for col, value in cells.items():
        if any("\udc80" <= ch <= "\udcff" for ch in value):
            bad = next(ch for ch in value if "\udc80" <= ch <= "\udcff")
            pos = value.index(bad)
            record.error(
                f"not valid UTF-8: byte 0x{ord(bad) - 0xDC00:02X} at character {pos + 1}; "
                "save the file as UTF-8", field=col, location=locate(col),
            )
            return
        if len(value) > MAX_CELL:
            record.error(
                f"cell is {len(value):,} characters long; the limit is {MAX_CELL:,}",
                field=col, location=locate(col),
            )
            return
    for col in REQUIRED:
        value = (cells.get(col) or "").strip()
        if col == "institution" and not value:
            value = default_institution
        if not value:
            record.error(f"required column “{col}” is empty", field=col, location=locate(col))
    if record.failed:
        return
    record.key = cells["identifier"].strip()
    code = (cells.get("institution") or "").strip() or default_institution
    institution = institutions.get(code)
    if institution is None:
        record.error(f"unknown institution “{code}” (create it first, or check the code)",
                     field="institution", location=locate("institution"))
        return
    data["institution"] = institution
    data["local_id"] = record.key
    maps: dict[str, dict[str, list[str]]] = {name: {} for name in LANGMAP_COLUMNS}
    for col, raw in cells.items():
        value = raw.strip()
        base, tag = split_column(col)
        if base in LANGMAP_COLUMNS:
            if not value:
                continue
            norm = langtags.normalize(tag) if tag else langtags.NONE
            if not langtags.is_known(norm):
                record.error(f"unknown language tag “{tag}”", field=col, location=locate(col))
                continue
            plain = strip_markup(value)
            if plain != value:
                record.warn(f"markup removed from {col}: stored as plain text “{plain[:60]}”",
                            field=col, location=locate(col))
            if plain:
                maps[base].setdefault(norm, []).append(plain)
        elif base in PLAIN_COLUMNS:
            data[base] = value
    if not maps["title"] and not any(p.field.startswith("title") for p in record.problems):
        record.error("required column “title@<language>” is empty", field="title", location=locate("title"))
    for name, value_map in maps.items():
        for tag, texts in value_map.items():
            if any(len(t) > MAX_VALUE_LENGTH for t in texts):
                record.error(f"{name}@{tag} is longer than {MAX_VALUE_LENGTH:,} characters",
                             field=f"{name}@{tag}", location=locate(f"{name}@{tag}"))
        data[name] = value_map
    _normalise_simple(record, cells, data, locate)
    record.data = data


def _normalise_simple(
    record: Record, cells: Mapping[str, str], data: dict[str, Any], locate: Callable[[str], str]
) -> None:
    langs = (cells.get("languages") or "").strip()
    if langs:
        tags = [langtags.normalize(t) for t in re.split(r"[;|,\s]+", langs) if t]
        bad = [t for t in tags if not langtags.is_known(t)]
        if bad:
            record.error(f"unknown language tag “{bad[0]}” (use e.g. lzh, zh-Hant, bo)",
                         field="languages", location=locate("languages"))
        data["languages"] = tags
    kind = (cells.get("type") or "").strip().lower()
    if kind:
        if kind not in Item.Type.values:
            record.error(f"unknown type “{kind}” (one of {', '.join(Item.Type.values)})",
                         field="type", location=locate("type"))
        data["item_type"] = kind
    for col, attr, choices in (
        ("digitization_status", "digitization_status", Item.Status.values),
        ("visibility", "visibility", ["public", "private", "withdrawn"]),
    ):
        value = (cells.get(col) or "").strip().lower()
        if value:
            if value not in choices:
                record.error(f"unknown {col} “{value}” (one of {', '.join(choices)})",
                             field=col, location=locate(col))
            data[attr] = value
    rights = (cells.get("rights") or "").strip()
    if rights:
        uri = _RIGHTS_SHORT.get(rights.lower(), rights)
        if uri not in Rights.values:
            record.error(f"unknown rights “{rights}” (a rightsstatements.org or Creative Commons URI)",
                         field="rights", location=locate("rights"))
        data["rights"] = str(uri)
    _normalise_dates(record, cells, data, locate)
    works = (cells.get("works") or "").strip()
    if works:
        keys = []
        for part in re.split(r"[;|]+", works):
            scheme, sep, value = part.strip().partition(":")
            if not sep or not scheme or not value:
                record.error(f"work “{part.strip()}” must be scheme:value, e.g. taisho:T0235",
                             field="works", location=locate("works"))
                continue
            keys.append((scheme.strip().lower(), value.strip()))
        data["works"] = keys


def _normalise_dates(
    record: Record, cells: Mapping[str, str], data: dict[str, Any], locate: Callable[[str], str]
) -> None:
    expression = (cells.get("date") or "").strip()
    if expression:
        data["date_expression"] = expression
        bounds = parse_date(expression)
        if bounds is None:
            record.error(f"cannot read the date “{expression}” (e.g. 868, 618-907, 200 BCE, "
                         "8th century, 咸通九年)", field="date", location=locate("date"))
        else:
            data["year_start"], data["year_end"] = bounds
    for col in ("year_start", "year_end"):
        value = (cells.get(col) or "").strip()
        if value:
            try:
                data[col] = int(value)
            except ValueError:
                record.error(f"“{value}” is not a year (a whole number, negative for BCE)",
                             field=col, location=locate(col))
    start, end = data.get("year_start"), data.get("year_end")
    if isinstance(start, int) and isinstance(end, int) and start > end:
        record.error(f"the end year {end} is before the start year {start}",
                     field="date", location=locate("date" if expression else "year_end"))
