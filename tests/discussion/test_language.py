"""Language detection, glosses both ways and the translation-provider hook."""

from __future__ import annotations

from typing import Any

import pytest

from mogao.discussion import langdetect, services, translation
from mogao.discussion.glosses import reverse_gloss
from mogao.discussion.render import body_html

from .conftest import World


@pytest.mark.parametrize("text, tag", [
    ("这部经的书法很漂亮，我们都很喜欢。", "zh-Hans"),
    ("這部經的書法很漂亮，我們都很喜歡。", "zh-Hant"),
    ("如是我聞。一時佛在舍衛國祇樹給孤獨園，與大比丘眾千二百五十人俱。子曰學而時習之不亦說乎", "lzh"),
    ("The calligraphy of this scroll is beautiful and the colophon is dated.", "en"),
    ("La calligraphie de ce rouleau est très belle et le colophon est daté.", "fr"),
    ("12345 !!!", "und"),
    ("What does 如是我聞 mean in this sutra?", "en"),
])
def test_detect(text: str, tag: str) -> None:
    assert langdetect.detect(text) == tag


def test_chinese_body_has_per_character_pinyin_and_gloss_hooks() -> None:
    html = str(body_html("如是我聞", language="lzh"))
    assert 'data-text="如是我聞"' in html and html.count('class="zc"') == 4
    assert '<rt class="zpy" aria-hidden="true">wén</rt>' in html


def test_latin_body_marks_content_words() -> None:
    html = str(body_html("The Diamond sutra is beautiful", language="en"))
    assert 'data-word="Diamond"' in html and 'data-word="sutra"' in html and 'data-word="The"' not in html


@pytest.mark.django_db
def test_reverse_gloss_of_english_and_french_words() -> None:
    sutra = [g["chinese"] for g in reverse_gloss("sutra", "en")]
    assert "經" in sutra or any("經" in s for s in sutra)
    montagne = reverse_gloss("montagne", "fr")
    assert montagne and montagne[0]["pinyin"] and montagne[0]["definitions"]
    assert reverse_gloss("x" * 41, "en") == []


@pytest.mark.django_db
def test_gloss_endpoints(client: Any) -> None:
    zh = client.get("/reading/gloss", {"text": "如是我聞", "at": 3}).json()
    assert zh["pinyin"] and zh["entries"]
    en = client.get("/comments/gloss", {"word": "mountain", "lang": "en"}).json()
    assert "山" in [g["chinese"] for g in en["glosses"]]
    assert client.get("/comments/gloss", {"word": "", "lang": "en"}).status_code == 400
    assert client.get("/comments/gloss", {"word": "a", "lang": "de"}).status_code == 400


class Upper:
    name = "Upper"

    def supports(self, source: str, target: str) -> bool:
        return target == "en"

    def translate(self, text: str, *, source: str, target: str) -> str:
        return text.upper()


def test_no_provider_by_default(world: World) -> None:
    assert translation.provider() is None
    comment = services.comment_post(user=world.users["trusted"], target=world.work, body="這部經")
    assert world.client("anonymous").get(f"/comments/{comment.pk}/translate?to=en").status_code == 404
    assert "comment-translate" not in world.client("anonymous").get(world.work.get_absolute_url()).content.decode()


def test_configured_provider(world: World, settings: Any) -> None:
    settings.COMMENT_TRANSLATION_PROVIDER = "tests.discussion.test_language.Upper"
    assert isinstance(translation.provider(), translation.TranslationProvider)
    comment = services.comment_post(user=world.users["trusted"], target=world.work, body="abc de la")
    services.comment_edit(user=world.users["trusted"], comment=comment, body="le manuscrit", language="fr")
    html = world.client("anonymous").get(world.work.get_absolute_url()).content.decode()
    assert "comment-translate" in html
    data = world.client("anonymous").get(f"/comments/{comment.pk}/translate?to=en").json()
    assert data == {"provider": "Upper", "language": "en", "text": "LE MANUSCRIT"}
