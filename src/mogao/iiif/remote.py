"""Tiles straight from the object storage (#19): range reads of the JPEG tiles stored in a pyramid.

With ``MOGAO_STORAGE_URL=s3://…`` a node that serves an image it does not hold keeps only its
``meta.json`` (:func:`mogao.iiif.replicate.ensure_local` with ``files=False``). When a request is
exactly one stored tile (what viewers ask for), the image core asks :class:`RemoteTiles` for it:

1. the pyramid's tile layout (offsets and byte counts of every tile, the JPEG tables) is read once
   per image version with HTTP range requests of the TIFF's IFDs (64 KiB blocks, usually a few
   requests), then kept in this process (an LRU of :data:`LAYOUTS` images) and on disk in the tile
   cache (a few kilobytes a level);
2. the tile is one ``GET`` with ``Range: bytes=offset-(offset+count-1)`` — exactly its bytes, never
   the whole file — spliced with the JPEG tables into the same bytes a local pyramid gives. The GET is
   signed and sent by :class:`mogao.core.s3range.RangeClient` (a keep-alive connection per thread,
   about 0.15 ms of CPU) rather than boto3 (1.2–1.7 ms, which capped a process at a few hundred
   cold tiles a second);
3. the answer goes into a bounded tile cache (``MOGAO_IIIF_TILE_CACHE_MB``, least recently used
   first, :class:`~mogao.iiif.image.cache.DerivativeCache`), in front of the storage.

Chunks (``MOGAO_IIIF_CHUNK_KB``, default 512, Cantaloupe's ``S3Source.chunking.chunk_size``): a
viewer asks for a viewport of neighbouring tiles at once, and our pyramids store a level's tiles back
to back, row by row. So a tile that is in neither cache is read with the aligned chunk of the pyramid
file around it (bytes ``n*k`` to ``n*k+k-1``) in one range GET, as GDAL's ``/vsis3/`` and Cantaloupe
read blocks; the tiles it holds then come from memory. Chunks do not depend on the tile size or the
level (a tile across a chunk boundary is sliced from both), and a foreign layout with scattered tiles
costs one chunk per tile at worst. A chunk goes into the tile cache on disk as one file (shared by the
node's processes; one write per chunk, not per tile) and stays in this process's memory
(``MOGAO_IIIF_CHUNK_MEMORY_MB``, least recently used first). Threads asking for tiles of a chunk being
read wait for that one GET instead of sending their own. ``MOGAO_IIIF_CHUNK_KB=0`` reads exactly one
tile per GET and keeps each tile in the tile cache.

Any other request (a region that is not one stored tile, a rotation, a size between levels, PNG…)
needs decoding: the processor has :meth:`RemoteImage.materialize` copy the pyramid (or the master)
into the local image store first, as before this module existed; that copy is not bounded yet.

A missing object is a 404; a storage that refuses the read or does not answer (within
:data:`mogao.core.s3range.TIMEOUT` seconds), a 503.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from mogao.core.s3range import TIMEOUT, RangeClient, RangeError, shared_client
from mogao.core.storage import is_local, media
from mogao.iiif import replicate
from mogao.iiif.image.cache import DerivativeCache
from mogao.iiif.image.errors import ImageNotFound, StorageUnavailable
from mogao.iiif.image.store import ImageInfo, ImageStore
from mogao.iiif.image.tiffraw import PageLayout, layout_from_json, layout_to_json, parse_layout, splice

#: Bytes fetched per range request while reading a pyramid's IFDs.
BLOCK = 64 * 1024
#: Tile layouts kept in each process.
LAYOUTS = 256
#: The largest chunk read in one GET (a larger ``MOGAO_IIIF_CHUNK_KB`` is cut to it: one GET, one buffer).
MAX_CHUNK = 16 * 1024 * 1024
#: A tile spread over more chunks than this (a huge tile, or tiny chunks) is read alone, in one GET.
CHUNKS_PER_TILE = 2
_MISSING = {"NoSuchKey", "NotFound", "404", "NoSuchBucket"}
#: A chunk of a pyramid file: identifier, version, index of the chunk (its first byte over the chunk size).
_ChunkKey = tuple[str, str, int]


class RangeReader:
    """Range GETs of the objects of one S3 storage (django-storages), through a lean signed HTTP client.

    boto3 is used once per process, to resolve the endpoint, region and credentials (the storage's
    :func:`~mogao.core.s3range.shared_client`); each read is then one keep-alive ``GET`` of this thread's
    connection (:mod:`mogao.core.s3range`).
    """

    def __init__(self, storage: Any, client: RangeClient | None = None) -> None:
        from storages.utils import clean_name

        self.storage = storage
        self.client = client if client is not None else shared_client(storage)
        self._clean = clean_name

    def key(self, name: str) -> str:
        """The object key of storage name ``name`` (the storage's ``prefix`` included)."""
        return str(self.storage._normalize_name(self._clean(name)))

    def get(self, name: str, start: int, end: int) -> tuple[bytes, int]:
        """Bytes ``start``..``end`` (inclusive) of ``name`` and the object's total size.

        ImageNotFound when the object does not exist, StorageUnavailable when the storage fails or
        does not answer within :data:`mogao.core.s3range.TIMEOUT` seconds.
        """
        try:
            status, data, content_range = self.client.get(self.key(name), start, end)
        except RangeError as exc:
            if exc.status == 404 or exc.code in _MISSING:
                raise ImageNotFound(f"{name.rsplit('/', 1)[-1]} is gone from the storage") from None
            if exc.status == 416:
                return b"", 0
            if exc.status == 0:
                raise StorageUnavailable("the storage holding the image does not answer") from exc
            raise StorageUnavailable(f"the storage refused a range read ({exc.code or exc.status})") from exc
        if status == 200:  # a server that ignores Range sends the whole object
            return data[start:end + 1], len(data)
        total = content_range.rpartition("/")[2]
        return data, int(total) if total.isdigit() else start + len(data)


def read_remote_layout(reader: RangeReader, name: str) -> tuple[PageLayout, ...] | None:
    """Parse the tile layout of the TIFF ``name`` in the storage through range reads of :data:`BLOCK` bytes."""
    first, length = reader.get(name, 0, BLOCK - 1)
    blocks = {0: first}

    def read(offset: int, size: int) -> bytes:
        out = bytearray()
        while size > 0 and offset < length:
            index = offset // BLOCK
            block = blocks.get(index)
            if block is None:
                last = max(index, (offset + size - 1) // BLOCK)  # one request for a long run (offset tables)
                data, _ = reader.get(name, index * BLOCK, (last + 1) * BLOCK - 1)
                for i in range(index, last + 1):
                    blocks[i] = data[(i - index) * BLOCK:(i - index + 1) * BLOCK]
                block = blocks[index]
            chunk = block[offset - index * BLOCK:offset - index * BLOCK + size]
            if not chunk:
                break
            out += chunk
            offset += len(chunk)
            size -= len(chunk)
        return bytes(out)

    return parse_layout(read, length)


class RemoteTiles:
    """Stored tiles of the pyramids in the object storage, for one image store (one per process)."""

    def __init__(self, store: ImageStore, cache: DerivativeCache, *, chunk_bytes: int = 0,
                 memory_bytes: int = 0) -> None:
        self.store = store
        self.cache = cache
        #: Bytes per chunk; 0 (also when no memory is given for chunks): one exact GET per tile.
        self.chunk_bytes = min(max(0, chunk_bytes), MAX_CHUNK) if memory_bytes > 0 else 0
        self.memory_bytes = memory_bytes
        self._layouts: OrderedDict[tuple[str, str], tuple[PageLayout, ...] | None] = OrderedDict()
        self._lock = threading.Lock()
        self._reader: tuple[Any, RangeReader] | None = None  # the storage it reads, and its reader
        self._chunks: OrderedDict[_ChunkKey, bytes] = OrderedDict()  # LRU
        self._chunks_size = 0
        self._reading: dict[_ChunkKey, threading.Event] = {}
        #: Range GETs sent for tiles (one per chunk read, or per tile without chunks), for tests and the bench.
        self.tile_gets = 0

    def __call__(self, info: ImageInfo) -> RemoteImage | None:
        """The remote pyramid of ``info`` when the storage is an object storage, else None."""
        storage = media()
        if is_local(storage) or not hasattr(storage, "bucket_name"):
            return None
        reader = self._reader
        if reader is None or reader[0] is not storage:  # once per process (and per storage a test sets)
            reader = self._reader = (storage, RangeReader(storage))
        return RemoteImage(self, reader[1], info)

    def layout(self, reader: RangeReader, info: ImageInfo) -> tuple[PageLayout, ...] | None:
        """The tile layout of ``info``'s pyramid: from memory, the disk cache, or the storage."""
        key = (info.identifier, info.version)
        with self._lock:
            if key in self._layouts:
                self._layouts.move_to_end(key)
                return self._layouts[key]
        cache_key = f"layout|{info.identifier}|{info.version}"
        stored = self.cache.get(cache_key)
        if stored is not None:
            pages: tuple[PageLayout, ...] | None = layout_from_json(stored)
        else:
            pages = read_remote_layout(reader, replicate.storage_name(self.store, info.identifier, replicate.PYRAMID))
            if pages is not None:
                self.cache.put(cache_key, layout_to_json(pages))
        with self._lock:
            self._layouts[key] = pages
            while len(self._layouts) > LAYOUTS:
                self._layouts.popitem(last=False)
        return pages

    def tile(self, reader: RangeReader, info: ImageInfo, page: PageLayout, level: int, index: int) -> bytes | None:
        """Tile ``index`` of page ``level`` as a standalone JPEG: from its chunk (memory, the tile cache, one range
        read of the chunk), or, without chunks, from the tile cache, else one range read of the tile."""
        if self.chunk_bytes:
            raw = self._from_chunks(reader, info, page, index)
            if raw is not None:
                return splice(page, raw)
        key = f"tile|{info.identifier}|{info.version}|{level}|{index}"
        data = self.cache.get(key)
        if data is not None:
            return data
        raw = self._exact(reader, info, page, index)
        if raw is None:
            return None
        data = splice(page, raw)
        if data is not None:
            self.cache.put(key, data)
        return data

    def _stored(self, reader: RangeReader, info: ImageInfo, page: PageLayout, level: int, index: int) -> bytes | None:
        """The stored bytes of one tile: from its chunk(s) when reading chunks, else by a range read of it alone."""
        raw = self._from_chunks(reader, info, page, index) if self.chunk_bytes else None
        return raw if raw is not None else self._exact(reader, info, page, index)

    def _exact(self, reader: RangeReader, info: ImageInfo, page: PageLayout, index: int) -> bytes | None:
        offset, count = page.offsets[index], page.counts[index]
        with self._lock:
            self.tile_gets += 1
        raw, _ = reader.get(replicate.storage_name(self.store, info.identifier, replicate.PYRAMID),
                            offset, offset + count - 1)
        return raw if len(raw) == count else None

    def _from_chunks(self, reader: RangeReader, info: ImageInfo, page: PageLayout, index: int) -> bytes | None:
        """The tile's bytes sliced from the chunk(s) holding them; None for a tile read alone (empty, or too big)."""
        offset, count = page.offsets[index], page.counts[index]
        if count <= 0:
            return None
        size = self.chunk_bytes
        first, last = offset // size, (offset + count - 1) // size
        if last - first >= CHUNKS_PER_TILE:
            return None
        key = (info.identifier, info.version, first)
        with self._lock:  # the hot path: a chunk in memory needs no more than this
            data = self._chunks.get(key)
            if data is not None:
                self._chunks.move_to_end(key)
        if data is None and first == last:
            # Read before and left out of memory since (a viewer came back to it): the tile's own bytes from the
            # chunk's file, as a local node reads them from its pyramid, not the whole chunk again.
            raw = self.cache.read_range(self._cache_key(key), offset - first * size, count)
            if raw is not None:
                return raw
        if data is None:
            data = self._chunk(reader, info, key)
            if data is None:
                return None
        if last != first:
            following = self._chunk(reader, info, (info.identifier, info.version, last))
            if following is None or len(data) != size:
                return None
            data += following
        start = offset - first * size
        raw = data[start:start + count]
        return raw if len(raw) == count else None

    def _cache_key(self, key: _ChunkKey) -> str:
        """The tile cache's key of chunk ``key`` (the chunk size is part of it: another size, other files)."""
        return "chunk|{}|{}|{}|{}".format(*key, self.chunk_bytes)

    def _chunk(self, reader: RangeReader, info: ImageInfo, key: _ChunkKey) -> bytes | None:
        """The bytes of chunk ``key`` (shorter at the end of the file): from memory, the tile cache on disk (shared
        by the node's processes), else one range GET, by this thread or the one already reading it."""
        with self._lock:
            found = self._chunks.get(key)
            if found is not None:
                self._chunks.move_to_end(key)
                return found
            waiting = self._reading.get(key)
            if waiting is None:
                done = self._reading[key] = threading.Event()
        if waiting is not None:
            # Another thread is reading this chunk: wait for its GET rather than sending the same one.
            # If it failed or is stuck, the caller reads its own tile (and meets the error itself).
            waiting.wait(TIMEOUT)
            with self._lock:
                return self._chunks.get(key)
        try:
            size = self.chunk_bytes
            cache_key = self._cache_key(key)
            data = self.cache.get(cache_key)
            if not data or len(data) > size:
                with self._lock:
                    self.tile_gets += 1
                start = key[2] * size
                data, _ = reader.get(replicate.storage_name(self.store, info.identifier, replicate.PYRAMID),
                                     start, start + size - 1)
                if not data or len(data) > size:
                    return None
                self.cache.put(cache_key, data)  # one file per chunk, not per tile
            with self._lock:
                self._chunks[key] = data
                self._chunks_size += len(data)
                while self._chunks_size > self.memory_bytes and self._chunks:
                    _, old = self._chunks.popitem(last=False)
                    self._chunks_size -= len(old)
            return data
        finally:
            with self._lock:
                del self._reading[key]
            done.set()


@dataclass(frozen=True, slots=True)
class RemoteImage:
    """One image whose pyramid is in the object storage (the processor's ``RemotePyramid``)."""

    tiles: RemoteTiles
    reader: RangeReader
    info: ImageInfo

    def layout(self) -> tuple[PageLayout, ...] | None:
        """The stored pyramid's layout; None before the pyramid is built (the master is decoded)."""
        return self.tiles.layout(self.reader, self.info) if self.info.has_pyramid else None

    def tile(self, page: PageLayout, level: int, index: int) -> bytes | None:
        """One stored tile, read by range."""
        return self.tiles.tile(self.reader, self.info, page, level, index)

    def materialize(self) -> None:
        """Copy the pyramid (or the master) here, for a request that needs decoding."""
        replicate.materialize(self.tiles.store, self.info)
