"""Reign eras, dynasties and catalogue date expressions -> integer year bounds (BCE negative)."""

from __future__ import annotations

import json
from itertools import pairwise
from pathlib import Path

import pytest

from mogao.text.chronology import era_table
from mogao.text.dates import DateRange, dynasties, find_dynasty, parse_date, reign_year


@pytest.mark.parametrize(
    ("expr", "year", "period"),
    [
        ("咸通九年", 868, "唐咸通"),
        ("咸通九年四月十五日", 868, "唐咸通"),
        ("唐咸通九年", 868, "唐咸通"),
        ("大唐咸通九年", 868, "唐咸通"),
        ("唐懿宗咸通九年", 868, "唐咸通"),
        ("咸通9年", 868, "唐咸通"),
        ("乾隆三十九年", 1774, "清乾隆"),
        ("开元十九年", 731, "唐开元"),
        ("開元十九年", 731, "唐开元"),
        ("永樂元年", 1403, "明永乐"),
        ("永乐元年", 1403, "明永乐"),
        ("大明永樂元年", 1403, "明永乐"),
        ("貞觀廿三年", 649, "唐贞观"),
        ("天寶卅年", 771, "唐天宝"),  # beyond the era's end: counted on, as remote regions did
        ("天復十年", 910, "唐天复"),
        ("元和元年", 806, "唐元和"),
        ("太平興國三年", 978, "北宋太平兴国"),
        ("建元二年", -139, "汉建元"),
        ("康熙六十一年", 1722, "清康熙"),
    ],
)
def test_reign_year(expr: str, year: int, period: str) -> None:
    assert reign_year(expr) == DateRange(year, year, period, expr)


def test_ambiguous_era_names_follow_the_dynasty_prefix_then_the_best_known() -> None:
    assert reign_year("永樂元年").start == 1403  # Ming, not the 943 era of the same name
    assert reign_year("于闐永樂元年").start == 943
    assert reign_year("太和元年").start == 827  # Tang before Cao Wei, Northern Wei, ...
    assert reign_year("北魏太和元年").start == 477
    assert reign_year("東晉太和元年").start == 366
    assert reign_year("宋太平興國三年").start == 978  # 宋 groups Northern and Southern Song


@pytest.mark.parametrize(
    "expr", ["", "九年", "咸通", "咸通九十年", "咸通零年", "唐乾隆元年", "foo", "某某九年", "年" * 100]
)
def test_reign_year_rejects(expr: str) -> None:
    assert reign_year(expr) is None


@pytest.mark.parametrize(
    ("expr", "start", "end"),
    [
        ("868", 868, 868),
        ("868 CE", 868, 868),
        ("AD 868", 868, 868),
        ("9th century", 801, 900),
        ("9th c.", 801, 900),
        ("8th-9th c.", 701, 900),
        ("8th–9th century", 701, 900),
        ("8th to 9th century", 701, 900),
        ("early 9th century", 801, 833),
        ("mid-9th century", 834, 867),
        ("late 8th c.", 768, 800),
        ("c. 700", 675, 725),
        ("ca. 700", 675, 725),
        ("circa 700", 675, 725),
        ("650-748", 650, 748),
        ("1403-24", 1403, 1424),
        ("860s", 860, 869),
        ("3rd century BCE", -300, -201),
        ("1st century BC", -100, -1),
        ("3rd-2nd century BCE", -300, -101),
        ("250 BCE", -250, -250),
        ("250-200 BC", -250, -200),
        ("c. 250 BCE", -275, -225),
        ("IXe siècle", 801, 900),
        ("IXe-Xe siècles", 801, 1000),
        ("IIIe siècle av. J.-C.", -300, -201),
        ("Tang", 618, 907),
        ("Tang dynasty", 618, 907),
        ("T'ang", 618, 907),
        ("唐", 618, 907),
        ("唐代", 618, 907),
        ("Northern Wei", 386, 534),
        ("Tibetan period", 786, 848),
        ("Guiyijun period", 848, 1036),
        ("咸通九年", 868, 868),
        ("唐咸通", 860, 874),
        ("ninth century", 801, 900),
        ("ninth-tenth century", 801, 1000),
        ("second half of the ninth century", 851, 900),
        ("Tang dynasty (618–907)", 618, 907),
        ("Tang, 9th century", 801, 900),
        ("咸通九年（868）", 868, 868),
        ("Tang (c. 700)", 675, 725),
    ],
)
def test_parse_date(expr: str, start: int, end: int) -> None:
    parsed = parse_date(expr)
    assert parsed is not None, expr
    assert (parsed.start, parsed.end) == (start, end)
    assert parsed.expression == expr


def test_parse_date_names_the_period() -> None:
    assert parse_date("Tang").period == "唐"
    assert parse_date("咸通九年").period == "唐咸通"
    assert parse_date("868").period is None
    assert parse_date("Tang, 9th century").period == "唐"


@pytest.mark.parametrize(
    "expr", ["", "   ", "748-650", "0", "soon", "99th century", "10000 BCE", "1-2-3", "x" * 500]
)
def test_parse_date_rejects(expr: str) -> None:
    assert parse_date(expr) is None


def test_date_range_refuses_inverted_bounds() -> None:
    with pytest.raises(ValueError, match="start"):
        DateRange(900, 800)


def test_dynasties_table() -> None:
    table = dynasties()
    tang = next(d for d in table if d.traditional == "唐")
    assert (tang.simplified, tang.pinyin, tang.start, tang.end) == ("唐", "Tang", 618, 907)
    assert "Tang dynasty" in tang.names
    assert all(d.start <= d.end for d in table)
    assert find_dynasty("Song").traditional == "宋"  # best-known first: not Liu Song
    assert find_dynasty("后晋").traditional == "後晉"
    assert find_dynasty("nowhere") is None
    # the canon's bylines name regimes by family: 姚秦 is the Later Qin, 元魏 the Northern Wei
    assert find_dynasty("姚秦").traditional == "後秦"
    assert find_dynasty("元魏").traditional == "北魏"
    assert find_dynasty("蕭齊").traditional == "南齊"


@pytest.mark.shared_data
def test_every_dynasty_of_the_dila_catalogue_is_known(shared_data: Path) -> None:
    catalogue = json.loads(
        (shared_data / "catalogue" / "dila_authority_catalog_T.json").read_text(encoding="utf-8")
    )
    names = {work["dynasty"] for work in catalogue.values() if work.get("dynasty")}
    assert len(names) > 30
    assert [n for n in sorted(names) if find_dynasty(n) is None] == []


def test_tang_eras_are_contiguous_and_ordered() -> None:
    """The Tang list was checked era by era; consecutive eras must not leave gaps."""
    tang = sorted((e for e in era_table() if e.dynasty == "唐" and e.canonical), key=lambda e: e.start)
    assert len(tang) > 60
    for before, after in pairwise(tang):
        assert after.start - before.end <= 1, (before, after)
