"""IIIF tiles from the object storage (#19): stored tiles read by range from a real S3 server (SeaweedFS).

Node A registers an image and builds its pyramid (published to the bucket); node B, an empty image
store, serves it: a request that is one stored tile is answered by HTTP range reads of the pyramid in
the bucket (never a whole-object read), with the same bytes node A gives from its disk.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import storages

from mogao.core.storage import storage_backend
from mogao.iiif import replicate
from mogao.iiif.services import image_build_pyramid, image_register, image_server

pytestmark = pytest.mark.django_db

#: Whole 256-px stored tiles of the validator's 1000x1000 image, levels 0 and 1 (level 1 is 500x500: one
#: whole tile). Edge tiles (x=768 on level 0) are padded on disk, hence decoded, on both nodes.
TILES = (
    "0,0,256,256/256,256/0/default.jpg", "256,256,256,256/256,256/0/default.jpg",
    "512,0,256,256/256,256/0/default.jpg", "256,512,256,256/256,256/0/default.jpg",
    "0,0,512,512/256,256/0/color.jpg",
)


class Calls:
    """S3 operations: those of the storage's boto3 client (an event hook) and the tile reader's range GETs."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str, str]] = []  # operation, key, Range ("" when none)

    def __call__(self, params: dict[str, Any], model: Any, **_: Any) -> None:
        self.seen.append((model.name, str(params.get("Key", "")), str(params.get("Range", ""))))

    def gets(self, suffix: str) -> list[str]:
        """The Range of every GetObject of a key ending with ``suffix``."""
        return [rng for op, key, rng in self.seen if op == "GetObject" and key.endswith(suffix)]


@pytest.fixture
def s3_images(s3_server: str, settings: Any, image_root: Path) -> Iterator[Any]:
    url = f"{s3_server}&prefix=tiles-{uuid.uuid4().hex[:8]}"
    settings.STORAGES = {**settings.STORAGES, "default": storage_backend(url, settings.HOME)}
    settings.IIIF_CACHE_MB = 0  # no derivative cache: every request reaches the store (or the bucket)
    storages._storages.pop("default", None)
    yield storages["default"]
    storages._storages.pop("default", None)


@pytest.fixture
def calls(s3_images: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Calls]:
    from mogao.core.s3range import RangeClient

    recorder = Calls()
    events = s3_images.connection.meta.client.meta.events
    events.register("before-parameter-build.s3", recorder)
    range_get = RangeClient.get

    def recorded(self: RangeClient, key: str, start: int, end: int) -> tuple[int, bytes, str]:
        recorder.seen.append(("GetObject", key, f"bytes={start}-{end}"))
        return range_get(self, key, start, end)

    monkeypatch.setattr(RangeClient, "get", recorded)
    yield recorder
    events.unregister("before-parameter-build.s3", recorder)


def _publish(identifier: str, validator_png: Path) -> None:
    """Register and build on node A (the master, meta.json and the pyramid go to the bucket)."""
    image_register(source=validator_png, identifier=identifier)
    image_build_pyramid(identifier)


def _get(client: Any, identifier: str, path: str) -> Any:
    return client.get(f"/iiif/3/{identifier}/{path}")


def _node(settings: Any, root: Path) -> None:
    settings.IMAGE_ROOT = root


def test_a_tile_from_the_bucket_is_the_local_tile_byte_for_byte(
        s3_images: Any, calls: Calls, validator_png: Path, client: Any, settings: Any, tmp_path: Path) -> None:
    _publish("rt-1", validator_png)
    local = {path: _get(client, "rt-1", path).content for path in TILES}
    _node(settings, tmp_path / "node-b")
    calls.seen.clear()
    for path in TILES:
        response = _get(client, "rt-1", path)
        assert response.status_code == 200, response.content[:200]
        assert response.content == local[path], path
        assert response["Content-Type"] == "image/jpeg"
    folder = image_server().store.folder("rt-1")
    assert sorted(p.name for p in folder.iterdir()) == ["meta.json"]  # nothing else was copied
    assert calls.gets("pyramid.tif") and all(calls.gets("pyramid.tif")), "a whole-object read of the pyramid"
    assert not calls.gets("master.png")
    assert {op for op, key, _ in calls.seen if not key.endswith("meta.json")} == {"GetObject"}
    # meta.json too is one lean GET (no boto3 call on the tile path of a cold node)
    assert calls.gets("meta.json") == [f"bytes=0-{replicate.SMALL_OBJECT - 1}"]


