"""A bounded on-disk cache of rendered derivatives, evicting the least recently used files.

Keys are hashes (never request text), files are written atomically, and a disk hit refreshes
the file's mtime so that eviction (oldest mtime first) approximates LRU across processes. The
size is tracked in memory and re-measured from disk when it passes the bound, so several worker
processes sharing one folder stay within roughly the bound. In front of the disk, each process
keeps the hottest derivatives in a small memory LRU (``memory_bytes``), as iipsrv keeps tiles.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

#: Default size of the per-process memory layer.
MEMORY_BYTES = 32 * 1024 * 1024
#: A disk hit refreshes the file's age only when it is older than this (seconds).
TOUCH_AFTER = 600.0


class DerivativeCache:
    """Bytes by key under ``root``, at most ``max_bytes`` in total; ``max_bytes=0`` disables it."""

    #: Told of every lookup of an enabled cache (True: a hit), e.g. by the metrics (``mogao.core.metrics``).
    observer: ClassVar[Callable[[bool], None] | None] = None

    def __init__(self, root: Path, max_bytes: int, memory_bytes: int = MEMORY_BYTES, *, observed: bool = True) -> None:
        self.root = root
        self.observed = observed  # False: lookups are not told to ``observer`` (e.g. the remote tile cache)
        self.max_bytes = max_bytes
        self.memory_bytes = min(memory_bytes, max_bytes)
        self._lock = threading.Lock()
        self._size: int | None = None
        self._memory: OrderedDict[str, bytes] = OrderedDict()
        self._memory_size = 0
        self._root_text = str(root)

    @property
    def enabled(self) -> bool:
        """False when the bound is zero (every request renders)."""
        return self.max_bytes > 0

    def path(self, key: str) -> Path:
        """The file holding ``key`` (a hash of the key, two-level fan-out)."""
        return Path(self._path_text(key))

    def _path_text(self, key: str) -> str:
        digest = hashlib.sha256(key.encode()).hexdigest()
        return f"{self._root_text}/{digest[:2]}/{digest}"

    def _remember(self, key: str, data: bytes) -> None:
        if len(data) > self.memory_bytes // 8:
            return  # large renders would flush many tiles for one view
        with self._lock:
            if key in self._memory:
                return
            self._memory[key] = data
            self._memory_size += len(data)
            while self._memory_size > self.memory_bytes:
                _, old = self._memory.popitem(last=False)
                self._memory_size -= len(old)

    def get(self, key: str) -> bytes | None:
        """The cached bytes of ``key``, or None; a disk hit refreshes the entry's age."""
        if not self.enabled:
            return None
        with self._lock:
            data = self._memory.get(key)
            if data is not None:
                self._memory.move_to_end(key)
        observer = DerivativeCache.observer if self.observed else None
        if data is not None:
            if observer is not None:
                observer(True)
            return data
        path = self._path_text(key)
        try:
            with open(path, "rb") as fh:
                age = time.time() - os.fstat(fh.fileno()).st_mtime
                data = fh.read()
        except OSError:
            if observer is not None:
                observer(False)
            return None
        if observer is not None:
            observer(True)
        _touch(path, age)
        self._remember(key, data)
        return data

    def read_range(self, key: str, start: int, count: int) -> bytes | None:
        """``count`` bytes of the file of ``key`` from byte ``start`` (one ``pread``, not the whole file), or None
        when the file is missing or shorter; not kept in memory. A hit refreshes the entry's age as :meth:`get`."""
        if not self.enabled:
            return None
        path = self._path_text(key)
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            return None
        try:
            stat = os.fstat(fd)
            if stat.st_size < start + count:
                return None
            data = os.pread(fd, count, start)
        except OSError:
            return None
        finally:
            os.close(fd)
        _touch(path, time.time() - stat.st_mtime)
        return data if len(data) == count else None

    def put(self, key: str, data: bytes) -> None:
        """Store ``data`` under ``key`` (atomic rename), then evict if over the bound."""
        if not self.enabled or len(data) > self.max_bytes:
            return
        path = self.path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except OSError:
            Path(tmp).unlink(missing_ok=True)
            return
        self._remember(key, data)
        with self._lock:
            if self._size is None:
                self._size = self._measure()
            else:
                self._size += len(data)
            over = self._size > self.max_bytes
        if over:
            self.evict()

    def _entries(self) -> list[tuple[float, int, Path]]:
        entries = []
        for path in self.root.glob("*/*"):
            try:
                st = path.stat()
            except OSError:
                continue
            entries.append((st.st_mtime, st.st_size, path))
        return entries

    def _measure(self) -> int:
        return sum(size for _, size, _ in self._entries())

    def evict(self) -> int:
        """Remove the oldest entries until the cache is under 90 % of its bound; returns bytes freed."""
        with self._lock:
            entries = sorted(self._entries())
            total = sum(size for _, size, _ in entries)
            target = int(self.max_bytes * 0.9)
            freed = 0
            for _, size, path in entries:
                if total - freed <= target:
                    break
                try:
                    path.unlink()
                    freed += size
                except OSError:
                    continue
            self._size = total - freed
            return freed

    def size(self) -> int:
        """Bytes currently on disk (measured)."""
        return self._measure()


def _touch(path: str, age: float) -> None:
    """Refresh the LRU age of a hit now and then, not on every hit: a metadata write per tile served costs
    more than the read. Another process may have evicted the file meanwhile: the bytes read are still good."""
    if age > TOUCH_AFTER:
        with contextlib.suppress(OSError):
            os.utime(path)
