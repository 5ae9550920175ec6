"""`mogao export` (JSON Lines, CSV, BagIt) and `mogao import-jsonl` (restore a JSON Lines export)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import IO

import click

from mogao.cli import django_setup, main


@main.command("export")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "bagit"]), default="jsonl", show_default=True)
@click.option("--public-only", is_flag=True, help="Leave out private and withdrawn records.")
@click.option("--to-storage", "to_storage", default=None, metavar="PREFIX",
              help="Also copy the export into the storage (MOGAO_STORAGE_URL) under PREFIX, e.g. exports/2026-12.")
@click.argument("out", type=click.Path(path_type=Path))
def export_command(fmt: str, public_only: bool, out: Path, to_storage: str | None) -> None:
    """Export the catalogue to OUT: a .jsonl or .csv file ('-' for stdout), or a new folder for a bag."""
    django_setup()
    from mogao.export import writers
    from mogao.export.records import iter_records

    if fmt == "bagit":
        try:
            bag = writers.write_bag(out, public_only=public_only)
        except FileExistsError as exc:
            raise click.UsageError(str(exc)) from exc
        click.echo(f"bag written and validated: {bag.path} ({len(bag.payload_entries())} files)", err=True)
        _to_storage(out, to_storage)
        return
    stream = sys.stdout if str(out) == "-" else out.open("w", encoding="utf-8", newline="")
    try:
        if fmt == "jsonl":
            n = writers.write_jsonl(stream, iter_records(public_only=public_only))
        else:
            n = writers.write_csv(stream, public_only=public_only)
    finally:
        if stream is not sys.stdout:
            stream.close()
    click.echo(f"{n} records written", err=True)
    if to_storage and str(out) == "-":
        raise click.UsageError("--to-storage needs a file, not stdout")
    _to_storage(out, to_storage)


def _to_storage(out: Path, prefix: str | None) -> None:
    """Copy a written export (a file or a bag's folder) into the storage under ``prefix`` (#19)."""
    if not prefix:
        return
    from mogao.core.storage import upload_file, upload_folder

    if out.is_dir():
        files, size = upload_folder(out, prefix)
    else:
        upload_file(out, f"{prefix.strip('/')}/{out.name}")
        files, size = 1, out.stat().st_size
    click.echo(f"copied to the storage under {prefix}/: {files} files, {size:,} bytes", err=True)


@main.command("import-jsonl")
@click.argument("source", type=click.File("r", encoding="utf-8"))
def import_jsonl_command(source: IO[str]) -> None:
    """Load a `mogao export --format jsonl` file (idempotent; pids are kept; updates in place, never deletes)."""
    django_setup()
    from mogao.export.reimport import import_jsonl

    report = import_jsonl(source)
    for kind, n in sorted(report.counts.items()):
        click.echo(f"{kind}: {n}")
    for line, message in report.errors:
        click.echo(f"line {line}: {message}", err=True)
    if not report.ok:
        raise SystemExit(1)
