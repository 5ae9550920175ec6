"""Text-only works from JSON full texts: mapping checks, image-less canvases, idempotence, reports."""

from __future__ import annotations

import json

import pytest

from mogao.catalogue.models import Canvas, Item, Transcription
from mogao.ingest.models import IngestError
from mogao.ingest.pipeline import run_source, run_start
from mogao.ingest.records import SourceError
from mogao.ingest.sources.texts import TextMapping, TextSource, parse_path

pytestmark = pytest.mark.django_db

POEMS = {"title": "唐詩", "content": [
    {"type": "五言絕句", "content": [
        {"chapter": "登鸛雀樓", "author": "王之渙",
         "paragraphs": ["白日依山盡，黃河入海流。", "欲窮千里目，更上一層樓。"]},
        {"chapter": "相思", "author": "王維", "paragraphs": ["紅豆生南國，春來發幾枝。", "願君多采擷，此物最相思。"]},
    ]},
    {"type": "七言絕句", "content": [
        {"chapter": "無題", "author": None, "paragraphs": []},
        {"chapter": "涼州詞", "author": "王翰", "paragraphs": ["葡萄美酒夜光杯，欲飲琵琶馬上催。"]},
    ]},
]}
MAPPING = {"identifier": "tangshi", "title": {"zh-Hant": ["唐詩"]}, "sections": "$.content[*].content[*]",
           "label": ["chapter", "author"], "label_language": "zh-Hant", "language": "lzh-Hant"}


def load(path, mapping, institution):
    run = run_start(kind="json", source=str(path), institution_code=institution.code)
    return run_source(TextSource([(path, TextMapping.from_dict(mapping))], institution=institution), run)


@pytest.fixture
def poems(tmp_path):
    path = tmp_path / "poems.json"
    path.write_text(json.dumps(POEMS, ensure_ascii=False), encoding="utf-8")
    return path


def test_parse_path():
    assert parse_path("$") == []
    assert parse_path("$[*]") == [None]
    assert parse_path("$.content[*].content[*]") == ["content", None, "content", None]
    with pytest.raises(SourceError, match="sections"):
        parse_path("content[*]")
    with pytest.raises(SourceError, match=r"\[0\]"):
        parse_path("$.content[0]")


@pytest.mark.parametrize(("change", "field"), [
    ({"identifier": ""}, "identifier"),
    ({"title": "唐詩"}, "title"),
    ({"label": 3}, "label"),
    ({"language": "xx-Qqqq"}, "language"),
    ({"sections": "$.a[1]"}, "sections"),
    ({"bogus": 1}, "bogus"),
])
def test_mapping_errors_name_the_field(change, field):
    with pytest.raises(SourceError, match=f"“{field}”"):
        TextMapping.from_dict({**MAPPING, **change})


def test_sections_become_text_only_canvases(poems, institution):
    run = load(poems, MAPPING, institution)
    assert (run.created_count, run.failed_count) == (1, 0)
    item = Item.objects.get(institution=institution, local_id="tangshi")
    assert item.title == {"zh-Hant": ["唐詩"]} and item.languages == ["lzh"]
    canvases = list(item.canvases.order_by("order"))
    assert [c.label for c in canvases] == [
        {"zh-Hant": ["登鸛雀樓 · 王之渙"]}, {"zh-Hant": ["相思 · 王維"]}, {"zh-Hant": ["涼州詞 · 王翰"]},
    ]
    assert not any(c.has_image for c in canvases)
    first = Transcription.objects.get(canvas=canvases[0])
    assert first.text == "白日依山盡，黃河入海流。\n欲窮千里目，更上一層樓。"
    assert (first.source, first.language, first.is_primary) == ("import", "lzh-Hant", True)
    warning = IngestError.objects.get(run=run)
    assert warning.is_warning and warning.location == "poems.json $.content[1].content[0].paragraphs"
    assert "no text" in warning.message


def test_reimport_is_unchanged_and_one_change_updates_one_section(poems, institution):
    load(poems, MAPPING, institution)
    ids = set(Transcription.objects.values_list("pk", "updated"))
    assert load(poems, MAPPING, institution).unchanged_count == 1
    assert set(Transcription.objects.values_list("pk", "updated")) == ids
    changed = json.loads(poems.read_text(encoding="utf-8"))
    changed["content"][0]["content"][1]["paragraphs"][0] = "紅豆生南國，秋來發幾枝。"
    del changed["content"][1]
    poems.write_text(json.dumps(changed, ensure_ascii=False), encoding="utf-8")
    assert load(poems, MAPPING, institution).updated_count == 1
    item = Item.objects.get(local_id="tangshi")
    assert item.canvases.count() == 2  # the removed section lost its canvas
    second = Transcription.objects.get(canvas__item=item, canvas__order=2)
    assert second.text.startswith("紅豆生南國，秋來") and second.history.count() == 2
    untouched = Transcription.objects.get(canvas__item=item, canvas__order=1)
    assert (untouched.pk, untouched.updated) in ids


def test_a_curators_primary_text_is_left_alone(poems, institution):
    load(poems, MAPPING, institution)
    canvas = Canvas.objects.get(item__local_id="tangshi", order=1)
    Transcription.objects.filter(canvas=canvas).update(is_primary=False)
    Transcription.objects.create(canvas=canvas, text="curated", source="curator", is_primary=True)
    assert load(poems, MAPPING, institution).unchanged_count == 1
    assert canvas.transcriptions.count() == 2
    assert canvas.transcriptions.get(is_primary=True).text == "curated"


def test_unreadable_and_empty_files_fail_alone(tmp_path, poems, institution):
    broken = tmp_path / "broken.json"
    broken.write_bytes(b"\xff\xfe{")
    empty = tmp_path / "empty.json"
    empty.write_text("[]", encoding="utf-8")
    texts = [
        (broken, TextMapping.from_dict({**MAPPING, "identifier": "broken"})),
        (empty, TextMapping.from_dict({**MAPPING, "identifier": "empty"})),
        (poems, TextMapping.from_dict(MAPPING)),
    ]
    run = run_start(kind="json", source=str(tmp_path))
    run = run_source(TextSource(texts, institution=institution), run)
    assert (run.created_count, run.failed_count) == (1, 2)
    messages = {e.location: e.message for e in IngestError.objects.filter(run=run, is_warning=False)}
    assert "not valid UTF-8 JSON" in messages["broken.json"]
    assert "no sections with text" in messages["empty.json"]
    assert not Item.objects.filter(local_id__in=["broken", "empty"]).exists()


def test_cli_imports_a_text_with_a_mapping_file(poems, tmp_path, institution):
    from click.testing import CliRunner

    from mogao.cli import main

    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps(MAPPING, ensure_ascii=False), encoding="utf-8")
    runner = CliRunner()
    args = ["import", "json", str(poems), "--mapping", str(mapping), "--institution", institution.code]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert Item.objects.get(local_id="tangshi").canvases.count() == 3
    again = runner.invoke(main, args)
    assert again.exit_code == 0 and "unchanged" in again.output
    mapping.write_text(json.dumps({**MAPPING, "sections": "$.content[0]"}), encoding="utf-8")
    bad = runner.invoke(main, args)
    assert bad.exit_code == 2 and "sections" in bad.output
