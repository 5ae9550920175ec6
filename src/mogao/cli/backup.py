"""`mogao backup FOLDER` and `mogao restore FOLDER`: the database and the object storage (#19)."""

from __future__ import annotations

from pathlib import Path

import click

from mogao.cli import django_setup, main


@main.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def backup(folder: Path) -> None:
    """Write the database (pg_dump -Fc) and every file of the storage into FOLDER (new or empty)."""
    django_setup()
    from mogao.core.backup import BackupError
    from mogao.core.backup import backup as run

    try:
        manifest = run(folder, progress=lambda text: click.echo(f"  {text}", err=True))
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Backed up the database and {len(manifest['files'])} files "
               f"(+{len(manifest['images'])} image-store files) to {folder}.")


@main.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--reindex/--no-reindex", default=None,
              help="Rebuild the search index afterwards (default: unless MOGAO_SEARCH_URL is postgres://).")
def restore(folder: Path, reindex: bool | None) -> None:
    """Load a backup FOLDER into an empty database and an empty storage, then migrate."""
    django_setup()
    from mogao.core.backup import BackupError
    from mogao.core.backup import restore as run

    try:
        manifest = run(folder, reindex=reindex, progress=lambda text: click.echo(f"  {text}", err=True))
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Restored the database and {len(manifest['files'])} files from {folder}.")
