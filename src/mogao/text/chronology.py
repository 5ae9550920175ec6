"""Dynasties and reign eras: the tables behind :mod:`mogao.text.dates`.

Dynasties are written here for this project (conventional bounds, BCE as negative years with no
year 0: ``-206`` is 206 BCE). Reign eras come from the table shipped in the
``chinese-history-toolkits`` wheel (Shanghai Library open data, 854 rows; read as CSV, without
importing the package, which would import pandas) with corrections of our own where that table
starts an era a year late or early (checked against DILA's authority database and standard
chronologies; the Tang list was checked era by era, being the heart of the Dunhuang corpus).
"""

from __future__ import annotations

import csv
import importlib.util
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from mogao.text.convert import to_simplified

__all__ = ["Dynasty", "Era", "dynasty_table", "era_table"]


class Dynasty(NamedTuple):
    """A dynasty or period: its names (Chinese traditional and simplified, pinyin, English
    aliases) and its conventional first and last years."""

    traditional: str
    simplified: str
    pinyin: str
    english: tuple[str, ...]
    start: int
    end: int

    @property
    def names(self) -> tuple[str, ...]:
        """Every name, Chinese first."""
        return (self.traditional, self.simplified, self.pinyin, *self.english)


# (traditional, pinyin, English names, start, end). Where one name covers several regimes the
# best-known comes first in the list, and lookups take the first (宋 is Song, not Liu Song).
_DYNASTIES: tuple[tuple[str, str, tuple[str, ...], int, int], ...] = (
    ("夏", "Xia", ("Xia dynasty",), -2070, -1600),
    ("商", "Shang", ("Shang dynasty", "Yin"), -1600, -1046),
    ("周", "Zhou", ("Zhou dynasty",), -1046, -256),
    ("西周", "Xizhou", ("Western Zhou",), -1046, -771),
    ("東周", "Dongzhou", ("Eastern Zhou",), -770, -256),
    ("春秋", "Chunqiu", ("Spring and Autumn period", "Spring and Autumn"), -770, -476),
    ("戰國", "Zhanguo", ("Warring States period", "Warring States"), -475, -221),
    ("秦", "Qin", ("Qin dynasty",), -221, -207),
    ("漢", "Han", ("Han dynasty",), -206, 220),
    ("西漢", "Xihan", ("Western Han", "Former Han"), -206, 8),
    ("新", "Xin", ("Xin dynasty",), 9, 23),
    ("東漢", "Donghan", ("Eastern Han", "Later Han"), 25, 220),
    ("三國", "Sanguo", ("Three Kingdoms",), 220, 280),
    ("魏", "Wei", ("Cao Wei", "Wei dynasty"), 220, 266),
    ("蜀漢", "Shuhan", ("Shu Han", "Shu"), 221, 263),
    ("吳", "Wu", ("Eastern Wu", "Sun Wu"), 222, 280),
    ("晉", "Jin", ("Jin dynasty",), 266, 420),
    ("西晉", "Xijin", ("Western Jin",), 266, 316),
    ("東晉", "Dongjin", ("Eastern Jin",), 317, 420),
    ("十六國", "Shiliuguo", ("Sixteen Kingdoms",), 304, 439),
    ("前秦", "Qianqin", ("Former Qin",), 351, 394),
    ("後秦", "Houqin", ("Later Qin",), 384, 417),
    ("西秦", "Xiqin", ("Western Qin",), 385, 431),
    ("前涼", "Qianliang", ("Former Liang",), 320, 376),
    ("北涼", "Beiliang", ("Northern Liang",), 397, 460),
    ("西涼", "Xiliang", ("Western Liang",), 400, 421),
    ("南北朝", "Nanbeichao", ("Northern and Southern dynasties",), 420, 589),
    ("北朝", "Beichao", ("Northern dynasties",), 386, 581),
    ("南朝", "Nanchao", ("Southern dynasties",), 420, 589),
    ("北魏", "Beiwei", ("Northern Wei",), 386, 534),
    ("東魏", "Dongwei", ("Eastern Wei",), 534, 550),
    ("西魏", "Xiwei", ("Western Wei",), 535, 557),
    ("北齊", "Beiqi", ("Northern Qi",), 550, 577),
    ("北周", "Beizhou", ("Northern Zhou",), 557, 581),
    ("劉宋", "Liusong", ("Liu Song", "Former Song"), 420, 479),
    ("南齊", "Nanqi", ("Southern Qi",), 479, 502),
    ("梁", "Liang", ("Liang dynasty",), 502, 557),
    ("陳", "Chen", ("Chen dynasty",), 557, 589),
    ("高昌", "Gaochang", ("Gaochang kingdom", "Qocho"), 460, 640),
    ("隋", "Sui", ("Sui dynasty",), 581, 618),
    ("唐", "Tang", ("Tang dynasty", "T'ang"), 618, 907),
    ("武周", "Wuzhou", ("Wu Zhou",), 690, 705),
    ("吐蕃", "Tubo", ("Tibetan Empire",), 618, 842),
    # Dunhuang's own periods, as its catalogues name them.
    ("吐蕃時期", "Tubo shiqi", ("Tibetan period", "Tibetan occupation"), 786, 848),
    ("歸義軍", "Guiyijun", ("Guiyijun period", "Return to Allegiance Army", "Guiyi circuit"),
     848, 1036),
    ("五代", "Wudai", ("Five Dynasties",), 907, 960),
    ("五代十國", "Wudai Shiguo", ("Five Dynasties and Ten Kingdoms",), 907, 979),
    ("後梁", "Houliang", ("Later Liang",), 907, 923),
    ("後唐", "Houtang", ("Later Tang",), 923, 937),
    ("後晉", "Houjin", ("Later Jin",), 936, 947),
    ("後漢", "Houhan", ("Later Han (Five Dynasties)",), 947, 951),
    ("後周", "Houzhou", ("Later Zhou",), 951, 960),
    ("南唐", "Nantang", ("Southern Tang",), 937, 975),
    ("于闐", "Yutian", ("Khotan", "Kingdom of Khotan"), -200, 1006),
    ("宋", "Song", ("Song dynasty", "Sung"), 960, 1279),
    ("北宋", "Beisong", ("Northern Song",), 960, 1127),
    ("南宋", "Nansong", ("Southern Song",), 1127, 1279),
    ("遼", "Liao", ("Liao dynasty", "Khitan"), 916, 1125),
    ("西夏", "Xixia", ("Western Xia", "Tangut", "Xi Xia"), 1038, 1227),
    ("金", "Jin", ("Jin dynasty (Jurchen)", "Jurchen Jin"), 1115, 1234),
    ("元", "Yuan", ("Yuan dynasty", "Mongol"), 1271, 1368),
    ("明", "Ming", ("Ming dynasty",), 1368, 1644),
    ("南明", "Nanming", ("Southern Ming",), 1644, 1662),
    ("清", "Qing", ("Qing dynasty", "Ch'ing", "Manchu"), 1644, 1912),
    ("中華民國", "Zhonghua Minguo", ("Republic of China", "Republican period"), 1912, 1949),
    ("新羅", "Xinluo", ("Silla",), -57, 935),
    ("高麗", "Gaoli", ("Goryeo", "Koryo"), 918, 1392),
)

