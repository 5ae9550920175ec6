"""Parse each IIIF Image API 3.0 URL segment into an immutable value object.

Every parser either returns a value object or raises :class:`BadRequest` (or
:class:`NotImplementedFeature` for well-formed requests of unsupported formats); nothing else
escapes, which the hypothesis tests check. Numbers accept plain decimal notation only (no sign,
no exponent, bounded length) so that ``pct:1e9`` or a 400-digit number can never overflow floats.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from mogao.iiif.image.errors import BadRequest, NotImplementedFeature

# Bounded so that float() never overflows and int() never builds huge numbers.
_INT = r"\d{1,12}"
_NUM = r"(?:\d{1,12}(?:\.\d{0,12})?|\.\d{1,12})"

_PX_REGION = re.compile(rf"({_INT}),({_INT}),({_INT}),({_INT})")
_PCT_REGION = re.compile(rf"pct:({_NUM}),({_NUM}),({_NUM}),({_NUM})")
_SIZE = re.compile(
    rf"(?P<up>\^)?(?:(?P<max>max)|pct:(?P<pct>{_NUM})"
    rf"|(?P<confined>!)?(?P<w>{_INT})?,(?P<h>{_INT})?)"
)
_ROTATION = re.compile(rf"(?P<mirror>!)?(?P<deg>{_NUM})")

#: Segments longer than this are refused before any regular expression runs.
MAX_SEGMENT = 100


def _check_length(segment: str, name: str) -> None:
    if not segment:
        raise BadRequest(f"empty {name}")
    if len(segment) > MAX_SEGMENT:
        raise BadRequest(f"{name} is too long")


def canonical_number(value: Decimal) -> str:
    """Shortest decimal form: ``90``, ``22.5``, ``0.25`` (no exponent, no trailing zeros)."""
    text = format(value.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


class RegionKind(Enum):
    """The four region forms of the specification."""

    FULL = "full"
    SQUARE = "square"
    PIXELS = "pixels"
    PERCENT = "percent"


@dataclass(frozen=True, slots=True)
class Region:
    """A region as requested; pixel values are ints, percentages floats in [0, 100]."""

    kind: RegionKind
    x: float = 0.0
    y: float = 0.0
    w: float = 0.0
    h: float = 0.0

    @classmethod
    def parse(cls, segment: str) -> Region:
        """Parse ``full``, ``square``, ``x,y,w,h`` or ``pct:x,y,w,h``; zero width or height is a 400."""
        _check_length(segment, "region")
        if segment == "full":
            return cls(RegionKind.FULL)
        if segment == "square":
            return cls(RegionKind.SQUARE)
        if m := _PX_REGION.fullmatch(segment):
            x, y, w, h = (int(g) for g in m.groups())
            if w == 0 or h == 0:
                raise BadRequest("region width and height must be greater than zero")
            return cls(RegionKind.PIXELS, x, y, w, h)
        if m := _PCT_REGION.fullmatch(segment):
            px, py, pw, ph = (float(g) for g in m.groups())
            if pw <= 0 or ph <= 0:
                raise BadRequest("region width and height must be greater than zero")
            if px >= 100 or py >= 100:
                raise BadRequest("region lies outside the image")
            if pw > 100 or ph > 100:
                raise BadRequest("region percentages must not exceed 100")
            return cls(RegionKind.PERCENT, px, py, pw, ph)
        raise BadRequest(f"invalid region {segment!r}: use full, square, x,y,w,h or pct:x,y,w,h")


class SizeKind(Enum):
    """The size forms of the specification (each may carry the ``^`` upscaling prefix)."""

    MAX = "max"
    PERCENT = "pct"
    WIDTH = "w,"
    HEIGHT = ",h"
    EXACT = "w,h"
    CONFINED = "!w,h"


@dataclass(frozen=True, slots=True)
class Size:
    """A size as requested; ``upscale`` is the ``^`` prefix."""

    kind: SizeKind
    upscale: bool = False
    w: int = 0
    h: int = 0
    pct: float = 0.0

    @classmethod
    def parse(cls, segment: str) -> Size:
        """Parse every 3.0 size form; ``full``, zero sizes and ``pct`` over 100 without ``^`` are 400s."""
        _check_length(segment, "size")
        m = _SIZE.fullmatch(segment)
        if m is None:
            raise BadRequest(
                f"invalid size {segment!r}: use max, w,, ,h, pct:n, w,h or !w,h (with optional ^)"
            )
        up = m["up"] is not None
        if m["max"]:
            return cls(SizeKind.MAX, up)
        if m["pct"] is not None:
            pct = float(m["pct"])
            if pct <= 0:
                raise BadRequest("size percentage must be greater than zero")
            if pct > 100 and not up:
                raise BadRequest("size percentage above 100 needs the ^ prefix")
            return cls(SizeKind.PERCENT, up, pct=pct)
        w = int(m["w"]) if m["w"] is not None else None
        h = int(m["h"]) if m["h"] is not None else None
        if w == 0 or h == 0:
            raise BadRequest("size width and height must be greater than zero")
        if m["confined"]:
            if w is None or h is None:
                raise BadRequest("!w,h needs both a width and a height")
            return cls(SizeKind.CONFINED, up, w, h)
        if w is not None and h is not None:
            return cls(SizeKind.EXACT, up, w, h)
        if w is not None:
            return cls(SizeKind.WIDTH, up, w=w)
        if h is not None:
            return cls(SizeKind.HEIGHT, up, h=h)
        raise BadRequest("size ',' needs a width or a height")


@dataclass(frozen=True, slots=True)
class Rotation:
    """Clockwise rotation in degrees in [0, 360], after optional mirroring on the vertical axis."""

    degrees: Decimal
    mirror: bool = False

    @classmethod
    def parse(cls, segment: str) -> Rotation:
        """Parse ``n`` or ``!n``; values outside 0-360 are 400s."""
        _check_length(segment, "rotation")
        m = _ROTATION.fullmatch(segment)
        if m is None:
            raise BadRequest(f"invalid rotation {segment!r}: use a number from 0 to 360, optionally after !")
        degrees = Decimal(m["deg"])
        if degrees > 360:
            raise BadRequest("rotation must be between 0 and 360")
        if degrees == 360:
            degrees = Decimal(0)  # a full turn is the identity; canonical form is 0
        return cls(degrees, m["mirror"] is not None)

    @property
    def canonical(self) -> str:
        """``!`` when mirrored, then the shortest decimal form of the angle."""
        return ("!" if self.mirror else "") + canonical_number(self.degrees)

    @property
    def right_angle(self) -> bool:
        """True when the rotation is a multiple of 90 degrees (exact, no resampling)."""
        return self.degrees % 90 == 0


class Quality(Enum):
    """The qualities of the specification; all four are offered."""

    DEFAULT = "default"
    COLOR = "color"
    GRAY = "gray"
    BITONAL = "bitonal"


class Format(Enum):
    """Output formats Mogao encodes."""

    JPG = "jpg"
    PNG = "png"
    WEBP = "webp"
    TIF = "tif"
    GIF = "gif"

    @property
    def media_type(self) -> str:
        """The Content-Type of this format."""
        return _MEDIA_TYPES[self]


_MEDIA_TYPES = {
    Format.JPG: "image/jpeg", Format.PNG: "image/png", Format.WEBP: "image/webp",
    Format.TIF: "image/tiff", Format.GIF: "image/gif",
}
#: Formats named by the specification that Mogao does not encode: 501, not 400.
UNSUPPORTED_FORMATS = frozenset({"jp2", "pdf"})


def parse_quality_format(segment: str) -> tuple[Quality, Format]:
    """Parse ``quality.format``: unknown quality or format 400, known but unsupported format 501."""
    _check_length(segment, "quality and format")
    quality_name, dot, format_name = segment.rpartition(".")
    if not dot or not quality_name:
        raise BadRequest("the last segment must be quality.format, e.g. default.jpg")
    try:
        quality = Quality(quality_name)
    except ValueError:
        raise BadRequest(f"unknown quality {quality_name!r}: use default, color, gray or bitonal") from None
    if format_name in UNSUPPORTED_FORMATS:
        raise NotImplementedFeature(f"format {format_name!r} is not supported: use jpg, png, webp, tif or gif")
    try:
        fmt = Format(format_name)
    except ValueError:
        raise BadRequest(f"unknown format {format_name!r}: use jpg, png, webp, tif or gif") from None
    return quality, fmt


@dataclass(frozen=True, slots=True)
class ImageRequest:
    """The four parameter segments of an image request, parsed (the identifier is handled apart)."""

    region: Region
    size: Size
    rotation: Rotation
    quality: Quality
    format: Format

    @classmethod
    def parse(cls, region: str, size: str, rotation: str, quality_format: str) -> ImageRequest:
        """Parse the four segments in URL order; the first invalid one decides the error."""
        r = Region.parse(region)
        s = Size.parse(size)
        rot = Rotation.parse(rotation)
        q, f = parse_quality_format(quality_format)
        return cls(r, s, rot, q, f)
