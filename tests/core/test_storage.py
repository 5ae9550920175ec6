"""The storage contract (#19): the same behaviour from file:// and from a real S3 server (SeaweedFS)."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
import pytest
from django.core.checks import run_checks
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.utils.module_loading import import_string

from mogao.core.storage import StorageUrlError, local_folder, resolve_location, storage_backend, walk


def _build(url: str, home: Path):
    entry = storage_backend(url, home)
    return import_string(entry["BACKEND"])(**entry["OPTIONS"])


@pytest.fixture(params=["file", "s3"])
def storage(request, tmp_path):
    url = "file://" if request.param == "file" else request.getfixturevalue("s3_server")
    built = _build(url, tmp_path)
    built.test_prefix = f"contract-{uuid.uuid4().hex[:8]}"
    return built


def test_default_is_the_filesystem_under_home(tmp_path):
    entry = storage_backend("", tmp_path)
    assert entry["BACKEND"].endswith("FileSystemStorage")
    assert entry["OPTIONS"]["location"] == str(tmp_path / "media")
    assert storage_backend("file:///srv/mogao-files", tmp_path)["OPTIONS"]["location"] == "/srv/mogao-files"


def test_s3_url_is_parsed():
    entry = storage_backend("s3://k%2Fey:se%40cret@books?endpoint=http://127.0.0.1:9000&region=eu-west-3&prefix=/m/",
                            Path("/x"))
    assert entry["BACKEND"] == "storages.backends.s3.S3Storage"
    options = entry["OPTIONS"]
    assert options["bucket_name"] == "books" and options["endpoint_url"] == "http://127.0.0.1:9000"
    assert options["region_name"] == "eu-west-3" and options["location"] == "m"
    assert options["access_key"] == "k/ey" and options["secret_key"] == "se@cret"


@pytest.mark.parametrize("url", ["ftp://host/x", "gs://bucket", "s3://", "s3:///nobucket"])
def test_unknown_or_incomplete_urls_are_refused(url):
    with pytest.raises(StorageUrlError):
        storage_backend(url, Path("/x"))


def test_messages_never_show_the_secret_key(settings):
    settings.STORAGE_URL = "s4://AKIA:wJalrXUtnFEMI@bucket?endpoint=http://127.0.0.1:9000"
    errors = [e for e in run_checks() if e.id == "mogao.core.E001"]
    assert errors and "wJalrXUtnFEMI" not in errors[0].msg and "AKIA:***@bucket" in errors[0].msg


def test_system_check_refuses_an_unknown_scheme(settings):
    settings.STORAGE_URL = "ftp://example.org/files"
    errors = [e for e in run_checks() if e.id == "mogao.core.E001"]
    assert errors and "ftp" in errors[0].msg and "s3://" in errors[0].hint
    settings.STORAGE_URL = "file://"
    assert not [e for e in run_checks() if e.id == "mogao.core.E001"]


def test_save_open_exists_size_delete(storage):
    name = f"{storage.test_prefix}/a/page-1.txt"
    assert not storage.exists(name)
    saved = storage.save(name, ContentFile(b"hello"))
    assert saved == name and storage.exists(name) and storage.size(name) == 5
    with storage.open(name, "rb") as handle:
        assert handle.read() == b"hello"
    storage.delete(name)
    assert not storage.exists(name)
    storage.delete(name)  # deleting what is gone is not an error


def test_listdir_shows_files_and_folders(storage):
    p = storage.test_prefix
    for name in ("one.txt", "two.txt", "sub/three.txt"):
        storage.save(f"{p}/{name}", ContentFile(name.encode()))
    dirs, files = storage.listdir(p)
    assert sorted(files) == ["one.txt", "two.txt"] and list(dirs) == ["sub"]
    assert walk(p, storage) == [f"{p}/one.txt", f"{p}/sub/three.txt", f"{p}/two.txt"]


def test_overwrite_semantics(storage):
    """A file storage keeps both (a new name); the S3 storage overwrites (file_overwrite=True)."""
    name = f"{storage.test_prefix}/same.txt"
    first = storage.save(name, ContentFile(b"first"))
    second = storage.save(name, ContentFile(b"second, longer"))
    with storage.open(first, "rb") as handle:
        first_now = handle.read()
    if isinstance(storage, FileSystemStorage):
        assert second != first and first_now == b"first"
    else:
        assert second == first and first_now == b"second, longer"
    with storage.open(second, "rb") as handle:
        assert handle.read() == b"second, longer"


def test_large_file_round_trips(storage):
    data = uuid.uuid4().bytes * (12 * 1024 * 1024 // 16 + 3)  # ~12 MB: several S3 multipart chunks
    name = storage.save(f"{storage.test_prefix}/big.bin", ContentFile(data))
    assert storage.size(name) == len(data)
    with storage.open(name, "rb") as handle:
        assert handle.read() == data


def test_non_ascii_names(storage):
    name = f"{storage.test_prefix}/敦煌/Pelliot chinois 2001 — 大唐西域記.txt"
    saved = storage.save(name, ContentFile("大唐".encode()))
    assert storage.exists(saved)
    with storage.open(saved, "rb") as handle:
        assert handle.read().decode() == "大唐"
    assert [Path(n).name for n in walk(f"{storage.test_prefix}/敦煌", storage)] == [Path(saved).name]


def test_url_reaches_the_file(storage):
    name = storage.save(f"{storage.test_prefix}/served.txt", ContentFile(b"served"))
    url = storage.url(name)
    if isinstance(storage, FileSystemStorage):
        assert url.startswith("/media/") and url.endswith("served.txt")
    else:
        assert httpx.get(url, timeout=10).content == b"served"  # a presigned URL on the S3 server


def test_local_folder_gives_real_files(storage, settings, tmp_path):
    settings.HOME = tmp_path
    p = storage.test_prefix
    storage.save(f"{p}/x/a.csv", ContentFile(b"a,b\n"))
    storage.save(f"{p}/x/b.png", ContentFile(b"png"))
    folder = local_folder(f"{p}/x", storage)
    assert sorted(f.name for f in folder.iterdir()) == ["a.csv", "b.png"]
    assert (folder / "a.csv").read_bytes() == b"a,b\n"


def test_uploads_go_through_the_configured_storage(s3_server, settings, tmp_path):
    """With MOGAO_STORAGE_URL=s3://… an admin upload lands in the bucket; the worker gets a local copy."""
    from django.core.files.storage import storages
    from django.core.files.uploadedfile import SimpleUploadedFile

    from mogao.ingest.uploads import uploads_save

    settings.HOME = tmp_path
    settings.STORAGES = {**settings.STORAGES, "default": storage_backend(s3_server, tmp_path)}
    try:
        folder, csv = uploads_save([SimpleUploadedFile("Pelliot 2001.csv", b"identifier\nP1\n")])
        assert not isinstance(storages["default"], FileSystemStorage)
        assert storages["default"].exists(csv.removeprefix("storage:"))
        local = Path(resolve_location(csv))
        assert local.is_relative_to(tmp_path / "cache" / "storage") and local.read_bytes() == b"identifier\nP1\n"
        assert Path(resolve_location(folder)) == local.parent
    finally:
        storages._storages.pop("default", None)
