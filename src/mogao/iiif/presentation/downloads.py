"""Downloads within an item's rights: one page at full resolution, or the whole item as a PDF.

Curators switch high-resolution downloads off per item or per institution
(``item.downloads_allowed``); then both downloads answer :class:`DownloadRefused` (HTTP 403) while
the reduced-size views of the viewer stay available. Pages served by another institution's image
service are never fetched by Mogao (no server-side requests to third parties, no SSRF): their
download is a redirect to that service, and the PDF holds only the pages in Mogao's own store.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import img2pdf
import pyvips
from django.conf import settings
from django.utils.translation import gettext as _

from mogao.catalogue.models import Canvas, Item
from mogao.iiif import replicate
from mogao.iiif.image.errors import ImageNotFound
from mogao.iiif.image.store import ImageStore, normalise
from mogao.iiif.presentation.common import remote_service

PDF_LONG_SIDE = 2400  # pixels: legible for reading and printing, a few hundred KB a page
PDF_JPEG_QUALITY = 85
PDF_DPI = 300
FULL_JPEG_QUALITY = 92


class DownloadRefused(PermissionError):
    """Downloads are switched off for this item or its holder (HTTP 403)."""


class DownloadUnavailable(LookupError):
    """Nothing to download: no such page, or its image is not in Mogao's store (HTTP 404)."""


@dataclass(frozen=True)
class PageDownload:
    """Either JPEG bytes made from the local master, or a redirect to a remote image service."""

    filename: str
    content: bytes = b""
    redirect: str = ""


def image_store() -> ImageStore:
    """The image store the Image API serves from (``MOGAO_HOME/images``)."""
    return ImageStore(root=Path(settings.IMAGE_ROOT), max_pixels=int(settings.IMAGE_MAX_PIXELS))


def check_allowed(item: Item) -> None:
    """Raise :class:`DownloadRefused` (with a reader-facing reason) when downloads are off."""
    if not item.allow_download:
        raise DownloadRefused(_("The holder has switched off high-resolution downloads for this item."))
    if not item.institution.allow_download:
        raise DownloadRefused(_("The holder has switched off high-resolution downloads for its items."))


def _local_image(store: ImageStore, canvas: Canvas) -> pyvips.Image:
    if replicate.enabled():
        replicate.ensure_local(store, canvas.image_id)  # published by another node (#19)
    try:
        info = store.info(canvas.image_id)
    except ImageNotFound:
        raise DownloadUnavailable(_("The image of this page is missing from the image store.")) from None
    return normalise(pyvips.Image.new_from_file(str(store.master_path(info)), access="sequential"))


def page_download(item: Item, canvas: Canvas) -> PageDownload:
    """The full-resolution image of one page; raises DownloadRefused / DownloadUnavailable."""
    check_allowed(item)
    filename = f"{item.pid}-{canvas.order}.jpg"
    if canvas.image_id:
        image = _local_image(image_store(), canvas)
        return PageDownload(filename=filename, content=image.jpegsave_buffer(Q=FULL_JPEG_QUALITY, strip=True))
    if canvas.service_url:
        return PageDownload(filename=filename, redirect=remote_service(canvas.service_url).image_url())
    raise DownloadUnavailable(_("This page has no image."))


def _pdf_cache_path(item: Item, canvases: list[Canvas], store: ImageStore) -> Path:
    """A cache file named after everything that changes the PDF (canvases and image versions)."""
    parts = [item.pid, str(PDF_LONG_SIDE)]
    for c in canvases:
        parts.append(f"{c.pk}:{c.order}:{c.image_id}:{store.info(c.image_id).version}")
    digest = hashlib.sha256("|".join(parts).encode()).hexdigest()[:24]
    return Path(settings.HOME) / "cache" / "pdf" / f"{item.pid}-{digest}.pdf"


def item_pdf(item: Item, canvases: list[Canvas]) -> Path:
    """A PDF of the item's locally stored pages, in order, built once and cached on disk.

    Raises DownloadRefused when downloads are off and DownloadUnavailable when no page is local.
    """
    check_allowed(item)
    store = image_store()
    shared = replicate.enabled()  # images published by other nodes are copied here first (#19)
    local = [c for c in canvases if c.image_id and (replicate.ensure_local(store, c.image_id) if shared
                                                    else store.exists(c.image_id))]
    if not local:
        raise DownloadUnavailable(
            _("No page of this item is stored by Mogao; its images are served by the holder's own IIIF service.")
        )
    target = _pdf_cache_path(item, local, store)
    if target.is_file():
        return target
    pages = []
    for canvas in local:
        image = _local_image(store, canvas)
        scale = min(1.0, PDF_LONG_SIDE / max(image.width, image.height))
        if scale < 1.0:
            image = image.resize(scale)
        pages.append(image.jpegsave_buffer(Q=PDF_JPEG_QUALITY, strip=True))
    layout = img2pdf.get_fixed_dpi_layout_fun((PDF_DPI, PDF_DPI))
    data = img2pdf.convert(pages, layout_fun=layout, title=item.label("en"), creator="Mogao")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".pdf-", dir=target.parent)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.replace(tmp, target)
    _drop_stale_pdfs(item.pid, keep=target)
    return target


def _drop_stale_pdfs(pid: str, *, keep: Path) -> None:
    """Remove the item's PDFs built from earlier pages or image versions: the cache holds at
    most one PDF per item, so it stays smaller than the images it is made from."""
    own = re.compile(rf"{re.escape(pid)}-[0-9a-f]{{24}}\.pdf")
    for path in keep.parent.glob(f"{pid}-*.pdf"):
        if path != keep and own.fullmatch(path.name):
            path.unlink(missing_ok=True)