def test_meta_json_larger_than_a_small_object_or_missing(
        s3_images: Any, calls: Calls, validator_png: Path, client: Any, settings: Any, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    _publish("rt-big", validator_png)
    local = _get(client, "rt-big", TILES[0]).content
    _node(settings, tmp_path / "node-b")
    monkeypatch.setattr(replicate, "SMALL_OBJECT", 16)  # meta.json is larger: read again through boto3
    calls.seen.clear()
    assert _get(client, "rt-big", TILES[0]).content == local
    assert calls.gets("meta.json") == ["bytes=0-15", ""]  # the lean GET, then boto3's whole read
    assert _get(client, "rt-gone", TILES[0]).status_code == 404  # never published: a 404, not an error


def test_a_warm_node_reads_one_range_per_tile_and_then_its_tile_cache(
        s3_images: Any, calls: Calls, validator_png: Path, client: Any, settings: Any, tmp_path: Path) -> None:
    _publish("rt-2", validator_png)
    _node(settings, tmp_path / "node-b")
    settings.IIIF_CHUNK_KB = 0  # exactly one tile per GET
    assert _get(client, "rt-2", TILES[0]).status_code == 200  # meta.json and the tile layout, once
    calls.seen.clear()
    body = _get(client, "rt-2", TILES[1]).content
    ranges = calls.gets("pyramid.tif")
    assert len(calls.seen) == 1 and len(ranges) == 1, calls.seen
    start, end = (int(x) for x in ranges[0].removeprefix("bytes=").split("-"))
    assert 0 < end - start + 1 < len(body)  # exactly the stored tile (the JPEG tables are added here)
    calls.seen.clear()
    assert _get(client, "rt-2", TILES[1]).content == body
    assert calls.seen == []  # answered by the tile cache


def test_chunks_are_read_once_aligned_and_serve_their_other_tiles_from_memory(
        s3_images: Any, calls: Calls, validator_png: Path, client: Any, settings: Any, tmp_path: Path) -> None:
    _publish("rt-ra", validator_png)
    local = {path: _get(client, "rt-ra", path).content for path in TILES[:3]}
    _node(settings, tmp_path / "node-b")
    settings.IIIF_CHUNK_KB = 16
    settings.IIIF_TILE_CACHE_MB = 0  # no tile cache: a second GET could only be avoided by the chunk in memory
    assert _get(client, "rt-ra", "info.json").status_code == 200
    server = image_server()
    pages = server.remote.layout(  # type: ignore[union-attr]
        server.remote(server.store.info("rt-ra")).reader, server.store.info("rt-ra"))  # type: ignore[union-attr]
    assert pages is not None
    level0, size = pages[0], 16384

    def chunks(index: int) -> set[int]:  # the chunks holding level 0's tile ``index``
        offset, count = level0.offsets[index], level0.counts[index]
        return set(range(offset // size, (offset + count - 1) // size + 1))

    def ranges(found: set[int]) -> list[str]:
        return [f"bytes={c * size}-{c * size + size - 1}" for c in sorted(found)]

    assert chunks(2) == chunks(0) != chunks(5)  # (this pyramid: tiles 0 and 2 share a chunk, tile 5 is beyond)
    read: set[int] = set()
    for path, index in ((TILES[0], 0), (TILES[2], 2), (TILES[1], 5)):  # tiles (0, 0), (2, 0) and (1, 1)
        calls.seen.clear()
        assert _get(client, "rt-ra", path).content == local[path]
        assert sorted(calls.gets("pyramid.tif")) == ranges(chunks(index) - read)  # only chunks not read before
        read |= chunks(index)
    folder = server.store.folder("rt-ra")
    assert sorted(p.name for p in folder.iterdir()) == ["meta.json"]


def test_a_chunk_read_by_one_process_serves_the_others_from_the_tile_cache_on_disk(
        s3_images: Any, calls: Calls, validator_png: Path, client: Any, settings: Any, tmp_path: Path) -> None:
    _publish("rt-run", validator_png)
    local = _get(client, "rt-run", TILES[2]).content
    _node(settings, tmp_path / "node-b")
    settings.IIIF_CHUNK_KB = 1024  # more than the whole pyramid: one chunk
    assert _get(client, "rt-run", TILES[0]).status_code == 200  # reads the chunk (and the layout)
    files = [p.name for p in (tmp_path / "node-b" / "remote-tiles").rglob("*") if p.is_file()]
    assert len(files) == 2  # the layout and one file for the chunk: not one per tile
    image_server.cache_clear()  # another process of the node: nothing in its memory
    settings.IIIF_CHUNK_MEMORY_MB = 8  # (a setting change rebuilds the server)
    calls.seen.clear()
    assert _get(client, "rt-run", TILES[2]).content == local  # tile (2, 0): the same chunk, from the disk
    assert calls.gets("pyramid.tif") == []


def test_the_tile_layout_survives_a_restart_on_disk(
        s3_images: Any, calls: Calls, validator_png: Path, client: Any, settings: Any, tmp_path: Path) -> None:
    _publish("rt-3", validator_png)
    _node(settings, tmp_path / "node-b")
    settings.IIIF_CHUNK_KB = 0  # tiles alone: the next tile is not in a chunk read before the restart
    assert _get(client, "rt-3", TILES[0]).status_code == 200
    image_server.cache_clear()  # a new process on the same node
    settings.IIIF_TILE_CACHE_MB = 1  # (and a setting change rebuilds the server)
    calls.seen.clear()
    assert _get(client, "rt-3", TILES[2]).status_code == 200
    assert len(calls.gets("pyramid.tif")) == 1  # the tile only: its layout came from the disk cache


def test_the_tile_cache_stays_within_its_bound(
        s3_images: Any, validator_png: Path, client: Any, settings: Any, tmp_path: Path) -> None:
    _publish("rt-4", validator_png)
    _node(settings, tmp_path / "node-b")
    settings.IIIF_TILE_CACHE_MB = 0.004  # about 4 KB: a few tiles
    settings.IIIF_CHUNK_KB = 0
    bound = int(0.004 * 1024 * 1024)
    sizes = []
    for path in TILES * 2:
        assert _get(client, "rt-4", path).status_code == 200
        sizes.append(image_server().remote.cache.size())  # type: ignore[union-attr]
    assert max(sizes) <= bound and max(sizes) > 0  # kept something, never more than the bound


def test_decoding_requests_copy_the_pyramid_only(
        s3_images: Any, validator_png: Path, client: Any, settings: Any, tmp_path: Path) -> None:
    _publish("rt-5", validator_png)
    local = _get(client, "rt-5", "full/150,/90/default.png").content
    _node(settings, tmp_path / "node-b")
    response = _get(client, "rt-5", "full/150,/90/default.png")
    assert response.status_code == 200 and response.content == local
    folder = image_server().store.folder("rt-5")
    assert sorted(p.name for p in folder.iterdir()) == ["meta.json", "pyramid.tif"]


def test_an_object_missing_from_the_bucket_is_404_not_500(
        s3_images: Any, validator_png: Path, client: Any, settings: Any, tmp_path: Path) -> None:
    _publish("rt-6", validator_png)
    store = image_server().store
    s3_images.delete(replicate.storage_name(store, "rt-6", replicate.PYRAMID))
    _node(settings, tmp_path / "node-b")
    assert _get(client, "rt-6", "info.json").status_code == 200  # meta.json is still there
    for path in (TILES[0], "full/150,/0/default.jpg"):  # a range read; a copy for decoding
        response = _get(client, "rt-6", path)
        assert response.status_code == 404, (path, response.content[:200])
    s3_images.delete(replicate.storage_name(store, "rt-6", replicate.META))
    _node(settings, tmp_path / "node-c")
    assert _get(client, "rt-6", TILES[0]).status_code == 404


def test_private_images_stay_404_and_the_bucket_is_not_read(
        s3_images: Any, calls: Calls, validator_png: Path, client: Any, settings: Any, tmp_path: Path) -> None:
    from django.contrib.auth import get_user_model

    from mogao.catalogue import services
    from mogao.catalogue.models import Canvas, Visibility
    from mogao.core import changes

    institution, _ = services.institution_upsert(code="BL", name={"en": ["British Library"]})
    item, _ = services.item_upsert(institution=institution, shelfmark="Or.rt", title={"en": ["rt"]},
                                   visibility=Visibility.PRIVATE)
    _publish("rt-7", validator_png)
    Canvas.objects.create(item=item, order=1, image_id="rt-7", width=1000, height=1000)
    changes.flush()
    local = _get(client, "rt-7", TILES[0])
    assert local.status_code == 404
    _node(settings, tmp_path / "node-b")
    calls.seen.clear()
    assert _get(client, "rt-7", TILES[0]).status_code == 404
    assert calls.seen == []
    admin = get_user_model().objects.create_superuser("boss", password="x-unused-password-1")
    client.force_login(admin)
    response = _get(client, "rt-7", TILES[0])
    assert response.status_code == 200 and calls.gets("pyramid.tif")


def test_a_local_storage_never_reads_remotely(image_root: Path, validator_png: Path) -> None:
    _publish("rt-local", validator_png)
    server = image_server()
    assert server.remote is not None and server.remote(server.store.info("rt-local")) is None


@pytest.mark.parametrize("bigtiff", [False, True])
def test_the_layout_read_by_ranges_is_the_layout_read_from_disk(
        bigtiff: bool, validator_png: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Small blocks force many range reads across the IFDs and offset tables (classic TIFF and BigTIFF)."""
    import pyvips

    from mogao.iiif import remote
    from mogao.iiif.image.tiffraw import layout_from_json, layout_to_json, read_layout

    path = tmp_path / "pyramid.tif"
    pyvips.Image.new_from_file(str(validator_png)).tiffsave(
        str(path), tile=True, tile_width=256, tile_height=256, pyramid=True, compression="jpeg", Q=85, bigtiff=bigtiff)
    data = path.read_bytes()

    class Reader:
        requests = 0

        def get(self, name: str, start: int, end: int) -> tuple[bytes, int]:
            Reader.requests += 1
            return data[start:end + 1], len(data)

    monkeypatch.setattr(remote, "BLOCK", 512)
    pages = remote.read_remote_layout(Reader(), "pyramid.tif")  # type: ignore[arg-type]
    assert pages is not None and pages == read_layout(path) and len(pages) == 3
    assert layout_from_json(layout_to_json(pages)) == pages
    assert 1 < Reader.requests < len(data) // 512  # ranges, not the whole file
