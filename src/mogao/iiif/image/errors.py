"""Errors of the IIIF image core, each carrying the HTTP status the web adapter answers with.

Exception tree::

    IIIFError                 (status 500: never raised directly)
    ├── BadRequest            400: malformed segment, zero or out-of-bounds region, size beyond
    │                              the region without ``^``, size beyond maxWidth/maxHeight/maxArea
    ├── Forbidden             403: finer than the resolution offered when downloads are off
    ├── ImageNotFound         404: unknown or invalid identifier, path with the wrong shape
    ├── NotImplementedFeature 501: a well-formed request for a feature Mogao does not offer
    ├── ImageRejected         400: an image refused at registration (too many pixels, unreadable)
    ├── ImageUnreadable       500: stored pixels cannot be decoded (a damaged file on the server)
    └── StorageUnavailable    503: the object storage holding the image does not answer
"""

from __future__ import annotations


class IIIFError(Exception):
    """Base class: ``status`` is the HTTP status, ``str(error)`` a short message for the reader."""

    status: int = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadRequest(IIIFError):
    """The request is syntactically or semantically invalid (HTTP 400)."""

    status = 400


class Forbidden(IIIFError):
    """The image is visible but this rendition is not offered to this user (HTTP 403)."""

    status = 403


class ImageNotFound(IIIFError):
    """No image with this identifier is in the store (HTTP 404)."""

    status = 404


class NotImplementedFeature(IIIFError):
    """The request is valid IIIF but asks for something this server does not support (HTTP 501)."""

    status = 501


class ImageRejected(IIIFError):
    """An image cannot be registered: too large (decompression bomb) or not a readable image."""

    status = 400


class ImageUnreadable(IIIFError):
    """A registered image's stored file cannot be decoded: a server-side fault, said plainly."""

    status = 500


class StorageUnavailable(IIIFError):
    """The object storage that holds an image's files does not answer (a transient fault)."""

    status = 503
