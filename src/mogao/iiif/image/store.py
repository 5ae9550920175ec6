"""The image store: masters kept untouched, pyramidal TIFFs and a metadata sidecar per image.

Layout under the store root::

    objects/<h[:2]>/<h>/master.<ext>   the registered file, byte for byte
    objects/<h[:2]>/<h>/pyramid.tif    tiled pyramidal TIFF, 256-px JPEG tiles, one page per level
    objects/<h[:2]>/<h>/meta.json      identifier, size, level sizes, master name

``h`` is the SHA-256 of the identifier, so the path is built from a hash, never from the
identifier text: ``../`` or percent-encoded traversal cannot reach outside the store by
construction. Identifiers are also checked against :data:`IDENTIFIER_RE` before any lookup.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyvips

from mogao.iiif.image.errors import ImageNotFound, ImageRejected

#: Letters, digits, ``.``, ``_`` and ``-``; starts with a letter or digit; at most 128 characters.
IDENTIFIER_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")
TILE_SIZE = 256
PYRAMID_Q = 85
_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".tif", ".tiff", ".webp", ".jp2", ".gif"})


def valid_identifier(identifier: str) -> bool:
    """True when ``identifier`` matches the strict pattern and holds no ``..``."""
    return bool(IDENTIFIER_RE.fullmatch(identifier)) and ".." not in identifier


def slug_identifier(name: str) -> str:
    """A valid identifier made from a file name; names that had to change get a hash suffix.

    ``page-1`` stays ``page-1``; ``金剛經 p1`` becomes ``p1-<8 hex>`` so that two names that
    differ only in dropped characters never collide.
    """
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-._").replace("..", ".")[:100]
    if slug == name and valid_identifier(slug):
        return slug
    return f"{slug or 'image'}-{hashlib.sha256(name.encode()).hexdigest()[:8]}"


@dataclass(frozen=True, slots=True)
class ImageInfo:
    """What the store knows about one image; ``levels`` is empty until the pyramid is built."""

    identifier: str
    width: int
    height: int
    master: str
    levels: tuple[tuple[int, int], ...] = ()
    version: str = ""
    modified: float = 0.0

    @property
    def has_pyramid(self) -> bool:
        """True when the pyramidal TIFF exists."""
        return bool(self.levels)


@dataclass
class ImageStore:
    """Masters, pyramids and metadata under ``root``; thread-safe, no Django imports."""

    root: Path
    max_pixels: int = 400_000_000
    _meta: OrderedDict[str, ImageInfo] = field(default_factory=OrderedDict, repr=False)
    _meta_files: dict[str, str] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def folder(self, identifier: str) -> Path:
        """The folder of ``identifier`` (hash-named); 404 for an invalid identifier."""
        if not valid_identifier(identifier):
            raise ImageNotFound(f"no image {identifier[:60]!r}")
        digest = hashlib.sha256(identifier.encode()).hexdigest()
        return self.root / "objects" / digest[:2] / digest

    def _meta_file(self, identifier: str) -> str:
        # Hot path (every request): a memo of valid identifiers' meta.json paths, as plain strings.
        path = self._meta_files.get(identifier)
        if path is None:
            path = str(self.folder(identifier) / "meta.json")
            if len(self._meta_files) > 65536:
                self._meta_files.clear()
            self._meta_files[identifier] = path
        return path

    def pyramid_path(self, identifier: str) -> Path:
        """Path of the pyramidal TIFF of ``identifier`` (it may not exist yet)."""
        return self.folder(identifier) / "pyramid.tif"

    def master_path(self, info: ImageInfo) -> Path:
        """Path of the untouched master of a registered image."""
        return self.folder(info.identifier) / info.master

    def exists(self, identifier: str) -> bool:
        """True when ``identifier`` is valid and registered."""
        return valid_identifier(identifier) and (self.folder(identifier) / "meta.json").is_file()

    def info(self, identifier: str) -> ImageInfo:
        """The metadata of ``identifier``; 404 when unknown. Cached, revalidated by file mtime."""
        meta = self._meta_file(identifier)
        try:
            mtime = os.stat(meta).st_mtime
        except OSError:
            raise ImageNotFound(f"no image {identifier!r}") from None
        with self._lock:
            cached = self._meta.get(identifier)
            if cached is not None and cached.modified == mtime:
                self._meta.move_to_end(identifier)
                return cached
        data = json.loads(Path(meta).read_text())
        info = ImageInfo(
            identifier=data["identifier"], width=int(data["width"]), height=int(data["height"]),
            master=str(data["master"]), levels=tuple((int(w), int(h)) for w, h in data.get("levels", [])),
            version=str(data.get("version", "")), modified=mtime,
        )
        with self._lock:
            self._meta[identifier] = info
            while len(self._meta) > 4096:
                self._meta.popitem(last=False)
        return info

    def identifiers(self) -> list[str]:
        """Every registered identifier, sorted."""
        found = []
        for meta in (self.root / "objects").glob("*/*/meta.json"):
            try:
                found.append(str(json.loads(meta.read_text())["identifier"]))
            except (OSError, ValueError, KeyError):
                continue
        return sorted(found)

    def probe(self, source: Path) -> tuple[int, int]:
        """Width and height from the header only; refuses unreadable files and decompression bombs."""
        if source.suffix.lower() not in _SUFFIXES:
            raise ImageRejected(f"{source.name}: unsupported image type {source.suffix!r}")
        try:
            # Lazy load: libvips reads the header, no pixel is decoded here.
            header = pyvips.Image.new_from_file(str(source))
            width, height = int(header.width), int(header.height)
        except pyvips.Error as exc:
            raise ImageRejected(f"{source.name}: not a readable image ({str(exc).strip()[:120]})") from None
        if width * height > self.max_pixels:
            raise ImageRejected(
                f"{source.name}: {width}x{height} = {width * height:,} pixels is over the limit of "
                f"{self.max_pixels:,} (MOGAO_IMAGE_MAX_PIXELS)"
            )
        return width, height

    def register(self, source: Path, identifier: str) -> ImageInfo:
        """Copy ``source`` into the store as ``identifier`` and write its metadata (no pyramid yet).

        Re-registering identical bytes keeps the existing pyramid; different bytes replace it.
        """
        if not valid_identifier(identifier):
            raise ImageRejected(
                f"invalid identifier {identifier!r}: use letters, digits, '.', '_' and '-' (max 128)"
            )
        if not source.is_file():
            raise ImageRejected(f"{source}: no such file")
        width, height = self.probe(source)
        digest = _file_sha256(source)
        folder = self.folder(identifier)
        folder.mkdir(parents=True, exist_ok=True)
        meta_path = folder / "meta.json"
        if meta_path.is_file():
            old = json.loads(meta_path.read_text())
            if old.get("sha256") == digest:
                return self.info(identifier)
            (folder / "pyramid.tif").unlink(missing_ok=True)
            (folder / str(old["master"])).unlink(missing_ok=True)
        master = "master" + source.suffix.lower()
        tmp = folder / f".{master}.tmp"
        shutil.copyfile(source, tmp)
        os.replace(tmp, folder / master)
        self._write_meta(folder, {
            "identifier": identifier, "width": width, "height": height, "master": master,
            "source": source.name, "sha256": digest, "levels": [], "version": digest[:16],
        })
        return self.info(identifier)

    def build_pyramid(self, identifier: str, *, force: bool = False) -> ImageInfo:
        """Write the tiled pyramidal TIFF of ``identifier`` (sRGB or grey, 8-bit) and record its levels."""
        info = self.info(identifier)
        folder = self.folder(identifier)
        target = folder / "pyramid.tif"
        if info.has_pyramid and target.is_file() and not force:
            return info
        image = pyvips.Image.new_from_file(str(self.master_path(info)), access="sequential")
        image = normalise(image)
        fd, tmp_name = tempfile.mkstemp(prefix=".pyramid-", suffix=".tif", dir=folder)
        os.close(fd)
        try:
            image.tiffsave(
                tmp_name, tile=True, tile_width=TILE_SIZE, tile_height=TILE_SIZE, pyramid=True,
                compression="jpeg", Q=PYRAMID_Q, bigtiff=image.width * image.height > 2**31 // 3,
            )
            os.replace(tmp_name, target)
        finally:
            Path(tmp_name).unlink(missing_ok=True)
        levels = pyramid_levels(target)
        data = json.loads((folder / "meta.json").read_text())
        data["levels"] = [list(level) for level in levels]
        data["version"] = f"{data.get('sha256', '')[:12]}-{int(time.time())}"
        self._write_meta(folder, data)
        return self.info(identifier)

    @staticmethod
    def _write_meta(folder: Path, data: dict[str, Any]) -> None:
        tmp = folder / ".meta.json.tmp"
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1))
        os.replace(tmp, folder / "meta.json")


def normalise(image: pyvips.Image) -> pyvips.Image:
    """8-bit sRGB, or 8-bit grey for one-band images, with any alpha flattened on white."""
    if image.hasalpha():
        image = image.flatten(background=[255] * (image.bands - 1))
    if image.bands == 1 or image.interpretation in ("b-w", "grey16"):
        image = image.colourspace("b-w") if image.interpretation != "b-w" else image
    else:
        image = image.colourspace("srgb") if image.interpretation != "srgb" else image
        if image.bands > 3:
            image = image.extract_band(0, n=3)
    if image.format != "uchar":
        image = image.cast("uchar")
    return image


def pyramid_levels(path: Path) -> tuple[tuple[int, int], ...]:
    """``(width, height)`` of every page of a pyramidal TIFF, largest first."""
    first = pyvips.Image.new_from_file(str(path))
    pages = int(first.get("n-pages")) if first.get_typeof("n-pages") else 1
    levels = [(int(first.width), int(first.height))]
    for page in range(1, pages):
        level = pyvips.Image.new_from_file(str(path), page=page)
        levels.append((int(level.width), int(level.height)))
    return tuple(levels)


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
