"""`mogao serve --port P` with no MOGAO_BASE_URL: manifests and links on port P, through a real server."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

CLI = [sys.executable, "-c", "from mogao.cli import main; main()"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _ids(value: Any) -> list[str]:
    if isinstance(value, dict):
        found = [v for k, v in value.items() if k == "id" and isinstance(v, str)]
        return found + [i for v in value.values() for i in _ids(v)]
    if isinstance(value, list):
        return [i for v in value for i in _ids(v)]
    return []


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=90) as response:  # generous: CI machines are shared
        return bytes(response.read())


def test_serve_on_any_port_gives_manifests_and_links_on_that_port(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"MOGAO_BASE_URL", "MOGAO_SERVED_URL"}}
    env.update({"MOGAO_HOME": str(tmp_path), "MOGAO_DATABASE_URL": "", "MOGAO_SEARCH_URL": "tantivy://",
                "MOGAO_TASKS_URL": "immediate://"})
    done = subprocess.run([*CLI, "demo", "--no-serve"], env=env, capture_output=True, text=True,
                          timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    port = _free_port()
    log = (tmp_path / "serve.log").open("wb")
    server = subprocess.Popen([*CLI, "serve", "--port", str(port)], env=env,
                              stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        root = None
        for _ in range(600):  # polls (up to 5 min on a loaded machine) until the server answers or exits
            try:
                root = json.loads(_get(f"{base}/iiif/collections/top"))
                break
            except OSError:
                assert server.poll() is None, (tmp_path / "serve.log").read_text()[-3000:]
                time.sleep(0.5)
        assert root is not None, "mogao serve did not answer"
        # Walk from the top collection to the first item manifest the server lists.
        manifest_url = _first_manifest(root)
        assert manifest_url.startswith(f"{base}/"), manifest_url
        manifest = json.loads(_get(manifest_url))
        ids = [i for i in _ids(manifest) if i.startswith("http") and "iiif.io/api" not in i]
        assert ids, manifest
        assert all(i.startswith(f"{base}/") for i in ids), [i for i in ids if not i.startswith(base)][:5]
        # The item page: stable link, citation and comparison workspace on the served port.
        pid = manifest_url.rstrip("/").split("/")[-2]
        page = _get(f"{base}/items/{pid}").decode()
        assert f"{base}/items/{pid}" in page
        assert "127.0.0.1:8000" not in page
        # Another allowed name for the same server: links follow it.
        localhost = f"http://localhost:{port}"
        other = json.loads(_get(f"{localhost}/iiif/items/{pid}/manifest"))
        assert other["id"] == f"{localhost}/iiif/items/{pid}/manifest"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        log.close()


def _first_manifest(collection: dict[str, Any]) -> str:
    """The first Manifest id reachable from a collection (following sub-collections)."""
    for entry in collection.get("items", []):
        if entry.get("type") == "Manifest":
            return str(entry["id"])
    for entry in collection.get("items", []):
        if entry.get("type") == "Collection":
            return _first_manifest(json.loads(_get(entry["id"])))
    raise AssertionError("no manifest listed")
