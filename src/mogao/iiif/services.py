"""Image services: register masters, build pyramids, read image metadata (the API other apps call).

Settings are read when a service runs, never at import time: ``IMAGE_ROOT``, ``IMAGE_MAX_PIXELS``,
``IIIF_MAX_WIDTH``/``IIIF_MAX_HEIGHT``/``IIIF_MAX_AREA``, ``IIIF_CACHE_MB``, ``IIIF_TILE_CACHE_MB``,
``IIIF_CHUNK_KB`` and ``IIIF_CHUNK_MEMORY_MB``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.signals import setting_changed
from django.dispatch import receiver

from mogao.core.tasks import enqueue_after_commit
from mogao.core.urls import base_url as site_base_url
from mogao.iiif import replicate
from mogao.iiif.image import (
    DerivativeCache,
    ImageInfo,
    ImageNotFound,
    ImageRejected,
    ImageServer,
    Limits,
    make_server,
)
from mogao.iiif.image.cache import MEMORY_BYTES
from mogao.iiif.image.export import ExportResult, export_image
from mogao.iiif.image.store import slug_identifier, valid_identifier

if TYPE_CHECKING:
    from mogao.catalogue.models import Canvas, Item

_SETTINGS = {
    "IMAGE_ROOT", "IMAGE_MAX_PIXELS", "IIIF_MAX_AREA", "IIIF_MAX_WIDTH", "IIIF_MAX_HEIGHT",
    "IIIF_CACHE_MB", "IIIF_TILE_CACHE_MB", "IIIF_CHUNK_KB", "IIIF_CHUNK_MEMORY_MB", "STORAGES",
}


@cache
def image_server() -> ImageServer:
    """The process-wide image server built from settings (rebuilt when a test changes them).

    Its ``remote`` reads stored tiles by range from the object storage for images whose files are
    not on this node (#19, :mod:`mogao.iiif.remote`); with a local storage it is never asked.
    """
    from mogao.iiif.remote import RemoteTiles

    root = Path(settings.IMAGE_ROOT)
    server = make_server(
        root,
        max_pixels=settings.IMAGE_MAX_PIXELS,
        limits=Limits(settings.IIIF_MAX_WIDTH, settings.IIIF_MAX_HEIGHT, settings.IIIF_MAX_AREA),
        cache_bytes=settings.IIIF_CACHE_MB * 1024 * 1024,
    )
    tile_bytes = int(settings.IIIF_TILE_CACHE_MB * 1024 * 1024)
    chunk_bytes = int(settings.IIIF_CHUNK_KB * 1024)
    memory_bytes = int(settings.IIIF_CHUNK_MEMORY_MB * 1024 * 1024)
    chunked = chunk_bytes > 0 and memory_bytes > 0
    # Chunks have their own memory LRU: the disk cache keeps none of them in memory a second time.
    tile_cache = DerivativeCache(root / "remote-tiles", tile_bytes, 0 if chunked else MEMORY_BYTES, observed=False)
    server.remote = RemoteTiles(server.store, tile_cache, chunk_bytes=chunk_bytes, memory_bytes=memory_bytes)
    return server


@receiver(setting_changed)
def _reset_server(*, setting: str, **kwargs: Any) -> None:
    if setting in _SETTINGS:
        image_server.cache_clear()


def image_register(*, source: Path, identifier: str | None = None) -> ImageInfo:
    """Copy ``source`` into the image store and queue its pyramid build after the commit.

    The header alone is read first: an image over ``IMAGE_MAX_PIXELS`` (a decompression bomb) or
    an unreadable file raises ValidationError on ``source`` before any pixel is decoded; an
    invalid identifier raises ValidationError on ``identifier``. Without ``identifier`` one is
    made from the file name. Re-registering the same bytes is a no-op.
    """
    from mogao.iiif.tasks import build_pyramid_task

    source = Path(source)
    if identifier is None:
        identifier = slug_identifier(source.stem)
    elif not valid_identifier(identifier):
        raise ValidationError({"identifier": (
            f"Invalid image identifier {identifier[:80]!r}: use letters, digits, '.', '_' and '-' "
            "(at most 128, starting with a letter or digit)."
        )})
    store = image_server().store
    try:
        info = store.register(source, identifier)
    except ImageRejected as exc:
        raise ValidationError({"source": exc.message}) from None
    replicate.publish(store, info)  # other nodes find the master in the object storage (#19)
    if not info.has_pyramid:
        enqueue_after_commit(build_pyramid_task, info.identifier)
    return info


def image_build_pyramid(identifier: str, *, force: bool = False) -> ImageInfo:
    """Build (synchronously) the pyramidal TIFF of a registered image; idempotent unless ``force``."""
    store = image_server().store
    replicate.ensure_local(store, identifier)  # a worker on another node fetches the master (#19)
    try:
        before = store.info(identifier)
        info = store.build_pyramid(identifier, force=force)
    except ImageNotFound:
        raise ValidationError({"identifier": f"No registered image {identifier[:80]!r}."}) from None
    if info.version != before.version:
        replicate.publish(store, info)
    return info


def image_info(identifier: str) -> ImageInfo | None:
    """Metadata of a registered image (size, pyramid levels), or None when unknown or invalid."""
    store = image_server().store
    if not replicate.ensure_local(store, identifier):
        return None
    try:
        return store.info(identifier)
    except ImageNotFound:
        return None


def image_build_missing(*, echo: Callable[[str], Any] | None = None) -> int:
    """Build the pyramid of every registered image that lacks one; returns how many were built."""
    store = image_server().store
    built = 0
    for identifier in store.identifiers():
        if not store.info(identifier).has_pyramid:
            store.build_pyramid(identifier)
            built += 1
            if echo is not None:
                echo(f"  pyramid built: {identifier}")
    return built


def image_canvas_append(*, item: Item, info: ImageInfo) -> Canvas:
    """Add a canvas showing ``info`` at the end of ``item`` (through ``canvas_upsert``)."""
    from django.db.models import Max

    from mogao.catalogue.services import canvas_upsert

    last = item.canvases.aggregate(last=Max("order"))["last"]
    order = 1 if last is None else last + 1
    canvas, _created = canvas_upsert(
        item=item, order=order, label={"none": [str(order)]}, width=info.width,
        height=info.height, image_id=info.identifier,
    )
    return canvas


def image_export_identifiers(
    *, item_pid: str | None = None, all_images: bool = False, identifiers: list[str] | None = None
) -> list[str]:
    """The identifiers an export covers: an item's canvases, the whole store, or those given.

    A static export is published to everyone, so only what an anonymous reader may see is
    exported: ``all_images`` skips the images of private and withdrawn items; naming such an
    item or image is a ValidationError.
    """
    from django.contrib.auth.models import AnonymousUser

    from mogao.accounts.policy import can
    from mogao.iiif.access import Access, image_access

    store = image_server().store
    if all_images:
        return [i for i in store.identifiers() if image_access(i) is not Access.NONE]
    if item_pid is not None:
        from mogao.catalogue.selectors import item_detail

        item = item_detail(pid=item_pid)
        if item is None:
            raise ValidationError({"item": f"No item with pid {item_pid[:80]!r}."})
        if not can(AnonymousUser(), "view", item):
            raise ValidationError({"item": f"Item {item_pid[:80]!r} is not public: a static export is."})
        wanted = [c.image_id for c in item.canvases.order_by("order") if c.image_id]
    else:
        wanted = list(identifiers or [])
    missing = [i for i in wanted if not store.exists(i)]
    if missing:
        raise ValidationError({"identifier": f"Not in the image store: {', '.join(missing[:5])}."})
    hidden = [i for i in wanted if image_access(i) is Access.NONE]
    if hidden:
        raise ValidationError({"identifier": f"Not public (private or withdrawn): {', '.join(hidden[:5])}."})
    return wanted


def image_export(*, identifier: str, out_dir: Path, base_url: str | None = None) -> ExportResult:
    """Write the level-0 static tiles and info.json of ``identifier`` under ``out_dir``.

    ``base_url`` is where ``out_dir`` will be published (default ``BASE_URL/iiif/3``). The
    pyramid is built first when missing, so the export reads tiles, not the master. Images of
    private or withdrawn items are refused; those whose downloads are switched off are exported
    only up to ``IIIF_NODOWNLOAD_MAX`` px, as the Image API serves them.
    """
    from mogao.iiif.access import Access, image_access, nodownload_max

    access = image_access(identifier)
    if access is Access.NONE:
        raise ValidationError({"identifier": f"Not public (private or withdrawn): {identifier[:80]}."})
    server = image_server()
    image_build_pyramid(identifier)
    base = base_url or f"{site_base_url()}/iiif/3"
    limits = server.limits.restricted(nodownload_max()) if access is Access.LIMITED else server.limits
    return export_image(server.store, identifier, Path(out_dir), base, limits)
