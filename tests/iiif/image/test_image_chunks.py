"""Chunked reads of stored tiles from the object storage (#19), against an in-memory stand-in of the bucket.

The S3 path itself (signatures, ranges, the same bytes as a local node) is tested against SeaweedFS in
``test_image_remote_tiles.py``; here the stand-in lets a test hold a GET open, fail it, or scatter the
tiles, to check what :class:`mogao.iiif.remote.RemoteTiles` does around it.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from mogao.iiif import remote
from mogao.iiif.image.cache import DerivativeCache
from mogao.iiif.image.errors import StorageUnavailable
from mogao.iiif.image.store import ImageInfo, ImageStore
from mogao.iiif.image.tiffraw import PageLayout, read_layout

INFO = ImageInfo(identifier="ra", width=1000, height=1000, master="master.png", levels=((1000, 1000),), version="v1")


class Bucket:
    """The pyramid's bytes behind the reader's interface; records every range asked for."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.ranges: list[tuple[int, int]] = []
        self.hold: threading.Event | None = None  # when set: each GET waits for it
        self.entered = threading.Event()
        self.fail = False
        self._lock = threading.Lock()

    def get(self, name: str, start: int, end: int) -> tuple[bytes, int]:
        with self._lock:
            self.ranges.append((start, end))
        self.entered.set()
        if self.hold is not None:
            assert self.hold.wait(60)
        if self.fail:
            raise StorageUnavailable("the storage refused a range read (503)")
        return self.data[start:end + 1], len(self.data)


@pytest.fixture
def pyramid(validator_png: Path, tmp_path: Path) -> tuple[PageLayout, bytes]:
    import pyvips

    path = tmp_path / "pyramid.tif"
    pyvips.Image.new_from_file(str(validator_png)).tiffsave(
        str(path), tile=True, tile_width=256, tile_height=256, pyramid=True, compression="jpeg", Q=85)
    pages = read_layout(path)
    assert pages is not None
    return pages[0], path.read_bytes()


def _tiles(tmp_path: Path, chunk: int, memory: int = 1 << 20) -> remote.RemoteTiles:
    return remote.RemoteTiles(ImageStore(tmp_path / "node"), DerivativeCache(tmp_path / "cache", 0),
                              chunk_bytes=chunk, memory_bytes=memory)


def _stored(page: PageLayout, data: bytes, index: int) -> bytes:
    return data[page.offsets[index]:page.offsets[index] + page.counts[index]]


