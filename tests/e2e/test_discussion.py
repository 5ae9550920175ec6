"""Comments across languages and the moderation queue in a real Chromium (#15).

A trusted reader writes a comment in Chinese on an item page (htmx post, language detected); an
English reader points at a character and taps another and reads the reading room's gloss (pinyin
and CC-CEDICT definitions); a French comment shows Chinese words for its words. A moderator
approves one pending comment and rejects another with a reason. Pages are axe clean in the four
interface languages. Accounts sign in with a session cookie (no sign-in page yet).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from tests.discussion.conftest import make_user

from mogao.catalogue import services as catalogue
from mogao.community.models import Status
from mogao.discussion import services
from mogao.discussion.models import Comment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LANGS = ("en", "fr", "zh-hans", "zh-hant")


@pytest.fixture
def site(live_server: Any, settings: Any) -> dict[str, Any]:
    settings.BASE_URL = str(live_server.url)
    settings.COMMENT_RATE = "1000/min"
    institution = catalogue.institution_upsert(code="BL", name={"en": ["British Library"]})[0]
    item = catalogue.item_upsert(institution=institution, shelfmark="Or.8210/P.2",
                                 title={"en": ["Diamond Sutra"], "zh-Hant": ["金剛經"]})[0]
    return {"url": str(live_server.url), "item": item, "institution": institution}


def sign_in(page: Any, base: str, user: Any, language: str = "en") -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies([
        {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base},
        {"name": "django_language", "value": language, "url": base},
    ])


def set_language(page: Any, base: str, language: str) -> None:
    page.context.add_cookies([{"name": "django_language", "value": language, "url": base}])


def test_chinese_comment_glossed_for_an_english_reader(site: dict[str, Any], page: Any, browser: Any,
                                                       axe: Any, artifacts: Path) -> None:
    base, item = site["url"], site["item"]
    writer = make_user("writer", trusted=True)
    sign_in(page, base, writer, "zh-hant")
    page.goto(f"{base}{item.get_absolute_url()}#comments")
    page.fill("textarea[name=body]", "如是我聞，這卷經的書法很美。")
    page.click("form.comment-form button[type=submit]")
    page.wait_for_selector(".comments-status")
    comment = Comment.objects.get()
    assert comment.language == "zh-Hant" and comment.status == Status.APPROVED
    assert not page.console_errors

    reader_context = browser.new_context(viewport={"width": 1280, "height": 900})
    reader = reader_context.new_page()
    set_language(reader, base, "en")
    reader.goto(f"{base}{item.get_absolute_url()}")
    body = reader.locator(f"#comment-{comment.pk} .comment-body")
    assert body.get_attribute("lang") == "zh-Hant"
    # hover 聞 (4th character): the gloss of 如是我聞 or 聞 with its reading and English meaning
    body.locator('.zc[data-i="3"]').hover()
    gloss = reader.locator(".comment-gloss")
    gloss.wait_for(state="visible")
    text = gloss.inner_text()
    assert "wén" in text and "hear" in text.lower(), text
    reader.screenshot(path=str(artifacts / "discussion-gloss-hover.png"))
    # tap (click) another word: 書法, calligraphy
    index = "如是我聞，這卷經的書法很美。".index("書")
    body.locator(f'.zc[data-i="{index}"]').click()
    reader.wait_for_function("() => document.querySelector('.comment-gloss').innerText.includes('calligraphy')")
    # keyboard: the body is one Tab stop; arrows move and the gloss follows
    reader.keyboard.press("ArrowRight")
    reader.wait_for_function("() => document.querySelector('.comment-gloss').innerText.includes('fǎ')"
                             " || document.querySelector('.comment-gloss').innerText.includes('fa3')")
    reader.keyboard.press("Escape")
    assert gloss.is_hidden()
    # pinyin above the characters on demand
    reader.check(".comments-pinyin-toggle")
    assert reader.locator(f"#comment-{comment.pk} rt").first.is_visible()
    reader.screenshot(path=str(artifacts / "discussion-pinyin.png"))
    assert axe(reader) == []
    reader_context.close()


def test_french_comment_shows_chinese_words(site: dict[str, Any], page: Any, axe: Any) -> None:
    base, item = site["url"], site["item"]
    writer = make_user("ecrivain", trusted=True)
    comment = services.comment_post(user=writer, target=item, body="Une très belle montagne sur ce rouleau.")
    assert comment.language == "fr"
    set_language(page, base, "zh-hant")
    page.goto(f"{base}{item.get_absolute_url()}")
    page.locator(f'#comment-{comment.pk} .zw[data-word="montagne"]').hover()
    page.wait_for_function("() => document.querySelector('.comment-gloss').innerText.includes('山')")
    # the language filter (htmx) leaves it out for Chinese, keeps it for French
    page.select_option(".comments-filter select", "zh")
    page.wait_for_function("() => document.querySelector('.comments-filter select').value === 'zh'"
                           " && !document.querySelector('.comment-body')")
    # htmx binds the swapped-in form only once it settled: changing it earlier sends nothing (flaky under load)
    page.wait_for_function("() => !document.querySelector('.htmx-settling, .htmx-swapping, .htmx-request')")
    page.wait_for_timeout(100)
    page.select_option(".comments-filter select", "fr")
    page.wait_for_selector(f"#comment-{comment.pk} .comment-body")
    assert not page.console_errors


@pytest.mark.parametrize("language", LANGS)
def test_pages_axe_clean(site: dict[str, Any], page: Any, axe: Any, language: str) -> None:
    base, item = site["url"], site["item"]
    trusted, reader = make_user("t-" + language, trusted=True), make_user("r-" + language)
    top = services.comment_post(user=trusted, target=item, body="如是我聞。一時佛在舍衛國。")
    services.comment_post(user=trusted, target=item, body="A reply in English about the sutra.", parent=top)
    services.comment_post(user=reader, target=item, body="Un commentaire en attente.")
    moderator = make_user("m-" + language, moderator=True)
    sign_in(page, base, reader, language)
    page.goto(f"{base}{item.get_absolute_url()}")
    assert page.locator(".comment").count() == 3
    assert axe(page) == [], language
    sign_in(page, base, moderator, language)
    page.goto(f"{base}/moderation/")
    assert page.locator(".moderation-entry").count() == 1
    assert axe(page) == [], language


def test_moderator_approves_and_rejects(site: dict[str, Any], page: Any, axe: Any, artifacts: Path) -> None:
    base, item = site["url"], site["item"]
    reader = make_user("newcomer")
    good = services.comment_post(user=reader, target=item, body="A helpful note on the colophon.")
    bad = services.comment_post(user=reader, target=item, body="Buy cheap scrolls at example.com")
    moderator = make_user("mod", moderator=True)
    sign_in(page, base, moderator, "en")
    page.goto(f"{base}/moderation/")
    page.screenshot(path=str(artifacts / "discussion-queue.png"))
    page.locator(f"#m-discussion-comment-{good.pk} button[value=approved]").click()
    page.wait_for_selector(".messages")
    assert page.locator(f"#m-discussion-comment-{good.pk}").count() == 0
    page.fill(f"#m-discussion-comment-{bad.pk}-reason", "Advertising")
    page.locator(f"#m-discussion-comment-{bad.pk} button[value=rejected]").click()
    page.wait_for_selector(".messages")
    good.refresh_from_db()
    bad.refresh_from_db()
    assert good.status == Status.APPROVED and bad.status == Status.REJECTED and bad.status_reason == "Advertising"
    assert bad.decided_by == moderator
    page.goto(f"{base}/moderation/?show=decided")
    page.locator(f"#m-discussion-comment-{bad.pk} summary").click()
    assert "Advertising" in page.locator(f"#m-discussion-comment-{bad.pk} .moderation-history").inner_text()
    assert axe(page) == []
    page.context.clear_cookies()  # as an anonymous reader: the approved one only
    page.goto(f"{base}{item.get_absolute_url()}")
    assert page.locator(f"#comment-{good.pk}").count() == 1 and page.locator(f"#comment-{bad.pk}").count() == 0
