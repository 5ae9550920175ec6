"""Exports into the storage (#19): `--to-storage` copies a bag, a file or static tiles to the bucket."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner
from django.core.files.storage import storages

from mogao.cli import main
from mogao.core.storage import storage_backend, walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def bucket(s3_server, settings):
    url = f"{s3_server}&prefix=exports-{uuid.uuid4().hex[:8]}"
    settings.STORAGES = {**settings.STORAGES, "default": storage_backend(url, settings.HOME)}
    storages._storages.pop("default", None)
    yield storages["default"]
    storages._storages.pop("default", None)


def test_bag_from_another_node_lands_in_the_bucket(bucket, rich_catalogue, settings, tmp_path: Path) -> None:
    """The image was registered (and published) by one node; another node's bag still holds it."""
    settings.IMAGE_ROOT = tmp_path / "other-node-images"
    done = CliRunner().invoke(main, ["export", "--format", "bagit", str(tmp_path / "bag"),
                                     "--to-storage", "exports/bag-1"], catch_exceptions=False)
    assert done.exit_code == 0, done.output
    names = walk("exports/bag-1", bucket)
    local = sorted(p.relative_to(tmp_path / "bag").as_posix() for p in (tmp_path / "bag").rglob("*") if p.is_file())
    assert names == [f"exports/bag-1/{n}" for n in local]
    assert any(n.startswith("exports/bag-1/data/images/") for n in names)
    with bucket.open("exports/bag-1/bagit.txt", "rb") as handle:
        assert handle.read().startswith(b"BagIt-Version")


def test_jsonl_file_to_storage_replaces_the_previous_copy(bucket, rich_catalogue, tmp_path: Path) -> None:
    for _ in range(2):
        done = CliRunner().invoke(main, ["export", str(tmp_path / "all.jsonl"), "--to-storage", "exports/daily"],
                                  catch_exceptions=False)
        assert done.exit_code == 0, done.output
    assert walk("exports/daily", bucket) == ["exports/daily/all.jsonl"]
    with bucket.open("exports/daily/all.jsonl", "rb") as handle:
        stored = handle.read()
    assert stored == (tmp_path / "all.jsonl").read_bytes() and json.loads(stored.splitlines()[0])


def test_static_tiles_to_storage(bucket, rich_catalogue, tmp_path: Path) -> None:
    done = CliRunner().invoke(main, ["iiif", "export", str(tmp_path / "tiles"), "--id", "export-test-page",
                                     "--to-storage", "iiif/3"], catch_exceptions=False)
    assert done.exit_code == 0, done.output
    names = walk("iiif/3/export-test-page", bucket)
    assert "iiif/3/export-test-page/info.json" in names and any(n.endswith("default.jpg") for n in names)
