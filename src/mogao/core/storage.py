"""One storage layer for the files Mogao keeps: chosen by ``MOGAO_STORAGE_URL``, reached through Django's ``storages``.

``file://`` (or empty, the default) keeps files on the filesystem under ``MOGAO_HOME/media``
(``file:///abs/dir`` names another folder); ``s3://bucket?endpoint=http://host:port&region=…&prefix=…``
keeps them in an S3 bucket through django-storages (boto3). Credentials come from the URL's user
part (``s3://KEY:SECRET@bucket``) or from boto3's usual chain (``AWS_ACCESS_KEY_ID`` …).

Files are named by a folder prefix (:data:`UPLOADS`, :data:`EXPORTS`, …) under the one storage; code
reads and writes them with :func:`media` (``django.core.files.storage.storages["default"]``).
:func:`local_folder` gives a local folder for code that needs real paths (pyvips, the importers),
downloading a prefix from object storage into ``MOGAO_HOME/cache/storage`` when the storage is not local.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

SCHEMES = ("", "file", "s3")
UPLOADS = "uploads"
EXPORTS = "exports"
MASTERS = "masters"
DERIVATIVES = "derivatives"
STORAGE_PREFIX = "storage:"  # a location string naming files in the storage rather than a path


class StorageUrlError(ValueError):
    """MOGAO_STORAGE_URL names no storage Mogao knows."""


def redacted(url: str) -> str:
    """``url`` with its password part (a secret key) replaced by ``***``, for messages."""
    parsed = urlparse(url.strip())
    if parsed.password is None:
        return url
    host = parsed.netloc.rpartition("@")[2]
    return parsed._replace(netloc=f"{parsed.username}:***@{host}").geturl()


def storage_backend(url: str, home: Path) -> dict[str, Any]:
    """The ``STORAGES["default"]`` entry for ``url``; raises :class:`StorageUrlError` for unknown schemes."""
    parsed = urlparse(url.strip())
    scheme = parsed.scheme.lower()
    if scheme not in SCHEMES:
        raise StorageUrlError(f"unknown storage scheme {parsed.scheme!r} in MOGAO_STORAGE_URL {redacted(url)!r}")
    if scheme in ("", "file"):
        location = Path(unquote(parsed.path)) if parsed.path not in ("", "/") else home / "media"
        return {"BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": str(location), "base_url": "/media/"}}
    if not parsed.hostname:
        raise StorageUrlError(f"MOGAO_STORAGE_URL {redacted(url)!r} names no bucket (s3://bucket?endpoint=…)")
    query = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
    options: dict[str, Any] = {
        "bucket_name": parsed.hostname,
        "file_overwrite": True,
        "querystring_auth": query.get("signed", "1") != "0",
        "location": query.get("prefix", "").strip("/"),
        "signature_version": "s3v4",
        "addressing_style": "path",
    }
    if endpoint := query.get("endpoint"):
        options["endpoint_url"] = endpoint
    if region := query.get("region"):
        options["region_name"] = region
    if parsed.username:
        options["access_key"] = unquote(parsed.username)
        options["secret_key"] = unquote(parsed.password or "")
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


def media() -> Any:
    """The configured storage (``storages["default"]``)."""
    from django.core.files.storage import storages

    return storages["default"]


def is_local(storage: Any | None = None) -> bool:
    """True when the storage keeps files on this machine's filesystem (``path()`` works)."""
    from django.core.files.storage import FileSystemStorage

    return isinstance(storage if storage is not None else media(), FileSystemStorage)


def walk(prefix: str, storage: Any | None = None) -> list[str]:
    """Every file name under ``prefix`` (recursively), sorted."""
    storage = storage if storage is not None else media()
    found: list[str] = []
    todo = [prefix.strip("/")]
    while todo:
        folder = todo.pop()
        try:
            dirs, files = storage.listdir(folder)
        except FileNotFoundError:
            continue
        found += [f"{folder}/{name}" if folder else name for name in files]
        todo += [f"{folder}/{name}" if folder else name for name in dirs]
    return sorted(found)


def local_folder(prefix: str, storage: Any | None = None) -> Path:
    """A local folder holding the files under ``prefix``: the storage's own when it is local, else a copy."""
    from django.conf import settings

    storage = storage if storage is not None else media()
    prefix = prefix.strip("/")
    if is_local(storage):
        return Path(storage.path(prefix))
    root = Path(settings.HOME) / "cache" / "storage"
    target = (root / prefix).resolve()
    if not target.is_relative_to(root.resolve()):
        raise ValueError(f"storage prefix {prefix!r} escapes the cache")
    for name in walk(prefix, storage):
        out = root / name
        if out.exists() and out.stat().st_size == storage.size(name):
            continue
        out.parent.mkdir(parents=True, exist_ok=True)
        with storage.open(name, "rb") as src, out.open("wb") as dst:
            for chunk in iter(lambda: src.read(1 << 20), b""):
                dst.write(chunk)
    return target


def resolve_location(location: str) -> str:
    """A local path for ``storage:<name>`` locations (see :func:`local_folder`); other locations unchanged."""
    if not location.startswith(STORAGE_PREFIX):
        return location
    name = location[len(STORAGE_PREFIX):].strip("/")
    storage = media()
    if is_local(storage):
        return str(Path(storage.path(name)))
    folder, _, base = name.rpartition("/")
    if storage.exists(name) and not walk(name, storage):  # one file
        return str(local_folder(folder, storage) / base)
    return str(local_folder(name, storage))


def upload_folder(folder: Path, prefix: str, storage: Any | None = None) -> tuple[int, int]:
    """Copy every file under ``folder`` to ``prefix/<relative path>`` in the storage; (files, bytes).

    Existing names are replaced (an export published again), whatever the storage's own overwrite rule.
    """
    storage = storage if storage is not None else media()
    prefix = prefix.strip("/")
    if not prefix or ".." in prefix.split("/"):
        raise ValueError(f"invalid storage prefix {prefix!r}")
    files = size = 0
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
        upload_file(path, f"{prefix}/{path.relative_to(folder).as_posix()}", storage)
        files += 1
        size += path.stat().st_size
    return files, size


def upload_file(path: Path, name: str, storage: Any | None = None) -> str:
    """Copy the local file ``path`` to ``name`` in the storage, replacing what was there."""
    storage = storage if storage is not None else media()
    storage.delete(name)
    with path.open("rb") as handle:
        return str(storage.save(name, handle))
