"""`mogao images`: register local image files in the IIIF image store and build their pyramids."""

from __future__ import annotations

from pathlib import Path

import click

from mogao.cli import django_setup, main


@main.group()
def images() -> None:
    """Manage the local image store (masters and pyramidal TIFFs)."""


@images.command("add")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--id", "identifier", default=None, help="Image identifier (default: from the file name).")
@click.option("--item", "item_pid", default=None, help="Append the image as a new canvas of this item.")
def images_add(path: Path, identifier: str | None, item_pid: str | None) -> None:
    """Register PATH for the IIIF Image API, build its pyramid, optionally add it to an item."""
    django_setup()
    from django.core.exceptions import ValidationError
    from django.db import transaction

    from mogao.catalogue import selectors
    from mogao.iiif.services import image_build_pyramid, image_canvas_append, image_register

    item = None
    if item_pid is not None:
        item = selectors.item_detail(pid=item_pid)
        if item is None:
            raise click.BadParameter(f"no item with pid {item_pid!r}", param_hint="--item")
    try:
        with transaction.atomic():
            info = image_register(source=path, identifier=identifier)
            canvas = image_canvas_append(item=item, info=info) if item is not None else None
        info = image_build_pyramid(info.identifier)
    except ValidationError as exc:
        raise click.ClickException("; ".join(
            f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items()
        )) from None
    click.echo(f"{info.identifier}: {info.width}x{info.height}, {len(info.levels)} pyramid levels")
    if canvas is not None:
        click.echo(f"canvas {canvas.order} of item {canvas.item.pid}")


@images.command("build")
@click.option("--force", is_flag=True, help="Rebuild pyramids that already exist.")
@click.argument("identifiers", nargs=-1)
def images_build(force: bool, identifiers: tuple[str, ...]) -> None:
    """Build missing pyramids (or those of IDENTIFIERS)."""
    django_setup()
    from mogao.iiif.services import image_build_missing, image_build_pyramid

    if not identifiers:
        click.echo(f"pyramids built: {image_build_missing(echo=click.echo)}")
        return
    for identifier in identifiers:
        info = image_build_pyramid(identifier, force=force)
        click.echo(f"{info.identifier}: {len(info.levels)} levels")
