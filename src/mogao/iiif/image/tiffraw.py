"""Read stored JPEG tiles straight out of a pyramidal TIFF, so exact tile requests skip re-encoding.

When a request is exactly one interior 256-px tile of a pyramid level (no rotation, default or
colour quality, JPEG output), the stored tile already is the answer: its bytes plus the file's
shared JPEG tables form a complete JPEG. This is what iipsrv does for tile requests. Only our
own pyramids are read (little- or big-endian classic TIFF or BigTIFF, JPEG compression); any
other layout makes :func:`read_layout` return None and the caller decodes as usual.
"""

from __future__ import annotations

import mmap
import os
import struct
from dataclasses import dataclass
from pathlib import Path

_TYPES = {1: ("B", 1), 3: ("H", 2), 4: ("I", 4), 7: ("B", 1), 16: ("Q", 8)}
_WANTED = {256, 257, 259, 322, 323, 324, 325, 347}
_JPEG = 7


@dataclass(frozen=True, slots=True)
class PageLayout:
    """One pyramid level: size, tile size, and where each tile's bytes are."""

    width: int
    height: int
    tile_w: int
    tile_h: int
    offsets: tuple[int, ...]
    counts: tuple[int, ...]
    tables: bytes

    @property
    def across(self) -> int:
        """Tiles per row."""
        return -(-self.width // self.tile_w)


def _read_ifds(data: bytes | mmap.mmap) -> list[dict[int, tuple[int, ...] | bytes]] | None:
    order = {b"II": "<", b"MM": ">"}.get(data[:2])
    if order is None:
        return None
    (magic,) = struct.unpack_from(order + "H", data, 2)
    if magic == 42:
        (offset,) = struct.unpack_from(order + "I", data, 4)
        count_fmt, entry_size, value_size, next_fmt = "H", 12, 4, "I"
    elif magic == 43:
        (offset,) = struct.unpack_from(order + "Q", data, 8)
        count_fmt, entry_size, value_size, next_fmt = "Q", 20, 8, "Q"
    else:
        return None
    pages: list[dict[int, tuple[int, ...] | bytes]] = []
    seen: set[int] = set()
    while offset and offset not in seen and offset < len(data):
        seen.add(offset)
        (n,) = struct.unpack_from(order + count_fmt, data, offset)
        pos = offset + struct.calcsize(count_fmt)
        tags: dict[int, tuple[int, ...] | bytes] = {}
        for i in range(n):
            entry = pos + i * entry_size
            tag, typ = struct.unpack_from(order + "HH", data, entry)
            if tag not in _WANTED or typ not in _TYPES:
                continue
            (count,) = struct.unpack_from(order + ("I" if magic == 42 else "Q"), data, entry + 4)
            fmt, size = _TYPES[typ]
            value_at = entry + 4 + (4 if magic == 42 else 8)
            if count * size > value_size:
                (value_at,) = struct.unpack_from(order + ("I" if magic == 42 else "Q"), data, value_at)
            if typ == 7:
                tags[tag] = bytes(data[value_at:value_at + count])
            else:
                tags[tag] = struct.unpack_from(f"{order}{count}{fmt}", data, value_at)
        pages.append(tags)
        (offset,) = struct.unpack_from(order + next_fmt, data, pos + n * entry_size)
    return pages


def read_layout(path: Path) -> tuple[PageLayout, ...] | None:
    """The tile layout of every page of a JPEG-compressed tiled TIFF, or None if it is not one."""
    try:
        # Map the file instead of reading it: only the pages holding the IFDs are touched.
        with path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
            pages = _read_ifds(data)
    except (OSError, ValueError, struct.error):
        return None
    if not pages:
        return None
    layouts = []
    for tags in pages:
        try:
            compression = tags[259]
            tables = tags.get(347, b"")
            if not isinstance(compression, tuple) or compression[0] != _JPEG or not isinstance(tables, bytes):
                return None
            width, height, tile_w, tile_h, offsets, counts = (tags[t] for t in (256, 257, 322, 323, 324, 325))
        except KeyError:
            return None
        assert isinstance(width, tuple) and isinstance(height, tuple)
        assert isinstance(tile_w, tuple) and isinstance(tile_h, tuple)
        assert isinstance(offsets, tuple) and isinstance(counts, tuple)
        layouts.append(PageLayout(width[0], height[0], tile_w[0], tile_h[0], offsets, counts, tables))
    return tuple(layouts)


def read_tile(fd: int, page: PageLayout, col: int, row: int) -> bytes | None:
    """A standalone JPEG of tile (``col``, ``row``) of ``page``, or None when out of range."""
    index = row * page.across + col
    if not 0 <= index < len(page.offsets):
        return None
    raw = os.pread(fd, page.counts[index], page.offsets[index])
    if len(raw) != page.counts[index] or raw[:2] != b"\xff\xd8":
        return None
    if page.tables:
        # Tables stream: SOI, DQT/DHT, EOI. Tile stream: SOI, SOF, SOS, data, EOI. Splice them.
        return page.tables[:-2] + raw[2:]
    return raw
