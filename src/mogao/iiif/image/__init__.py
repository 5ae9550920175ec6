"""The IIIF Image API 3.0 core, free of Django: params -> pipeline -> processor, store and cache.

:func:`make_server` wires an :class:`ImageServer` from plain values; the Django adapter
(:mod:`mogao.iiif.web`) and the CLI build one from settings.
"""

from __future__ import annotations

from pathlib import Path

from mogao.iiif.image.cache import DerivativeCache
from mogao.iiif.image.errors import (
    BadRequest,
    IIIFError,
    ImageNotFound,
    ImageRejected,
    NotImplementedFeature,
)
from mogao.iiif.image.pipeline import Limits
from mogao.iiif.image.server import ImageServer, RequestHeaders, Response
from mogao.iiif.image.store import ImageInfo, ImageStore, valid_identifier

__all__ = [
    "BadRequest", "DerivativeCache", "IIIFError", "ImageInfo", "ImageNotFound", "ImageRejected",
    "ImageServer", "ImageStore", "Limits", "NotImplementedFeature", "RequestHeaders", "Response",
    "make_server", "valid_identifier",
]


def make_server(
    root: Path, *, max_pixels: int, limits: Limits, cache_bytes: int
) -> ImageServer:
    """An image server over the store at ``root`` with its derivative cache in ``root/cache``."""
    store = ImageStore(root, max_pixels=max_pixels)
    return ImageServer(store, DerivativeCache(root / "cache", cache_bytes), limits)
