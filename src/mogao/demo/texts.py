"""Classical full texts for the built-in demo, from the chinese-poetry corpus installed by npm (MIT).

``make setup`` runs ``npm ci`` (the ``chinese-poetry`` package is a front-end dependency) and
``frontend/install_assets.py`` copies eight files of it, about 0.8 MB, into ``mogao/demo/corpus/``
(git-ignored, like the static vendor files; a wheel built after ``make setup`` carries them). The
demo then loads them exactly as ``--data`` loads the same corpus from ``../shared/data``: one
text-only item per text, one image-less page per chapter or poem with its text as an imported
transcription (:func:`mogao.ingest.shared.load_text_folder`), plus one work per text. Without the
folder (``pip install .`` from a clone where node never ran) the demo is the small built-in set.

Idempotent: unchanged texts are not rewritten; when the files and their mappings are those of the
last successful load and every section is still there, the files are not even read again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mogao.catalogue import services
from mogao.catalogue.models import Canvas, Item, ItemWork, Work
from mogao.ingest.shared import TEXT_DESCRIPTION, TEXT_INSTITUTION, TEXTS

Echo = Callable[[str], Any]
#: Where ``frontend/install_assets.py`` copies the corpus files.
CORPUS = Path(__file__).resolve().parent / "corpus"


def _title(hant: str, hans: str, en: str, fr: str) -> dict[str, list[str]]:
    return {"zh-Hant": [hant], "zh-Hans": [hans], "en": [en], "fr": [fr]}


#: Texts of the npm package that the shared data set does not load (same mapping format as TEXTS).
EXTRA: dict[str, dict[str, Any]] = {
    "daxue.json": {
        "identifier": "daxue", "title": _title("大學", "大学", "The Great Learning", "La Grande Étude"),
        "sections": "$", "label": ["chapter"], "label_language": "zh-Hant", "language": "lzh-Hant",
        "description": TEXT_DESCRIPTION,
    },
    "zhongyong.json": {
        "identifier": "zhongyong",
        "title": _title("中庸", "中庸", "The Doctrine of the Mean", "L'Invariable Milieu"),
        "sections": "$", "label": ["chapter"], "label_language": "zh-Hant", "language": "lzh-Hant",
        "description": TEXT_DESCRIPTION,
    },
    "chuci.json": {
        "identifier": "chuci", "title": _title("楚辭", "楚辞", "Songs of Chu", "Chants de Chu"),
        "sections": "$[*]", "label": ["title", "author"], "text": "content", "label_language": "zh-Hans",
        "language": "lzh-Hans", "description": TEXT_DESCRIPTION,
    },
    "songci_300.json": {
        "identifier": "songci-300",
        "title": _title("宋詞三百首", "宋词三百首", "Three Hundred Song Lyrics", "Trois cents poèmes chantés des Song"),
        "sections": "$[*]", "label": ["rhythmic", "author"], "label_language": "zh-Hans", "language": "lzh-Hans",
        "description": TEXT_DESCRIPTION,
    },
}
MAPPINGS: dict[str, dict[str, Any]] = {**TEXTS, **EXTRA}

#: One abstract work per text (titles only: the demo states no fact it has not checked).
WORKS: dict[str, dict[str, Any]] = {
    mapping["identifier"]: {"pid": f"text-{mapping['identifier']}", "title": mapping["title"]}
    for mapping in MAPPINGS.values()
}


def corpus_available(folder: Path = CORPUS) -> bool:
    """True when at least one corpus file is installed in ``folder``."""
    return any((folder / name).is_file() for name in MAPPINGS)


def corpus_version(folder: Path = CORPUS) -> str:
    """``npm package chinese-poetry 2.0.1 (MIT)`` as written by install_assets.py, or ``""``."""
    source = folder / "SOURCE.txt"
    return source.read_text(encoding="utf-8").strip() if source.is_file() else ""


def _fingerprint(folder: Path) -> str:
    digest = hashlib.sha256(json.dumps(MAPPINGS, sort_keys=True, ensure_ascii=False).encode())
    for name in sorted(MAPPINGS):
        path = folder / name
        if path.is_file():
            digest.update(name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _unchanged(folder: Path, fingerprint: str) -> dict[str, int] | None:
    """The counts of the last load when ``fingerprint`` matches it and all its pages still exist."""
    from mogao.ingest.models import IngestRun

    last = (IngestRun.objects.filter(kind="json", source=str(folder.resolve()), institution_code=TEXT_INSTITUTION[0],
                                     status=IngestRun.Status.DONE, failed_count=0)
            .order_by("-id").first())
    if last is None or last.options.get("fingerprint") != fingerprint:
        return None
    keys = [MAPPINGS[name]["identifier"] for name in last.options.get("files", [])]
    sections = Canvas.objects.filter(item__institution__code=TEXT_INSTITUTION[0], item__local_id__in=keys).count()
    if sections != last.options.get("sections") or Item.objects.filter(
        institution__code=TEXT_INSTITUTION[0], local_id__in=keys
    ).count() != len(keys):
        return None
    return {"texts": len(keys), "sections": sections}


def load_corpus(folder: Path = CORPUS, *, echo: Echo = print) -> dict[str, int]:
    """Load the corpus texts found in ``folder`` (nothing when it is absent); returns counts."""
    from mogao.ingest.models import IngestRun
    from mogao.ingest.shared import load_text_folder

    if not corpus_available(folder):
        echo("  classical texts: none installed (run `make setup` for the chinese-poetry corpus from npm)")
        return {}
    fingerprint = _fingerprint(folder)
    summary = _unchanged(folder, fingerprint)
    if summary is None:
        summary = load_text_folder(folder, MAPPINGS, echo)
        run = IngestRun.objects.filter(kind="json", source=str(folder.resolve())).order_by("-id").first()
        if run is not None:
            run.options = {**run.options, "fingerprint": fingerprint, "sections": summary.get("sections", 0)}
            run.save(update_fields=["options"])
    echo(f"  classical texts: {summary.get('texts', 0)} texts, {summary.get('sections', 0)} pages "
         f"({corpus_version(folder) or 'chinese-poetry'})")
    return summary


def link_text_works() -> int:
    """One work per corpus text present in the catalogue, linked to its item; returns the works."""
    items = Item.objects.filter(institution__code=TEXT_INSTITUTION[0], local_id__in=list(WORKS))
    linked = 0
    for item in items:
        spec = WORKS[item.local_id]
        work = Work.objects.filter(pid=spec["pid"]).first()
        if work is None or work.title != spec["title"]:
            work, _created = services.work_upsert(pid=spec["pid"], title=spec["title"])
        if not item.item_works.filter(work=work).exists():
            services.item_upsert(institution=item.institution, local_id=item.local_id,
                                 works=[(work, ItemWork.Role.TEXT)])
        linked += 1
    return linked
