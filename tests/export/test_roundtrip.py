"""Export -> empty database -> import reproduces the same records field by field."""

from __future__ import annotations

import io
import json

import pytest
from click.testing import CliRunner

from mogao.catalogue.models import Canvas, Collection, Institution, Item, Join, Transcription, Translation, Work
from mogao.cli import main
from mogao.export.records import iter_records
from mogao.export.reimport import import_jsonl
from mogao.export.writers import write_jsonl
from mogao.knowledge.models import AuthorityLink, Period, Person, Place

pytestmark = pytest.mark.django_db


def dump() -> list[str]:
    buffer = io.StringIO()
    write_jsonl(buffer, iter_records())
    return buffer.getvalue().splitlines()


def empty_database() -> None:
    Join.objects.all().delete()
    Item.objects.all().delete()
    Work.objects.all().delete()
    Collection.objects.all().delete()
    Institution.objects.all().delete()
    AuthorityLink.objects.all().delete()
    for model in (Person, Place):
        model.objects.all().delete()
    while Period.objects.exists():  # children first: a parent is SET_NULL, but delete leaves-first anyway
        Period.objects.filter(children=None).delete()
    assert not any(m.objects.exists() for m in (Item, Work, Institution, Person, Place, Period, Canvas))


def test_export_empty_import_gives_identical_records(rich_catalogue) -> None:
    before = dump()
    kinds = {json.loads(line)["type"] for line in before}
    assert kinds == {"institution", "collection", "period", "person", "place", "work", "item", "join"}
    empty_database()
    report = import_jsonl(before)
    assert report.ok, report.errors
    after = dump()
    assert len(after) == len(before)
    for old, new in zip(before, after, strict=True):
        assert json.loads(old) == json.loads(new)
    assert Transcription.objects.count() == 2 and Translation.objects.count() == 1
    assert Item.objects.get(pid=rich_catalogue["private"]).visibility == "private"
    # loading twice changes nothing
    assert import_jsonl(before).ok and dump() == before


def test_import_reports_bad_lines_and_loads_the_rest(rich_catalogue) -> None:
    lines = dump()
    item_line = next(i for i, line in enumerate(lines) if json.loads(line)["type"] == "item")
    bad_item = json.loads(lines[item_line])
    bad_item["year_start"], bad_item["year_end"] = 900, 800
    missing = json.loads(lines[item_line])
    del missing["title"]
    broken = [*lines, "{not json", json.dumps({"type": "spaceship"}), json.dumps(bad_item), json.dumps(missing),
              json.dumps({**bad_item, "year_start": None, "year_end": None, "institution": "NOPE"})]
    report = import_jsonl(broken)
    messages = dict(report.errors)
    n = len(lines)
    assert set(messages) == {n + 1, n + 2, n + 3, n + 4, n + 5}
    assert "not JSON" in messages[n + 1] and "type" in messages[n + 2]
    assert "year_end" in messages[n + 3] and "title" in messages[n + 4] and "institution" in messages[n + 5]
    assert report.counts["item"] == sum(1 for line in lines if json.loads(line)["type"] == "item")


def test_cli_export_and_import(rich_catalogue, tmp_path) -> None:
    runner = CliRunner()
    out = tmp_path / "all.jsonl"
    result = runner.invoke(main, ["export", "--format", "jsonl", str(out)])
    assert result.exit_code == 0, result.output
    public = tmp_path / "public.jsonl"
    runner.invoke(main, ["export", "--public-only", str(public)])
    assert rich_catalogue["private"] not in public.read_text() and rich_catalogue["private"] in out.read_text()
    empty_database()
    result = runner.invoke(main, ["import-jsonl", str(out)])
    assert result.exit_code == 0, result.output
    assert Item.objects.filter(pid=rich_catalogue["private"]).exists()
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{oops\n")
    assert runner.invoke(main, ["import-jsonl", str(bad)]).exit_code == 1
