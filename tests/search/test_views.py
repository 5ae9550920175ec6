"""The search page, its htmx partials and suggestions, and the JSON API: never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

BAD_QUERIES = [
    {"q": "x" * 10_000},
    {"q": '"unbalanced quote'},
    {"q": "金剛\x00經\x07"},
    {"q": "colour:red"},
    {"q": "Dunhuang", "year_from": "900", "year_to": "800"},
    {"q": "Dunhuang", "year_from": "-99999"},
    {"q": "Dunhuang", "year_to": "soon"},
    {"q": "Dunhuang", "sort": "random"},
    {"q": "Dunhuang", "page": "-1"},
    {"q": "Dunhuang", "type": "spaceship"},
    {"q": ")))((( OR OR - -- \"\" :"},
]


@pytest.mark.django_db
def test_search_page_shows_results_facets_and_expansions(client: Client, demo: dict[str, int]) -> None:
    response = client.get("/search/", {"q": "jin gang jing"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/works/t0235-diamond-sutra"' in html
    assert "Also searched:" in html and "金剛經" in html
    assert "<mark>" in html  # highlighted snippets
    assert "Kind of record" in html and "Holder" in html  # facets with counts
    assert 'role="search"' in html and 'id="search-suggestions"' in html


@pytest.mark.django_db
def test_empty_page_is_just_the_form(client: Client, demo: dict[str, int]) -> None:
    response = client.get("/search/")
    assert response.status_code == 200
    assert "result" not in response.content.decode().split("search-results")[-1]


@pytest.mark.django_db
def test_htmx_requests_get_the_results_fragment(client: Client, demo: dict[str, int]) -> None:
    response = client.get("/search/", {"q": "Dunhuang", "type": "place"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith('<div id="search-results"') and "<html" not in html
    assert 'href="/places/dunhuang"' in html or "/places/dunhuang" in html
    assert "aria-current" in html  # the selected facet is marked (and its link removes it)


@pytest.mark.django_db
def test_facet_links_and_paging_keep_the_query(client: Client, demo: dict[str, int]) -> None:
    html = client.get("/search/", {"institution": "bl", "per_page": "3"}).content.decode()
    assert "?institution=bl&amp;per_page=3&amp;page=2" in html
    assert "type=item" in html


@pytest.mark.django_db
@pytest.mark.parametrize("params", BAD_QUERIES)
def test_bad_input_gets_a_message_never_a_500(client: Client, db: None, params: dict[str, str]) -> None:
    response = client.get("/search/", params)
    assert response.status_code in (200, 400)
    html = response.content.decode()
    if response.status_code == 400:
        assert "Please check your search" in html
    htmx = client.get("/search/", params, HTTP_HX_REQUEST="true")
    assert htmx.status_code == 200  # htmx swaps only 2xx answers


@pytest.mark.django_db
def test_inverted_dates_explain_themselves(client: Client, db: None) -> None:
    html = client.get("/search/", {"q": "Dunhuang", "year_from": "900", "year_to": "800"}).content.decode()
    assert "to year" in html and "swap them" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "separator"), [("en", "to year: "), ("fr", "\u00a0: "), ("zh-hans", "："), ("zh-hant", "：")]
)
def test_field_and_message_are_separated_in_the_readers_typography(
    client: Client, db: None, settings: Any, lang: str, separator: str
) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    html = client.get("/search/", {"q": "Dunhuang", "year_from": "900", "year_to": "800"}).content.decode()
    assert separator in html


@pytest.mark.django_db
def test_suggest_lists_titles_and_names(client: Client, demo: dict[str, int]) -> None:
    html = client.get("/search/suggest", {"q": "kuma"}).content.decode()
    assert 'href="/people/kumarajiva"' in html or "kumarajiva" in html
    assert "鳩摩羅什" not in html or 'lang="' in html
    chinese = client.get("/search/suggest", {"q": "金剛"}).content.decode()
    assert 'href="/works/t0235-diamond-sutra"' in chinese
    assert client.get("/search/suggest", {"q": ""}).content.decode().strip() == ""
    assert client.get("/search/suggest", {"q": "x" * 10_000}).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "fr", "zh-hans", "zh-hant"])
def test_page_in_four_languages(client: Client, demo: dict[str, int], language: str) -> None:
    client.cookies["django_language"] = language
    response = client.get("/search/", {"q": "金剛經"})
    assert response.status_code == 200
    assert 'href="/works/t0235-diamond-sutra"' in response.content.decode()


@pytest.mark.django_db
def test_api_search_returns_hits_with_identifiers(client: Client, demo: dict[str, int]) -> None:
    response = client.get("/api/v1/search", {"q": "Chin-kang ching", "lang": "fr"})
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["total"] >= 2 and data["lang"] == "fr"
    work = next(h for h in data["hits"] if h["type"] == "work")
    assert work["id"] == "t0235-diamond-sutra" and work["url"] == "/works/t0235-diamond-sutra"
    assert work["identifiers"] == {"taisho": "T0235"} and work["titles"]["zh-Hant"] == ["金剛般若波羅蜜經"]
    item = next(h for h in data["hits"] if h["type"] == "item")
    assert item["shelfmark"] == "Or.8210/P.2" and item["holder"]
    assert {"text": "金剛經", "reason": "roman"} in data["expansions"]
    assert "doc_type" in data["facets"]


@pytest.mark.django_db
def test_api_filters_without_query(client: Client, demo: dict[str, int]) -> None:
    data = client.get("/api/v1/search", {"type": "person", "sort": "shelfmark"}).json()
    assert data["total"] >= 5 and all(h["type"] == "person" for h in data["hits"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "q"),
        ({"q": "x" * 10_000}, "q"),
        ({"q": "a\x00b"}, "q"),
        ({"q": "colour:red"}, "q"),
        ({"q": "x", "colour": "red"}, "colour"),
        ({"q": "x", "year_from": "900", "year_to": "800"}, "year_to"),
        ({"q": "x", "year_from": "-10000"}, "year_from"),
        ({"q": "x", "page": "0"}, "page"),
        ({"q": "x", "lang": "tlh"}, "lang"),
    ],
)
def test_api_bad_input_is_a_400_naming_the_field(client: Client, db: None, params: dict[str, str], field: str) -> None:
    response = client.get("/api/v1/search", params)
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["errors"][0]["field"] == field and body["detail"].startswith(f"{field}: ")


@pytest.mark.django_db
def test_api_long_query_says_too_long(client: Client, db: None) -> None:
    body = client.get("/api/v1/search", {"q": "x" * 10_000}).json()
    assert body["detail"].startswith("q: too long")
