"""The item page cache of anonymous readers (#19): what it may serve, to whom, and until when.

Served from the cache means: one query (the generations), the same page as a render apart from the
per-response CSP nonce and CSRF token. Nothing here measures time.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import _unmask_cipher_token  # type: ignore[attr-defined]
from django.template import engines
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mogao.audience import recorder
from mogao.catalogue import pagecache, services
from mogao.catalogue import views as catalogue_views
from mogao.catalogue.models import Institution, Item, Visibility
from mogao.community.models import Reaction
from mogao.core import generation

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(bl: Institution) -> Item:
    obj, _ = services.item_upsert(institution=bl, shelfmark="Or.8210/P.2",
                                  title={"en": ["Diamond Sutra"], "fr": ["Sūtra du Diamant"]})
    return obj


def get(client: Client, path: str, **headers: Any) -> tuple[Any, int]:
    """The response and the number of queries it took."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **headers)
    return response, len(queries.captured_queries)


def header_nonce(response: Any) -> str:
    return re.findall(r"'nonce-([^']+)'", response["Content-Security-Policy"])[0]


def test_second_anonymous_request_is_served_from_the_cache_with_one_query(client: Client, item: Item) -> None:
    first, rendered = get(client, f"/items/{item.pid}")
    second, cached = get(Client(), f"/items/{item.pid}")
    assert first.status_code == second.status_code == 200
    assert rendered > 1
    assert cached <= 1  # the two generations, read together
    assert "Diamond Sutra" in second.content.decode()
    strip = re.compile(r'(nonce="|nonce-|value="|X-CSRFToken": ")[A-Za-z0-9_-]{20,}')
    assert strip.sub("", first.content.decode()) == strip.sub("", second.content.decode())
    assert second["Content-Type"] == first["Content-Type"]
    for name in ("Vary", "Content-Language", "X-Frame-Options"):
        assert second[name] == first[name]
    assert "csrftoken" in second.cookies  # the CSRF cookie is set as a render sets it
    assert "sessionid" not in second.cookies  # no session begun for an anonymous reader


