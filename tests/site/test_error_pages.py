"""404 and 500 pages in the site layout, in the four languages, with the navigation (#13 item 8)."""

from __future__ import annotations

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import path

from mogao.site import urls as site_urls


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("the database is down")


class FailingSite:
    """The site's URLs plus a view that fails (a URLconf may be any object with ``urlpatterns``)."""

    urlpatterns = [path("boom/", boom), *site_urls.urlpatterns]
    handler404 = site_urls.handler404
    handler500 = site_urls.handler500

EXPECTED = {
    "en": ("Page not found", "Something went wrong", "Browse"),
    "zh-hans": ("页面不存在", "出错了", "浏览"),
    "zh-hant": ("頁面不存在", "出錯了", "瀏覽"),
    "fr": ("Page introuvable", "Une erreur est survenue", "Parcourir"),
}
HTML_LANG = {"en": "en", "zh-hans": "zh-Hans", "zh-hant": "zh-Hant", "fr": "fr"}


@pytest.mark.django_db
@pytest.mark.parametrize("lang", list(EXPECTED))
@override_settings(DEBUG=False)
def test_404_uses_the_layout_and_the_readers_language(client: Client, lang: str) -> None:
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 404
    html = response.content.decode()
    heading, _, browse = EXPECTED[lang]
    assert f'<html lang="{HTML_LANG[lang]}"' in html
    assert f"<h1>{heading}</h1>" in html
    assert 'class="site-header"' in html and 'aria-label="' in html and f">{browse}</a>" in html
    assert "mogao/mogao.css" in html
    assert "Not Found" not in html and "The requested resource" not in html


@pytest.mark.parametrize("lang", list(EXPECTED))
@override_settings(DEBUG=False, ROOT_URLCONF=FailingSite)
def test_500_uses_the_layout_without_the_database(lang: str) -> None:
    """No ``django_db`` mark: any query made while rendering the 500 page raises and fails the test."""
    client = Client(raise_request_exception=False)
    response = client.get("/boom/", HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 500
    html = response.content.decode()
    _, heading, browse = EXPECTED[lang]
    assert f'<html lang="{HTML_LANG[lang]}"' in html
    assert f"<h1>{heading}</h1>" in html
    assert 'class="site-header"' in html and f">{browse}</a>" in html
    assert "mogao/mogao.css" in html
    assert "<script>" not in html  # no inline script under the CSP
