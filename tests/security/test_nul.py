"""%00 in a path or a query string is a 400 before any view, never PostgreSQL's 500 (#19)."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

REFUSED = [
    "/api/v1/items/a%00b",
    "/api/v1/people/a%00b",
    "/api/v1/institutions/a%00",
    "/api/v1/search?q=a%00b",
    "/api/v1/items?institution=bl%00",
    "/items/a%00b",
    "/people/a%00b",
]
# Reader pages and OAI-PMH answer without the NUL, as for any other odd input: never a 500.
ANSWERED = [
    "/search/?q=a%00b",
    "/search/?q=x&institution=bl%00",
    "/browse/?institution=bl%00",
    "/oai?verb=GetRecord&identifier=oai:x%00&metadataPrefix=oai_dc",
]


@pytest.mark.parametrize("url", REFUSED)
def test_nul_in_a_path_or_an_api_query_is_a_400(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 400, (url, response.status_code)


@pytest.mark.parametrize("url", ANSWERED)
def test_nul_in_a_reader_page_or_oai_query_is_removed(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code < 500, (url, response.status_code)
    assert b"\x00" not in response.content


def test_the_api_answers_in_its_error_shape_naming_the_part(client: Client) -> None:
    body = client.get("/api/v1/items?institution=bl%00").json()
    assert body["errors"] == [{"field": "institution", "message": "must not contain a NUL character"}]
    assert client.get("/api/v1/items/a%00b").json()["errors"][0]["field"] == "path"


def test_the_message_is_in_the_readers_language(client: Client) -> None:
    body = client.get("/api/v1/items?institution=bl%00", HTTP_ACCEPT_LANGUAGE="fr").json()
    assert body["errors"][0]["message"] == "ne doit pas contenir de caractère NUL"


def test_urls_without_nul_are_untouched(client: Client) -> None:
    assert client.get("/api/v1/items?institution=bl").status_code == 200
    assert client.get("/search/?q=%E9%87%91%E5%89%9B").status_code == 200
