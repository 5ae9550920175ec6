"""The benchmark corpus: the real Tang and Song poems plus generated catalogue-shaped records.

The poems are read at run time from ``../shared/data`` (never copied); the catalogue records are
generated deterministically (seeded) from the poems' own characters and a small vocabulary of
the field, so every run and every engine sees exactly the same documents.
"""

from __future__ import annotations

import gzip
import json
import random
from collections.abc import Iterator
from pathlib import Path

from mogao.search.types import SearchDocument

POEMS = Path("texts/perf/chinese_poetry_tang_song_all.jsonl.gz")
POEM_COUNT = 332_905
SEED = 20260

DYNASTY_YEARS = {"tang": (618, 907), "song": (960, 1279)}
INSTITUTIONS = {
    "British Library": ["Stein", "Or.8212"],
    "Bibliothèque nationale de France": ["Pelliot chinois", "Pelliot tibétain"],
    "National Library of China": ["BD", "Xinjiang"],
    "IOM RAS": ["Dx", "Kozlov"],
    "Ryukoku University": ["Otani"],
    "Princeton University Library": ["Gest"],
}
SHELF = {
    "Stein": "Or.8210/S.",
    "Or.8212": "Or.8212/",
    "Pelliot chinois": "P.",
    "Pelliot tibétain": "P.T.",
    "BD": "BD",
    "Xinjiang": "XJ",
    "Dx": "Дх.",
    "Kozlov": "Kh.",
    "Otani": "Ot.",
    "Gest": "Gest ",
}
PERIODS = [
    ("Northern Wei", 386, 534),
    ("Sui", 581, 618),
    ("Tang", 618, 907),
    ("Five Dynasties", 907, 960),
    ("Song", 960, 1279),
    ("Western Han", -206, 9),
    ("Warring States", -475, -221),
]
TYPES = ["scroll", "codex", "fragment", "rubbing", "printed book", "booklet", "banner"]
LANGUAGES = ["lzh", "zh-Hant", "bo", "sa", "ug", "sog"]
STATUSES = ["catalogued", "requested", "scheduled", "digitized"]
RIGHTS = ["public domain", "CC BY 4.0", "CC BY-NC 4.0", "in copyright"]
SUBJECTS = [
    "Buddhism",
    "Daoism",
    "astronomy",
    "calendar",
    "medicine",
    "poetry",
    "contracts",
    "letters",
    "divination",
    "administration",
]
SUFFIXES = ["經", "論", "疏", "記", "抄", "讚", "文", "書", "曆", "圖", "詩", "集"]
ENGLISH = [
    "sutra",
    "commentary",
    "diamond",
    "heart",
    "lotus",
    "star",
    "chart",
    "calendar",
    "contract",
    "letter",
    "prayer",
    "hymn",
    "register",
    "manuscript",
    "scroll",
    "fragment",
    "copy",
    "medicine",
    "divination",
    "almanac",
    "dharani",
    "vinaya",
    "precepts",
    "poems",
    "household",
    "census",
    "monastery",
    "donor",
    "colophon",
    "painting",
]


def _poem_doc(row: dict[str, object], n: int) -> SearchDocument:
    dynasty = str(row.get("_dynasty") or "tang")
    years = DYNASTY_YEARS.get(dynasty, (618, 1279))
    paragraphs = row.get("paragraphs") or []
    body = "\n".join(str(p) for p in paragraphs) if isinstance(paragraphs, list) else str(paragraphs)
    title = str(row.get("title") or row.get("rhythmic") or "")
    author = str(row.get("author") or "")
    return SearchDocument(
        id=f"poem:{n}",
        doc_type="poem",
        text={"title": [title], "names": [author], "body": [body]},
        filters={
            "period": [dynasty.capitalize()],
            "item_type": [str(row.get("_genre") or "shi")],
            "language": ["lzh"],
            "collection": [str(row.get("_source_file") or "").split("/")[0] or "poetry"],
        },
        year_start=years[0],
        year_end=years[1],
        sort_key=f"POEM.{n:07d}",
        payload={"title": title, "author": author},
    )


def poems(data: Path, limit: int) -> Iterator[tuple[SearchDocument, str]]:
    """Up to ``limit`` poems as documents, each with its body text (used to seed generation)."""
    with gzip.open(data / POEMS, "rt", encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            if n >= limit:
                return
            doc = _poem_doc(json.loads(line), n)
            yield doc, doc.text["body"][0]


def catalogue_record(n: int, rng: random.Random, lines: list[str]) -> SearchDocument:
    """One generated manuscript/print record with the fields a catalogue holds."""
    line = rng.choice(lines) if lines else "金剛般若波羅蜜"
    start = rng.randrange(max(1, len(line) - 4))
    title = line[start : start + rng.randint(2, 6)] + rng.choice(SUFFIXES)
    institution = rng.choice(list(INSTITUTIONS))
    collection = rng.choice(INSTITUTIONS[institution])
    period, lo, hi = rng.choice(PERIODS)
    y0 = rng.randint(lo, hi)
    y1 = min(hi, y0 + rng.choice([0, 0, 10, 50, 100]))
    number = rng.randint(1, 20_000)
    english = " ".join(rng.sample(ENGLISH, 3))
    desc_line = rng.choice(lines) if lines else ""
    return SearchDocument(
        id=f"item:{n}",
        doc_type=rng.choice(["item", "item", "item", "work"]),
        text={
            "title": [title],
            "alias": [english.capitalize()],
            "shelfmark": [f"{SHELF[collection]}{number}"],
            "names": [rng.choice(lines)[:3] if lines else ""],
            "description": [f"{english} {desc_line[:40]} {rng.choice(SUBJECTS)}"],
        },
        filters={
            "institution": [institution],
            "collection": [collection],
            "item_type": [rng.choice(TYPES)],
            "period": [period],
            "language": [rng.choice(LANGUAGES)],
            "status": [rng.choice(STATUSES)],
            "rights": [rng.choice(RIGHTS)],
            "subject": rng.sample(SUBJECTS, rng.randint(1, 2)),
        },
        year_start=y0,
        year_end=y1,
        sort_key=f"{SHELF[collection]}{number:06d}",
        payload={"title": title, "shelfmark": f"{SHELF[collection]}{number}"},
    )


def records(data: Path, total: int) -> Iterator[SearchDocument]:
    """``total`` documents: all the poems (or a third of ``total`` if smaller), then generated."""
    n_poems = min(POEM_COUNT, total if total >= POEM_COUNT * 3 // 2 else total // 3)
    rng = random.Random(SEED)
    lines: list[str] = []
    produced = 0
    for doc, body in poems(data, n_poems):
        if len(lines) < 20_000:
            lines.extend(x for x in body.replace("。", "\n").replace("，", "\n").split("\n") if len(x) >= 4)
        produced += 1
        yield doc
    for n in range(total - produced):
        yield catalogue_record(n, rng, lines)


def sample_lines(data: Path, count: int = 20_000) -> list[str]:
    """Poem lines (from the first poems) used to draw realistic queries."""
    lines: list[str] = []
    for _, body in poems(data, 60_000):
        lines.extend(x for x in body.replace("。", "\n").replace("，", "\n").split("\n") if len(x) >= 4)
        if len(lines) >= count:
            break
    return lines
