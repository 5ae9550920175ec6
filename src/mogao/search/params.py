"""A reader's search request, validated: :func:`params_from_query` turns a query string (page or
API) into :class:`SearchParams`, raising :class:`SearchInputError` naming the field for anything a
reader could get wrong."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from mogao.search import documents
from mogao.search.types import SortOrder

MAX_QUERY_LENGTH = 500
MAX_PAGE = 500
MAX_PER_PAGE = 100
YEAR_MIN, YEAR_MAX = -5000, 2200
SORTS: tuple[SortOrder, ...] = ("relevance", "date", "-date", "shelfmark")
LANGUAGES = ("en", "fr", "zh-hans", "zh-hant")
#: query-string name -> filter field of the documents
FILTER_PARAMS: dict[str, str] = {
    "type": "doc_type",
    "institution": "institution",
    "collection": "collection",
    "item_type": "item_type",
    "period": "period",
    "language": "language",
    "status": "status",
    "rights": "rights",
    "subject": "subject",
    "work": "work",
}
OTHER_PARAMS = ("q", "lang", "year_from", "year_to", "sort", "page", "per_page")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class SearchInputError(ValueError):
    """A reader's request that cannot run; ``field`` names the query parameter at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class SearchParams:
    """A validated search request."""

    q: str = ""
    lang: str = "en"
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    year_from: int | None = None
    year_to: int | None = None
    sort: SortOrder = "relevance"
    page: int = 1
    per_page: int = 20

    @property
    def is_empty(self) -> bool:
        return not self.q and not self.filters and self.year_from is None and self.year_to is None


def _values(data: Mapping[str, Any], name: str) -> list[str]:
    getlist = getattr(data, "getlist", None)
    raw = getlist(name) if getlist else data.get(name)
    if raw is None:
        return []
    items = raw if isinstance(raw, list | tuple) else [raw]
    return [str(v) for v in items]


def _one(data: Mapping[str, Any], name: str) -> str:
    values = _values(data, name)
    return values[-1].strip() if values else ""


def clean_query_text(q: str) -> str:
    """Normalize the search box: NFC, whitespace collapsed; too long or control characters -> error."""
    if len(q) > MAX_QUERY_LENGTH:
        raise SearchInputError(
            "q", _("too long (at most %(n)d characters).") % {"n": MAX_QUERY_LENGTH}
        )
    q = q.replace("\t", " ").replace("\r", " ").replace("\n", " ")
    if _CONTROL.search(q):
        raise SearchInputError("q", _("contains control characters; please retype the query."))
    return " ".join(unicodedata.normalize("NFC", q).split())


def _year(data: Mapping[str, Any], name: str) -> int | None:
    raw = _one(data, name).replace("−", "-")  # a typographic minus is still a minus
    if not raw:
        return None
    if not re.fullmatch(r"[+-]?\d{1,6}", raw):
        raise SearchInputError(
            name,
            _("must be a whole year, e.g. 868, or -250 for 250 BCE (got “%(v)s”).")
            % {"v": raw[:20]},
        )
    value = int(raw)
    if not YEAR_MIN <= value <= YEAR_MAX:
        raise SearchInputError(
            name,
            _("must lie between %(lo)d (5000 BCE) and %(hi)d.") % {"lo": YEAR_MIN, "hi": YEAR_MAX},
        )
    return value


def _int(data: Mapping[str, Any], name: str, default: int, hi: int) -> int:
    raw = _one(data, name)
    if not raw:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= hi:
        raise SearchInputError(name, _("must be a whole number from 1 to %(hi)d.") % {"hi": hi})
    return int(raw)


def params_from_query(
    data: Mapping[str, Any], *, lang: str = "en", strict: bool = False
) -> SearchParams:
    """Validate a query string. ``strict`` (the API) also rejects parameters it does not know."""
    if strict:
        unknown = sorted(set(data) - set(FILTER_PARAMS) - set(OTHER_PARAMS))
        if unknown:
            raise SearchInputError(
                unknown[0][:40],
                _(
                    "unknown parameter; use q, lang, %(names)s, year_from, year_to, sort, page or per_page."
                )
                % {"names": ", ".join(FILTER_PARAMS)},
            )
    q = clean_query_text(" ".join(_values(data, "q")))
    language = (_one(data, "lang") or lang).lower()
    if language not in LANGUAGES:
        raise SearchInputError("lang", _("must be one of %(v)s.") % {"v": ", ".join(LANGUAGES)})
    filters: dict[str, tuple[str, ...]] = {}
    for param, fname in FILTER_PARAMS.items():
        values = [v.strip() for v in _values(data, param) if v.strip()]
        if not values:
            continue
        if len(values) > 20 or any(len(v) > 200 or _CONTROL.search(v) for v in values):
            raise SearchInputError(param, _("too many or too long values."))
        if param == "type" and any(v not in documents.DOC_TYPES for v in values):
            raise SearchInputError(
                "type", _("must be one of %(v)s.") % {"v": ", ".join(documents.DOC_TYPES)}
            )
        filters[fname] = tuple(dict.fromkeys(values))
    year_from, year_to = _year(data, "year_from"), _year(data, "year_to")
    if year_from is not None and year_to is not None and year_from > year_to:
        raise SearchInputError(
            "year_to",
            _("the end year (%(to)s) is before the start year (%(fr)s); swap them?")
            % {"to": year_to, "fr": year_from},
        )
    sort = _one(data, "sort") or "relevance"
    if sort not in SORTS:
        raise SearchInputError("sort", _("must be one of %(v)s.") % {"v": ", ".join(SORTS)})
    return SearchParams(
        q=q,
        lang=language,
        filters=filters,
        year_from=year_from,
        year_to=year_to,
        sort=sort,  # checked against SORTS just above
        page=_int(data, "page", 1, MAX_PAGE),
        per_page=_int(data, "per_page", 20, MAX_PER_PAGE),
    )


# ---------------------------------------------------------------------------- results
