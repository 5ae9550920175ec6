"""Resolve a parsed request against one image's size and the server limits into a concrete plan.

The plan holds integer pixel boxes only; it knows nothing about files or pyvips, so every rule of
the specification about regions, sizes and limits is tested here without decoding an image.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from mogao.iiif.image.errors import BadRequest
from mogao.iiif.image.params import (
    Format,
    ImageRequest,
    Quality,
    Region,
    RegionKind,
    Rotation,
    Size,
    SizeKind,
)


@dataclass(frozen=True, slots=True)
class Limits:
    """Server-imposed output limits, advertised in info.json as maxWidth/maxHeight/maxArea."""

    max_width: int
    max_height: int
    max_area: int


@dataclass(frozen=True, slots=True)
class Plan:
    """What to render: a crop box in full-resolution pixels, an output size, then rotation."""

    x: int
    y: int
    w: int
    h: int
    out_w: int
    out_h: int
    rotation: Rotation
    quality: Quality
    format: Format
    full_width: int
    full_height: int

    @property
    def region_canonical(self) -> str:
        """``full`` when the crop is the whole image, else ``x,y,w,h``."""
        if (self.x, self.y, self.w, self.h) == (0, 0, self.full_width, self.full_height):
            return "full"
        return f"{self.x},{self.y},{self.w},{self.h}"

    def size_canonical(self, limits: Limits) -> str:
        """``max`` when the output is the region's max size, else ``w,h`` (``^w,h`` when upscaled)."""
        if (self.out_w, self.out_h) == max_size(self.w, self.h, limits):
            return "max"
        up = "^" if self.out_w > self.w or self.out_h > self.h else ""
        return f"{up}{self.out_w},{self.out_h}"

    def canonical(self, limits: Limits) -> str:
        """The canonical ``region/size/rotation/quality.format`` path of this request."""
        return (
            f"{self.region_canonical}/{self.size_canonical(limits)}/{self.rotation.canonical}/"
            f"{self.quality.value}.{self.format.value}"
        )


def resolve_region(region: Region, width: int, height: int) -> tuple[int, int, int, int]:
    """The crop box ``(x, y, w, h)`` clipped to the image; 400 when it lies outside or is empty."""
    if region.kind is RegionKind.FULL:
        return 0, 0, width, height
    if region.kind is RegionKind.SQUARE:
        side = min(width, height)
        return (width - side) // 2, (height - side) // 2, side, side
    if region.kind is RegionKind.PIXELS:
        x, y, w, h = int(region.x), int(region.y), int(region.w), int(region.h)
    else:
        x = math.floor(region.x * width / 100)
        y = math.floor(region.y * height / 100)
        w = math.floor((region.x + region.w) * width / 100) - x
        h = math.floor((region.y + region.h) * height / 100) - y
    if x >= width or y >= height:
        raise BadRequest(f"region lies outside the image ({width}x{height})")
    w = min(w, width - x)
    h = min(h, height - y)
    if w <= 0 or h <= 0:
        raise BadRequest("region is smaller than one pixel")
    return x, y, w, h


def max_size(w: int, h: int, limits: Limits) -> tuple[int, int]:
    """Size ``max``: the region's own size, scaled down (never up) to fit the limits."""
    scale = min(1.0, _limit_scale(w, h, limits))
    if scale >= 1.0:
        return w, h
    return max(1, math.floor(w * scale)), max(1, math.floor(h * scale))


def _limit_scale(w: int, h: int, limits: Limits) -> float:
    return min(limits.max_width / w, limits.max_height / h, math.sqrt(limits.max_area / (w * h)))


def resolve_size(size: Size, w: int, h: int, limits: Limits) -> tuple[int, int]:
    """The output size for a ``w`` x ``h`` region; 400 for upscaling without ``^`` or over limits."""
    if size.kind is SizeKind.MAX:
        if not size.upscale:
            return max_size(w, h, limits)
        scale = _limit_scale(w, h, limits)
        return max(1, math.floor(w * scale)), max(1, math.floor(h * scale))
    if size.kind is SizeKind.PERCENT:
        out_w, out_h = round(w * size.pct / 100), round(h * size.pct / 100)
    elif size.kind is SizeKind.WIDTH:
        out_w, out_h = size.w, round(h * size.w / w)
    elif size.kind is SizeKind.HEIGHT:
        out_w, out_h = round(w * size.h / h), size.h
    elif size.kind is SizeKind.EXACT:
        out_w, out_h = size.w, size.h
    else:
        scale = min(size.w / w, size.h / h)
        out_w, out_h = min(size.w, round(w * scale)), min(size.h, round(h * scale))
    if out_w < 1 or out_h < 1:
        raise BadRequest("the requested size is smaller than one pixel")
    if not size.upscale and (out_w > w or out_h > h):
        raise BadRequest(
            f"size {out_w}x{out_h} is larger than the region ({w}x{h}); prefix it with ^ to upscale"
        )
    if out_w > limits.max_width or out_h > limits.max_height or out_w * out_h > limits.max_area:
        raise BadRequest(
            f"size {out_w}x{out_h} exceeds the server limits (maxWidth {limits.max_width}, "
            f"maxHeight {limits.max_height}, maxArea {limits.max_area})"
        )
    return out_w, out_h


def plan(request: ImageRequest, width: int, height: int, limits: Limits) -> Plan:
    """Resolve ``request`` for an image of ``width`` x ``height`` pixels under ``limits``."""
    x, y, w, h = resolve_region(request.region, width, height)
    out_w, out_h = resolve_size(request.size, w, h, limits)
    return Plan(x, y, w, h, out_w, out_h, request.rotation, request.quality, request.format, width, height)


def rotated_size(out_w: int, out_h: int, degrees: Decimal) -> tuple[int, int]:
    """Bounding box of an ``out_w`` x ``out_h`` image after a clockwise rotation (for limits)."""
    rad = math.radians(float(degrees))
    c, s = abs(math.cos(rad)), abs(math.sin(rad))
    return math.ceil(out_w * c + out_h * s - 1e-9), math.ceil(out_w * s + out_h * c - 1e-9)
