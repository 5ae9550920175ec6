"""A reader signs up in Chromium, verifies the address from the mail the SMTP server received, lands on
My Mogao and reacts to an item with htmx; the account pages are axe-clean and fit a phone in each of
the four languages (#15)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache

from mogao.catalogue import services
from mogao.testing.smtp import SMTPRecorder

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGS = ["en", "fr", "zh-hans", "zh-hant"]
PHONE = {"width": 390, "height": 844}
PASSWORD = "a-long-reader-password-42"
WORDS = {  # the reactions widget and the header, in each language
    "en": ["Moved", "My Mogao"], "fr": ["Ému", "Mon Mogao"],
    "zh-hans": ["感动", "我的莫高"], "zh-hant": ["感動", "我的莫高"],
}


@pytest.fixture
def site(live_server: Any, settings: Any) -> dict[str, Any]:
    settings.BASE_URL = str(live_server.url)
    cache.clear()
    inst, _ = services.institution_upsert(code="BL", name={"en": ["British Library"]})
    item, _ = services.item_upsert(institution=inst, shelfmark="Or.8210/P.2", title={"en": ["Diamond Sutra"]})
    services.canvas_upsert(item=item, order=1)
    return {"url": str(live_server.url), "item": item}


def go(page: Any, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")


def test_sign_up_verify_from_the_mail_then_react(
    page: Any, site: dict[str, Any], smtp_server: SMTPRecorder, axe: Any, artifacts: Path
) -> None:
    base = site["url"]
    go(page, base + "/")
    page.locator(".header-account a", has_text="Sign in").click()
    page.wait_for_url("**/accounts/login/")
    page.locator("main a[href^='/accounts/signup/']").click()
    page.wait_for_url("**/accounts/signup/**")
    assert axe(page) == []
    page.fill("#id_email", "reader@example.org")
    page.fill("#id_username", "reader")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/accounts/confirm-email/")
    assert axe(page) == []

    mail = smtp_server.wait_for(to="reader@example.org")
    link = next(link for link in mail.links() if "/accounts/confirm-email/" in link)
    assert link.startswith(base)
    go(page, link)
    assert axe(page) == []
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/me/")
    assert page.locator("h1").inner_text() == "My Mogao"
    assert axe(page) == []

    go(page, f"{base}/items/{site['item'].pid}")
    moved = page.locator(".reactions button[value=moved]")
    assert moved.get_attribute("aria-pressed") == "false"
    moved.click()
    page.wait_for_selector(".reactions button[value=moved][aria-pressed=true]")
    assert page.locator(".reactions button[value=moved] .reaction-count").inner_text() == "1"
    assert axe(page) == []
    page.screenshot(path=str(artifacts / "accounts-reacted-en.png"))
    header = page.locator(".header-row").bounding_box()
    assert header is not None and header["height"] < 80, "the desktop header stays on one line"
    page.reload()
    assert page.locator(".reactions button[value=moved]").get_attribute("aria-pressed") == "true"
    assert page.console_errors == []

    # the reaction is listed on My Mogao; then the account pages in every language, on a phone too
    go(page, base + "/me/")
    assert "Moved" in page.locator("#my-reactions").inner_text()
    cookies = page.context.cookies()
    phone = page.context.browser.new_context(viewport=PHONE, is_mobile=True)
    phone.add_cookies(cookies)
    small = phone.new_page()
    try:
        problems: dict[str, Any] = {}
        for lang in LANGS:
            for ctx in (page.context, phone):
                ctx.add_cookies([{"name": "django_language", "value": lang, "url": base}])
            for path in ("/me/", "/me/profile/", f"/items/{site['item'].pid}", "/privacy/", "/me/delete/",
                         "/accounts/email/", "/accounts/password/change/"):
                go(page, base + path)
                if violations := axe(page):
                    problems[f"{lang} {path} axe"] = violations
                if path.startswith("/items/"):
                    text = page.locator("body").inner_text()
                    if missing := [w for w in WORDS[lang] if w not in text]:
                        problems[f"{lang} {path} words"] = missing
                go(small, base + path)
                width = small.evaluate("document.documentElement.scrollWidth")
                header = small.locator(".site-header").bounding_box()
                if width != PHONE["width"] or header["height"] > 120:
                    problems[f"{lang} {path} phone"] = (width, header["height"])
                if not small.locator(".header-account a", has_text=WORDS[lang][1]).is_visible():
                    problems[f"{lang} {path} header link"] = "My Mogao not visible on a phone"
            small.screenshot(path=str(artifacts / f"accounts-phone-item-{lang}.png"))
        assert problems == {}
    finally:
        phone.close()


@pytest.mark.parametrize("lang", LANGS)
def test_anonymous_reader_sees_counts_and_sign_in_pages_in_each_language(
    browser: Any, site: dict[str, Any], axe: Any, lang: str
) -> None:
    base = site["url"]
    context = browser.new_context(viewport=PHONE, is_mobile=True)
    context.add_cookies([{"name": "django_language", "value": lang, "url": base}])
    page = context.new_page()
    try:
        problems: dict[str, Any] = {}
        for path in (f"/items/{site['item'].pid}", "/accounts/login/", "/accounts/signup/",
                     "/accounts/password/reset/"):
            go(page, base + path)
            assert page.locator("html").get_attribute("lang").lower().startswith(lang[:2])
            if violations := axe(page):
                problems[f"{path} axe"] = violations
            if page.evaluate("document.documentElement.scrollWidth") != PHONE["width"]:
                problems[f"{path} width"] = page.evaluate("document.documentElement.scrollWidth")
        go(page, f"{base}/items/{site['item'].pid}")
        assert page.locator(".reaction-counts li").count() == 4
        assert page.locator(".reactions button").count() == 0
        invite = page.locator(".reaction-invite a").first
        assert "/accounts/login/?next=" in invite.get_attribute("href")
        invite.click()
        page.wait_for_url("**/accounts/login/**")
        assert problems == {}
    finally:
        context.close()