def _chunks_of(page: PageLayout, index: int, size: int) -> set[int]:
    return {page.offsets[index] // size, (page.offsets[index] + page.counts[index] - 1) // size}


def test_each_tile_is_its_own_stored_bytes_after_one_get_per_aligned_chunk(
        pyramid: tuple[PageLayout, bytes], tmp_path: Path) -> None:
    page, data = pyramid
    size = 8192
    bucket, tiles = Bucket(data), _tiles(tmp_path, chunk=size)
    indexes = range(len(page.offsets))
    got = [tiles._stored(bucket, INFO, page, 0, index) for index in indexes]  # type: ignore[arg-type]
    assert got == [_stored(page, data, index) for index in indexes]
    chunks = set().union(*(_chunks_of(page, index, size) for index in indexes))
    assert sorted(bucket.ranges) == [(c * size, c * size + size - 1) for c in sorted(chunks)]
    assert tiles.tile_gets == len(chunks) < len(page.offsets)  # one GET per chunk, fewer than tiles


def test_a_tile_across_a_chunk_boundary_is_sliced_from_both_chunks(
        pyramid: tuple[PageLayout, bytes], tmp_path: Path) -> None:
    page, data = pyramid
    size = 4096
    across = [i for i in range(len(page.offsets)) if len(_chunks_of(page, i, size)) == 2]
    assert across, "no tile of the test pyramid lies across two 4 KB chunks"
    bucket, tiles = Bucket(data), _tiles(tmp_path, chunk=size)
    assert tiles._stored(bucket, INFO, page, 0, across[0]) == _stored(page, data, across[0])  # type: ignore[arg-type]
    first = page.offsets[across[0]] // size
    assert sorted(bucket.ranges) == [(first * size, first * size + size - 1),
                                     ((first + 1) * size, (first + 1) * size + size - 1)]


def test_the_last_chunk_of_the_file_is_shorter_and_still_serves_its_tiles(
        pyramid: tuple[PageLayout, bytes], tmp_path: Path) -> None:
    page, data = pyramid
    last = max(range(len(page.offsets)), key=lambda i: page.offsets[i])
    size = 1 << 20  # more than the whole file: one chunk, cut short by the end of the object
    assert len(data) < size
    bucket, tiles = Bucket(data), _tiles(tmp_path, chunk=size, memory=4 << 20)
    assert tiles._stored(bucket, INFO, page, 0, last) == _stored(page, data, last)  # type: ignore[arg-type]
    assert tiles._stored(bucket, INFO, page, 0, 0) == _stored(page, data, 0)  # type: ignore[arg-type]
    assert bucket.ranges == [(0, size - 1)]


def test_a_tile_over_more_than_two_chunks_is_read_alone(pyramid: tuple[PageLayout, bytes], tmp_path: Path) -> None:
    page, data = pyramid
    size = 256  # far smaller than a tile
    index = next(i for i in range(len(page.offsets)) if page.counts[i] > 3 * size)
    bucket, tiles = Bucket(data), _tiles(tmp_path, chunk=size)
    assert tiles._stored(bucket, INFO, page, 0, index) == _stored(page, data, index)  # type: ignore[arg-type]
    assert bucket.ranges == [(page.offsets[index], page.offsets[index] + page.counts[index] - 1)]


def test_a_chunk_size_is_bounded() -> None:
    tiles = remote.RemoteTiles(ImageStore(Path("/nonexistent")), DerivativeCache(Path("/nonexistent"), 0),
                               chunk_bytes=1 << 40, memory_bytes=1 << 20)
    assert tiles.chunk_bytes == remote.MAX_CHUNK  # a mistyped setting never makes a terabyte GET


def test_without_chunks_each_tile_is_exactly_its_range(pyramid: tuple[PageLayout, bytes], tmp_path: Path) -> None:
    page, data = pyramid
    for tiles in (_tiles(tmp_path, chunk=0), _tiles(tmp_path, chunk=8192, memory=0)):
        bucket = Bucket(data)
        for index in (0, 1, 2):
            assert tiles._stored(bucket, INFO, page, 0, index) == _stored(page, data, index)  # type: ignore[arg-type]
        assert bucket.ranges == [(page.offsets[i], page.offsets[i] + page.counts[i] - 1) for i in (0, 1, 2)]


def test_threads_asking_for_tiles_of_a_chunk_being_read_wait_for_that_one_get(
        pyramid: tuple[PageLayout, bytes], tmp_path: Path) -> None:
    page, data = pyramid
    size = 1 << 20  # the whole (small) pyramid in one chunk
    bucket, tiles = Bucket(data), _tiles(tmp_path, chunk=size, memory=4 << 20)
    bucket.hold = threading.Event()
    results: dict[int, bytes | None] = {}

    def ask(index: int) -> None:
        results[index] = tiles._stored(bucket, INFO, page, 0, index)  # type: ignore[arg-type]

    leader = threading.Thread(target=ask, args=(0,))
    leader.start()
    assert bucket.entered.wait(60)
    followers = [threading.Thread(target=ask, args=(index,)) for index in range(1, 8)]
    for thread in followers:
        thread.start()
    _until_waiting(followers)
    bucket.hold.set()
    for thread in [leader, *followers]:
        thread.join(60)
    assert results == {index: _stored(page, data, index) for index in range(8)}
    assert len(bucket.ranges) == 1


def test_when_the_chunk_fails_every_waiting_thread_meets_the_error_itself(
        pyramid: tuple[PageLayout, bytes], tmp_path: Path) -> None:
    page, data = pyramid
    bucket, tiles = Bucket(data), _tiles(tmp_path, chunk=1 << 20, memory=4 << 20)
    bucket.hold, bucket.fail = threading.Event(), True
    errors: dict[int, str] = {}

    def ask(index: int) -> None:
        try:
            tiles._stored(bucket, INFO, page, 0, index)  # type: ignore[arg-type]
        except StorageUnavailable as exc:
            errors[index] = str(exc)

    threads = [threading.Thread(target=ask, args=(index,)) for index in range(3)]
    threads[0].start()
    assert bucket.entered.wait(60)
    for thread in threads[1:]:
        thread.start()
    _until_waiting(threads[1:])
    bucket.hold.set()
    for thread in threads:
        thread.join(60)
    assert sorted(errors) == [0, 1, 2]  # no thread hangs or gets empty bytes
    assert tiles._reading == {} and tiles._chunks == {}
    bucket.fail, bucket.hold = False, None
    assert tiles._stored(bucket, INFO, page, 0, 1) == _stored(page, data, 1)  # type: ignore[arg-type]


def test_chunks_in_memory_stay_within_their_bound(pyramid: tuple[PageLayout, bytes], tmp_path: Path) -> None:
    page, data = pyramid
    size = 4096
    bound = size * 3
    bucket, tiles = Bucket(data), _tiles(tmp_path, chunk=size, memory=bound)
    for index in range(len(page.offsets)):
        assert tiles._stored(bucket, INFO, page, 0, index) == _stored(page, data, index)  # type: ignore[arg-type]
        assert tiles._chunks_size <= bound
        assert tiles._chunks_size == sum(len(chunk) for chunk in tiles._chunks.values())
    assert len(tiles._chunks) >= 2





def test_a_chunk_left_out_of_memory_gives_its_tiles_from_its_file_on_disk(
        pyramid: tuple[PageLayout, bytes], tmp_path: Path) -> None:
    page, data = pyramid
    size = 8192
    alone = [i for i in range(len(page.offsets)) if len(_chunks_of(page, i, size)) == 1]
    by_chunk: dict[int, list[int]] = {}
    for index in alone:
        by_chunk.setdefault(page.offsets[index] // size, []).append(index)
    (_, tiles_a), (b, tiles_b) = sorted(by_chunk.items())[:2]
    bucket = Bucket(data)
    tiles = remote.RemoteTiles(ImageStore(tmp_path / "node"), DerivativeCache(tmp_path / "cache", 1 << 20, 0),
                               chunk_bytes=size, memory_bytes=size)  # room for one chunk in memory
    assert tiles._stored(bucket, INFO, page, 0, tiles_a[0]) == _stored(page, data, tiles_a[0])  # type: ignore[arg-type]
    assert tiles._stored(bucket, INFO, page, 0, tiles_b[0]) == _stored(page, data, tiles_b[0])  # type: ignore[arg-type]
    assert [key[2] for key in tiles._chunks] == [b]  # chunk a left memory
    for index in tiles_a:
        assert tiles._stored(bucket, INFO, page, 0, index) == _stored(page, data, index)  # type: ignore[arg-type]
    assert len(bucket.ranges) == 2  # chunk a came back from its file, not from the bucket
    assert [key[2] for key in tiles._chunks] == [b]  # and only the tiles' bytes were read, not the chunk


def _until_waiting(threads: list[threading.Thread]) -> None:
    """Wait (polling their stacks, no timing assumed) until every thread is blocked in an Event's wait."""
    pending = {thread.ident for thread in threads}
    for _ in range(60_000):
        frames = sys._current_frames()
        waiting = set()
        for ident in pending:
            frame: Any = frames.get(ident)
            names = []
            while frame is not None:
                names.append(frame.f_code.co_name)
                frame = frame.f_back
            if "_chunk" in names and "wait" in names:
                waiting.add(ident)
        pending -= waiting
        if not pending:
            return
        threading.Event().wait(0.001)
    raise AssertionError("threads never reached the wait")
