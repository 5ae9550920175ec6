"""`mogao iiif export`: write level-0 static tiles and info.json files for a CDN."""

from __future__ import annotations

from pathlib import Path

import click

from mogao.cli import django_setup, main


@main.group()
def iiif() -> None:
    """IIIF tools."""


@iiif.command("export")
@click.argument("out_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--item", "item_pid", default=None, help="Export the images of this item.")
@click.option("--all", "export_all", is_flag=True, help="Export every image in the store.")
@click.option("--id", "identifiers", multiple=True, help="Export this image (repeatable).")
@click.option("--base-url", default=None,
              help="Public prefix the files are served under (default: MOGAO_BASE_URL + /iiif/3).")
@click.option("--to-storage", "to_storage", default=None, metavar="PREFIX",
              help="Also copy the tiles into the storage (MOGAO_STORAGE_URL, e.g. a CDN's bucket) under PREFIX.")
def iiif_export(out_dir: Path, item_pid: str | None, export_all: bool, identifiers: tuple[str, ...],
                base_url: str | None, to_storage: str | None) -> None:
    """Write level-0 tiles + info.json under OUT_DIR/{identifier}/ (serve OUT_DIR at the base URL)."""
    django_setup()
    from django.core.exceptions import ValidationError

    from mogao.iiif.services import image_export, image_export_identifiers

    if sum((bool(item_pid), export_all, bool(identifiers))) != 1:
        raise click.UsageError("give exactly one of --item PID, --all or --id IDENTIFIER")
    try:
        wanted = image_export_identifiers(item_pid=item_pid, all_images=export_all,
                                          identifiers=list(identifiers))
        for identifier in wanted:
            result = image_export(identifier=identifier, out_dir=out_dir, base_url=base_url)
            click.echo(f"{result.identifier}: {result.files} files, {result.bytes:,} bytes")
    except ValidationError as exc:
        raise click.ClickException(" ".join(exc.messages)) from None
    click.echo(f"exported {len(wanted)} image(s) to {out_dir}")
    if to_storage:
        from mogao.core.storage import upload_folder

        files, size = upload_folder(out_dir, to_storage)
        click.echo(f"copied to the storage under {to_storage}/: {files} files, {size:,} bytes")
