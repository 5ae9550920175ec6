"""Backup and restore (#19): the documented procedure, run for real on PostgreSQL and SeaweedFS.

A small catalogue with annotations and page images is loaded into a PostgreSQL database and an S3
bucket by one "node" (its own process and MOGAO_HOME); ``mogao backup`` writes the folder the docs
describe (pg_dump -Fc plus every object of the bucket); ``mogao restore`` loads it into a new, empty
database and an empty bucket from another node with an empty MOGAO_HOME. The records (public ids and
field values), the annotations (W3C JSON), the files (SHA-256), the images served by the IIIF Image
API and the search results must be the same.

Runs in the PostgreSQL run (``MOGAO_DATABASE_URL=postgres://…``); skipped when pg_dump/pg_restore or
SeaweedFS (``weed``) is not installed. It makes its own scratch databases on that server.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
PG_URL = os.environ.get("MOGAO_DATABASE_URL", "")

pytestmark = [
    pytest.mark.skipif(not PG_URL.startswith(("postgres://", "postgresql://")),
                       reason="backup and restore are tested on PostgreSQL (set MOGAO_DATABASE_URL)"),
    pytest.mark.skipif(not (shutil.which("pg_dump") and shutil.which("pg_restore")),
                       reason="pg_dump/pg_restore are not installed (postgresql-client)"),
]

LOAD = r"""
import io, json, sys
from pathlib import Path
from django.contrib.auth import get_user_model
from django.core.management import call_command
from PIL import Image, ImageDraw
call_command("migrate", interactive=False, verbosity=0)
from mogao.annotations import jsonld, services as annotations
from mogao.catalogue import services
from mogao.iiif.services import image_build_pyramid, image_canvas_append, image_register
from mogao.search import services as search

folder = Path(sys.argv[1])
holder, _ = services.institution_upsert(code="BK", name={"en": ["Backup Library"]})
user = get_user_model().objects.create_user(username="reader", password=None)
items = []
for n in range(1, 13):
    item, _ = services.item_upsert(institution=holder, shelfmark=f"BK.{n}", visibility="public",
                                   title={"en": [f"Quokka sutra {n}"], "zh": [f"金剛經 第{n}"]})
    items.append(item)
for n, item in enumerate(items[:3], start=1):
    page = Image.new("RGB", (420 + 10 * n, 300), "white")
    ImageDraw.Draw(page).text((20, 40 * n), f"PAGE {n} QUOKKA", fill="black")
    path = folder / f"page-{n}.png"
    page.save(path)
    info = image_register(source=path, identifier=f"bk-page-{n}")
    canvas = image_canvas_append(item=item, info=info)
    image_build_pyramid(info.identifier)
    data = {"@context": "http://www.w3.org/ns/anno.jsonld", "type": "Annotation", "motivation": "commenting",
            "body": [{"type": "TextualBody", "value": f"A seal on page {n}", "language": "en",
                      "format": "text/plain", "purpose": "commenting"},
                     {"type": "TextualBody", "value": "seal", "purpose": "tagging"}],
            "target": {"source": jsonld.canvas_id(item, canvas),
                       "selector": {"type": "FragmentSelector", "value": f"xywh=10,20,{100 + n},50"}},
            "audience": {"type": "schema:Audience", "schema:audienceType": "public"}}
    annotations.create(user, canvas, jsonld.parse(data, canvas=canvas, user=user))
search.index_rebuild()
"""

SNAPSHOT = r"""
import hashlib, json, re
from django.forms.models import model_to_dict
from django.test import Client
from mogao.annotations import jsonld
from mogao.annotations.models import Annotation
from mogao.catalogue.models import Canvas, Item
from mogao.core.storage import media, walk

def digest(data):
    return hashlib.sha256(data).hexdigest()

storage = media()
files = {}
for name in walk(""):
    with storage.open(name, "rb") as handle:
        files[name] = digest(handle.read())
client = Client()
images = {}
for canvas in Canvas.objects.order_by("item__pid", "order"):
    ident = canvas.image_id
    info = client.get(f"/iiif/3/{ident}/info.json")
    full = client.get(f"/iiif/3/{ident}/full/max/0/default.png")
    images[ident] = {"info": info.status_code, "full": full.status_code,
                     "size": [json.loads(info.content).get("width"), json.loads(info.content).get("height")]
                             if info.status_code == 200 else None,
                     "sha256": digest(full.content)}
