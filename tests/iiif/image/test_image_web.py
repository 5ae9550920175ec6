"""The WSGI fast path (``mogao.iiif.web.fast_path``): same answers as Django, other paths untouched."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

import pytest
from PIL import Image

from mogao.iiif.image import ImageInfo
from mogao.iiif.web import fast_path

from .conftest import VALIDATOR_ID

pytestmark = pytest.mark.django_db


def _call(app: Any, path: str, host: str = "localhost", method: str = "GET") -> tuple[str, dict[str, str], bytes]:
    captured: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        captured["status"], captured["headers"] = status, dict(headers)

    environ = {
        "REQUEST_METHOD": method, "PATH_INFO": path, "HTTP_HOST": host, "wsgi.url_scheme": "http",
        "SERVER_NAME": host, "SERVER_PORT": "80", "HTTP_ACCEPT": "application/ld+json",
    }
    body = b"".join(app(environ, start_response))
    return captured["status"], captured["headers"], body


def _inner(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    start_response("299 Inner", [("X-Inner", "yes")])
    return [b"inner"]


def test_fast_path_serves_images_and_info(validator_image: ImageInfo, settings: Any) -> None:
    settings.ALLOWED_HOSTS = ["localhost"]
    app = fast_path(_inner)
    status, headers, body = _call(app, f"/iiif/3/{VALIDATOR_ID}/0,0,256,256/256,256/0/default.jpg")
    assert status == "200 OK"
    assert headers["Content-Type"] == "image/jpeg"
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert headers["Content-Length"] == str(len(body))
    assert f"<http://localhost/iiif/3/{VALIDATOR_ID}/0,0,256,256/max/0/default.jpg>" in headers["Link"]
    assert Image.open(io.BytesIO(body)).size == (256, 256)
    status, headers, body = _call(app, f"/iiif/3/{VALIDATOR_ID}/info.json")
    assert status == "200 OK" and headers["Content-Type"].startswith("application/ld+json")
    assert f'"id": "http://localhost/iiif/3/{VALIDATOR_ID}"'.encode() in body
    status, _headers, body = _call(app, f"/iiif/3/{VALIDATOR_ID}/full/max/0/default.jpg", method="HEAD")
    assert status == "200 OK" and body == b""
    assert _call(app, "/iiif/3/nope/info.json")[0] == "404 Not Found"
    assert _call(app, f"/iiif/3/{VALIDATOR_ID}/full/max/0/default.xyz")[0] == "400 Bad Request"


def test_fast_path_leaves_other_requests_to_django(validator_image: ImageInfo, settings: Any) -> None:
    settings.ALLOWED_HOSTS = ["localhost"]
    app = fast_path(_inner)
    assert _call(app, "/items/x")[0] == "299 Inner"
    assert _call(app, f"/iiif/3/{VALIDATOR_ID}/info.json", method="POST")[0] == "299 Inner"
    # A Host Django would refuse is not answered here either (no Host-header injection in ids).
    assert _call(app, f"/iiif/3/{VALIDATOR_ID}/info.json", host="evil.example")[0] == "299 Inner"
