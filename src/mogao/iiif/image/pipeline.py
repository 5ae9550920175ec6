"""Resolve a parsed request against one image's size and the server limits into a concrete plan.

The plan holds integer pixel boxes only; it knows nothing about files or pyvips, so every rule of
the specification about regions, sizes and limits is tested here without decoding an image.

Resource limits hold on every path: the *delivered* image is what counts, so an arbitrary
rotation is checked by the bounding box it produces (``max``/``^max`` shrink to fit, explicit
sizes are refused), and formats that are costly to encode get a fraction of ``max_area``
(:data:`FORMAT_AREA`). A ``resolution`` cap (downloads switched off) refuses any request whose
scale exceeds that of an image ``resolution`` px on its long side.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from mogao.iiif.image.errors import BadRequest, Forbidden
from mogao.iiif.image.params import (
    Format,
    ImageRequest,
    Quality,
    Region,
    RegionKind,
    Rotation,
    Size,
    SizeKind,
    canonical_number,
)

#: Share of ``max_area`` each output format may use. Measured on a 16 Mpx noisy RGB image
#: (pyvips 8): JPEG 0.08 s, PNG 0.9 s, TIFF/deflate 1.4 s, WebP 4.8 s, GIF 33 s; the shares keep
#: every format within about one second at the default limits.
FORMAT_AREA: dict[Format, Fraction] = {
    Format.JPG: Fraction(1), Format.PNG: Fraction(1, 4), Format.TIF: Fraction(1, 4),
    Format.WEBP: Fraction(1, 8), Format.GIF: Fraction(1, 32),
}


@dataclass(frozen=True, slots=True)
class Limits:
    """Server-imposed output limits, advertised in info.json as maxWidth/maxHeight/maxArea.

    ``resolution`` (0: none) is the long side of the largest rendition offered when downloads
    are switched off: requests finer than that scale are refused (403), whatever their size.
    """

    max_width: int
    max_height: int
    max_area: int
    resolution: int = 0

    def restricted(self, resolution: int) -> Limits:
        """These limits capped to a ``resolution``-px rendition (long side)."""
        return Limits(
            min(self.max_width, resolution), min(self.max_height, resolution),
            min(self.max_area, resolution * resolution), resolution,
        )

    def format_area(self, fmt: Format) -> int:
        """The largest output area (bounding box after rotation) served in ``fmt``."""
        return max(1, int(self.max_area * FORMAT_AREA[fmt]))

    def scale_cap(self, width: int, height: int) -> float:
        """Largest output/full-resolution scale allowed for a ``width`` x ``height`` image."""
        if not self.resolution or max(width, height) <= self.resolution:
            return math.inf
        return self.resolution / max(width, height)


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
    """Resolve ``request`` for an image of ``width`` x ``height`` pixels under ``limits``.

    The delivered image (after rotation, in the requested format) must fit ``limits``:
    ``max`` and ``^max`` shrink until it does, any other size over them is a 400; a scale finer
    than ``limits.resolution`` allows is a 403.
    """
    x, y, w, h = resolve_region(request.region, width, height)
    out_w, out_h = resolve_size(request.size, w, h, limits)
    degrees = request.rotation.degrees
    area_cap = limits.format_area(request.format)
    cap = limits.scale_cap(width, height)
    if request.size.kind is SizeKind.MAX:
        if out_w > w * cap or out_h > h * cap:
            out_w, out_h = max(1, math.floor(w * cap)), max(1, math.floor(h * cap))
        out_w, out_h = _fit_delivered(out_w, out_h, degrees, limits, area_cap)
    bw, bh = rotated_size(out_w, out_h, degrees)
    if bw > limits.max_width or bh > limits.max_height or bw * bh > area_cap:
        rotated = f" rotated by {canonical_number(degrees)} degrees" if bw != out_w or bh != out_h else ""
        raise BadRequest(
            f"size {out_w}x{out_h}{rotated} delivers {bw}x{bh} pixels, beyond the server limits for "
            f"{request.format.value} (maxWidth {limits.max_width}, maxHeight {limits.max_height}, "
            f"maxArea {area_cap})"
        )
    # One pixel of slack: viewers round tile sizes up at the edge of a level.
    if cap != math.inf and (out_w > math.ceil(w * cap) + 1 or out_h > math.ceil(h * cap) + 1):
        longest = math.floor(max(width, height) * cap)
        raise Forbidden(
            f"downloads of this image are switched off: it is served up to {longest} px on its "
            f"long side (this request asks for {out_w}x{out_h} from a {w}x{h} region)"
        )
    return Plan(x, y, w, h, out_w, out_h, request.rotation, request.quality, request.format, width, height)


def _fit_delivered(
    out_w: int, out_h: int, degrees: Decimal, limits: Limits, area_cap: int
) -> tuple[int, int]:
    """Shrink ``out_w`` x ``out_h`` (aspect kept) until its rotated bounding box fits the limits."""
    bw, bh = rotated_size(out_w, out_h, degrees)
    scale = min(1.0, limits.max_width / bw, limits.max_height / bh, math.sqrt(area_cap / (bw * bh)))
    if scale >= 1.0:
        return out_w, out_h
    out_w, out_h = max(1, math.floor(out_w * scale)), max(1, math.floor(out_h * scale))
    # Ceilings in rotated_size can leave one pixel over: step down until it fits.
    while out_w > 1 or out_h > 1:
        bw, bh = rotated_size(out_w, out_h, degrees)
        if bw <= limits.max_width and bh <= limits.max_height and bw * bh <= area_cap:
            break
        out_w, out_h = max(1, out_w - 1), max(1, out_h - 1)
    return out_w, out_h


def rotated_size(out_w: int, out_h: int, degrees: Decimal) -> tuple[int, int]:
    """Bounding box of an ``out_w`` x ``out_h`` image after a clockwise rotation (for limits)."""
    rad = math.radians(float(degrees))
    c, s = abs(math.cos(rad)), abs(math.sin(rad))
    return math.ceil(out_w * c + out_h * s - 1e-9), math.ceil(out_w * s + out_h * c - 1e-9)