# Other Chinese names of the regimes above, as bylines of the Buddhist canon write them
# (姚秦 is the Later Qin of the Yao family, 元魏 the Northern Wei of the Tuoba/Yuan, …).
DYNASTY_ALIASES: dict[str, str] = {
    "姚秦": "後秦", "符秦": "前秦", "苻秦": "前秦", "乞伏秦": "西秦", "元魏": "北魏", "後魏": "北魏",
    "拓跋魏": "北魏", "曹魏": "魏", "蕭齊": "南齊", "高齊": "北齊", "宇文周": "北周", "蕭梁": "梁",
    "趙宋": "宋", "李唐": "唐", "大唐": "唐", "大宋": "宋", "大明": "明", "大清": "清",
}

# Era dynasties grouped under a broader name given as prefix (宋乾德 is a Northern Song era).
DYNASTY_GROUPS: dict[str, frozenset[str]] = {
    "宋": frozenset({"宋", "北宋", "南宋"}),
    "汉": frozenset({"汉", "西汉", "东汉"}),
    "晋": frozenset({"晋", "西晋", "东晋"}),
    "周": frozenset({"周", "武周"}),
    "唐": frozenset({"唐", "武周"}),
    "明": frozenset({"明", "南明"}),
}

# When an era name belongs to several regimes, the best-known wins, in this order, then the
# longer-lived era. The order follows the major unified dynasties, then the Dunhuang region's.
DYNASTY_PREFERENCE: tuple[str, ...] = (
    "唐", "北宋", "南宋", "宋", "明", "清", "元", "西汉", "汉", "东汉", "隋", "西晋", "东晋", "晋",
    "辽", "金", "后梁", "后唐", "后晋", "后汉", "后周", "北魏", "魏", "蜀", "吴", "西夏", "南明",
    "西魏", "东魏", "北周", "北齐", "南朝宋", "南齐", "梁", "陈", "北凉", "西凉", "前凉", "高昌",
)

