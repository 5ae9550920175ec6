"""Images in the object storage (#19, first step): every node serves every image.

With ``MOGAO_STORAGE_URL=s3://…`` the node that registers an image publishes its master and
``meta.json`` to ``masters/objects/<h[:2]>/<h>/`` and, once built, its pyramid to
``derivatives/objects/<h[:2]>/<h>/pyramid.tif`` (the store's own hash-named layout).

A node asked through the Image API for an image it does not hold copies its ``meta.json`` alone
(:func:`ensure_local` with ``files=False``): requests for one stored tile are then answered by range
reads of the pyramid in the bucket (:mod:`mogao.iiif.remote`), and only a request that needs decoding
copies the one file it needs (:func:`materialize`). Other users of the files (page downloads, PDFs,
bag exports, the pyramid task) still copy the master and the pyramid whole (``files=True``, meta.json
last, so a half-copied image is never seen).

A replaced image: :func:`publish` also records the image's version in the cache under
``mogao:image-version:<id>``; when the cache is shared (``MOGAO_CACHE_URL=redis://…``) a node whose
copy has another version copies the image again on its next request. With a per-process cache a
node keeps the copy it has.

Not yet done (see docs/deploy.md): a bound on the local copies.
With the default file storage nothing is copied: the image store is the only copy, as before.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError
from django.core.cache import cache

from mogao.core.generation import cache_is_shared
from mogao.core.storage import DERIVATIVES, MASTERS, is_local, media
from mogao.iiif.image import ImageInfo, ImageNotFound
from mogao.iiif.image.errors import StorageUnavailable
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


def storage_name(store: ImageStore, identifier: str, local: str) -> str:
    """The storage name of the image's ``pyramid.tif``, ``meta.json`` or master file ``local``."""
    return _names(store, identifier, local)[local]


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
    cache.set(_version_key(identifier), version, timeout=None)


def _version_published(identifier: str) -> str | None:
    """The version last published by any node (when the cache is shared), else None."""
    if not cache_is_shared():
        return None
    value = cache.get(_version_key(identifier))
    return None if value is None else str(value)


def _published_meta(store: ImageStore, identifier: str, storage: Any) -> bytes | None:
    """The image's ``meta.json`` as the storage holds it; None when it is not published there.

    From an S3 storage it is one signed GET of :mod:`mogao.core.s3range` (the first request of a cold
    node for an image asks for it), not boto3: a boto3 read costs over a millisecond of CPU, and the
    first one in a process tens of milliseconds more to build its resource classes.
    """
    if not enabled(storage) or not valid_identifier(identifier):
        return None
    name = _names(store, identifier, "master")[META]
    if hasattr(storage, "bucket_name"):
        try:
            small = _small_object(storage, name)
        except ImageNotFound:
            return None
        except StorageUnavailable:
            small = None  # boto3 meets the error itself, as before (its retries, its messages)
        if small is not None:
            return small
    try:
        with storage.open(name, "rb") as handle:
            return bytes(handle.read())
    except (FileNotFoundError, OSError):
        return None


#: A small object (``meta.json``) is read in one GET of at most this many bytes; a larger one goes through boto3.
SMALL_OBJECT = 1 << 20


def _small_object(storage: Any, name: str) -> bytes | None:
    """The whole object ``name`` of an S3 storage in one lean GET; None when it is empty or larger than
    :data:`SMALL_OBJECT`."""
    from mogao.iiif.remote import RangeReader  # (it imports this module)

    data, total = RangeReader(storage).get(name, 0, SMALL_OBJECT - 1)
    return data if data and total == len(data) else None


def _copy_in(storage: Any, name: str, folder: Path, local: str) -> None:
    """Copy the stored object ``name`` to ``folder/local`` through a temporary file (never half-written)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{local}-", dir=folder)
    try:
        with os.fdopen(fd, "wb") as out, storage.open(name, "rb") as src:
            for chunk in iter(lambda: src.read(1 << 20), b""):
                out.write(chunk)
        os.replace(tmp, folder / local)
    finally:
        Path(tmp).unlink(missing_ok=True)


def _write_meta(folder: Path, meta: bytes) -> None:
    """Write ``meta.json`` last and whole: its presence says the image's files are in place."""
    fd, tmp = tempfile.mkstemp(prefix=".meta-", dir=folder)
    with os.fdopen(fd, "wb") as out:
        out.write(meta)
    os.replace(tmp, folder / META)


