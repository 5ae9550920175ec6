"""Render a :class:`Plan` with pyvips, reading the smallest pyramid level that is large enough.

A pyramid page (or a JPEG master opened with ``shrink``) is chosen so that the crop is decoded at
the resolution closest above the output: a 256-px tile at any zoom decodes about one stored tile.
Opened images are kept in a small LRU so that a tile request does not re-parse the TIFF header.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import pyvips

from mogao.iiif.image.params import Format, Quality
from mogao.iiif.image.pipeline import Plan
from mogao.iiif.image.store import ImageInfo, ImageStore, normalise

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


class Processor:
    """Turns plans into encoded bytes; safe to share between threads."""

    def __init__(self) -> None:
        self._open: OrderedDict[tuple[str, str, int], pyvips.Image] = OrderedDict()
        self._lock = threading.Lock()

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

    def render(self, source: Source, plan: Plan) -> bytes:
        """Crop, scale, mirror, rotate, apply the quality and encode ``plan`` from ``source``."""
        level = self.choose_level(source, plan)
        image = self._level(source, level)
        full_w, full_h = source.levels[0]
        sx, sy = image.width / full_w, image.height / full_h
        x0, y0 = int(plan.x * sx), int(plan.y * sy)
        x1 = min(image.width, max(x0 + 1, round((plan.x + plan.w) * sx)))
        y1 = min(image.height, max(y0 + 1, round((plan.y + plan.h) * sy)))
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