page = client.get("/search/", {"q": "Quokka"}).content.decode()
print(json.dumps({
    "items": [model_to_dict(i) for i in Item.objects.order_by("pid")],
    "annotations": [jsonld.serialize(a) for a in Annotation.objects.order_by("uid")],
    "files": files, "images": images,
    "search": re.findall(r'href="/items/([^"/?#]+)', page),
}, default=str, sort_keys=True))
"""


def _server(url: str) -> dict[str, Any]:
    parsed = urlparse(url)
    return {"host": parsed.hostname or "127.0.0.1", "port": parsed.port or 5432,
            "user": parsed.username or "postgres", "password": parsed.password or ""}


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(dbname="postgres", autocommit=True, **_server(PG_URL)) as conn:
        conn.execute(sql)


def _db_url(name: str) -> str:
    server = _server(PG_URL)
    auth = server["user"] + (f":{server['password']}" if server["password"] else "")
    return f"postgres://{auth}@{server['host']}:{server['port']}/{name}"


@pytest.fixture
def databases() -> Iterator[tuple[str, str]]:
    names = [f"mogao_backup_{kind}_{uuid.uuid4().hex[:8]}" for kind in ("source", "restored")]
    for name in names:
        _admin(f'CREATE DATABASE "{name}"')
    try:
        yield _db_url(names[0]), _db_url(names[1])
    finally:
        for name in names:
            _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def buckets(s3_server: str) -> tuple[str, str]:
    """Two empty storages: prefixes of their own in the test bucket (SeaweedFS gives every new bucket
    volumes of its own, and the test server has few)."""
    return tuple(f"{s3_server}&prefix=backup-{kind}-{uuid.uuid4().hex[:8]}"  # type: ignore[return-value]
                 for kind in ("source", "restored"))


def _node(home: Path, database: str, storage: str) -> dict[str, str]:
    home.mkdir(parents=True)
    return {**os.environ, "MOGAO_HOME": str(home), "MOGAO_DATABASE_URL": database, "MOGAO_STORAGE_URL": storage,
            "MOGAO_SEARCH_URL": "postgres://", "MOGAO_TASKS_URL": "immediate://", "MOGAO_CACHE_URL": "locmem://",
            "MOGAO_SECRET_KEY": "backup-test", "DJANGO_SETTINGS_MODULE": "mogao.site.settings",
            "PYTHONPATH": str(SRC)}


def _python(env: dict[str, str], code: str, *args: str) -> str:
    done = subprocess.run([sys.executable, "-c", "import django; django.setup()\n" + code, *args], env=env,
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-4000:]
    return done.stdout


def _mogao(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", "from mogao.cli import main; main()", *args], env=env,
                          capture_output=True, text=True, timeout=600, check=False)


def test_a_restore_into_an_empty_cluster_gives_the_same_library(databases: tuple[str, str],
                                                                 buckets: tuple[str, str], tmp_path: Path) -> None:
    source = _node(tmp_path / "node-a", databases[0], buckets[0])
    restored = _node(tmp_path / "node-b", databases[1], buckets[1])
    (tmp_path / "pages").mkdir()
    _python(source, LOAD, str(tmp_path / "pages"))
    before = json.loads(_python(source, SNAPSHOT).strip().splitlines()[-1])
    assert len(before["items"]) == 12 and len(before["annotations"]) == 3
    assert len(before["images"]) == 3 and all(i["full"] == 200 and i["info"] == 200 for i in before["images"].values())
    assert any(name.startswith("masters/") for name in before["files"])
    assert any(name.endswith("pyramid.tif") for name in before["files"])
    assert len(before["search"]) >= 10

    folder = tmp_path / "backup"
    done = _mogao(source, "backup", str(folder))
    assert done.returncode == 0, done.stderr
    assert (folder / "database.dump").is_file() and (folder / "manifest.json").is_file()
    assert set(json.loads((folder / "manifest.json").read_text())["files"]) == set(before["files"])

    done = _mogao(restored, "restore", str(folder))
    assert done.returncode == 0, done.stderr
    after = json.loads(_python(restored, SNAPSHOT).strip().splitlines()[-1])
    assert after["items"] == before["items"]
    assert after["annotations"] == before["annotations"]
    assert after["files"] == before["files"]
    assert after["images"] == before["images"]  # served by node B, copied from the restored bucket
    assert after["search"] == before["search"]
    assert any((tmp_path / "node-b" / "images").rglob("pyramid.tif"))  # node B copied them from the bucket

    again = _mogao(restored, "restore", str(folder))  # never over a library
    assert again.returncode != 0 and "not empty" in again.stderr
