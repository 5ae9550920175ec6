"""CSV import: loading, idempotence, one precise message per planted error, dry runs."""

from __future__ import annotations

import pytest

from mogao.catalogue.models import Item
from mogao.ingest.models import IngestError
from mogao.ingest.pipeline import run_source, run_start
from mogao.ingest.sources.csv import CsvSource

from .conftest import HEADER, good_rows

pytestmark = pytest.mark.django_db


def run_csv(path, **kwargs):
    run = run_start(kind="csv", source=str(path), dry_run=kwargs.pop("dry_run", False))
    return run_source(CsvSource(path, **kwargs), run, batch_size=kwargs.pop("batch_size", 7))


def test_loads_and_is_idempotent(institution, diamond, write_csv):
    path = write_csv(good_rows(20))
    run = run_csv(path)
    assert run.counts()["created"] == 20 and run.failed_count == 0, list(run.errors.values_list("message"))
    item = Item.objects.get(local_id="Or.8210/S.3")
    assert item.title == {"zh-Hant": ["金剛經 3"], "en": ["Diamond Sutra copy 3"]}
    assert item.year_start == 803 and item.item_type == "scroll" and item.languages == ["lzh"]
    assert list(item.works.all()) == [diamond]
    again = run_csv(path)
    assert again.counts() == {"created": 0, "updated": 0, "unchanged": 20, "failed": 0, "deleted": 0}
    rows = good_rows(20)
    rows[4] = rows[4].replace("A scroll", "A long scroll")
    path = write_csv(rows)
    third = run_csv(path)
    assert (third.updated_count, third.unchanged_count) == (1, 19)
    assert Item.objects.get(local_id="Or.8210/S.5").description == {"en": ["A long scroll"]}


def test_dry_run_writes_nothing(institution, diamond, write_csv):
    run = run_csv(write_csv(good_rows(5)), dry_run=True)
    assert run.created_count == 5
    assert not Item.objects.exists()


def test_ten_planted_errors(institution, diamond, write_csv):
    good = good_rows(12)
    lines = [
        good[0],
        ",BL,X1,無題,Untitled,lzh,900,scroll,,",                                  # 1 missing identifier
        "E2,NOPE,X2,無題,Untitled,lzh,900,scroll,,",                              # 2 unknown institution
        "E3,BL,X3,無題,Untitled,xx-Qqqq,900,scroll,,",                            # 3 bad language tag
        "E4,BL,X4,無題,Untitled,lzh,the reign of nobody,scroll,,",                # 4 bad date
        good[1].replace("Or.8210/S.2,BL,Or.8210/S.2", "Or.8210/S.1,BL,Or.8210/S.1x"),  # 5 duplicate id
        good[2],
        "E7;BL;X7;無題;Untitled;lzh;900;scroll;;",                                # 7 wrong delimiter
        "E8,BL,X8,無題,Untitled,lzh,900,scroll,,,surplus",                       # 8 too many columns
        "E9,BL,X9,<b>無題</b><script>x()</script>,Untitled,lzh,900,scroll,,",   # 9 markup (loads)
        "E10,BL,X10,無題,Untitled,lzh,900,scroll,," + "x" * (5 * 1024 * 1024),    # 10 5 MB cell
        good[3],
    ]
    text = "\n".join([HEADER, *lines]).encode("utf-8")
    text += b"\nE6,BL,X6,\xe7\x84\xa1\xff\xfe,Untitled,lzh,900,scroll,,\n"       # 6 broken encoding
    run = run_csv(write_csv(text))
    errors = list(IngestError.objects.filter(run=run).order_by("id"))
    by_line = {}
    for e in errors:
        by_line.setdefault(e.location.split(" column")[0], []).append(e)
    assert all(len(v) == 1 for v in by_line.values()), [(e.location, e.message) for e in errors]
    messages = {e.location: e.message for e in errors}
    assert len(errors) == 10, messages
    assert run.failed_count == 9
    assert run.created_count == 4  # good[0], good[2], good[3] and the row with markup
    joined = "\n".join(f"{k}: {v}" for k, v in messages.items())
    for expected in (
        "line 3 column identifier: required column “identifier” is empty",
        "line 4 column institution: unknown institution “NOPE”",
        "line 5 column languages: unknown language tag “xx-Qqqq”",
        "line 6 column date: cannot read the date “the reign of nobody”",
        "line 7 column identifier: identifier “Or.8210/S.1” already appears on line 2",
        "line 9: this row is separated by semicolons",
        "line 10: this row has 11 fields but the header has 10",
        "line 11 column title@zh-Hant: markup removed from title@zh-Hant",
        "line 12 column description@en: cell is 5,242,880 characters long",
        "line 14 column title@zh-Hant: not valid UTF-8: byte 0xFF",
    ):
        assert expected in joined, (expected, joined)
    markup = Item.objects.get(local_id="E9")
    assert markup.title["zh-Hant"] == ["無題"]


def test_semicolon_file_is_read_with_a_warning(institution, diamond, tmp_path):
    path = tmp_path / "semi.csv"
    path.write_text("identifier;institution;title@en\nA1;BL;One\nA2;BL;Two\n", encoding="utf-8")
    run = run_csv(path)
    assert run.created_count == 2
    assert IngestError.objects.get(run=run).is_warning


def test_mapping_file_renames_headers(institution, tmp_path):
    path = tmp_path / "theirs.csv"
    path.write_text("Number,Name (English)\nN1,First\n", encoding="utf-8")
    run = run_csv(path, mapping={"columns": {"Number": "identifier", "Name (English)": "title@en"}},
                  institution="BL")
    assert run.created_count == 1
    assert Item.objects.get(local_id="N1").title == {"en": ["First"]}


@pytest.mark.parametrize(("expression", "bounds"), [
    ("868", (868, 868)), ("618-907", (618, 907)), ("200 BCE", (-200, -200)), ("8th century", (701, 800)),
    ("咸通九年四月十五日", (868, 868)), ("the reign of nobody", None),
])
def test_dates(expression, bounds):
    from mogao.ingest.normalise import parse_date

    assert parse_date(expression) == bounds
