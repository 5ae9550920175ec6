"""Build the IIIF Image API 3.0 image information document (info.json) of one image."""

from __future__ import annotations

from typing import Any

from mogao.iiif.image.pipeline import Limits
from mogao.iiif.image.store import TILE_SIZE, ImageInfo

CONTEXT = "http://iiif.io/api/image/3/context.json"
PROFILE_URI = "http://iiif.io/api/image/3/level2.json"
LD_JSON = f'application/ld+json;profile="{CONTEXT}"'
EXTRA_QUALITIES = ["color", "gray", "bitonal"]
EXTRA_FORMATS = ["webp", "tif", "gif"]
#: Everything beyond plain level 2 that this server does (and the level-2 features, for clarity).
EXTRA_FEATURES = [
    "baseUriRedirect", "canonicalLinkHeader", "cors", "jsonldMediaType", "mirroring",
    "profileLinkHeader", "regionByPct", "regionByPx", "regionSquare", "rotationArbitrary",
    "rotationBy90s", "sizeByConfinedWh", "sizeByH", "sizeByPct", "sizeByW", "sizeByWh",
    "sizeUpscaling",
]


def level_sizes(info: ImageInfo) -> list[tuple[int, int]]:
    """Sizes of the pyramid levels, largest first (computed by halving before the pyramid exists)."""
    if info.levels:
        return list(info.levels)
    sizes = [(info.width, info.height)]
    w, h = info.width, info.height
    while w > TILE_SIZE or h > TILE_SIZE:
        w, h = max(1, w // 2), max(1, h // 2)
        sizes.append((w, h))
    return sizes


def info_document(info: ImageInfo, service_id: str, limits: Limits) -> dict[str, Any]:
    """The info.json of ``info`` whose service base URI is ``service_id``."""
    levels = level_sizes(info)
    sizes = [
        {"width": w, "height": h}
        for w, h in reversed(levels)
        if w <= limits.max_width and h <= limits.max_height and w * h <= limits.max_area
    ]
    scale_factors = [2**k for k in range(len(levels))]
    if limits.resolution and max(info.width, info.height) > limits.resolution:
        # Downloads switched off: offer only the levels no finer than the capped rendition, so
        # viewers never ask for a tile they would be refused (the coarsest level always stays).
        longest = max(info.width, info.height)
        offered = [sf for sf in scale_factors if longest / sf <= limits.resolution + 1]
        scale_factors = offered or scale_factors[-1:]
    return {
        "@context": CONTEXT,
        "id": service_id,
        "type": "ImageService3",
        "protocol": "http://iiif.io/api/image",
        "profile": "level2",
        "width": info.width,
        "height": info.height,
        "maxWidth": limits.max_width,
        "maxHeight": limits.max_height,
        "maxArea": limits.max_area,
        "sizes": sizes,
        "tiles": [{
            "width": TILE_SIZE, "height": TILE_SIZE,
            "scaleFactors": scale_factors,
        }],
        "extraQualities": EXTRA_QUALITIES,
        "extraFormats": EXTRA_FORMATS,
        "extraFeatures": EXTRA_FEATURES,
    }
