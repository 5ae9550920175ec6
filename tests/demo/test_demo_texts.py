"""The demo's classical texts from the npm chinese-poetry corpus: loaded as works, items and readable
pages when installed, skipped (the small built-in set) when not, and never loaded twice (#13 item 12)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from django.apps import apps
from django.test import Client

from mogao.catalogue.models import Canvas, Item, Work
from mogao.demo import builtin
from mogao.demo.loader import demo_load
from mogao.demo.texts import CORPUS, MAPPINGS, corpus_available

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
COUNTED = [
    "catalogue.Institution", "catalogue.Work", "catalogue.Item", "catalogue.ItemWork", "catalogue.Canvas",
    "catalogue.Transcription", "catalogue.Translation", "catalogue.HistoricalItem",
    "catalogue.HistoricalTranscription", "catalogue.HistoricalTranslation", "ingest.IngestRun",
]


def write_corpus(folder: Path) -> Path:
    """A three-file corpus in the package's own shapes (a few real, ancient lines of each text)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "lunyu.json").write_text(json.dumps([
        {"chapter": "学而篇",
         "paragraphs": ["子曰：“学而时习之，不亦说乎？有朋自远方来，不亦乐乎？人不知而不愠，不亦君子乎？”"]},
        {"chapter": "为政篇", "paragraphs": ["子曰：“为政以德，譬如北辰，居其所而众星共之。”"]},
    ], ensure_ascii=False), encoding="utf-8")
    (folder / "tangshi_300.json").write_text(json.dumps({"title": "唐詩三百首", "content": [
        {"type": "五言絕句", "content": [
            {"chapter": "登鸛雀樓", "subchapter": None, "author": "王之渙",
             "paragraphs": ["白日依山盡，黃河入海流。", "欲窮千里目，更上一層樓。"]},
        ]},
    ]}, ensure_ascii=False), encoding="utf-8")
    (folder / "daxue.json").write_text(json.dumps(
        {"chapter": "大學", "paragraphs": ["大學之道，在明明德，在親民，在止於至善。"]}, ensure_ascii=False,
    ), encoding="utf-8")
    (folder / "SOURCE.txt").write_text("npm package chinese-poetry 0.0.0 (MIT)\n", encoding="utf-8")
    return folder


def counts() -> dict[str, int]:
    return {label: apps.get_model(label).objects.count() for label in COUNTED}


def test_corpus_texts_become_works_items_and_readable_pages(tmp_path: Path, client: Client) -> None:
    messages: list[str] = []
    summary = demo_load(corpus=write_corpus(tmp_path / "corpus"), echo=messages.append)
    assert summary["classical texts"] == 3 and summary["text pages"] == 2 + 1 + 1
    assert summary["text works"] == 3
    assert any("classical texts: 3 texts, 4 pages (npm package chinese-poetry 0.0.0 (MIT))" in m for m in messages)
    lunyu = Item.objects.get(institution__code="CPOETRY", local_id="lunyu")
    assert lunyu.title == MAPPINGS["lunyu.json"]["title"] and {"zh-Hant", "zh-Hans", "en", "fr"} <= set(lunyu.title)
    assert {"en", "fr", "zh-Hans", "zh-Hant"} <= set(lunyu.description)
    work = Work.objects.get(pid="text-lunyu")
    assert list(lunyu.works.all()) == [work] and work.title["en"] == ["The Analects"]
    assert [c.label for c in lunyu.canvases.order_by("order")] == [{"zh-Hans": ["学而篇"]}, {"zh-Hans": ["为政篇"]}]
    response = client.get(f"/items/{lunyu.pid}/read/2", HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200 and 'tabindex="-1">辰</span>' in html  # one span per character
    assert "居其所而众星共之" in client.get(f"/items/{lunyu.pid}/text.txt").content.decode()
    assert "is-text-only" in html and "This page has no image." not in html
    poem = Canvas.objects.get(item__local_id="tangshi-300", order=1)
    assert poem.label == {"zh-Hant": ["登鸛雀樓 · 王之渙"]} and not poem.has_image
    assert poem.transcriptions.get(is_primary=True).text == "白日依山盡，黃河入海流。\n欲窮千里目，更上一層樓。"


def test_loading_twice_with_the_corpus_loads_nothing_twice(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    demo_load(corpus=corpus, echo=lambda _: None)
    first = counts()
    demo_load(corpus=corpus, echo=lambda _: None)
    assert counts() == first
    assert first["ingest.IngestRun"] == 1  # the unchanged corpus is not even read again
    assert first["catalogue.Item"] == len(builtin.ITEMS) + 3
    assert first["catalogue.Work"] == len(builtin.WORKS) + 3


def test_a_changed_corpus_file_is_loaded_again(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    demo_load(corpus=corpus, echo=lambda _: None)
    (corpus / "daxue.json").write_text(json.dumps(
        {"chapter": "大學", "paragraphs": ["大學之道，在明明德。", "知止而后有定。"]}, ensure_ascii=False,
    ), encoding="utf-8")
    demo_load(corpus=corpus, echo=lambda _: None)
    page = Canvas.objects.get(item__local_id="daxue", order=1)
    assert page.transcriptions.get(is_primary=True).text == "大學之道，在明明德。\n知止而后有定。"
    assert Item.objects.filter(local_id="daxue").count() == 1


def test_without_the_corpus_the_demo_is_the_built_in_set(tmp_path: Path) -> None:
    messages: list[str] = []
    summary = demo_load(corpus=tmp_path / "absent", echo=messages.append)
    assert Item.objects.count() == len(builtin.ITEMS) == 16 and summary["text works"] == 0
    assert any("none installed" in m and "make setup" in m for m in messages)
    assert not corpus_available(tmp_path / "absent")


def test_install_assets_copies_exactly_the_files_the_demo_maps() -> None:
    spec = importlib.util.spec_from_file_location("install_assets", ROOT / "frontend" / "install_assets.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert set(module.CORPUS) == set(MAPPINGS)
    assert module.CORPUS_DIR == CORPUS
    package = json.loads((ROOT / "frontend" / "package.json").read_text(encoding="utf-8"))
    assert "chinese-poetry" in package["dependencies"]


@pytest.mark.skipif(not corpus_available(), reason="the chinese-poetry corpus is not installed (make setup)")
def test_the_installed_corpus_loads_all_eight_texts() -> None:
    summary = demo_load(corpus=CORPUS, echo=lambda _: None)
    assert summary["classical texts"] == len(MAPPINGS) == 8 and summary["text pages"] > 900
    assert Item.objects.filter(institution__code="CPOETRY").count() == 8
