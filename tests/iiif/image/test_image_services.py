"""Image services, the task after commit, the demo receiver, the CLI, static export and the cache bound."""

from __future__ import annotations

import json
import struct
import time
import zlib
from pathlib import Path
from typing import Any

import pytest
import pyvips
from click.testing import CliRunner
from django.core.exceptions import ValidationError

from mogao.cli import main
from mogao.iiif.image.cache import DerivativeCache
from mogao.iiif.image.export import tile_paths
from mogao.iiif.services import image_build_pyramid, image_info, image_register

pytestmark = pytest.mark.django_db


def _png_declaring(width: int, height: int, path: Path) -> Path:
    """A tiny PNG whose header declares ``width`` x ``height`` (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 16)) + chunk(b"IEND", b"")
    )
    return path


def test_register_copies_master_and_builds_pyramid_after_commit(
    image_root: Path, small_jpeg: Path, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        info = image_register(source=small_jpeg)
    assert info.identifier.startswith("small-page-")  # the space was dropped: hash suffix
    assert (info.width, info.height) == (300, 200)
    assert not info.has_pyramid and len(callbacks) == 1  # queued, not built, until the commit
    callbacks[0]()  # the commit: the (immediate) task backend builds the pyramid
    built = image_info(info.identifier)
    assert built is not None and built.has_pyramid  # immediate task backend ran on commit
    masters = list(image_root.glob("objects/*/*/master.jpg"))
    assert len(masters) == 1 and masters[0].read_bytes() == small_jpeg.read_bytes()
    pyramid = pyvips.Image.new_from_file(str(next(image_root.glob("objects/*/*/pyramid.tif"))))
    assert pyramid.get("n-pages") == 2  # 300x200 and 150x100 (fits one tile)
    assert image_register(source=small_jpeg).levels == built.levels  # same bytes: unchanged


def test_identifiers_from_file_names() -> None:
    from mogao.iiif.image.store import slug_identifier, valid_identifier

    assert slug_identifier("page-0001") == "page-0001"
    names = ["金剛經", "心經", "a b", "a-b", "../../etc", "x" * 300, ".hidden"]
    slugs = [slug_identifier(n) for n in names]
    assert all(valid_identifier(s) for s in slugs)
    assert len(set(slugs)) == len(slugs)


def test_decompression_bomb_refused_before_decoding(image_root: Path, tmp_path: Path) -> None:
    bomb = _png_declaring(50_000, 50_000, tmp_path / "bomb.png")
    # Refused from the header alone: decoding 2.5 Gpx would exhaust memory long before an answer.
    with pytest.raises(ValidationError) as excinfo:
        image_register(source=bomb, identifier="bomb")
    assert "source" in excinfo.value.message_dict
    assert "2,500,000,000 pixels" in excinfo.value.message_dict["source"][0]
    assert not list(image_root.glob("objects/*/*/master.*"))


def test_bad_sources_and_identifiers(image_root: Path, tmp_path: Path, small_jpeg: Path) -> None:
    junk = tmp_path / "junk.jpg"
    junk.write_bytes(b"not an image")
    with pytest.raises(ValidationError) as excinfo:
        image_register(source=junk)
    assert "not a readable image" in excinfo.value.message_dict["source"][0]
    with pytest.raises(ValidationError) as excinfo:
        image_register(source=tmp_path / "missing.jpg")
    assert "source" in excinfo.value.message_dict
    for bad in ("../escape", "a/b", "", ".hidden", "x" * 200, "a..b", "名字"):
        with pytest.raises(ValidationError) as excinfo:
            image_register(source=small_jpeg, identifier=bad)
        assert "identifier" in excinfo.value.message_dict
    with pytest.raises(ValidationError):
        image_build_pyramid("never-registered")
    assert image_info("never-registered") is None
    assert image_info("../../etc") is None


def test_cli_images_add_appends_a_canvas(image_root: Path, small_jpeg: Path) -> None:
    from mogao.catalogue.services import canvas_upsert, institution_upsert, item_upsert

    institution, _ = institution_upsert(code="TEST", name={"en": ["Test library"]})
    item, _ = item_upsert(institution=institution, shelfmark="Or. 1", title={"en": ["A scroll"]})
    canvas_upsert(item=item, order=1, label={"none": ["1"]}, service_url="https://example.org/iiif/x")
    result = CliRunner().invoke(main, ["images", "add", str(small_jpeg), "--id", "scroll-p2", "--item", item.pid])
    assert result.exit_code == 0, result.output
    assert "scroll-p2: 300x200" in result.output
    canvas = item.canvases.get(order=2)
    assert (canvas.image_id, canvas.width, canvas.height) == ("scroll-p2", 300, 200)
    bad = CliRunner().invoke(main, ["images", "add", str(small_jpeg), "--item", "no-such-item"])
    assert bad.exit_code != 0 and "no-such-item" in bad.output
    bad = CliRunner().invoke(main, ["images", "add", str(small_jpeg), "--id", "../x"])
    assert bad.exit_code != 0 and "identifier" in bad.output


def test_demo_receiver_builds_missing_pyramids(image_root: Path, small_jpeg: Path) -> None:
    from django.db import transaction

    from mogao.core.hooks import demo_loaded
    from mogao.iiif.services import image_server

    with transaction.atomic():
        image_server().store.register(small_jpeg, "no-pyramid-yet")
    assert not image_server().store.info("no-pyramid-yet").has_pyramid
    messages: list[str] = []
    demo_loaded.send(sender=None, verbosity=1, echo=messages.append)
    assert image_server().store.info("no-pyramid-yet").has_pyramid
    assert "Image pyramids built: 1" in messages


def test_tile_paths_match_openseadragon() -> None:
    paths = tile_paths(1000, 700, [1, 2, 4])
    assert ("0,0,256,256", "256,256") in paths
    assert ("768,512,232,188", "232,188") in paths
    assert ("0,0,512,512", "256,256") in paths
    assert ("512,512,488,188", "244,94") in paths
    assert ("full", "250,175") in paths
    assert len(paths) == 4 * 3 + 2 * 2 + 1


def test_cli_iiif_export_level0(image_root: Path, small_jpeg: Path, tmp_path: Path) -> None:
    image_register(source=small_jpeg, identifier="page")
    out = tmp_path / "static"
    args = ["iiif", "export", "--id", "page", "--base-url", "https://cdn.example/iiif", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    doc = json.loads((out / "page" / "info.json").read_text())
    assert doc["id"] == "https://cdn.example/iiif/page"
    assert doc["profile"] == "level0"
    assert doc["tiles"][0]["scaleFactors"] == [1, 2]
    assert "maxArea" not in doc
    for region, size in tile_paths(300, 200, [1, 2]):
        tile = out / "page" / region / size / "0" / "default.jpg"
        assert tile.is_file(), tile
    assert pyvips.Image.new_from_file(str(out / "page" / "256,0,44,200" / "44,200" / "0" / "default.jpg")).width == 44
    for size in doc["sizes"]:
        assert (out / "page" / "full" / f"{size['width']},{size['height']}" / "0" / "default.jpg").is_file()
    assert CliRunner().invoke(main, ["iiif", "export", str(out)]).exit_code != 0  # no selection
    missing = CliRunner().invoke(main, ["iiif", "export", "--id", "nope", str(out)])
    assert missing.exit_code != 0 and "nope" in missing.output


def test_cache_stays_within_bound(tmp_path: Path) -> None:
    cache = DerivativeCache(tmp_path / "cache", max_bytes=10_000)
    for n in range(30):
        cache.put(f"key-{n}", bytes(1000))
    assert cache.size() <= 10_000
    assert cache.get("key-29") == bytes(1000)  # newest kept
    assert cache.get("key-0") is None  # oldest evicted
    assert DerivativeCache(tmp_path / "off", max_bytes=0).get("x") is None


def test_cache_hits_keep_old_entries_alive(tmp_path: Path) -> None:
    import os

    cache = DerivativeCache(tmp_path / "cache", max_bytes=10_000, memory_bytes=0)
    cache.put("used", bytes(3000))
    cache.put("unused", bytes(3000))
    long_ago = time.time() - 86_400
    for key in ("used", "unused"):
        os.utime(cache.path(key), (long_ago, long_ago))
    assert cache.get("used") == bytes(3000)  # an old entry read from disk is touched
    assert cache.path("used").stat().st_mtime > long_ago + 3600
    cache.put("new", bytes(5000))  # over the bound: the untouched entry goes first
    assert cache.get("unused") is None
    assert cache.get("used") == bytes(3000)


def test_damaged_stored_image_is_a_plain_error(image_root: Path, small_jpeg: Path) -> None:
    from mogao.iiif.services import image_server

    server = image_server()
    info = server.store.register(small_jpeg, "damaged")
    server.store.master_path(info).write_bytes(b"\xff\xd8\xff garbage")  # damaged after registration
    response = server.handle("damaged/full/max/0/default.png", "http://testserver/iiif/3")
    assert response.status == 500
    assert response.body.startswith(b"the stored image 'damaged' cannot be decoded")
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_cli_images_build(image_root: Path, small_jpeg: Path) -> None:
    from mogao.iiif.services import image_server

    image_server().store.register(small_jpeg, "later")
    result = CliRunner().invoke(main, ["images", "build"])
    assert result.exit_code == 0, result.output
    assert "pyramids built: 1" in result.output
    assert image_server().store.info("later").has_pyramid
    forced = CliRunner().invoke(main, ["images", "build", "--force", "later"])
    assert forced.exit_code == 0 and "later: 2 levels" in forced.output
