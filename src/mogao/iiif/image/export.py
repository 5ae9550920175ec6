"""Static (level 0) export: pre-cut tiles, the sizes of info.json and a level-0 info.json for a CDN.

File names follow the URLs OpenSeadragon and Mirador request from a version 3 service with
256-px tiles: ``{id}/{x,y,w,h | full}/{w,h | max}/0/default.jpg`` for every scale factor, plus
``{id}/full/{w,h}/0/default.jpg`` for each size listed in info.json.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from mogao.iiif.image.info import info_document
from mogao.iiif.image.params import Format, ImageRequest, Quality, Region, Rotation, Size
from mogao.iiif.image.pipeline import Limits, plan
from mogao.iiif.image.processor import Processor, Source
from mogao.iiif.image.store import TILE_SIZE, ImageStore


@dataclass(frozen=True, slots=True)
class ExportResult:
    """What one export wrote."""

    identifier: str
    files: int
    bytes: int


def tile_paths(width: int, height: int, scale_factors: list[int]) -> list[tuple[str, str]]:
    """``(region, size)`` path segments of every tile, as OpenSeadragon computes them for IIIF 3."""
    out: list[tuple[str, str]] = []
    for sf in scale_factors:
        level_w, level_h = math.ceil(width / sf), math.ceil(height / sf)
        span = TILE_SIZE * sf
        if level_w < TILE_SIZE and level_h < TILE_SIZE:
            size = "max" if (level_w, level_h) == (width, height) else f"{level_w},{level_h}"
            out.append(("full", size))
            continue
        for ty in range(math.ceil(level_h / TILE_SIZE)):
            for tx in range(math.ceil(level_w / TILE_SIZE)):
                x, y = tx * span, ty * span
                w, h = min(span, width - x), min(span, height - y)
                region = "full" if (x, y, w, h) == (0, 0, width, height) else f"{x},{y},{w},{h}"
                sw = min(TILE_SIZE, level_w - tx * TILE_SIZE)
                sh = min(TILE_SIZE, level_h - ty * TILE_SIZE)
                size = "max" if (sw, sh) == (width, height) else f"{sw},{sh}"
                out.append((region, size))
    return out


def export_image(
    store: ImageStore, identifier: str, out_dir: Path, base_url: str, limits: Limits
) -> ExportResult:
    """Write the level-0 tiles, sizes and info.json of ``identifier`` under ``out_dir/identifier``.

    ``base_url`` is the public prefix the files will be served under (``.../iiif/3``).
    """
    info = store.info(identifier)
    source = Source.for_image(store, info)
    processor = Processor()
    root = out_dir / identifier
    doc = info_document(info, f"{base_url.rstrip('/')}/{quote(identifier, safe='')}", limits)
    scale_factors = [int(s) for s in doc["tiles"][0]["scaleFactors"]]
    wanted = set(tile_paths(info.width, info.height, scale_factors))
    wanted.update(("full", f"{s['width']},{s['height']}") for s in doc["sizes"])
    files = written = 0
    for region, size in sorted(wanted):
        request = ImageRequest(
            Region.parse(region), Size.parse(size), Rotation.parse("0"), Quality.DEFAULT, Format.JPG
        )
        data = processor.render(source, plan(request, info.width, info.height, limits))
        target = root / region / size / "0" / "default.jpg"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        files += 1
        written += len(data)
    # Level 0 advertises only what exists as files: the tiles and the listed sizes.
    doc["profile"] = "level0"
    for key in ("maxWidth", "maxHeight", "maxArea", "extraQualities", "extraFormats",
                "extraFeatures"):
        doc.pop(key, None)
    body = json.dumps(doc, indent=1).encode()
    (root / "info.json").write_bytes(body)
    return ExportResult(identifier, files + 1, written + len(body))