# (dynasty, era, first year, last year), simplified. Replaces the base table's row for the same
# dynasty and era, or adds it. Sources: standard era tables; checked against DILA where it has them.
_ERA_FIXES: tuple[tuple[str, str, int, int], ...] = (
    ("汉", "太初", -104, -101),
    ("隋", "开皇", 581, 600), ("隋", "义宁", 617, 618),
    ("唐", "光宅", 684, 684), ("唐", "长安", 701, 704), ("唐", "神龙", 705, 707),
    ("唐", "延和", 712, 712), ("唐", "先天", 712, 713), ("唐", "开元", 713, 741),
    ("唐", "元和", 806, 820), ("唐", "长庆", 821, 824), ("唐", "宝历", 825, 827),
    ("唐", "太和", 827, 835), ("唐", "大和", 827, 835), ("唐", "开成", 836, 840),
    ("唐", "会昌", 841, 846), ("唐", "大中", 847, 860), ("唐", "咸通", 860, 874),
    ("唐", "乾符", 874, 879), ("唐", "天复", 901, 904), ("唐", "天祐", 904, 907),
    ("后梁", "开平", 907, 911), ("后唐", "同光", 923, 926), ("后唐", "清泰", 934, 936),
    ("后晋", "天福", 936, 944), ("后周", "广顺", 951, 953), ("后周", "显德", 954, 960),
    ("南唐", "交泰", 958, 958), ("清", "崇德", 1636, 1643), ("南明", "永历", 1647, 1662),
    # Five Dynasties and Ten Kingdoms; regional courts counting a central era keep its first year.
    ("后梁", "乾化", 911, 915), ("后汉", "天福", 936, 947), ("后汉", "乾祐", 948, 950),
    ("南唐", "昇元", 937, 943), ("南汉", "乾亨", 917, 925), ("南汉", "乾和", 943, 958),
    ("前蜀", "乾德", 919, 924), ("前蜀", "天复", 901, 907), ("闽", "同光", 923, 926),
    ("吴越", "天祐", 904, 923), ("吴越", "乾化", 911, 915), ("吴越", "长兴", 930, 933),
    ("吴越", "清泰", 934, 936), ("吴越", "天福", 936, 947),
    # Han to the Northern and Southern dynasties (the eras of the earliest Dunhuang manuscripts).
    ("东汉", "中平", 184, 189), ("东汉", "永汉", 189, 189), ("东晋", "大亨", 402, 404),
    ("前凉", "建兴", 313, 361), ("前凉", "升平", 357, 376), ("北凉", "神玺", 397, 399),
    ("北凉", "天玺", 399, 401), ("北凉", "承平", 443, 460), ("后凉", "咸宁", 399, 401),
    ("西秦", "更始", 409, 412), ("南凉", "嘉平", 408, 414), ("北燕", "正始", 407, 409),
    ("北燕", "太平", 409, 430), ("西燕", "建明", 386, 386), ("西燕", "建平", 386, 386),
    ("西燕", "建武", 386, 386), ("西燕", "中兴", 386, 394),
    ("北魏", "登国", 386, 396), ("北魏", "永兴", 409, 413), ("北魏", "泰常", 416, 423),
    ("北魏", "兴安", 452, 454), ("北魏", "兴光", 454, 455), ("北魏", "建义", 528, 528),
    ("北魏", "永安", 528, 530), ("北魏", "中兴", 531, 532), ("北齐", "天保", 550, 559),
    ("陈", "永定", 557, 559), ("北周", "武成", 559, 560), ("北周", "大象", 579, 580),
    ("南齐", "建元", 479, 482), ("南齐", "延兴", 494, 494), ("南齐", "建武", 494, 498),
)

# Base-table rows that are wrong beyond repair (a duplicate 太初 dated 5 BCE).
_ERA_DROPS: frozenset[tuple[str, str, int]] = frozenset({("汉", "太初", -5)})


@dataclass(frozen=True)
class Era:
    """One reign era: dynasty and era names (simplified), first and last year, ruler if known."""

    dynasty: str
    name: str
    start: int
    end: int
    monarch: str = ""
    canonical: bool = True  # False where the base table files a minor regime under a big name


@lru_cache(maxsize=1)
def dynasty_table() -> tuple[Dynasty, ...]:
    """Every dynasty and period, in the order above (best-known first for shared names)."""
    return tuple(
        Dynasty(trad, to_simplified(trad), pinyin, english, start, end)
        for trad, pinyin, english, start, end in _DYNASTIES
    )


def _base_table_path() -> Path:
    spec = importlib.util.find_spec("chhiskit")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the 'chinese-history-toolkits' package (reign-era table) is missing")
    root = Path(next(iter(spec.submodule_search_locations)))
    return root / "data" / "dynasties" / "dynasty_clean.csv"


@lru_cache(maxsize=1)
def era_table() -> tuple[Era, ...]:
    """Every reign era: the base table with :data:`_ERA_FIXES` applied."""
    fixes = {(d, e): (s, t) for d, e, s, t in _ERA_FIXES}
    eras: list[Era] = []
    seen_fixed: set[tuple[str, str]] = set()
    with _base_table_path().open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            name = (row.get("reignTitle") or "").strip()
            if not name:
                continue
            dynasty = (row.get("dynasty") or "").strip()
            try:
                start, end = int(row["beginYear"]), int(row["endYear"])
            except (KeyError, TypeError, ValueError):
                continue
            if (dynasty, name, start) in _ERA_DROPS:
                continue
            label = (row.get("label") or "").strip()
            canonical = bool(dynasty) and label == dynasty + name
            if (dynasty, name) in fixes and canonical:
                if (dynasty, name) in seen_fixed:
                    continue  # a corrected era keeps one row
                start, end = fixes[(dynasty, name)]
                seen_fixed.add((dynasty, name))
            eras.append(Era(dynasty, name, start, end, (row.get("monarch") or "").strip(), canonical))
    for (dynasty, name), (start, end) in fixes.items():
        if (dynasty, name) not in seen_fixed:
            eras.append(Era(dynasty, name, start, end))
    return tuple(eras)
