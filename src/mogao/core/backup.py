"""Backup and restore of a whole installation (#19): the database and the object storage.

A backup is a folder::

    database.dump     pg_dump -Fc of the database (PostgreSQL), or database.sqlite3 (SQLite)
    files/<name>      every object of MOGAO_STORAGE_URL (the bucket, under its prefix), byte for byte
    images/<...>      the image store MOGAO_HOME/images, only when the storage is the local folder
                      (with S3 the images' masters and pyramids are objects of the bucket already)
    manifest.json     what was written: the database kind, each file's size and SHA-256

:func:`restore` loads such a folder into an **empty** database and an empty storage (it refuses
otherwise), checks every file against the manifest, applies the migrations of this release, and
rebuilds the search index when it is not kept in the database (tantivy, memory).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mogao.core.storage import media, walk

FORMAT = 1
DUMP = "database.dump"
SQLITE = "database.sqlite3"


class BackupError(RuntimeError):
    """A backup or restore that cannot go on (a missing tool, a non-empty target, a corrupt file)."""


def sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _pg_env_args(db: dict[str, Any]) -> tuple[dict[str, str], list[str]]:
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = ["-h", str(db.get("HOST") or "127.0.0.1"), "-p", str(db.get("PORT") or 5432)]
    if db.get("USER"):
        args += ["-U", str(db["USER"])]
    return env, args


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return found


def _run(cmd: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)  # noqa: S603 (our argv)
    if done.returncode:
        raise BackupError(f"{Path(cmd[0]).name} failed ({done.returncode}): {done.stderr.strip()[-2000:]}")


def _database() -> dict[str, Any]:
    from django.db import connections

    return dict(connections["default"].settings_dict)


def dump_database(target: Path) -> str:
    """Write the database into ``target``; returns the file name written."""
    from django.db import connections

    db = _database()
    if connections["default"].vendor == "postgresql":
        env, args = _pg_env_args(db)
        _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", *args,
              "-f", str(target / DUMP), str(db["NAME"])], env)
        return DUMP
    if connections["default"].vendor == "sqlite":
        connections["default"].close()
        with sqlite3.connect(str(db["NAME"])) as source, sqlite3.connect(str(target / SQLITE)) as copy:
            source.backup(copy)  # a consistent copy while other processes write
        return SQLITE
    raise BackupError(f"no backup for the {connections['default'].vendor} database")


def database_is_empty() -> bool:
    from django.db import connections

    return not connections["default"].introspection.table_names()


def load_database(source: Path, name: str) -> None:
    from django.db import connections

    db = _database()
    vendor = connections["default"].vendor
    if name == DUMP and vendor == "postgresql":
        connections["default"].close()
        env, args = _pg_env_args(db)
        _run([_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
              *args, "-d", str(db["NAME"]), str(source / DUMP)], env)
        return
    if name == SQLITE and vendor == "sqlite":
        connections["default"].close()
        with sqlite3.connect(str(source / SQLITE)) as backup, sqlite3.connect(str(db["NAME"])) as target:
            backup.backup(target)
        return
    raise BackupError(f"the backup holds {name}; it cannot be loaded into a {vendor} database")


def _image_root() -> Path | None:
    """The image store to back up: only when the storage is local (S3 holds the images' files)."""
    from django.conf import settings

    from mogao.core.storage import is_local

    return Path(settings.IMAGE_ROOT) if is_local() else None


def backup(target: Path, *, progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Write a backup of the database and the storage into the folder ``target`` (created, must be empty)."""
    target.mkdir(parents=True, exist_ok=True)
    if any(target.iterdir()):
        raise BackupError(f"{target} is not empty")
    say = progress or (lambda _text: None)
    say("database")
    database = dump_database(target)
    storage = media()
    files: dict[str, dict[str, Any]] = {}
    for name in walk(""):
        out = target / "files" / name
        out.parent.mkdir(parents=True, exist_ok=True)
        with storage.open(name, "rb") as src, out.open("wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
        files[name] = {"size": out.stat().st_size, "sha256": sha256(out)}
    say(f"{len(files)} files")
    images: dict[str, dict[str, Any]] = {}
    root = _image_root()
    if root is not None and root.is_dir():
        shutil.copytree(root, target / "images")
        for path in sorted(p for p in (target / "images").rglob("*") if p.is_file()):
            images[path.relative_to(target / "images").as_posix()] = {"size": path.stat().st_size,
                                                                       "sha256": sha256(path)}
    manifest = {"format": FORMAT, "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "database": database, "files": files, "images": images}
    (target / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return manifest


def _verify(path: Path, expected: dict[str, Any], name: str) -> None:
    if not path.is_file() or path.stat().st_size != expected["size"] or sha256(path) != expected["sha256"]:
        raise BackupError(f"{name} in the backup does not match its manifest entry")


def restore(source: Path, *, reindex: bool | None = None,
            progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Load the backup folder ``source`` into the (empty) database and storage of this installation."""
    from django.conf import settings
    from django.core.management import call_command

    say = progress or (lambda _text: None)
    manifest_path = source / "manifest.json"
    if not manifest_path.is_file():
        raise BackupError(f"{source} holds no manifest.json: not a Mogao backup")
    manifest: dict[str, Any] = json.loads(manifest_path.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    if not database_is_empty():
        raise BackupError("the database is not empty: restore only into a new, empty database")
    storage = media()
    if walk(""):
        raise BackupError("the storage is not empty: restore only into an empty bucket or folder")
    for name, expected in manifest["files"].items():
        _verify(source / "files" / name, expected, name)
    say("database")
    load_database(source, manifest["database"])
    say(f"{len(manifest['files'])} files")
    for name in manifest["files"]:
        with (source / "files" / name).open("rb") as handle:
            saved = storage.save(name, handle)
        if saved != name:
            raise BackupError(f"the storage saved {name} as {saved}")
    if manifest.get("images"):
        root = Path(settings.IMAGE_ROOT)
        for name, expected in manifest["images"].items():
            _verify(source / "images" / name, expected, f"images/{name}")
            out = root / name
            out.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source / "images" / name, out)
    call_command("migrate", interactive=False, verbosity=0)  # a backup of an older release
    if reindex is None:
        reindex = not str(settings.SEARCH_URL).startswith("postgres")
    if reindex:
        say("search index")
        from mogao.search import services

        services.index_rebuild()
    return manifest
