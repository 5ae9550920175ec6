"""`mogao import csv|json|iiif|oai|images`: run an importer with a progress display and a report.

Exit status: 0 when every record loaded, 1 when some records failed, 2 when the source itself
could not be read (the run is then marked failed).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from mogao.cli import django_setup, main


@main.group(name="import")
def import_group() -> None:
    """Import records: CSV, JSON, IIIF manifests, OAI-PMH endpoints, image folders."""


def _common(func: Callable[..., Any]) -> Callable[..., Any]:
    func = click.option("--dry-run", is_flag=True, help="Validate and report; write nothing.")(func)
    func = click.option("--resume", is_flag=True, help="Continue the last unfinished run of this source.")(func)
    func = click.option("--batch-size", default=200, show_default=True, type=click.IntRange(1, 10_000),
                        help="Records per database transaction.")(func)
    func = click.option("--institution-name", default="",
                        help="Create the institution with this name if missing.")(func)
    return func


def _run(kind: str, location: str, *, institution: str, institution_name: str, options: dict[str, Any],
         dry_run: bool, resume: bool, batch_size: int, estimate: int | None = None) -> None:
    django_setup()
    from mogao.ingest.reports import run_summary
    from mogao.ingest.services import ingest_execute, institution_ensure

    if institution and institution_name:
        institution_ensure(code=institution, name=institution_name)
    bar_ctx = click.progressbar(length=estimate, label=f"{kind} import", show_pos=True) if estimate else None
    bar = bar_ctx.__enter__() if bar_ctx else None
    last = [0]

    def progress(run: Any) -> None:
        if bar is not None:
            bar.update(run.position - last[0])
            last[0] = run.position
        else:
            click.echo(f"\r  {run.position:,} records  " + "  ".join(f"{k} {v:,}" for k, v in run.counts().items()),
                       nl=False, err=True)

    try:
        run = ingest_execute(kind=kind, location=location, institution_code=institution, options=options,
                             dry_run=dry_run, resume=resume, progress=progress, batch_size=batch_size)
    finally:
        if bar_ctx is not None:
            bar_ctx.__exit__(None, None, None)
        else:
            click.echo("", err=True)
    click.echo(run_summary(run))
    if run.status == "failed":
        sys.exit(2)
    if run.failed_count:
        sys.exit(1)


def _line_count(path: Path) -> int | None:
    try:
        with path.open("rb") as fh:
            return max(sum(1 for _ in fh) - 1, 1)
    except OSError:
        return None


@import_group.command(name="csv")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--institution", default="", help="Institution code for rows without an institution column.")
@click.option("--mapping", type=click.Path(dir_okay=False, path_type=Path), help="JSON mapping of your headers.")
@_common
def import_csv(path: Path, institution: str, mapping: Path | None, **kw: Any) -> None:
    """Import items from a CSV file (columns: see docs/ingest.md)."""
    options = {"mapping": str(mapping.resolve())} if mapping else {}
    _run("csv", str(path.resolve()), institution=institution, options=options,
         estimate=_line_count(path), **kw)


@import_group.command(name="json")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--institution", default="", help="Institution code for objects without one.")
@click.option("--mapping", type=click.Path(dir_okay=False, path_type=Path), help="JSON mapping of your keys.")
@_common
def import_json(path: Path, institution: str, mapping: Path | None, **kw: Any) -> None:
    """Import items from a JSON array or JSON Lines file."""
    options = {"mapping": str(mapping.resolve())} if mapping else {}
    _run("json", str(path.resolve()), institution=institution, options=options, **kw)


@import_group.command(name="iiif")
@click.argument("location")
@click.option("--institution", required=True, help="Institution code of the holder.")
@click.option("--follow/--no-follow", default=None, help="Fetch the manifests a collection lists.")
@_common
def import_iiif(location: str, institution: str, follow: bool | None, **kw: Any) -> None:
    """Import a IIIF manifest or collection (v2 or v3) from a file or an http(s) URL."""
    if "://" not in location:
        location = str(Path(location).resolve())
    _run("iiif", location, institution=institution, options={"follow": follow}, **kw)


@import_group.command(name="oai")
@click.argument("endpoint")
@click.option("--institution", required=True, help="Institution code of the holder.")
@click.option("--prefix", default="oai_dc", show_default=True,
              type=click.Choice(["oai_dc", "datacite", "oai_datacite"]))
@click.option("--set", "set_spec", default="", help="Harvest only this set.")
@click.option("--from", "from_", default="", help="Only records changed since this date (YYYY-MM-DD).")
@click.option("--until", default="", help="Only records changed until this date.")
@click.option("--incremental", is_flag=True, help="From the last successful harvest of this endpoint.")
@click.option("--identify", is_flag=True, help="Show Identify, formats and sets, then exit.")
@_common
def import_oai(endpoint: str, institution: str, prefix: str, set_spec: str, from_: str, until: str,
               incremental: bool, identify: bool, **kw: Any) -> None:
    """Harvest an OAI-PMH endpoint with ListRecords (resumption tokens followed)."""
    if identify:
        django_setup()
        from mogao.ingest.oai_client import OaiClient
        from mogao.ingest.records import SourceError

        client = OaiClient(endpoint)
        try:
            for key, value in client.identify().items():
                click.echo(f"{key}: {value}")
            click.echo("formats: " + ", ".join(f["prefix"] for f in client.list_metadata_formats()))
            click.echo("sets: " + ", ".join(s["spec"] for s in client.list_sets()))
        except SourceError as exc:
            raise click.ClickException(str(exc)) from exc
        return
    options = {"prefix": prefix, "set": set_spec, "from": from_, "until": until, "incremental": incremental}
    _run("oai", endpoint, institution=institution, options=options, **kw)


@import_group.command(name="images")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--institution", required=True, help="Institution code of the holder.")
@click.option("--by", "mode", type=click.Choice(["folder", "filename"]), default="folder", show_default=True,
              help="One item per sub-folder, or items grouped by file name.")
@click.option("--pattern", default="", help="File-name regex with (?P<item>…) and (?P<page>…) groups.")
@click.option("--ocr/--no-ocr", default=False, help="Queue OCR of new pages after commit.")
@click.option("--ocr-backend", default=None, help="rapidocr, tesseract or fake (default: MOGAO_OCR_BACKEND).")
@_common
def import_images(folder: Path, institution: str, mode: str, pattern: str, ocr: bool,
                  ocr_backend: str | None, **kw: Any) -> None:
    """Import folders of page images (TIFF, JPEG, PNG, JPEG 2000) as items with canvases."""
    options = {"mode": mode, "pattern": pattern, "ocr": ocr, "ocr_backend": ocr_backend}
    _run("images", str(folder.resolve()), institution=institution, options=options, **kw)
