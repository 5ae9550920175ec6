"""Start and execute ingest runs: the one entry point the CLI, the admin and the demo loader use."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError

from mogao.catalogue.models import Institution
from mogao.core.storage import resolve_location
from mogao.ingest.models import IngestRun
from mogao.ingest.pipeline import DEFAULT_BATCH, ProgressCallback, run_source, run_start
from mogao.ingest.records import Source, SourceError

KINDS = tuple(IngestRun.Kind.values)


def _institution(code: str) -> Institution:
    if not code:
        raise SourceError("an institution code is required for this kind of import (--institution)")
    found = Institution.objects.filter(code=code).first()
    if found is None:
        raise SourceError(f"unknown institution “{code}” (create it first, or pass --institution-name)")
    return found


def source_build(
    kind: str, location: str, *, institution_code: str = "", options: dict[str, Any] | None = None
) -> Source:
    """The source object for ``kind`` reading ``location`` (path, URL or ``storage:`` name) with ``options``."""
    opts = dict(options or {})
    location = resolve_location(location)  # uploads kept in the storage (#19): a local path or copy
    if kind in ("csv", "json"):
        from mogao.ingest.sources.csv import CsvSource, read_mapping
        from mogao.ingest.sources.json import JsonSource

        mapping = opts.get("mapping")
        if isinstance(mapping, str):
            mapping = read_mapping(Path(mapping))
        if kind == "json" and isinstance(mapping, dict) and "sections" in mapping:
            # A full text, not item records: sections become text-only canvases (see sources.texts).
            from mogao.ingest.sources.texts import TextMapping, TextSource

            fields = dict(mapping)
            code = institution_code or str(fields.pop("institution", ""))
            fields.pop("institution", None)
            return TextSource([(Path(location), TextMapping.from_dict(fields))], institution=_institution(code))
        cls = CsvSource if kind == "csv" else JsonSource
        return cls(Path(location), mapping=mapping, institution=institution_code)
    institution = _institution(institution_code)
    if kind == "iiif":
        from mogao.ingest.sources.iiif import IiifSource

        return IiifSource(location, institution=institution, follow=opts.get("follow"))
    if kind == "oai":
        from mogao.ingest.sources.oaipmh import OaiSource

        return OaiSource(
            location, institution=institution, prefix=opts.get("prefix") or "oai_dc",
            set_spec=opts.get("set") or "", from_=opts.get("from") or "", until=opts.get("until") or "",
            incremental=bool(opts.get("incremental")),
        )
    if kind == "images":
        from mogao.ingest.sources.images import DEFAULT_PATTERN, ImageFolderSource

        return ImageFolderSource(
            Path(location), institution=institution, mode=opts.get("mode") or "folder",
            pattern=opts.get("pattern") or DEFAULT_PATTERN, ocr=bool(opts.get("ocr")),
            ocr_backend=opts.get("ocr_backend"),
        )
    raise SourceError(f"unknown import kind {kind!r} (one of {', '.join(KINDS)})")


def ingest_execute(
    *, kind: str, location: str, institution_code: str = "", options: dict[str, Any] | None = None,
    dry_run: bool = False, resume: bool = False, user: Any = None,
    progress: ProgressCallback | None = None, batch_size: int = DEFAULT_BATCH,
    run: IngestRun | None = None,
) -> IngestRun:
    """Run an import to the end in this process and return its run (see ``IngestRun`` counts).

    A source that cannot even be opened (bad path, refused URL, unknown institution) ends the run
    as ``failed`` with the reason in ``message``; nothing is raised.
    """
    if run is None:
        run = run_start(kind=kind, source=location, institution_code=institution_code,
                        options=options, dry_run=dry_run, resume=resume, user=user)
    try:
        source = source_build(run.kind, run.source, institution_code=run.institution_code, options=run.options)
    except (SourceError, ValidationError) as exc:
        from django.utils import timezone

        from mogao.ingest.models import IngestError

        message = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        run.status, run.message, run.finished = IngestRun.Status.FAILED, message, timezone.now()
        run.save()
        IngestError.objects.create(run=run, location=run.source[:500], message=message)
        return run
    return run_source(source, run, batch_size=batch_size, progress=progress)


def ingest_enqueue(
    *, kind: str, location: str, institution_code: str = "", options: dict[str, Any] | None = None,
    dry_run: bool = False, user: Any = None,
) -> IngestRun:
    """Create a pending run and queue it as a background task after the commit (admin uploads)."""
    from mogao.core.tasks import enqueue_after_commit
    from mogao.ingest.tasks import ingest_run_task

    run = run_start(kind=kind, source=location, institution_code=institution_code, options=options,
                    dry_run=dry_run, user=user)
    enqueue_after_commit(ingest_run_task, run.pk)
    return run


def institution_ensure(*, code: str, name: str) -> Institution:
    """The institution ``code``, created with the English ``name`` when it does not exist yet."""
    from mogao.catalogue.services import institution_upsert

    found = Institution.objects.filter(code=code).first()
    if found is not None:
        return found
    return institution_upsert(code=code, name={"en": [name]})[0]