def fetch(store: ImageStore, identifier: str, storage: Any | None = None) -> ImageInfo | None:
    """Copy a published image into the local store; None when the storage does not hold it."""
    import json

    storage = storage if storage is not None else media()
    meta = _published_meta(store, identifier, storage)
    if meta is None:
        return None
    master = str(json.loads(meta)["master"])
    folder = store.folder(identifier)
    folder.mkdir(parents=True, exist_ok=True)
    for local, name in _names(store, identifier, master).items():
        if local != META and storage.exists(name):
            _copy_in(storage, name, folder, local)
    _write_meta(folder, meta)
    log.info("image %s copied from the storage", identifier)
    return store.info(identifier)


def fetch_meta(store: ImageStore, identifier: str, storage: Any | None = None) -> ImageInfo | None:
    """Copy only the image's ``meta.json`` here (its files stay in the storage); None when not published.

    Local copies of another version's master and pyramid are removed: they no longer match.
    """
    import json

    storage = storage if storage is not None else media()
    meta = _published_meta(store, identifier, storage)
    if meta is None:
        return None
    data = json.loads(meta)
    folder = store.folder(identifier)
    folder.mkdir(parents=True, exist_ok=True)
    try:
        old = json.loads((folder / META).read_text())
    except (OSError, ValueError):
        old = None
    if old is None or old.get("version") != data.get("version"):
        for local in {PYRAMID, str(data["master"]), *([str(old["master"])] if old and "master" in old else [])}:
            (folder / local).unlink(missing_ok=True)
    _write_meta(folder, meta)
    log.info("image %s: meta.json copied from the storage (files stay there)", identifier)
    return store.info(identifier)


def materialize(store: ImageStore, info: ImageInfo, storage: Any | None = None) -> None:
    """Copy the one file a decode of ``info`` needs (its pyramid, else its master) into the local store.

    ImageNotFound when the storage does not hold it, StorageUnavailable when the storage fails.
    """
    storage = storage if storage is not None else media()
    local = PYRAMID if info.has_pyramid else info.master
    folder = store.folder(info.identifier)
    if (folder / local).is_file() or not enabled(storage):
        return
    name = _names(store, info.identifier, info.master)[local]
    try:
        _copy_in(storage, name, folder, local)
    except FileNotFoundError:
        raise ImageNotFound(f"the files of image {info.identifier!r} are gone from the storage") from None
    except (OSError, ClientError, BotoCoreError) as exc:
        if isinstance(exc, ClientError) and exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") == 404:
            raise ImageNotFound(f"the files of image {info.identifier!r} are gone from the storage") from None
        raise StorageUnavailable(f"the storage holding image {info.identifier!r} does not answer") from exc
    log.info("image %s: %s copied from the storage to decode a request", info.identifier, local)


def _complete(store: ImageStore, info: ImageInfo) -> bool:
    folder = store.folder(info.identifier)
    return (folder / info.master).is_file() and (not info.has_pyramid or (folder / PYRAMID).is_file())


def ensure_local(store: ImageStore, identifier: str, *, files: bool = True) -> bool:
    """True when the image is in the local store, after fetching it from the storage if need be.

    ``files=False`` (the Image API) is content with ``meta.json``: the master and the pyramid may
    stay in the storage. ``files=True`` copies them too when they are not here. Called on every
    Image API request of an S3 node: an image already here costs one ``stat`` (``store.info``).
    """
    if not enabled():
        return store.exists(identifier)
    try:
        info: ImageInfo | None = store.info(identifier)
    except (ImageNotFound, OSError, ValueError):
        info = None
    if info is not None:
        published = _version_published(identifier)
        if published is None or info.version == published:
            return not files or _complete(store, info) or fetch(store, identifier) is not None
        log.info("image %s was replaced on another node: copying it again", identifier)
    try:
        return (fetch(store, identifier) if files else fetch_meta(store, identifier)) is not None
    except (ImageNotFound, ValueError):
        return False
