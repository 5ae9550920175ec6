"""Read-ahead of stored tiles from the object storage (#19), against an in-memory stand-in of the bucket.

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


def _tiles(tmp_path: Path, readahead: int, readahead_bytes: int = 1 << 20) -> remote.RemoteTiles:
    return remote.RemoteTiles(ImageStore(tmp_path / "node"), DerivativeCache(tmp_path / "cache", 0),
                              readahead=readahead, readahead_bytes=readahead_bytes)


def _stored(page: PageLayout, data: bytes, index: int) -> bytes:
    return data[page.offsets[index]:page.offsets[index] + page.counts[index]]


def test_each_tile_of_a_run_is_its_own_stored_bytes_after_one_get(
        pyramid: tuple[PageLayout, bytes], tmp_path: Path) -> None:
    page, data = pyramid
    bucket, tiles = Bucket(data), _tiles(tmp_path, readahead=8)
    got = [tiles._stored(bucket, INFO, page, 0, index) for index in range(16)]  # type: ignore[arg-type]
    assert got == [_stored(page, data, index) for index in range(16)]
    assert len(bucket.ranges) == 2 == tiles.tile_gets  # runs 0-7 and 8-15
    end = max(o + c for o, c in zip(page.offsets[:8], page.counts[:8]))
    assert bucket.ranges[0] == (min(page.offsets[:8]), end - 1)


def test_without_read_ahead_each_tile_is_exactly_its_range(pyramid: tuple[PageLayout, bytes], tmp_path: Path) -> None:
    page, data = pyramid
    for tiles in (_tiles(tmp_path, readahead=1), _tiles(tmp_path, readahead=16, readahead_bytes=0)):
        bucket = Bucket(data)
        for index in (0, 1, 2):
            assert tiles._stored(bucket, INFO, page, 0, index) == _stored(page, data, index)  # type: ignore[arg-type]
        assert bucket.ranges == [(page.offsets[i], page.offsets[i] + page.counts[i] - 1) for i in (0, 1, 2)]


def test_threads_asking_for_tiles_of_a_run_being_read_wait_for_that_one_get(
        pyramid: tuple[PageLayout, bytes], tmp_path: Path) -> None:
    page, data = pyramid
    bucket, tiles = Bucket(data), _tiles(tmp_path, readahead=8)
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


def test_when_the_run_fails_every_waiting_thread_meets_the_error_itself(
        pyramid: tuple[PageLayout, bytes], tmp_path: Path) -> None:
    page, data = pyramid
    bucket, tiles = Bucket(data), _tiles(tmp_path, readahead=8)
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
    assert tiles._reading == {} and tiles._runs == {}
    bucket.fail, bucket.hold = False, None
    assert tiles._stored(bucket, INFO, page, 0, 1) == _stored(page, data, 1)  # type: ignore[arg-type]


def test_runs_in_memory_stay_within_their_bound(pyramid: tuple[PageLayout, bytes], tmp_path: Path) -> None:
    page, data = pyramid
    ends = [o + c for o, c in zip(page.offsets, page.counts)]
    runs = [max(ends[i:i + 2]) - min(page.offsets[i:i + 2]) for i in range(0, len(page.offsets), 2)]
    bound = max(runs) * 3
    bucket, tiles = Bucket(data), _tiles(tmp_path, readahead=2, readahead_bytes=bound)
    for index in range(len(page.offsets)):
        assert tiles._stored(bucket, INFO, page, 0, index) == _stored(page, data, index)  # type: ignore[arg-type]
        assert tiles._runs_size <= bound
        assert tiles._runs_size == sum(len(run) for _, run in tiles._runs.values())
    assert len(tiles._runs) >= 2


def test_a_layout_with_scattered_tiles_reads_one_tile_per_get(
        pyramid: tuple[PageLayout, bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    page, data = pyramid
    monkeypatch.setattr(remote, "RUN_SPAN", 64)  # every run of our pyramid is "too wide" now
    bucket, tiles = Bucket(data), _tiles(tmp_path, readahead=4)
    assert tiles._stored(bucket, INFO, page, 0, 1) == _stored(page, data, 1)  # type: ignore[arg-type]
    assert bucket.ranges == [(page.offsets[1], page.offsets[1] + page.counts[1] - 1)]


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
            if "_run" in names and "wait" in names:
                waiting.add(ident)
        pending -= waiting
        if not pending:
            return
        threading.Event().wait(0.001)
    raise AssertionError("threads never reached the wait")