def test_nonce_and_csrf_token_are_this_response_s_own(client: Client, item: Item,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    page = engines["django"].from_string(
        '<html><head><style nonce="{{ request.csp_nonce }}">p{}</style></head><body>'
        '<script nonce="{{ request.csp_nonce }}">1</script><form method="post">{% csrf_token %}</form>'
        '<p data-token="{{ csrf_token }}">{{ item_pid }}</p></body></html>')

    def render(request: HttpRequest, pid: str) -> HttpResponse:
        return HttpResponse(page.render({"item_pid": pid}, request))

    monkeypatch.setattr(catalogue_views, "_render_item", render)
    seen_nonces, seen_tokens = set(), set()
    for n in range(3):
        reader = Client()
        response, queries = get(reader, f"/items/{item.pid}")
        body = response.content.decode()
        nonce = header_nonce(response)
        assert re.findall(r'nonce="([^"]+)"', body) == [nonce, nonce]
        tokens = re.findall(r'(?:value|data-token)="([A-Za-z0-9]{64})"', body)
        assert len(tokens) == 2
        secret = response.cookies["csrftoken"].value
        assert all(_unmask_cipher_token(token) == secret for token in tokens)
        assert "\x00" not in body
        if n:
            assert queries <= 1  # served from the cache
        seen_nonces.add(nonce)
        seen_tokens.add(secret)
    assert len(seen_nonces) == len(seen_tokens) == 3  # never another response's nonce or token


def test_an_edit_of_the_item_is_seen_on_the_next_request(client: Client, item: Item,
                                                        django_capture_on_commit_callbacks: Callable[..., Any]) -> None:
    get(client, f"/items/{item.pid}")
    before = generation.current()
    with django_capture_on_commit_callbacks(execute=True):
        services.item_upsert(institution=item.institution, shelfmark=item.shelfmark,
                             title={"en": ["Diamond Sutra, revised"]})
    assert generation.current() > before  # the change channel raised the catalogue generation
    response, queries = get(Client(), f"/items/{item.pid}")
    assert "Diamond Sutra, revised" in response.content.decode()
    assert queries > 1


def test_a_reaction_is_seen_on_the_next_request(client: Client, item: Item,
                                               django_capture_on_commit_callbacks: Callable[..., Any]) -> None:
    get(client, f"/items/{item.pid}")
    assert get(Client(), f"/items/{item.pid}")[1] <= 1
    before = generation.current(generation.READERS)
    with django_capture_on_commit_callbacks(execute=True):
        Reaction.objects.create(content_type=ContentType.objects.get_for_model(Item), object_id=item.pk,
                                kind="moved")
    assert generation.current(generation.READERS) > before
    assert get(Client(), f"/items/{item.pid}")[1] > 1  # rendered again


def test_each_language_has_its_own_page(client: Client, item: Item) -> None:
    english, _ = get(client, f"/items/{item.pid}", HTTP_ACCEPT_LANGUAGE="en")
    french, _ = get(Client(), f"/items/{item.pid}", HTTP_ACCEPT_LANGUAGE="fr")
    french_again, queries = get(Client(), f"/items/{item.pid}", HTTP_ACCEPT_LANGUAGE="fr")
    assert '<html lang="en"' in english.content.decode()
    assert '<html lang="fr"' in french.content.decode()
    assert "Sūtra du Diamant" in french_again.content.decode() and queries <= 1
    assert french_again["Content-Language"] == "fr"


def test_a_signed_in_curator_never_gets_or_fills_the_cache(client: Client, item: Item) -> None:
    curator = get_user_model().objects.create_user("curator-pc", password="pw-curator-long-1", is_staff=True)
    get(Client(), f"/items/{item.pid}")  # cached for anonymous readers
    signed_in = Client()
    signed_in.force_login(curator)
    response, queries = get(signed_in, f"/items/{item.pid}")
    me = reverse("accounts:me")
    assert queries > 1 and f'href="{me}"' in response.content.decode()
    pagecache.clear()
    get(signed_in, f"/items/{item.pid}")  # a curator's render is not stored for others
    anonymous, queries = get(Client(), f"/items/{item.pid}")
    assert queries > 1 and f'href="{me}"' not in anonymous.content.decode()


def test_a_reader_with_a_session_gets_a_render(client: Client, item: Item) -> None:
    get(client, f"/items/{item.pid}")
    reader = Client()
    reader.cookies["sessionid"] = "whatever"
    assert get(reader, f"/items/{item.pid}")[1] > 1


def test_an_item_made_private_is_no_longer_served(client: Client, item: Item,
                                                 django_capture_on_commit_callbacks: Callable[..., Any]) -> None:
    assert get(client, f"/items/{item.pid}")[0].status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        Item.objects.filter(pk=item.pk).update(visibility=Visibility.PRIVATE)
    assert get(Client(), f"/items/{item.pid}")[0].status_code == 404


def test_a_private_item_is_never_cached(client: Client, item: Item) -> None:
    Item.objects.filter(pk=item.pk).update(visibility=Visibility.PRIVATE)
    for _ in range(2):
        assert get(Client(), f"/items/{item.pid}")[0].status_code == 404
    assert not pagecache._pages


def test_every_cached_view_is_still_recorded(client: Client, item: Item) -> None:
    recorder.discard()
    for _ in range(3):
        assert Client(HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0").get(
            f"/items/{item.pid}").status_code == 200
    assert recorder.pending() == 3
    recorder.discard()


def test_json_ld_is_negotiated_before_the_cache(client: Client, item: Item) -> None:
    get(client, f"/items/{item.pid}")
    response = Client().get(f"/items/{item.pid}", HTTP_ACCEPT="application/ld+json")
    assert response["Content-Type"].startswith("application/ld+json")
    assert "Accept" in response["Vary"]


def test_the_cache_can_be_turned_off(client: Client, item: Item, settings: Any) -> None:
    settings.MOGAO_ITEM_PAGE_CACHE = False
    get(client, f"/items/{item.pid}")
    assert get(Client(), f"/items/{item.pid}")[1] > 1
