"""The demo's curated translations (English and French, written by the project) in the reading room (#13 item 9)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from mogao.catalogue.models import Item, Translation
from mogao.demo.loader import demo_load
from mogao.demo.translations import TRANSLATIONS, load_demo_translations

from .test_demo_texts import write_corpus

pytestmark = pytest.mark.django_db


def test_diamond_sutra_pages_show_english_and_french_translations(client: Client) -> None:
    demo_load(echo=lambda _: None)
    diamond = Item.objects.get(shelfmark="Or.8210/P.2")
    assert set(Translation.objects.filter(item=diamond).values_list("language", "canvas__order")) == {
        ("en", 1), ("fr", 1), ("en", 2), ("fr", 2),
    }
    html = client.get(f"/items/{diamond.pid}/read/1", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<section class="reading-translations"' in html
    assert html.index("Ainsi ai-je entendu.") < html.index("Thus have I heard.")  # the reader's language first
    assert '<tr data-ref="1"><th scope="row">1</th><td lang="zh-Hant" data-label="Original">如是我聞。</td>' in html
    assert "Projet Mogao" in html and "compare W. Gemmell (1912)" in html
    assert "11 May 868" not in html  # the colophon's translation belongs to page 2
    html = client.get(f"/items/{diamond.pid}/read/2", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert html.index("(11 May 868)") < html.index("(11 mai 868)")
    wang_jie = "Wang Jie reverently had this made for free distribution on behalf of his two parents."
    assert f'<td lang="en" data-label="English">{wang_jie}</td>' in html


def test_corpus_passages_are_translated_when_their_texts_are_loaded(tmp_path: Path, client: Client) -> None:
    demo_load(corpus=write_corpus(tmp_path / "corpus"), echo=lambda _: None)
    poems = Item.objects.get(local_id="tangshi-300")
    html = client.get(f"/items/{poems.pid}/read/1", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<td lang="en" data-label="English">To see a thousand li farther, climb one storey higher.</td>' in html
    lunyu = Item.objects.get(local_id="lunyu")
    assert Translation.objects.get(item=lunyu, language="fr").canvas.order == 1
    assert "compare J. Legge (1861)" in client.get(f"/items/{lunyu.pid}/read/1").content.decode()
    assert not Translation.objects.filter(item=lunyu, canvas__order=2).exists()
    # 詩經 is not in this small corpus: its translation waits for the text.
    assert not Translation.objects.filter(item__local_id="shijing").exists()


def test_translations_load_once_and_every_one_is_aligned_in_both_languages() -> None:
    demo_load(echo=lambda _: None)
    again = load_demo_translations()
    assert again == {"translations": 4, "written": 0}
    assert Translation.objects.count() == 4
    for _lookup, passages, note_en, note_fr in TRANSLATIONS:
        assert note_en.startswith("Mogao project") and note_fr.startswith("Projet Mogao")
        assert all(source and en and fr and en != fr for source, en, fr in passages)
