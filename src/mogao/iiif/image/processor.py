"""Render a :class:`Plan` with pyvips, reading the smallest pyramid level that is large enough.

A pyramid page (or a JPEG master opened with ``shrink``) is chosen so that the crop is decoded at
the resolution closest above the output: a 256-px tile at any zoom decodes about one stored tile.
Opened images are kept in a small LRU so that a tile request does not re-parse the TIFF header.

A :class:`RemotePyramid` (the pyramid is in object storage, not on this node's disk) answers the
requests that are exactly one stored tile by range reads; any other request first has it copy the
file here (:meth:`RemotePyramid.materialize`), then decodes as usual.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pyvips

from mogao.iiif.image.params import Format, Quality
from mogao.iiif.image.pipeline import Plan
from mogao.iiif.image.store import ImageInfo, ImageStore, normalise
from mogao.iiif.image.tiffraw import PageLayout, read_layout, read_tile, tile_index

JPEG_Q = 85
WEBP_Q = 80
_OPEN_LRU = 256


@dataclass(frozen=True, slots=True)
class Source:
    """Where the pixels of one image come from: a pyramid (pages) or the master (JPEG shrink)."""

    path: Path
    version: str
    levels: tuple[tuple[int, int], ...]
    pyramid: bool

    @classmethod
    def for_image(cls, store: ImageStore, info: ImageInfo) -> Source:
        """The pyramid when built, else the master (JPEG masters still shrink on load)."""
        if info.has_pyramid:
            return cls(store.pyramid_path(info.identifier), info.version, info.levels, True)
        path = store.master_path(info)
        levels = [(info.width, info.height)]
        if path.suffix in (".jpg", ".jpeg"):
            for shrink in (2, 4, 8):
                levels.append((-(-info.width // shrink), -(-info.height // shrink)))
        return cls(path, info.version, tuple(levels), False)


class RemotePyramid(Protocol):
    """One image whose files are in object storage (see :mod:`mogao.iiif.remote`)."""

    def layout(self) -> tuple[PageLayout, ...] | None:
        """The stored pyramid's tile layout, or None when it has none to read tiles from."""

    def tile(self, page: PageLayout, level: int, index: int) -> bytes | None:
        """Stored tile ``index`` of pyramid page ``level`` as a standalone JPEG, or None."""

    def materialize(self) -> None:
        """Copy the file a decode needs (pyramid, else master) onto this node; ImageNotFound when gone."""


