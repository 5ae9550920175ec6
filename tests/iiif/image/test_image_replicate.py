"""Images in the object storage (#19): published by the node that registers them, served by every node."""

from __future__ import annotations

import io
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import storages
from PIL import Image

from mogao.core.storage import storage_backend
from mogao.iiif import replicate
from mogao.iiif.services import image_build_pyramid, image_info, image_register, image_server

pytestmark = pytest.mark.django_db


@pytest.fixture
def s3_images(s3_server: str, settings: Any, image_root: Path) -> Any:
    """The default storage is the S3 server, under a prefix of its own."""
    url = f"{s3_server}&prefix=images-{uuid.uuid4().hex[:8]}"
    settings.STORAGES = {**settings.STORAGES, "default": storage_backend(url, settings.HOME)}
    storages._storages.pop("default", None)
    yield storages["default"]
    storages._storages.pop("default", None)


def test_register_and_build_publish_to_the_bucket(s3_images: Any, small_jpeg: Path) -> None:
    info = image_register(source=small_jpeg, identifier="rep-1")  # the pyramid task runs at once in tests
    built = image_build_pyramid("rep-1")
    rel = image_server().store.folder("rep-1").relative_to(image_server().store.root).as_posix()
    assert s3_images.exists(f"masters/{rel}/master.jpg") and s3_images.exists(f"masters/{rel}/meta.json")
    assert s3_images.exists(f"derivatives/{rel}/pyramid.tif")
    assert s3_images.size(f"masters/{rel}/master.jpg") == small_jpeg.stat().st_size
    assert built.has_pyramid and built.identifier == info.identifier


def test_another_node_serves_a_published_image(s3_images: Any, small_jpeg: Path, settings: Any,
                                               tmp_path: Path, client: Any) -> None:
    image_register(source=small_jpeg, identifier="rep-2")
    first = image_build_pyramid("rep-2")
    settings.IMAGE_ROOT = tmp_path / "node-b-images"  # a second node: an empty local store
    assert not image_server().store.exists("rep-2")
    copied = image_info("rep-2")
    assert copied is not None and copied.version == first.version and copied.levels == first.levels
    settings.IMAGE_ROOT = tmp_path / "node-c-images"  # a third node, asked straight for a tile
    response = client.get("/iiif/3/rep-2/full/150,/0/default.jpg")
    assert response.status_code == 200, response.content[:300]
    assert Image.open(io.BytesIO(response.content)).size == (150, 100)
    assert (tmp_path / "node-c-images").is_dir() and image_server().store.info("rep-2").has_pyramid


def test_unknown_images_stay_unknown(s3_images: Any, client: Any) -> None:
    assert image_info("never-registered") is None
    assert client.get("/iiif/3/never-registered/info.json").status_code == 404
    assert not replicate.ensure_local(image_server().store, "../escape")


def test_file_storage_copies_nothing(image_root: Path, small_jpeg: Path) -> None:
    assert not replicate.enabled()
    info = image_register(source=small_jpeg, identifier="rep-local")
    assert replicate.publish(image_server().store, info) == []
    assert replicate.fetch(image_server().store, "rep-local") is None


def test_a_replaced_image_is_copied_again_when_the_cache_is_shared(
        s3_images: Any, redis_url: str, small_jpeg: Path, tmp_path: Path, settings: Any, client: Any) -> None:
    import pyvips

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}}
    node_a, node_b = settings.IMAGE_ROOT, tmp_path / "node-b-images"
    image_register(source=small_jpeg, identifier="rep-3")
    first = image_build_pyramid("rep-3")
    settings.IMAGE_ROOT = node_b
    assert image_info("rep-3").version == first.version  # copied to node B

    settings.IMAGE_ROOT = node_a  # node A replaces the master (another size) and rebuilds
    bigger = tmp_path / "bigger.png"
    pyvips.Image.black(400, 100, bands=3).new_from_image([10, 200, 10]).cast("uchar").pngsave(str(bigger))
    image_register(source=bigger, identifier="rep-3")
    second = image_build_pyramid("rep-3")
    assert second.version != first.version

    settings.IMAGE_ROOT = node_b  # node B notices through the shared cache and copies it again
    response = client.get("/iiif/3/rep-3/full/max/0/default.jpg")
    assert response.status_code == 200
    assert Image.open(io.BytesIO(response.content)).size == (400, 100)
    assert image_server().store.info("rep-3").version == second.version
