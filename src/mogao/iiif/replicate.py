"""Images in the object storage (#19, first step): every node serves every image.

With ``MOGAO_STORAGE_URL=s3://…`` the node that registers an image publishes its master and
``meta.json`` to ``masters/objects/<h[:2]>/<h>/`` and, once built, its pyramid to
``derivatives/objects/<h[:2]>/<h>/pyramid.tif`` (the store's own hash-named layout). A node that is
asked for an image it does not hold copies these files into its local image store once (meta.json
last, so a half-copied image is never seen) and serves it from there as before.

A replaced image: :func:`publish` also records the image's version in the cache under
``mogao:image-version:<id>``; when the cache is shared (``MOGAO_CACHE_URL=redis://…``) a node whose
copy has another version copies the image again on its next request. With a per-process cache a
node keeps the copy it has.

Not yet done (see docs/deploy.md): range reads of tiles straight from the bucket and a bound on the
local copies.
With the default file storage nothing is copied: the image store is the only copy, as before.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path
from typing import Any

from mogao.core.storage import DERIVATIVES, MASTERS, is_local, media
from mogao.iiif.image import ImageInfo, ImageNotFound
from mogao.iiif.image.store import ImageStore, valid_identifier

log = logging.getLogger(__name__)
PYRAMID = "pyramid.tif"
META = "meta.json"


def _relative(store: ImageStore, identifier: str) -> str:
    return store.folder(identifier).relative_to(store.root).as_posix()


def _names(store: ImageStore, identifier: str, master: str) -> dict[str, str]:
    """Local file name -> storage name, for one image."""
    rel = _relative(store, identifier)
    return {master: f"{MASTERS}/{rel}/{master}", PYRAMID: f"{DERIVATIVES}/{rel}/{PYRAMID}",
            META: f"{MASTERS}/{rel}/{META}"}


def enabled(storage: Any | None = None) -> bool:
    """True when images are kept in a shared object storage (not the local filesystem)."""
    return not is_local(storage if storage is not None else media())


def publish(store: ImageStore, info: ImageInfo, storage: Any | None = None) -> list[str]:
    """Copy the image's local files to the storage (meta.json last); returns the names written."""
    storage = storage if storage is not None else media()
    if not enabled(storage):
        return []
    folder = store.folder(info.identifier)
    written = []
    for local, name in _names(store, info.identifier, info.master).items():
        path = folder / local
        if local == META:
            continue
        if not path.is_file():  # e.g. the pyramid of a replaced master, not built yet
            storage.delete(name)
            continue
        with path.open("rb") as handle:
            written.append(storage.save(name, handle))
    with (folder / META).open("rb") as handle:
        written.append(storage.save(_names(store, info.identifier, info.master)[META], handle))
    _version_announce(info.identifier, info.version)
    return written


def _version_key(identifier: str) -> str:
    import hashlib

    return f"mogao:image-version:{hashlib.sha256(identifier.encode()).hexdigest()[:32]}"


def _version_announce(identifier: str, version: str) -> None:
    from django.core.cache import cache

    cache.set(_version_key(identifier), version, timeout=None)


def _version_published(identifier: str) -> str | None:
    """The version last published by any node (when the cache is shared), else None."""
    from django.core.cache import cache

    from mogao.core.generation import cache_is_shared

    if not cache_is_shared():
        return None
    value = cache.get(_version_key(identifier))
    return None if value is None else str(value)


def fetch(store: ImageStore, identifier: str, storage: Any | None = None) -> ImageInfo | None:
    """Copy a published image into the local store; None when the storage does not hold it."""
    import json

    storage = storage if storage is not None else media()
    if not enabled(storage) or not valid_identifier(identifier):
        return None
    meta_name = _names(store, identifier, "master")[META]
    try:
        with storage.open(meta_name, "rb") as handle:
            meta = handle.read()
    except (FileNotFoundError, OSError):
        return None
    master = str(json.loads(meta)["master"])
    folder = store.folder(identifier)
    folder.mkdir(parents=True, exist_ok=True)
    for local, name in _names(store, identifier, master).items():
        if local == META or not storage.exists(name):
            continue
        fd, tmp = tempfile.mkstemp(prefix=f".{local}-", dir=folder)
        try:
            with os.fdopen(fd, "wb") as out, storage.open(name, "rb") as src:
                for chunk in iter(lambda: src.read(1 << 20), b""):
                    out.write(chunk)
            os.replace(tmp, folder / local)
        finally:
            Path(tmp).unlink(missing_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".meta-", dir=folder)
    with os.fdopen(fd, "wb") as out:
        out.write(meta)
    os.replace(tmp, folder / META)
    log.info("image %s copied from the storage", identifier)
    return store.info(identifier)


def ensure_local(store: ImageStore, identifier: str) -> bool:
    """True when the image is in the local store, after fetching it from the storage if need be."""
    if store.exists(identifier):
        published = _version_published(identifier) if enabled() else None
        try:
            if published is None or store.info(identifier).version == published:
                return True
        except ImageNotFound:
            pass
        log.info("image %s was replaced on another node: copying it again", identifier)
    try:
        return fetch(store, identifier) is not None
    except (ImageNotFound, ValueError):
        return False