class Processor:
    """Turns plans into encoded bytes; safe to share between threads."""

    def __init__(self, *, passthrough: bool = True) -> None:
        self._open: OrderedDict[tuple[str, str, int], pyvips.Image] = OrderedDict()
        self._layouts: OrderedDict[tuple[str, str], tuple[int, tuple[PageLayout, ...]] | None] = OrderedDict()
        self._lock = threading.Lock()
        self.passthrough = passthrough

    def _layout(self, source: Source) -> tuple[int, tuple[PageLayout, ...]] | None:
        key = (str(source.path), source.version)
        with self._lock:
            if key in self._layouts:
                self._layouts.move_to_end(key)
                return self._layouts[key]
        layout = read_layout(source.path)
        entry = (os.open(source.path, os.O_RDONLY), layout) if layout is not None else None
        with self._lock:
            if key in self._layouts:  # another thread won the race: keep its descriptor
                if entry is not None:
                    os.close(entry[0])
                return self._layouts[key]
            self._layouts[key] = entry
            while len(self._layouts) > 64:
                _, old = self._layouts.popitem(last=False)
                if old is not None:
                    os.close(old[0])
        return entry

    def _tile_wanted(self, source: Source, plan: Plan) -> bool:
        return (
            self.passthrough and source.pyramid and plan.format is Format.JPG
            and plan.quality in (Quality.DEFAULT, Quality.COLOR)
            and plan.rotation.degrees == 0 and not plan.rotation.mirror
        )

    @staticmethod
    def _tile_at(
        plan: Plan, pages: tuple[PageLayout, ...], level: int, box: tuple[int, int, int, int]
    ) -> tuple[PageLayout, int] | None:
        """The page and tile index when ``box`` of ``level`` is exactly one whole stored tile."""
        x0, y0, x1, y1 = box
        if (x1 - x0, y1 - y0) != (plan.out_w, plan.out_h) or level >= len(pages):
            return None
        page = pages[level]
        if (x1 - x0, y1 - y0) != (page.tile_w, page.tile_h) or x0 % page.tile_w or y0 % page.tile_h:
            return None  # edge tiles are padded on disk; partial or shifted boxes need decoding
        index = tile_index(page, x0 // page.tile_w, y0 // page.tile_h)
        return None if index is None else (page, index)

    def _stored_tile(self, source: Source, plan: Plan, level: int, box: tuple[int, int, int, int]) -> bytes | None:
        """The stored JPEG tile when ``plan`` asks exactly for one interior tile of ``level``."""
        if not self._tile_wanted(source, plan):
            return None
        x0, y0, x1, y1 = box
        if (x1 - x0, y1 - y0) != (plan.out_w, plan.out_h):
            return None
        entry = self._layout(source)
        if entry is None:
            return None
        fd, pages = entry
        found = self._tile_at(plan, pages, level, box)
        if found is None:
            return None
        page, index = found
        return read_tile(fd, page, index % page.across, index // page.across)

    def _remote_tile(
        self, remote: RemotePyramid, source: Source, plan: Plan, level: int, box: tuple[int, int, int, int]
    ) -> bytes | None:
        x0, y0, x1, y1 = box
        if not self._tile_wanted(source, plan) or (x1 - x0, y1 - y0) != (plan.out_w, plan.out_h):
            return None
        pages = remote.layout()
        found = None if pages is None else self._tile_at(plan, pages, level, box)
        return None if found is None else remote.tile(found[0], level, found[1])

    def _level(self, source: Source, level: int) -> pyvips.Image:
        key = (str(source.path), source.version, level)
        with self._lock:
            image = self._open.get(key)
            if image is not None:
                self._open.move_to_end(key)
                return image
        if source.pyramid:
            image = pyvips.Image.new_from_file(str(source.path), page=level)
        elif level:
            image = normalise(pyvips.Image.new_from_file(str(source.path), shrink=2**level))
        else:
            image = normalise(pyvips.Image.new_from_file(str(source.path)))
        with self._lock:
            self._open[key] = image
            while len(self._open) > _OPEN_LRU:
                self._open.popitem(last=False)
        return image

    @staticmethod
    def choose_level(source: Source, plan: Plan) -> int:
        """The smallest level whose resolution still covers the output (one-pixel rounding slack)."""
        full_w, full_h = source.levels[0]
        chosen = 0
        for index, (lw, lh) in enumerate(source.levels):
            # Pixels of this level spanned by the region must cover the output size.
            if plan.w * lw / full_w + 1 >= plan.out_w and plan.h * lh / full_h + 1 >= plan.out_h:
                chosen = index
        return chosen

    def render(self, source: Source, plan: Plan, remote: RemotePyramid | None = None) -> bytes:
        """Crop, scale, mirror, rotate, apply the quality and encode ``plan`` from ``source``.

        With ``remote`` (``source.path`` is not on this node), one whole stored tile is read from
        the object storage; anything else copies the file here first.
        """
        level = self.choose_level(source, plan)
        full_w, full_h = source.levels[0]
        level_w, level_h = source.levels[level]
        sx, sy = level_w / full_w, level_h / full_h
        x0, y0 = int(plan.x * sx), int(plan.y * sy)
        x1 = min(level_w, max(x0 + 1, round((plan.x + plan.w) * sx)))
        y1 = min(level_h, max(y0 + 1, round((plan.y + plan.h) * sy)))
        if remote is not None:
            stored = self._remote_tile(remote, source, plan, level, (x0, y0, x1, y1))
            if stored is not None:
                return stored
            remote.materialize()
        stored = self._stored_tile(source, plan, level, (x0, y0, x1, y1))
        if stored is not None:
            return stored
        image = self._level(source, level)
        if (image.width, image.height) != (level_w, level_h):
            # A decoder rounded a shrunk size differently: clamp the box to what was decoded.
            x1, y1 = min(x1, image.width), min(y1, image.height)
            x0, y0 = min(x0, x1 - 1), min(y0, y1 - 1)
        image = image.crop(x0, y0, x1 - x0, y1 - y0)
        image = _scale(image, plan.out_w, plan.out_h)
        image = _quality(image, plan.quality)
        image = _rotate(image, plan)
        return _encode(image, plan.format)


def _scale(image: pyvips.Image, out_w: int, out_h: int) -> pyvips.Image:
    if (image.width, image.height) == (out_w, out_h):
        return image
    image = image.resize(out_w / image.width, vscale=out_h / image.height)
    if (image.width, image.height) != (out_w, out_h):
        # resize rounds; pad by copying edge pixels or trim so the size is exact.
        image = image.embed(0, 0, max(out_w, image.width), max(out_h, image.height), extend="copy")
        image = image.crop(0, 0, out_w, out_h)
    return image


def _quality(image: pyvips.Image, quality: Quality) -> pyvips.Image:
    if quality in (Quality.DEFAULT, Quality.COLOR):
        return image
    if image.bands >= 3:
        image = image.colourspace("b-w")
    if quality is Quality.BITONAL:
        image = (image > 127).cast("uchar")
    return image


def _rotate(image: pyvips.Image, plan: Plan) -> pyvips.Image:
    rotation = plan.rotation
    if rotation.mirror:
        image = image.fliphor()
    degrees = rotation.degrees
    if degrees == 0:
        return image
    if rotation.right_angle:
        return image.rot(f"d{int(degrees)}")
    if plan.format is Format.JPG:
        background = [255.0] * image.bands
    else:
        # Formats with transparency get a transparent background, as the spec recommends.
        image = image.bandjoin(255)
        background = [0.0] * image.bands
    return image.rotate(float(degrees), background=background)


def _encode(image: pyvips.Image, fmt: Format) -> bytes:
    if fmt is Format.JPG:
        data = image.jpegsave_buffer(Q=JPEG_Q, keep="none")
    elif fmt is Format.PNG:
        data = image.pngsave_buffer(compression=6, keep="none")
    elif fmt is Format.WEBP:
        data = image.webpsave_buffer(Q=WEBP_Q, keep="none")
    elif fmt is Format.TIF:
        data = image.tiffsave_buffer(compression="deflate", keep="none")
    else:
        data = image.gifsave_buffer(keep="none")
    return bytes(data)
