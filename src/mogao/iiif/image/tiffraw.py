"""Read stored JPEG tiles straight out of a pyramidal TIFF, so exact tile requests skip re-encoding.

When a request is exactly one interior 256-px tile of a pyramid level (no rotation, default or
colour quality, JPEG output), the stored tile already is the answer: its bytes plus the file's
shared JPEG tables form a complete JPEG. This is what iipsrv does for tile requests. Only our
own pyramids are read (little- or big-endian classic TIFF or BigTIFF, JPEG compression); any
other layout makes :func:`read_layout` return None and the caller decodes as usual.

The IFDs are parsed through a ``read(offset, size)`` function, so the same code reads a local file
(memory-mapped) or an object in a bucket through HTTP range requests (:func:`parse_layout`, used by
:mod:`mogao.iiif.remote`). A layout round-trips through JSON (:func:`layout_to_json`) so that a node
keeps it on disk and never parses the header of a stored pyramid twice.
"""

from __future__ import annotations

import base64
import json
import mmap
import os
import struct
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

_TYPES = {1: ("B", 1), 3: ("H", 2), 4: ("I", 4), 7: ("B", 1), 16: ("Q", 8)}
_WANTED = {256, 257, 259, 322, 323, 324, 325, 347}
_JPEG = 7
#: ``read(offset, size)``: at most ``size`` bytes of the file from ``offset`` (fewer at its end).
Reader = Callable[[int, int], bytes]


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


def _read_ifds(read: Reader, length: int) -> list[dict[int, tuple[int, ...] | bytes]] | None:
    head = read(0, 16)
    order = {b"II": "<", b"MM": ">"}.get(head[:2])
    if order is None:
        return None
    (magic,) = struct.unpack_from(order + "H", head, 2)
    if magic == 42:
        (offset,) = struct.unpack_from(order + "I", head, 4)
        count_fmt, entry_size, value_size, next_fmt, ptr = "H", 12, 4, "I", "I"
    elif magic == 43:
        (offset,) = struct.unpack_from(order + "Q", head, 8)
        count_fmt, entry_size, value_size, next_fmt, ptr = "Q", 20, 8, "Q", "Q"
    else:
        return None
    count_size, next_size = struct.calcsize(count_fmt), struct.calcsize(next_fmt)
    pages: list[dict[int, tuple[int, ...] | bytes]] = []
    seen: set[int] = set()
    while offset and offset not in seen and offset < length:
        seen.add(offset)
        (n,) = struct.unpack(order + count_fmt, read(offset, count_size))
        pos = offset + count_size
        block = read(pos, n * entry_size + next_size)  # every entry of the IFD, then the next offset
        tags: dict[int, tuple[int, ...] | bytes] = {}
        for i in range(n):
            entry = i * entry_size
            tag, typ = struct.unpack_from(order + "HH", block, entry)
            if tag not in _WANTED or typ not in _TYPES:
                continue
            (count,) = struct.unpack_from(order + ptr, block, entry + 4)
            fmt, size = _TYPES[typ]
            inline = entry + 4 + value_size
            if count * size > value_size:
                (value_at,) = struct.unpack_from(order + ptr, block, inline)
                value = read(value_at, count * size)
            else:
                value = block[inline:inline + count * size]
            tags[tag] = bytes(value) if typ == 7 else struct.unpack(f"{order}{count}{fmt}", value)
        pages.append(tags)
        (offset,) = struct.unpack_from(order + next_fmt, block, n * entry_size)
    return pages


def parse_layout(read: Reader, length: int) -> tuple[PageLayout, ...] | None:
    """The tile layout of every page of a JPEG-compressed tiled TIFF of ``length`` bytes read by ``read``.

    None when the file is not one (another compression, strips, a damaged header).
    """
    try:
        pages = _read_ifds(read, length)
    except (ValueError, struct.error):
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


def read_layout(path: Path) -> tuple[PageLayout, ...] | None:
    """The tile layout of every page of a local JPEG-compressed tiled TIFF, or None if it is not one."""
    try:
        # Map the file instead of reading it: only the pages holding the IFDs are touched.
        with path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
            return parse_layout(lambda offset, size: data[offset:offset + size], len(data))
    except (OSError, ValueError):
        return None


def tile_index(page: PageLayout, col: int, row: int) -> int | None:
    """The index of tile (``col``, ``row``) in ``page``'s offset table, or None when out of range."""
    index = row * page.across + col
    return index if 0 <= col < page.across and 0 <= index < len(page.offsets) else None


def splice(page: PageLayout, raw: bytes) -> bytes | None:
    """A standalone JPEG from a stored tile's bytes and the page's shared tables; None if not a JPEG."""
    if raw[:2] != b"\xff\xd8":
        return None
    if page.tables:
        # Tables stream: SOI, DQT/DHT, EOI. Tile stream: SOI, SOF, SOS, data, EOI. Splice them.
        return page.tables[:-2] + raw[2:]
    return raw


def layout_to_json(pages: tuple[PageLayout, ...]) -> bytes:
    """A compact JSON form of a layout (kept on disk by the remote tile reader)."""
    return json.dumps([
        [p.width, p.height, p.tile_w, p.tile_h, list(p.offsets), list(p.counts), base64.b64encode(p.tables).decode()]
        for p in pages
    ], separators=(",", ":")).encode()


def layout_from_json(data: bytes) -> tuple[PageLayout, ...]:
    """The layout :func:`layout_to_json` wrote."""
    return tuple(
        PageLayout(int(w), int(h), int(tw), int(th), tuple(offsets), tuple(counts), base64.b64decode(tables))
        for w, h, tw, th, offsets, counts, tables in json.loads(data)
    )


def read_tile(fd: int, page: PageLayout, col: int, row: int) -> bytes | None:
    """A standalone JPEG of tile (``col``, ``row``) of ``page``, or None when out of range."""
    index = tile_index(page, col, row)
    if index is None:
        return None
    raw = os.pread(fd, page.counts[index], page.offsets[index])
    if len(raw) != page.counts[index]:
        return None
    return splice(page, raw)
