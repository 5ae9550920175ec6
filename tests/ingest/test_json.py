"""JSON and JSON Lines import: shapes, nested language maps, JSON-path locations, idempotence."""

from __future__ import annotations

import json

import pytest

from mogao.catalogue.models import Item
from mogao.ingest.models import IngestError
from mogao.ingest.pipeline import run_source, run_start
from mogao.ingest.sources.json import JsonSource

pytestmark = pytest.mark.django_db


def run_json(path, **kw):
    run = run_start(kind="json", source=str(path))
    return run_source(JsonSource(path, **kw), run)


def test_array_with_nested_language_maps(tmp_path, institution, diamond):
    data = {"items": [
        {"identifier": "J1", "institution": "BL", "title": {"zh-Hant": "金剛經", "en": ["Diamond Sutra"]},
         "languages": ["lzh"], "works": ["taisho:T0235"], "date": "868"},
        {"identifier": "J2", "institution": "BL", "title": {"xx-Bogus": "?"}},
        {"identifier": "J3", "institution": "BL", "title@en": "Flat key"},
    ]}
    path = tmp_path / "items.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    run = run_json(path)
    assert (run.created_count, run.failed_count) == (2, 1)
    error = IngestError.objects.get(run=run)
    assert error.location == "items.json $.items[1].title.xx-Bogus"
    assert "unknown language tag" in error.message
    item = Item.objects.get(local_id="J1")
    assert item.title == {"zh-Hant": ["金剛經"], "en": ["Diamond Sutra"]} and item.year_start == 868
    assert list(item.works.all()) == [diamond]
    assert run_json(path).unchanged_count == 2


def test_json_lines(tmp_path, institution):
    path = tmp_path / "items.jsonl"
    path.write_text('{"identifier": "L1", "title": {"en": "One"}}\n{broken\n\n'
                    '{"identifier": "L1", "title": {"en": "Dup"}}\n', encoding="utf-8")
    run = run_json(path, institution="BL")
    assert (run.created_count, run.failed_count) == (1, 2)
    locations = set(IngestError.objects.filter(run=run).values_list("location", flat=True))
    assert locations == {"items.jsonl line 2", "items.jsonl line 4.identifier"}


def test_not_a_list(tmp_path, institution):
    path = tmp_path / "x.json"
    path.write_text('{"a": 1}', encoding="utf-8")
    run = run_json(path)
    assert run.status == "failed" and "expected an array" in run.message
