"""``/api/v1/statistics``: the open statistics page's figures as JSON (#18)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from mogao.api.http import COMMON_ERRORS, request_language
from mogao.audience import selectors

router = Router(tags=["statistics"])


class LanguageOut(Schema):
    language: str
    visits: int
    searches: int
    reads: int


class ReadOut(Schema):
    language: str
    id: str
    title: str
    reads: int


class StatisticsOut(Schema):
    start: str
    end: str
    languages: list[LanguageOut]
    items: list[ReadOut]
    works: list[ReadOut]


@router.get("/statistics", response={200: StatisticsOut, **COMMON_ERRORS}, summary="Open audience statistics")
def statistics(request: HttpRequest, days: int = 30) -> StatisticsOut:
    """Visits, searches and reads per interface language, and the most-read public items and works
    per language, over the last ``days`` days (from daily rollups; no personal data)."""
    lang = request_language(request)
    stats = selectors.public_statistics(max(1, min(days, 366)))
    return StatisticsOut(
        start=stats["start"], end=stats["end"],
        languages=[LanguageOut(**row) for row in stats["languages"]],
        items=[ReadOut(language=r["language"], id=r["item"].pid, title=r["item"].label(lang), reads=r["count"])
               for r in stats["items"]],
        works=[ReadOut(language=r["language"], id=r["work"].pid, title=r["work"].label(lang), reads=r["count"])
               for r in stats["works"]],
    )
